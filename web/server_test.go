package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"handbook/search"
	"handbook/search/searchtest"
	"handbook/web"
)

// newServer serves the search behaviour documents from a real on-disk index.
func newServer(t *testing.T) http.Handler {
	t.Helper()
	svc := searchtest.Service(t, os.DirFS("../search/testdata/behaviour/docs"))
	srv, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

func get(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func apiSearch(t *testing.T, h http.Handler, params url.Values) search.Result {
	t.Helper()
	rec := get(t, h, "/api/search?"+params.Encode())
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/search?%s = %d %s", params.Encode(), rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var res search.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	return res
}

func ids(r search.Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.DocID+"#"+h.SectionID)
	}
	return out
}

func TestAPISearchQueries(t *testing.T) {
	h := newServer(t)
	tests := []struct {
		name, q string
		want    []string // exactly these hits, in any order
	}{
		{"phrase", `"controlled delivery"`, []string{"port-controls#3-controlled-delivery", "wildlife#article-6-controlled-delivery"}},
		{"exclusion", "controlled delivery -cocaine", []string{"wildlife#article-6-controlled-delivery"}},
		{"or", "ivory OR cocaine", []string{"wildlife#article-5-permits", "port-controls#3-controlled-delivery"}},
		{"field filter", "org:FATF border", []string{"cash-couriers#1-cash-declarations"}},
		{"French stemming", `"contrôles douaniers"`, []string{"controles-douaniers#1-le-controle-douanier-des-conteneurs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := apiSearch(t, h, url.Values{"q": {tc.q}})
			got := ids(res)
			if int(res.Total) != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("q=%s: total %d hits %v, want %v", tc.q, res.Total, got, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(got, " "), w) {
					t.Errorf("q=%s: hits %v lack %s", tc.q, got, w)
				}
			}
		})
	}
}

func TestAPISearchHitFields(t *testing.T) {
	h := newServer(t)
	res := apiSearch(t, h, url.Values{"q": {"cocaine"}})
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %v", ids(res))
	}
	hit := res.Hits[0]
	if hit.DocID != "port-controls" || hit.SectionID != "3-controlled-delivery" || hit.Title != "Port Controls Handbook" ||
		hit.Section != "3 Controlled delivery" || hit.Number != "3" || hit.Page != 2 || hit.Lang != "en" ||
		strings.Join(hit.Org, ",") != "WCO" || hit.Type != "handbook" || hit.Year != 2020 ||
		hit.URL != "/docs/port-controls#3-controlled-delivery" || hit.Score <= 0 ||
		strings.Join(hit.Topics, ",") != "risk management,cooperation mechanisms" {
		t.Errorf("hit = %+v", hit)
	}
	if !strings.Contains(hit.Snippet, "<mark>cocaine</mark>") {
		t.Errorf("snippet %q does not mark the match", hit.Snippet)
	}
	// The JSON carries every field of the contract, by name.
	rec := get(t, h, "/api/search?q=cocaine")
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"total", "took_ms", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("response lacks %q", k)
		}
	}
	first := raw["hits"].([]any)[0].(map[string]any)
	for _, k := range []string{"doc_id", "section_id", "title", "section", "number", "page", "snippet", "score", "url", "lang", "org", "type", "topics", "year"} {
		if _, ok := first[k]; !ok {
			t.Errorf("hit lacks %q", k)
		}
	}
	facets := raw["facets"].(map[string]any)
	for _, k := range search.Facets {
		values, ok := facets[k].([]any)
		if !ok {
			t.Errorf("facets lack %q", k)
			continue
		}
		for _, v := range values {
			m := v.(map[string]any)
			if _, ok := m["value"]; !ok || m["count"] == nil || m["selected"] == nil {
				t.Errorf("facet %s value %v lacks value/count/selected", k, m)
			}
		}
	}
}

