package web_test

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
	"handbook/search/engine"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// userEnv is a server over a real index of docs and a real SQLite store,
// with token users: admin, ed (an editor, public), ann (public), spy
// (public and restricted).
type userEnv struct {
	t      *testing.T
	dbPath string
	store  *store.Store
	search *swappable
	srv    *web.Server
	h      http.Handler
	tokens map[string]string
}

// swappable is the index the server searches, replaced whole by a test as
// a re-index replaces it.
type swappable struct{ *engine.Service }

var userGrants = map[string]auth.Grant{
	"admin": {Roles: []string{"admin"}, Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}},
	"ed":    {Roles: []string{"editor"}, Levels: []string{"public"}},
	"ann":   {Roles: []string{"reader"}, Levels: []string{"public"}},
	"spy":   {Roles: []string{"reader"}, Levels: []string{"public", "restricted"}},
}

func authFor(t *testing.T, grants map[string]auth.Grant) (*auth.Authenticator, map[string]string) {
	t.Helper()
	cfg := auth.Config{}
	tokens := map[string]string{}
	for name, g := range grants {
		tokens[name] = "tok-" + name
		cfg.Users = append(cfg.Users, auth.User{Name: name, TokenSHA256: sha("tok-" + name), Roles: g.Roles, Levels: g.Levels})
	}
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, tokens
}

