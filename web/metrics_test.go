package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// metricsAdmin is the token of an admin who may see every document, so
// that /metrics shows the index's gauges (see adminAuth).
const metricsAdmin = "tok-metrics-admin"

// adminAuth is the open mode (everyone an anonymous DemoGrant user) with one
// admin, whose token is metricsAdmin.
func adminAuth(t *testing.T) *auth.Authenticator {
	t.Helper()
	sum := sha256.Sum256([]byte(metricsAdmin))
	a, err := auth.New(auth.Config{Anonymous: web.DemoGrant, Users: []auth.User{{Name: "ops", TokenSHA256: hex.EncodeToString(sum[:]), Roles: []string{auth.RoleAdmin},
		Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// scrape returns the text of GET /metrics, anonymously.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	return scrapeAs(t, h, "")
}

// scrapeAs returns the text of GET /metrics with a bearer token (none when
// empty).
func scrapeAs(t *testing.T, h http.Handler, token string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// seriesValue returns the value of one series, written as Prometheus writes it
// (labels in name order), and whether the series is there.
func seriesValue(body, series string) (float64, bool) {
	for line := range strings.Lines(body) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			v, err := strconv.ParseFloat(rest, 64)
			return v, err == nil
		}
	}
	return 0, false
}

func TestSearchDurationByClass(t *testing.T) {
	h := newServer(t)
	requests := []struct {
		target string
		status int
		series string // the histogram's count, labels in name order
	}{
		{"/api/search?q=port", 200, `class="word",filtered="false",route="/api/search"`},
		{"/api/search?q=joint+operations", 200, `class="words",filtered="false",route="/api/search"`},
		{"/api/search?q=%22controlled+delivery%22&lang=en", 200, `class="phrase",filtered="true",route="/api/search"`},
		{"/api/search?q=launder*", 200, `class="prefix",filtered="false",route="/api/search"`},
		{"/api/search?q=contrl&fuzzy=1", 200, `class="fuzzy",filtered="false",route="/api/search"`},
		{"/api/search?q=" + strings.Repeat("x", 1001), 400, `class="invalid",filtered="false",route="/api/search"`},
		{"/search?q=ivory+OR+cocaine", 200, `class="boolean",filtered="false",route="/search"`},
		{"/search?q=org%3AFATF+border&lang=en", 200, `class="boolean",filtered="true",route="/search"`},
		{"/search?lang=fr", 200, `class="empty",filtered="true",route="/search"`},
		{"/search?q=%FF%FE", 400, `class="invalid",filtered="false",route="/search"`},
	}
	for _, r := range requests {
		if rec := get(t, h, r.target); rec.Code != r.status {
			t.Fatalf("GET %s = %d, want %d", r.target, rec.Code, r.status)
		}
	}
	// Not a search: bad parameters are refused before the service is asked.
	if rec := get(t, h, "/api/search?q=port&page=x"); rec.Code != http.StatusBadRequest {
		t.Fatalf("page=x: %d", rec.Code)
	}
	body := scrape(t, h)
	for _, r := range requests {
		if n, ok := seriesValue(body, "handbook_search_duration_seconds_count{"+r.series+"}"); n != 1 {
			t.Errorf("%s: handbook_search_duration_seconds_count{%s} = %v (present %v), want 1", r.target, r.series, n, ok)
		}
	}
	if n, _ := seriesValue(body, `handbook_search_duration_seconds_count{class="word",filtered="false",route="/api/search"}`); n != 1 {
		t.Errorf("the request with page=x was counted as a search")
	}
	if _, ok := seriesValue(body, `handbook_search_duration_seconds_bucket{class="word",filtered="false",route="/api/search",le="0.0005"}`); !ok {
		t.Error("the search histogram has no 0.5 ms bucket")
	}
	if sum, _ := seriesValue(body, `handbook_search_duration_seconds_sum{class="word",filtered="false",route="/api/search"}`); sum <= 0 {
		t.Errorf("search duration sum %v, want > 0", sum)
	}
	// The existing series keep their names and labels.
	if n, _ := seriesValue(body, `handbook_http_request_duration_seconds_count{method="GET",route="/api/search",status="2xx"}`); n != 5 {
		t.Errorf("handbook_http_request_duration_seconds_count for /api/search 2xx = %v, want 5", n)
	}
}

func TestRejectedByReason(t *testing.T) {
	docs := os.DirFS("../search/testdata/behaviour/docs")
	tests := []struct {
		reason string
		opts   web.Options
		req    func() *http.Request
		status int
	}{
		{"bad_query", web.Options{}, func() *http.Request { return httptest.NewRequest("GET", "/api/search?q=bad&size=500", nil) }, 400},
		{"unauthorized", web.Options{}, func() *http.Request {
			r := httptest.NewRequest("GET", "/api/search?q=port", nil)
			r.Header.Set("Authorization", "Bearer not-a-token")
			return r
		}, 401},
		{"not_found", web.Options{}, func() *http.Request { return httptest.NewRequest("GET", "/api/documents/no-such-document", nil) }, 404},
		{"body_too_large", web.Options{MaxBodyBytes: "1K"}, func() *http.Request {
			r := httptest.NewRequest("POST", "/signin", strings.NewReader("user="+strings.Repeat("x", 4<<10)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 413},
		// The burst of one is spent by the first request, so the second is refused.
		{"rate_limit", web.Options{Rate: 0.001, Burst: 1}, func() *http.Request { return httptest.NewRequest("GET", "/api/search?q=port", nil) }, 429},
		// The request's deadline has passed before the search starts.
		{"timeout", web.Options{RequestTimeout: time.Nanosecond}, func() *http.Request { return httptest.NewRequest("GET", "/api/search?q=port", nil) }, 503},
	}
	for _, tc := range tests {
		t.Run(tc.reason, func(t *testing.T) {
			srv, err := web.New(searchtest.Service(t, docs), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			h := srv.Handler()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tc.req())
			if tc.reason == "rate_limit" {
				rec = httptest.NewRecorder()
				h.ServeHTTP(rec, tc.req())
			}
			if rec.Code != tc.status {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			body := scrape(t, h)
			series := `handbook_http_rejected_total{reason="` + tc.reason + `"}`
			if n, ok := seriesValue(body, series); n != 1 {
				t.Errorf("%s = %v (present %v), want 1", series, n, ok)
			}
		})
	}
}

func TestIndexMetrics(t *testing.T) {
	svc, idx := searchtest.Open(t, os.DirFS("../search/testdata/behaviour/docs"))
	stats := func() (web.IndexStats, error) {
		var st web.IndexStats
		err := filepath.WalkDir(idx.Dir, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			st.Bytes += info.Size()
			return err
		})
		n, cerr := idx.DocCount()
		st.Sections = int(n)
		return st, errors.Join(err, cerr)
	}
	want, err := stats()
	if err != nil {
		t.Fatal(err)
	}
	if want.Bytes == 0 || want.Sections == 0 {
		t.Fatalf("the test index is empty: %+v", want)
	}
	srv, err := web.New(svc, web.Options{IndexStats: stats, Auth: adminAuth(t)})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()

	body := scrapeAs(t, h, metricsAdmin)
	for series, v := range map[string]float64{
		"handbook_index_documents":                        6,
		"handbook_index_sections":                         float64(want.Sections),
		"handbook_index_size_bytes":                       float64(want.Bytes),
		`handbook_indexing_runs_total{outcome="success"}`: 0,
		`handbook_indexing_runs_total{outcome="failure"}`: 0,
	} {
		if got, ok := seriesValue(body, series); !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, v)
		}
	}

	srv.RecordIndexing(nil)
	srv.RecordIndexing(errors.New("load: broken.pdf"))
	srv.RecordIndexing(errors.New("swap: open index"))
	body = scrapeAs(t, h, metricsAdmin)
	for series, v := range map[string]float64{
		`handbook_indexing_runs_total{outcome="success"}`: 1,
		`handbook_indexing_runs_total{outcome="failure"}`: 2,
	} {
		if got, ok := seriesValue(body, series); !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, v)
		}
	}
}

func TestIndexMetricsWhenStatsFail(t *testing.T) {
	svc := searchtest.Service(t, os.DirFS("../search/testdata/behaviour/docs"))
	srv, err := web.New(svc, web.Options{Auth: adminAuth(t), IndexStats: func() (web.IndexStats, error) {
		return web.IndexStats{}, errors.New("index folder gone")
	}})
	if err != nil {
		t.Fatal(err)
	}
	body := scrapeAs(t, srv.Handler(), metricsAdmin)
	if _, ok := seriesValue(body, "handbook_index_size_bytes"); ok {
		t.Error("handbook_index_size_bytes is exported although the stats failed")
	}
	if _, ok := seriesValue(body, "handbook_index_documents"); !ok {
		t.Error("a failure of the index stats took the other metrics with it")
	}
}