func TestFacetCountsMatchHitsAndFiltersNarrow(t *testing.T) {
	h := newServer(t)
	all := apiSearch(t, h, url.Values{"q": {"border OR operation OR delivery"}, "size": {"50"}})
	if all.Total < 5 {
		t.Fatalf("total %d: the test needs a broad result", all.Total)
	}
	// Every section has exactly one language and one type: their counts add
	// up to the total. The hits agree with the counts.
	for _, f := range []string{search.FacetLang, search.FacetType} {
		sum := 0
		for _, v := range all.Facets[f] {
			sum += v.Count
		}
		if uint64(sum) != all.Total {
			t.Errorf("facet %s counts add up to %d, total is %d", f, sum, all.Total)
		}
	}
	byLang := map[string]int{}
	for _, hit := range all.Hits {
		byLang[hit.Lang]++
	}
	for _, v := range all.Facets[search.FacetLang] {
		if byLang[v.Value] != v.Count {
			t.Errorf("lang %s: facet says %d, hits have %d", v.Value, v.Count, byLang[v.Value])
		}
	}
	// Selecting a value narrows the hits to exactly its count.
	for _, v := range all.Facets[search.FacetOrg] {
		narrowed := apiSearch(t, h, url.Values{"q": {"border OR operation OR delivery"}, "org": {v.Value}, "size": {"50"}})
		if int(narrowed.Total) != v.Count {
			t.Errorf("org=%s: %d hits, facet count was %d", v.Value, narrowed.Total, v.Count)
		}
		for _, hit := range narrowed.Hits {
			if !strings.Contains(strings.Join(hit.Org, "|"), v.Value) {
				t.Errorf("org=%s returned %s of %v", v.Value, hit.DocID, hit.Org)
			}
		}
		for _, fv := range narrowed.Facets[search.FacetOrg] {
			if fv.Value == v.Value && !fv.Selected {
				t.Errorf("org=%s not marked selected", v.Value)
			}
		}
		if narrowed.Total >= all.Total {
			t.Errorf("org=%s did not narrow: %d of %d", v.Value, narrowed.Total, all.Total)
		}
	}
}

func TestPaging(t *testing.T) {
	h := newServer(t)
	p1 := apiSearch(t, h, url.Values{"q": {"border OR operation OR delivery"}, "size": {"2"}})
	p2 := apiSearch(t, h, url.Values{"q": {"border OR operation OR delivery"}, "size": {"2"}, "page": {"2"}})
	if len(p1.Hits) != 2 || len(p2.Hits) != 2 || p1.Hits[0].URL == p2.Hits[0].URL || p1.Total != p2.Total {
		t.Errorf("page 1 %v, page 2 %v", ids(p1), ids(p2))
	}
	past := apiSearch(t, h, url.Values{"q": {"border OR operation OR delivery"}, "size": {"2"}, "page": {"40"}})
	if len(past.Hits) != 0 || past.Total != p1.Total {
		t.Errorf("page past the end: total %d, hits %v", past.Total, ids(past))
	}
	page := get(t, h, "/search?q=border+OR+operation&page=40&size=2")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "past the last result") {
		t.Errorf("HTML page past the end: %d", page.Code)
	}
}

func TestBadInputIs400WithAReason(t *testing.T) {
	h := newServer(t)
	tests := []struct{ target, want string }{
		{"/api/search?q=a&page=abc", "page must be a whole number"},
		{"/api/search?q=a&size=500", "size must be"},
		{"/api/search?q=a&page=400&size=50", "too deep"},
		{"/api/search?q=a&fuzzy=maybe", "fuzzy must be"},
		{"/api/search?q=a&year=recent", "not a year"},
		{"/api/search?q=" + strings.Repeat("x", 1200), "characters long"},
	}
	for _, tc := range tests {
		rec := get(t, h, tc.target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.want) || !strings.Contains(rec.Body.String(), `"request_id"`) {
			t.Errorf("GET %.60s = %d %s, want 400 with %q", tc.target, rec.Code, rec.Body, tc.want)
		}
	}
	page := get(t, h, "/search?q=%22controlled&size=500")
	if page.Code != http.StatusBadRequest || !strings.Contains(page.Body.String(), "size must be") ||
		!strings.Contains(page.Body.String(), `value="&#34;controlled"`) {
		t.Errorf("HTML bad query = %d, want 400 with the message and the query kept in the box", page.Code)
	}
}