func writeDocs(t *testing.T, docs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newUserEnv(t *testing.T, docs map[string]string, opts web.Options) *userEnv {
	t.Helper()
	e := &userEnv{t: t, dbPath: filepath.Join(t.TempDir(), "user.db"), search: &swappable{searchtest.Service(t, os.DirFS(writeDocs(t, docs)))}}
	st, err := store.Open(e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.store = st
	e.start(userGrants, opts)
	return e
}

// start (re)builds the server over the same index and store.
func (e *userEnv) start(grants map[string]auth.Grant, opts web.Options) {
	e.t.Helper()
	opts.Auth, e.tokens = authFor(e.t, grants)
	if opts.Analytics == nil {
		opts.Analytics = e.store.Analytics(26 * 7 * 24 * time.Hour)
	}
	opts.Saved, opts.Audit, opts.BaseURL = e.store, e.store.Audit(), "https://hb.example"
	srv, err := web.New(e.search, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv, e.h = srv, srv.Handler()
}

// as sends a request as user ("" for anonymous) with a JSON body when body
// is set.
func (e *userEnv) as(user, method, target, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

var clickLink = regexp.MustCompile(`href="(/docs/[^"]*click=[^"]*)"`)

func TestAnalyticsThroughTheRouter(t *testing.T) {
	e := newUserEnv(t, map[string]string{"port.md": portDoc, "secret.md": secretDoc}, web.Options{})
	search := func(user, q string, n int) string {
		t.Helper()
		var body string
		for range n {
			rec := e.as(user, "GET", "/search?"+url.Values{"q": {q}}.Encode(), "")
			if rec.Code != 200 {
				t.Fatalf("search %q: %d", q, rec.Code)
			}
			body = rec.Body.String()
		}
		return body
	}
	page := search("ann", "Container  Selection", 3)
	search("spy", "container selection", 1)
	search("ann", "plate AB-123-CD", 2) // rare: never shown
	search("ann", "zzqxunfindable", 3)
	search("ann", `<script>alert(1)</script>`, 3)
	// Not counted: the JSON API, a second page, a search with filters only.
	for _, target := range []string{"/api/search?q=container+selection", "/search?q=container+selection&page=2", "/search?topic=risk+management"} {
		if rec := e.as("ann", "GET", target, ""); rec.Code != 200 {
			t.Fatalf("%s: %d", target, rec.Code)
		}
	}
	// One of the four container searches has a result opened, twice (a
	// reload): one opened search.
	m := clickLink.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no hit link with a click number on the results page")
	}
	link, _, _ := strings.Cut(html.UnescapeString(m[1]), "#") // a browser sends no fragment
	for range 2 {
		if rec := e.as("ann", "GET", link, ""); rec.Code != 200 {
			t.Fatalf("open %s: %d", link, rec.Code)
		}
	}
	if strings.Contains(page, "click=") && strings.Contains(search("ann", "zzqxunfindable", 1), "click=") {
		t.Errorf("a search that found nothing hands out click numbers")
	}

	for _, who := range []string{"", "ann", "spy"} {
		for _, target := range []string{"/admin/analytics", "/api/analytics", "/api/analytics?format=csv"} {
			if rec := e.as(who, "GET", target, ""); rec.Code != http.StatusForbidden {
				t.Errorf("%q GET %s: %d, want 403", who, target, rec.Code)
			}
		}
	}
	// Editors keep the library: they see what officers fail to find.
	for _, target := range []string{"/admin/analytics", "/api/analytics", "/api/analytics?format=csv"} {
		if rec := e.as("ed", "GET", target, ""); rec.Code != http.StatusOK {
			t.Errorf("editor GET %s: %d, want 200", target, rec.Code)
		}
	}
	r := decode[store.Report](t, e.as("admin", "GET", "/api/analytics", ""), 200)
	rows := map[string]store.QueryRow{}
	for _, row := range r.Top {
		rows[row.Query] = row
	}
	if got := rows["container selection"]; got.Searches != 4 || got.Unopened != 3 || got.ZeroResults != 0 {
		t.Errorf("container selection: %+v, want 4 searches, 3 of them unopened", got)
	}
	if got := rows["zzqxunfindable"]; got.Searches != 4 || got.ZeroResults != 4 {
		t.Errorf("zzqxunfindable: %+v", got)
	}
	if len(r.Zero) != 1 || r.Zero[0].Query != "zzqxunfindable" {
		t.Errorf("zero results %+v", r.Zero)
	}
	if !strings.Contains(strings.Join(queries(r.Unopened), ","), "container selection") {
		t.Errorf("unopened %+v", r.Unopened)
	}
	if r.MinCount != 3 || len(r.Weeks) != 1 || r.Weeks[0].Week != store.Week(time.Now()) || r.Weeks[0].Searches != 13 {
		t.Errorf("report %+v", r)
	}
	rec := e.as("admin", "GET", "/api/analytics?format=csv", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil || len(records) < 4 || strings.Join(records[0], ",") != "list,week,lang,query,searches,zero_results,unopened" {
		t.Fatalf("csv %v %v", records, err)
	}
	pg := e.as("admin", "GET", "/admin/analytics?ui=fr", "")
	if pg.Code != 200 || !strings.Contains(pg.Body.String(), "container selection") || !strings.Contains(pg.Body.String(), "<svg") {
		t.Fatalf("page: %d %s", pg.Code, pg.Body)
	}
	if strings.Contains(pg.Body.String(), "<script>alert") || !strings.Contains(pg.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("a query is not escaped on the page")
	}
	for _, body := range []string{pg.Body.String(), rec.Body.String(), e.as("admin", "GET", "/api/analytics", "").Body.String(),
		e.as("admin", "GET", "/admin/analytics?lang=en&week="+store.Week(time.Now()), "").Body.String()} {
		if strings.Contains(strings.ToLower(body), "ab-123") {
			t.Errorf("a query seen twice is shown")
		}
	}
	for _, target := range []string{"/api/analytics?week=soon", "/api/analytics?lang=xx", "/api/analytics?format=pdf"} {
		if rec := e.as("admin", "GET", target, ""); rec.Code != 400 {
			t.Errorf("%s: %d, want 400", target, rec.Code)
		}
	}

	// The store holds no identity: not the users, their tokens, the
	// address they came from, a request id, or a finer time than the week.
	db, err := sql.Open("sqlite", "file:"+e.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dump := dumpTable(t, db, "analytics_queries")
	if len(dump) != 4 {
		t.Errorf("%d rows, want 4 (container, zzqx…, the markup, the rare plate): %v", len(dump), dump)
	}
	for _, row := range dump {
		for _, secret := range []string{"ann", "spy", "tok-", "192.0.2", "example.com", fmt.Sprint(time.Now().Year()) + "-" + time.Now().Format("01-02")} {
			if strings.Contains(row, secret) {
				t.Errorf("analytics row %q holds %q", row, secret)
			}
		}
	}
}

func dumpTable(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

// TestAnalyticsMinimumCountFlag: a server asked for a smaller minimum still
// shows nothing below 3; a larger one hides what is below it.
func TestAnalyticsMinimumCountFlag(t *testing.T) {
	e := newUserEnv(t, map[string]string{"port.md": portDoc}, web.Options{AnalyticsMinCount: 1})
	for q, n := range map[string]int{"container": 2, "port": 3, "delivery": 5} {
		for range n {
			e.as("ann", "GET", "/search?q="+q, "")
		}
	}
	top := func() []string {
		r := decode[store.Report](t, e.as("admin", "GET", "/api/analytics", ""), 200)
		return queries(r.Top)
	}
	if got := strings.Join(top(), ","); got != "delivery,port" {
		t.Errorf("min count 1 (raised to 3): %s", got)
	}
	e.start(userGrants, web.Options{AnalyticsMinCount: 4})
	if got := strings.Join(top(), ","); got != "delivery" {
		t.Errorf("min count 4: %s", got)
	}
}

func queries(rows []store.QueryRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Query)
	}
	return out
}
