package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// Documents of each handling level, each with a word found nowhere else.
var levelDocs = map[string]struct{ level, word, org, topic string }{
	"open":    {"public", "zephyrword", "WCO", "integrity"},
	"members": {"members-only", "quokkaword", "MemberOrg", "excise and tobacco"},
	"les":     {"law-enforcement-sensitive", "ibexword", "LESOrg", "drugs and precursors"},
	"secret":  {"restricted", "blueheronword", "SecretOrg", "cultural heritage"},
}

type principal struct {
	name   string
	token  string // "" for anonymous
	levels []string
	roles  []string
}

var principals = []principal{
	{"anonymous", "", []string{"public"}, []string{"reader"}},
	{"reader", "tok-reader", []string{"public"}, []string{"reader"}},
	{"member", "tok-member", []string{"public", "members-only"}, []string{"reader"}},
	{"trainer", "tok-trainer", []string{"public", "members-only", "law-enforcement-sensitive"}, []string{"reader", "trainer"}},
	{"admin", "tok-admin", []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}, []string{"admin"}},
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

type secEnv struct {
	h     http.Handler
	audit *store.Audit
}

func newSecEnv(t *testing.T, rate float64, burst int) *secEnv {
	t.Helper()
	docs := t.TempDir()
	for id, d := range levelDocs {
		// The public manual links to two documents above public, which
		// only those who may see them may learn of.
		links := ""
		if id == "open" {
			links = "superseded_by: secret\ntranslation_of: les\n"
		}
		text := fmt.Sprintf("---\ntitle: %s manual %s\norg: [%s]\ntopics: [%s]\nlang: en\nyear: 2020\nlevel: %s\n%s---\n## 1 Procedure\nThe %s procedure covers joint checks at the border.\n\n## 2 Annex\nMore on joint checks.\n",
			id, d.word, d.org, d.topic, d.level, links, d.word)
		if err := os.WriteFile(filepath.Join(docs, id+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := auth.Config{
		Users: []auth.User{},
		Proxy: &auth.Proxy{UserHeader: "X-Forwarded-User", GroupsHeader: "X-Forwarded-Groups", Trusted: []string{"192.0.2.1"},
			Groups: map[string]auth.Grant{"investigators": {Roles: []string{"reader", "trainer"}, Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}}}},
	}
	for _, p := range principals[1:] {
		cfg.Users = append(cfg.Users, auth.User{Name: p.name, TokenSHA256: sha(p.token), Roles: p.roles, Levels: p.levels})
	}
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "user.db")
	users, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { users.Close() })
	audit := users.Audit()
	svc, idx := searchtest.Open(t, os.DirFS(docs))
	sug, err := engine.NewSuggester(context.Background(), idx, engine.DefaultGlossary())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, web.Options{Auth: a, Audit: audit, Packs: users, Rate: rate, Burst: burst, Suggest: sug, Originals: os.DirFS(docs)})
	if err != nil {
		t.Fatal(err)
	}
	return &secEnv{h: srv.Handler(), audit: audit}
}