// TestTextIsNeverRefused: what people type (questions, "file:line", an
// unclosed quotation mark) is searched, with a note where an operator could
// not apply; the page says so too.
func TestTextIsNeverRefused(t *testing.T) {
	h := newServer(t)
	for _, tc := range []struct{ q, note string }{
		{`"controlled delivery`, "quotation mark was not closed"},
		{"colour:red", "colour is not a field"},
		{"what is a controlled delivery?", ""},
		{"cocaine OR", "OR needs a term on each side"},
	} {
		rec := get(t, h, "/api/search?"+url.Values{"q": {tc.q}}.Encode())
		var res struct {
			Total int
			Notes []string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); rec.Code != http.StatusOK || err != nil {
			t.Errorf("q=%q = %d %s", tc.q, rec.Code, rec.Body)
			continue
		}
		if tc.note != "" && !strings.Contains(strings.Join(res.Notes, " "), tc.note) {
			t.Errorf("q=%q notes %q, want %q", tc.q, res.Notes, tc.note)
		}
		page := get(t, h, "/search?"+url.Values{"q": {tc.q}}.Encode())
		if page.Code != http.StatusOK || tc.note != "" && !strings.Contains(page.Body.String(), tc.note) {
			t.Errorf("page q=%q = %d, want 200 with the note %q", tc.q, page.Code, tc.note)
		}
	}
	rec := get(t, h, "/api/search?"+url.Values{"q": {"what is a controlled delivery?"}}.Encode())
	if !strings.Contains(rec.Body.String(), `"section_id":"3-controlled-delivery"`) {
		t.Errorf("the question does not find its section: %.300s", rec.Body)
	}
}

var rawScript = regexp.MustCompile(`(?i)<script>alert|<b>bold|<em>in`)

func TestMarkupComesBackEscaped(t *testing.T) {
	h := newServer(t)
	// In the query, echoed on the page and in the API.
	q := `"<script>alert(1)</script>" integrity`
	page := get(t, h, "/search?"+url.Values{"q": {q}}.Encode())
	if rawScript.MatchString(page.Body.String()) {
		t.Errorf("query markup not escaped in the page:\n%s", page.Body)
	}
	if !strings.Contains(page.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("query not shown escaped")
	}
	// In a document: title, heading and text.
	for _, target := range []string{"/search?q=integrity", "/docs/markup", "/"} {
		rec := get(t, h, target)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || rawScript.MatchString(body) {
			t.Errorf("GET %s: %d, raw markup from a document in the page", target, rec.Code)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("GET %s: document markup not shown escaped", target)
		}
	}
	res := apiSearch(t, h, url.Values{"q": {"integrity"}})
	if len(res.Hits) != 1 || strings.Contains(res.Hits[0].Snippet, "<script") || !strings.Contains(res.Hits[0].Snippet, "&lt;script&gt;") ||
		!strings.Contains(res.Hits[0].Snippet, "<mark>integrity</mark>") {
		t.Errorf("API snippet = %+v", res.Hits)
	}
	if res.Hits[0].Title != "Tags <b>bold</b> & <script>alert('title')</script>" {
		t.Errorf("JSON title should be the raw text (JSON escapes it): %q", res.Hits[0].Title)
	}
}