func (e *secEnv) as(p principal, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

var requestIDs = regexp.MustCompile(`[A-Za-z0-9]{32}`)

// TestNothingLeaks is the matrix: every principal × every handling level ×
// every path that shows documents. A document above the principal's levels
// must leave no trace: no hit, no title, no count, no facet value, no
// difference from a document that does not exist.
func TestNothingLeaks(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	for _, p := range principals {
		for id, d := range levelDocs {
			allowed := false
			for _, l := range p.levels {
				allowed = allowed || l == d.level
			}
			t.Run(p.name+"/"+d.level, func(t *testing.T) {
				visible := func(path, body string) {
					t.Helper()
					leaked := strings.Contains(body, d.word) || strings.Contains(body, id+" manual") || strings.Contains(body, d.org) || strings.Contains(body, `"`+id+`"`)
					if leaked != allowed {
						t.Errorf("%s: shown=%v, entitled=%v", path, leaked, allowed)
					}
				}
				// Search: hits, totals and snippets.
				rec := e.as(p, "GET", "/api/search?q="+d.word, "")
				var res struct{ Total int }
				_ = json.Unmarshal(rec.Body.Bytes(), &res)
				if (res.Total > 0) != allowed {
					t.Errorf("search %s: total %d, entitled %v", d.word, res.Total, allowed)
				}
				// What the results show (the query itself is echoed, so look at a
				// query every document matches).
				visible("api search", e.as(p, "GET", "/api/search?q=procedure&size=50", "").Body.String())
				visible("search page", e.as(p, "GET", "/search?q=procedure&size=50", "").Body.String())
				// Facets over everything: the organization and topic of a
				// hidden document are not listed, and counts add up to what
				// may be seen.
				all := e.as(p, "GET", "/api/search?q=joint+checks&size=50", "").Body.String()
				visible("facets", all)
				if strings.Contains(all, d.topic) != (allowed || d.topic == levelDocs["open"].topic) {
					t.Errorf("facets: topic %q shown=%v, entitled %v", d.topic, !allowed, allowed)
				}
				// Suggestions: the title of a hidden document, or its headings'
				// words, are never offered.
				visible("suggest", e.as(p, "GET", "/api/suggest?q="+d.word[:5]+"&n=20", "").Body.String())
				visible("suggest by title", e.as(p, "GET", "/api/suggest?q="+id+"+man&n=20", "").Body.String())
				// Did-you-mean and corrections never offer a word of a hidden
				// document; related sections never point into one.
				notShown := func(path, body string) {
					t.Helper()
					if !allowed && (strings.Contains(body, d.word) || strings.Contains(body, `"`+id+`"`) || strings.Contains(body, d.org)) {
						t.Errorf("%s: shows the hidden document", path)
					}
				}
				typo := d.word[:len(d.word)-3] + d.word[len(d.word)-2:]
				notShown("did you mean", e.as(p, "GET", "/api/search?q="+typo, "").Body.String())
				notShown("did you mean page", e.as(p, "GET", "/search?q="+typo, "").Body.String())
				notShown("related", e.as(p, "GET", "/api/documents/open/sections/1-procedure/related?n=20", "").Body.String())
				if !allowed {
					hiddenRel := e.as(p, "GET", "/api/documents/"+id+"/sections/1-procedure/related", "")
					missingRel := e.as(p, "GET", "/api/documents/"+id+"x/sections/1-procedure/related", "")
					if hiddenRel.Code != http.StatusNotFound || missingRel.Code != http.StatusNotFound {
						t.Errorf("related of a hidden section: %d, of a missing one: %d", hiddenRel.Code, missingRel.Code)
					}
				}
				// A selected facet value that no visible hit has is echoed
				// as typed, never in the spelling of a hidden document's.
				notShown("facet echo", e.as(p, "GET", "/api/search?q=joint+checks&org="+strings.ToLower(d.org), "").Body.String())
				notShown("facet echo page", e.as(p, "GET", "/search?q=joint+checks&org="+strings.ToLower(d.org), "").Body.String())
				// The public manual's links to later or other editions name
				// only documents the caller may see.
				if id == "secret" || id == "les" {
					linked := e.as(p, "GET", "/api/documents/open", "").Body.String()
					if strings.Contains(linked, `"`+id+`"`) != allowed {
						t.Errorf("document links: %s named=%v, entitled %v: %s", id, !allowed, allowed, linked)
					}
					notShown("document page links", e.as(p, "GET", "/docs/open", "").Body.String())
					notShown("catalog links", e.as(p, "GET", "/", "").Body.String())
				}
				// Metrics: the index's counts are shown only to a caller who
				// may see every document.
				metrics := e.as(p, "GET", "/metrics", "").Body.String()
				if strings.Contains(metrics, "handbook_index_documents") != (p.name == "admin") {
					t.Errorf("metrics: index counts shown to %s: %v", p.name, strings.Contains(metrics, "handbook_index_documents"))
				}
				// The original file: a hidden document's is the same 404 as a
				// missing one's.
				if orig := e.as(p, "GET", "/docs/"+id+"/original", ""); (orig.Code == http.StatusOK) != allowed {
					t.Errorf("original of %s = %d, entitled %v", id, orig.Code, allowed)
				}
				// The start page's catalog.
				visible("home", e.as(p, "GET", "/", "").Body.String())
				// Document page and API: a hidden document answers exactly as a
				// missing one does.
				for _, prefix := range []string{"/docs/", "/api/documents/"} {
					doc := e.as(p, "GET", prefix+id, "")
					if allowed {
						if doc.Code != http.StatusOK {
							t.Errorf("%s%s = %d", prefix, id, doc.Code)
						}
						continue
					}
					missing := e.as(p, "GET", prefix+id+"x", "")
					norm := func(body, id string) string {
						return strings.ReplaceAll(requestIDs.ReplaceAllString(body, ""), prefix+id+"?", prefix+"ID?")
					}
					if doc.Code != http.StatusNotFound || norm(doc.Body.String(), id) != norm(missing.Body.String(), id+"x") {
						t.Errorf("%s%s = %d, differs from a missing document", prefix, id, doc.Code)
					}
				}
				// Exports of search results.
				visible("csv export", e.as(p, "GET", "/api/search/export?format=csv&q=joint+checks", "").Body.String())
				visible("json export", e.as(p, "GET", "/api/search/export?format=json&q=joint+checks", "").Body.String())
				// Course packs: adding a hidden section is the same 404 as a
				// missing one; trainers only.
				created := e.as(p, "POST", "/api/packs", `{"title":"Matrix"}`)
				canTrain := false
				for _, r := range p.roles {
					canTrain = canTrain || r == "trainer" || r == "admin"
				}
				if p.name == "anonymous" {
					canTrain = false
				}
				if !canTrain {
					if created.Code != http.StatusForbidden {
						t.Errorf("POST /api/packs without the trainer role = %d", created.Code)
					}
					return
				}
				var pk store.Pack
				_ = json.Unmarshal(created.Body.Bytes(), &pk)
				add := e.as(p, "POST", "/api/packs/"+pk.ID+"/items", `{"doc_id":"`+id+`","section_id":"1-procedure"}`)
				if allowed != (add.Code == http.StatusCreated) {
					t.Errorf("add %s to a pack = %d, entitled %v", id, add.Code, allowed)
				}
				if !allowed {
					miss := e.as(p, "POST", "/api/packs/"+pk.ID+"/items", `{"doc_id":"no-such-doc","section_id":"1-procedure"}`)
					if add.Code != miss.Code || requestIDs.ReplaceAllString(add.Body.String(), "") != requestIDs.ReplaceAllString(miss.Body.String(), "") {
						t.Errorf("adding a hidden section answers differently from a missing one")
					}
				}
				for _, f := range []string{"md", "html"} {
					visible("pack export "+f, e.as(p, "GET", "/api/packs/"+pk.ID+"/export?format="+f, "").Body.String())
				}
			})
		}
	}
}

func TestAuthentication(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	// A wrong token is a 401, never anonymous access.
	for _, h := range []string{"Bearer wrong", "Bearer ", "Basic abc", "tok-admin"} {
		req := httptest.NewRequest("GET", "/api/search?q=joint", nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q = %d", h, rec.Code)
		}
	}
	// Sign in through the page: CSRF token and cookie, then a session cookie
	// that is HttpOnly and SameSite.
	form := e.as(principals[0], "GET", "/signin", "")
	m := csrfField.FindStringSubmatch(form.Body.String())
	if m == nil {
		t.Fatal("sign-in form has no CSRF token")
	}
	post := func(token string, cookies []*http.Cookie) *httptest.ResponseRecorder {
		v := url.Values{"token": {token}, "_csrf": {m[1]}, "next": {"/packs"}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	if bad := post("nope", form.Result().Cookies()); bad.Code != http.StatusUnauthorized || !strings.Contains(bad.Body.String(), "not valid") {
		t.Errorf("bad sign-in = %d", bad.Code)
	}
	ok := post("tok-trainer", form.Result().Cookies())
	var session *http.Cookie
	for _, c := range ok.Result().Cookies() {
		if c.Name == auth.SessionCookie {
			session = c
		}
	}
	if ok.Code != http.StatusSeeOther || ok.Header().Get("Location") != "/packs" || session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("sign-in = %d %v", ok.Code, session)
	}
	get := func(c *http.Cookie, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", target, nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec
	}
	if body := get(session, "/api/search?q=ibexword").Body.String(); !strings.Contains(body, `"total":2`) {
		t.Errorf("the session does not carry the trainer's levels: %s", body)
	}
	// A forged cookie is dropped: the caller is anonymous again.
	forged := *session
	forged.Value = strings.Replace(session.Value, ".", ".x", 1)
	if body := get(&forged, "/api/search?q=ibexword").Body.String(); !strings.Contains(body, `"total":0`) {
		t.Errorf("a forged session was honoured: %s", body)
	}
}

func TestTrustedProxyHeaders(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	search := func(remote string) string {
		req := httptest.NewRequest("GET", "/api/search?q=blueheronword", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-User", "ines")
		req.Header.Set("X-Forwarded-Groups", "staff, investigators")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	if body := search("192.0.2.1:5555"); !strings.Contains(body, `"total":2`) {
		t.Errorf("headers from the trusted proxy not honoured: %s", body)
	}
	if body := search("198.51.100.7:5555"); !strings.Contains(body, `"total":0`) {
		t.Errorf("headers from an untrusted address were honoured: %s", body)
	}
}

func TestAuditLog(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	trainer, admin, reader := principals[3], principals[4], principals[1]
	e.as(trainer, "GET", "/docs/les", "")
	e.as(trainer, "GET", "/docs/open", "") // public: not audited
	e.as(admin, "GET", "/api/search/export?format=csv&q=blueheronword", "")
	if rec := e.as(reader, "GET", "/api/audit", ""); rec.Code != http.StatusForbidden {
		t.Errorf("a reader reads the audit log: %d", rec.Code)
	}
	rec := e.as(admin, "GET", "/api/audit", "")
	var got struct{ Entries []store.Entry }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("audit: %d %v", rec.Code, err)
	}
	if len(got.Entries) != 3 {
		t.Fatalf("audit entries %+v", got.Entries)
	}
	want := []string{"admin export secret", "admin export secret", "trainer read les"}
	for i, en := range got.Entries {
		if s := en.User + " " + en.Action + " " + en.DocID; s != want[i] {
			t.Errorf("entry %d = %s, want %s", i, s, want[i])
		}
	}
	csv := e.as(admin, "GET", "/api/audit?format=csv", "").Body.String()
	if !strings.HasPrefix(csv, "id,time,user") || strings.Count(csv, "\n") != 4 {
		t.Errorf("csv:\n%s", csv)
	}
	if page := e.as(admin, "GET", "/admin/audit", ""); page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "law-enforcement-sensitive") {
		t.Errorf("audit page %d", page.Code)
	}
}

// TestPackReadsAreAudited: the cited copy of a restricted section is its
// text, so reading a pack that holds one (its JSON, its page) is audited as a
// read, and exporting it as an export, like the document itself.
func TestPackReadsAreAudited(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	trainer, admin := principals[3], principals[4]
	created := e.as(trainer, "POST", "/api/packs", `{"title":"Briefing"}`)
	var pk store.Pack
	if err := json.Unmarshal(created.Body.Bytes(), &pk); err != nil || created.Code != http.StatusCreated {
		t.Fatalf("create pack: %d %s", created.Code, created.Body)
	}
	for _, id := range []string{"les", "open"} {
		if add := e.as(trainer, "POST", "/api/packs/"+pk.ID+"/items", `{"doc_id":"`+id+`","section_id":"1-procedure"}`); add.Code != http.StatusCreated {
			t.Fatalf("add %s: %d %s", id, add.Code, add.Body)
		}
	}
	entries := func() []string {
		t.Helper()
		rec := e.as(admin, "GET", "/api/audit", "")
		var got struct{ Entries []store.Entry }
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, en := range got.Entries {
			out = append(out, en.User+" "+en.Action+" "+en.DocID+"#"+en.SectionID)
		}
		return out
	}
	before := len(entries())
	for _, tc := range []struct{ target, want string }{
		{"/api/packs/" + pk.ID, "trainer read les#1-procedure"},
		{"/packs/" + pk.ID, "trainer read les#1-procedure"},
		{"/api/packs/" + pk.ID + "/export?format=md", "trainer export les#1-procedure"},
	} {
		if rec := e.as(trainer, "GET", tc.target, ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "ibexword") {
			t.Fatalf("GET %s = %d, without the restricted text", tc.target, rec.Code)
		}
		got := entries()
		if len(got) != before+1 || got[0] != tc.want {
			t.Errorf("GET %s: audit log %q, want one new entry %q (the public item is not audited)", tc.target, got, tc.want)
		}
		before = len(got)
	}
}

func TestRateLimitKeepsOthersServed(t *testing.T) {
	e := newSecEnv(t, 1, 3)
	req := func(remote string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/search?q=joint", nil)
		r.RemoteAddr = remote
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		return rec
	}
	codes := ""
	var limited *httptest.ResponseRecorder
	for range 6 {
		rec := req("203.0.113.9:1000")
		codes += fmt.Sprint(rec.Code, " ")
		if rec.Code == http.StatusTooManyRequests {
			limited = rec
		}
	}
	if limited == nil || limited.Header().Get("Retry-After") == "" || !strings.HasPrefix(codes, "200 200 200 429") {
		t.Errorf("codes %s", codes)
	}
	if rec := req("203.0.113.10:1000"); rec.Code != http.StatusOK {
		t.Errorf("another client = %d while the first is limited", rec.Code)
	}
	if rec := req("203.0.113.9:1000"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("limited client served again at once: %d", rec.Code)
	}
	// A user on this machine (a script asking 60 questions in a row) is
	// not limited.
	for i := range 60 {
		if rec := req("127.0.0.1:1000"); rec.Code != http.StatusOK {
			t.Fatalf("request %d from loopback = %d", i+1, rec.Code)
		}
	}
	if rec := req("[::1]:1000"); rec.Code != http.StatusOK {
		t.Errorf("IPv6 loopback = %d", rec.Code)
	}
	r := httptest.NewRequest("GET", "/healthz", nil)
	r.RemoteAddr = "203.0.113.9:1000"
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Errorf("health checks are rate limited: %d", rec.Code)
	}
}

// TestPathologicalQueries sends what would make Bleve work for seconds: each
// is refused with a 400 that says why, or read harmlessly (deep parentheses
// as one group, a lone prefix letter as a word, with a note), well inside
// the request deadline.
func TestPathologicalQueries(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	tests := []struct{ q, want string }{
		{strings.Repeat("w ", 10000), "longer than"},
		{strings.Repeat("w ", 400), "the limit is 32"},
		{strings.Repeat("x", 1001), "characters long"},
		{strings.TrimSpace(strings.Repeat("ab ", 40)), "the limit is 32"},
		{strings.Repeat("(", 50) + "a" + strings.Repeat(")", 50), ""},
		{strings.Repeat("(", 300) + "a", ""},
		{"a*", ""},
		{"*", ""},
		{"/.*/", ""},
	}
	for _, tc := range tests {
		start := time.Now()
		rec := e.as(principals[0], "GET", "/api/search?"+url.Values{"q": {tc.q}}.Encode(), "")
		took := time.Since(start)
		if tc.want == "" {
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Errorf("q=%.30s: %d", tc.q, rec.Code)
			}
		} else if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("q=%.30s… = %d %s, want 400 %q", tc.q, rec.Code, rec.Body, tc.want)
		}
		if took > 5*time.Second {
			t.Errorf("q=%.30s… took %v", tc.q, took)
		}
	}
}