func TestDocumentPage(t *testing.T) {
	h := newServer(t)
	rec := get(t, h, "/docs/port-controls")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /docs/port-controls = %d", rec.Code)
	}
	for _, want := range []string{`id="1-joint-operations-at-ports"`, `id="2-container-selection"`, `id="3-controlled-delivery"`,
		`href="#3-controlled-delivery"`, "Port Controls Handbook", "p. 2", "WCO. Port Controls Handbook. 1st edition, 2020. English."} {
		if !strings.Contains(body, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	api := get(t, h, "/api/documents/port-controls")
	var v search.DocumentView
	if err := json.Unmarshal(api.Body.Bytes(), &v); err != nil || len(v.Sections) != 4 || v.Sections[3].ID != "3-controlled-delivery" || v.Document.Title != "Port Controls Handbook" {
		t.Errorf("GET /api/documents/port-controls = %d %+v (%v)", api.Code, v, err)
	}
}

func TestRestrictedLooksLikeMissing(t *testing.T) {
	h := newServer(t)
	reqID := regexp.MustCompile(`[A-Za-z0-9]{32}`)
	for _, prefix := range []string{"/docs/", "/api/documents/"} {
		hidden := get(t, h, prefix+"restricted")
		missing := get(t, h, prefix+"no-such-document")
		if hidden.Code != http.StatusNotFound || missing.Code != http.StatusNotFound {
			t.Errorf("%s: restricted %d, missing %d, want 404 both", prefix, hidden.Code, missing.Code)
		}
		norm := func(body, id string) string {
			return strings.ReplaceAll(reqID.ReplaceAllString(body, ""), prefix+id+"?", prefix+"ID?")
		}
		if norm(hidden.Body.String(), "restricted") != norm(missing.Body.String(), "no-such-document") {
			t.Errorf("%s: restricted and missing documents answer differently", prefix)
		}
	}
	home := get(t, h, "/").Body.String()
	if strings.Contains(home, "Informant") {
		t.Error("home page lists a restricted document")
	}
	res := apiSearch(t, h, url.Values{"q": {"codename OR informant OR BLUEHERON"}})
	if res.Total != 0 {
		t.Errorf("restricted text found: %v", ids(res))
	}
}

func TestServiceEndpointsAndHeaders(t *testing.T) {
	h := newServer(t)
	for _, target := range []string{"/healthz", "/readyz", "/", "/static/style.css"} {
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", target, rec.Code)
		}
	}
	rec := get(t, h, "/")
	for header, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
	} {
		if got := rec.Header().Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	for _, target := range []string{"/static", "/static/../go.mod", "/static/%2e%2e/server.go", "/nope"} {
		if rec := get(t, h, target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, rec.Code)
		}
	}
	head := httptest.NewRecorder()
	h.ServeHTTP(head, httptest.NewRequest(http.MethodHead, "/", nil))
	if head.Code != http.StatusOK {
		t.Errorf("HEAD / = %d", head.Code)
	}
	if rec := get(t, h, "/search"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /search without a query = %d, want a redirect home", rec.Code)
	}
}

func TestSearchPageFacetsAndChips(t *testing.T) {
	h := newServer(t)
	rec := get(t, h, "/search?q=operation&lang=fr")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{
		`aria-label="Remove filter Language: Français"`, // the chip removes the filter
		`href="/search?q=operation"`,                    // …by linking to the query without it
		"Opération conjointe",                           // the French hit
		`lang="fr"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	if strings.Contains(body, "Joint operations at ports") {
		t.Error("the English hit is shown although lang=fr is selected")
	}
}

func TestAPISuggestWithoutSuggester(t *testing.T) {
	h := newServer(t)
	rec := get(t, h, "/api/suggest?q=port")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"suggestions":[]}` {
		t.Errorf("GET /api/suggest = %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, h, "/api/suggest?q=port&n=500"); rec.Code != http.StatusBadRequest {
		t.Errorf("n=500: %d", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	h := newServer(t)
	get(t, h, "/api/search?q=port")
	get(t, h, "/api/search?q=bad&size=500")
	rec := get(t, h, "/metrics")
	body := rec.Body.String()
	for _, want := range []string{
		`handbook_http_request_duration_seconds_count{method="GET",route="/api/search",status="2xx"} 1`,
		`handbook_http_rejected_total{reason="bad_query"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// The index holds a restricted document: its counts would tell an
	// anonymous scraper so. An admin's scrape has them.
	if strings.Contains(body, "handbook_index_documents") {
		t.Error("an anonymous /metrics counts documents it may not see")
	}
	svc := searchtest.Service(t, os.DirFS("../search/testdata/behaviour/docs"))
	srv, err := web.New(svc, web.Options{Auth: adminAuth(t)})
	if err != nil {
		t.Fatal(err)
	}
	if body := scrapeAs(t, srv.Handler(), metricsAdmin); !strings.Contains(body, "handbook_index_documents 6") {
		t.Errorf("an admin's /metrics lacks handbook_index_documents 6")
	}
}
