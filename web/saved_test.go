package web_test

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

const checkpointPublic = `---
title: Border Checkpoint Guide
lang: en
---
## 4 Checkpoint layout
Every checkpoint has a primary and a secondary lane.
`

const checkpointSecret = `---
title: Covert Checkpoint Annex
lang: en
level: restricted
---
## 9 Hidden checkpoint teams
The checkpoint surveillance team works unseen.
`

// atom is what RFC 4287 requires of a feed and its entries, read with the
// Atom namespace: a document without it has no feed element here.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      []string `xml:"http://www.w3.org/2005/Atom id"`
	Title   []string `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string `xml:"http://www.w3.org/2005/Atom updated"`
	Author  []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		ID      []string `xml:"http://www.w3.org/2005/Atom id"`
		Title   []string `xml:"http://www.w3.org/2005/Atom title"`
		Updated []string `xml:"http://www.w3.org/2005/Atom updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

// parseAtom parses a feed and checks it against RFC 4287: exactly one id
// (an absolute IRI), title and updated (RFC 3339) on the feed and on each
// entry, an author on the feed, each entry's alternate link absolute, no two
// entries with one id, and a self link.
func parseAtom(t *testing.T, body []byte) atom {
	t.Helper()
	var f atom
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("not an Atom feed: %v\n%s", err, body)
	}
	one := func(what string, v []string, iri bool) {
		t.Helper()
		if len(v) != 1 || strings.TrimSpace(v[0]) == "" {
			t.Errorf("%s: %q, want exactly one", what, v)
			return
		}
		if iri {
			if u, err := url.Parse(v[0]); err != nil || !u.IsAbs() {
				t.Errorf("%s %q is not an absolute IRI", what, v[0])
			}
		}
	}
	stamp := func(what string, v []string) {
		t.Helper()
		one(what, v, false)
		if len(v) == 1 {
			if _, err := time.Parse(time.RFC3339, v[0]); err != nil {
				t.Errorf("%s %q is not RFC 3339", what, v[0])
			}
		}
	}
	one("feed id", f.ID, true)
	one("feed title", f.Title, false)
	stamp("feed updated", f.Updated)
	if len(f.Author) != 1 || f.Author[0].Name == "" {
		t.Errorf("feed author %+v", f.Author)
	}
	self := false
	for _, l := range f.Links {
		self = self || l.Rel == "self" && strings.HasPrefix(l.Href, "https://")
	}
	if !self {
		t.Errorf("no self link: %+v", f.Links)
	}
	ids := map[string]bool{}
	for i, e := range f.Entries {
		one("entry id", e.ID, true)
		one("entry title", e.Title, false)
		stamp("entry updated", e.Updated)
		if len(e.ID) == 1 {
			if ids[e.ID[0]] {
				t.Errorf("entry %d repeats id %s", i, e.ID[0])
			}
			ids[e.ID[0]] = true
		}
		alt := false
		for _, l := range e.Links {
			alt = alt || (l.Rel == "" || l.Rel == "alternate") && strings.HasPrefix(l.Href, "https://hb.example/docs/")
		}
		if !alt {
			t.Errorf("entry %d has no alternate link to a document: %+v", i, e.Links)
		}
	}
	return f
}

func entryTitles(f atom) string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, strings.Join(e.Title, ""))
	}
	return strings.Join(out, "; ")
}

type savedJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Params  string `json:"params"`
	New     int    `json:"new"`
	FeedURL string `json:"feed_url"`
	News    []struct {
		DocID   string `json:"doc_id"`
		Title   string `json:"title"`
		Section string `json:"section"`
		URL     string `json:"url"`
	} `json:"news"`
}

func TestSavedSearchesSayWhatIsNew(t *testing.T) {
	e := newUserEnv(t, map[string]string{"port.md": portDoc}, web.Options{})
	// Anonymous callers cannot save; a body without a query is refused.
	if rec := e.as("", "POST", "/api/saved-searches", `{"name":"x","params":"q=checkpoint"}`); rec.Code != http.StatusForbidden {
		t.Errorf("anonymous save: %d", rec.Code)
	}
	for _, body := range []string{`{"name":"x","params":""}`, `{"name":"x","params":"page=2"}`, `{"params":"q=a","extra":1}`, `{"name":"` + strings.Repeat("n", 300) + `","params":"q=a"}`} {
		if rec := e.as("ann", "POST", "/api/saved-searches", body); rec.Code != http.StatusBadRequest {
			t.Errorf("save %.40s: %d, want 400: %s", body, rec.Code, rec.Body)
		}
	}
	ann := decode[savedJSON](t, e.as("ann", "POST", "/api/saved-searches", `{"name":"Checkpoints","params":"q=checkpoint&lang=en"}`), http.StatusCreated)
	spy := decode[savedJSON](t, e.as("spy", "POST", "/api/saved-searches", `{"name":"Checkpoints","params":"?q=checkpoint"}`), http.StatusCreated)
	if ann.Params != "lang=en&q=checkpoint" || ann.New != 0 || !strings.HasPrefix(ann.FeedURL, "https://hb.example/feeds/") || !strings.HasSuffix(ann.FeedURL, ".atom") {
		t.Fatalf("ann's saved search %+v", ann)
	}
	feedPath := func(u string) string { return strings.TrimPrefix(u, "https://hb.example") }

	// A re-index adds a public and a restricted document that match.
	e.search.Service = searchtest.Service(t, os.DirFS(writeDocs(t, map[string]string{"port.md": portDoc, "cp.md": checkpointPublic, "cps.md": checkpointSecret})))
	n, err := e.srv.IndexSwapped(t.Context(), e.search, "idx2")
	if err != nil || n != 3 {
		t.Fatalf("IndexSwapped: %d new, %v; want 1 for ann and 2 for the spy", n, err)
	}
	if n, _ := e.srv.IndexSwapped(t.Context(), e.search, "idx2"); n != 0 {
		t.Errorf("the same index again: %d new", n)
	}
	list := decode[struct {
		Saved []savedJSON `json:"saved_searches"`
	}](t, e.as("ann", "GET", "/api/saved-searches", ""), 200)
	if len(list.Saved) != 1 || list.Saved[0].New != 1 || len(list.Saved[0].News) != 1 || list.Saved[0].News[0].Title != "Border Checkpoint Guide" || list.Saved[0].News[0].URL != "/docs/cp#4-checkpoint-layout" {
		t.Fatalf("ann's list %+v", list)
	}
	spyList := decode[struct {
		Saved []savedJSON `json:"saved_searches"`
	}](t, e.as("spy", "GET", "/api/saved-searches", ""), 200)
	if len(spyList.Saved) != 1 || spyList.Saved[0].New != 2 {
		t.Fatalf("spy's list %+v", spyList)
	}

	// The feed: no session, the token only; the owner's levels, whoever
	// reads it.
	for _, reader := range []string{"", "spy", "admin"} {
		rec := e.as(reader, "GET", feedPath(ann.FeedURL), "")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%q reads ann's feed: %d %s", reader, rec.Code, rec.Header().Get("Content-Type"))
		}
		f := parseAtom(t, rec.Body.Bytes())
		if got := entryTitles(f); got != "4 Checkpoint layout" || strings.Contains(rec.Body.String(), "Covert") || strings.Contains(rec.Body.String(), "hidden-checkpoint") {
			t.Errorf("%q reads ann's feed: %q\n%s", reader, got, rec.Body)
		}
	}
	f := parseAtom(t, e.as("", "GET", feedPath(spy.FeedURL), "").Body.Bytes())
	if got := entryTitles(f); !strings.Contains(got, "9 Hidden checkpoint teams") || !strings.Contains(got, "4 Checkpoint layout") {
		t.Errorf("spy's feed, read anonymously: %q", got)
	}
	// The spy loses the restricted level: at once, their feed no longer
	// lists the restricted section (levels are the owner's at feed time).
	grants := map[string]auth.Grant{}
	for k, v := range userGrants {
		grants[k] = v
	}
	grants["spy"] = auth.Grant{Roles: []string{"reader"}, Levels: []string{"public"}}
	e.start(grants, web.Options{})
	rec := e.as("admin", "GET", feedPath(spy.FeedURL), "")
	if got := entryTitles(parseAtom(t, rec.Body.Bytes())); got != "4 Checkpoint layout" || strings.Contains(rec.Body.String(), "Covert") {
		t.Errorf("spy's feed after losing the level: %q", got)
	}
	e.start(userGrants, web.Options{})

	// Tokens: wrong, replaced and revoked ones are 404s.
	for _, target := range []string{"/feeds/nope.atom", "/feeds/" + strings.Repeat("a", 500) + ".atom", strings.TrimSuffix(feedPath(ann.FeedURL), ".atom")} {
		if rec := e.as("", "GET", target, ""); rec.Code != http.StatusNotFound {
			t.Errorf("%.60s: %d", target, rec.Code)
		}
	}
	fresh := decode[map[string]string](t, e.as("ann", "POST", "/api/saved-searches/"+ann.ID+"/feed", ""), 200)["feed_url"]
	if rec := e.as("", "GET", feedPath(ann.FeedURL), ""); rec.Code != http.StatusNotFound {
		t.Errorf("the replaced token: %d", rec.Code)
	}
	if rec := e.as("", "GET", feedPath(fresh), ""); rec.Code != 200 {
		t.Errorf("the new token: %d", rec.Code)
	}
	if rec := e.as("spy", "POST", "/api/saved-searches/"+ann.ID+"/feed", ""); rec.Code != http.StatusNotFound {
		t.Errorf("spy makes a token for ann's search: %d", rec.Code)
	}
	if rec := e.as("ann", "DELETE", "/api/saved-searches/"+ann.ID+"/feed", ""); rec.Code != http.StatusNoContent {
		t.Errorf("revoke: %d", rec.Code)
	}
	if rec := e.as("", "GET", feedPath(fresh), ""); rec.Code != http.StatusNotFound {
		t.Errorf("the revoked token: %d", rec.Code)
	}
	// Only the owner deletes; then the feed is gone too.
	if rec := e.as("spy", "DELETE", "/api/saved-searches/"+ann.ID, ""); rec.Code != http.StatusNotFound {
		t.Errorf("spy deletes ann's: %d", rec.Code)
	}
	if rec := e.as("spy", "DELETE", "/api/saved-searches/"+spy.ID, ""); rec.Code != http.StatusNoContent {
		t.Errorf("spy deletes theirs: %d", rec.Code)
	}
	if rec := e.as("", "GET", feedPath(spy.FeedURL), ""); rec.Code != http.StatusNotFound {
		t.Errorf("the deleted search's feed: %d", rec.Code)
	}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestSaveSearchFromTheResultsPage goes through the forms, without
// JavaScript: save from the results page, see "1 new" after a re-index
// (in English and French), mark it seen, get a feed address once.
func TestSaveSearchFromTheResultsPage(t *testing.T) {
	e := newUserEnv(t, map[string]string{"port.md": portDoc}, web.Options{})
	cookies := map[string]*http.Cookie{}
	send := func(method, target string, form url.Values) *httptest.ResponseRecorder {
		t.Helper()
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["ann"])
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			cookies[c.Name] = c
		}
		return rec
	}
	res := send("GET", "/search?q=checkpoint&topic=risk+management", nil).Body.String()
	if !strings.Contains(res, `action="/saved-searches"`) {
		t.Fatalf("no save form on the results page")
	}
	form := url.Values{"_csrf": {csrfInput.FindStringSubmatch(res)[1]}, "name": {"Checkpoints <b>"}, "q": {"checkpoint"}}
	if rec := send("POST", "/saved-searches", form); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/saved-searches#saved-") {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	e.search.Service = searchtest.Service(t, os.DirFS(writeDocs(t, map[string]string{"port.md": portDoc, "cp.md": checkpointPublic, "cps.md": checkpointSecret})))
	if _, err := e.srv.IndexSwapped(t.Context(), e.search, "idx2"); err != nil {
		t.Fatal(err)
	}
	page := send("GET", "/saved-searches", nil).Body.String()
	if !strings.Contains(page, "1 new") || !strings.Contains(page, "Checkpoints &lt;b&gt;") || !strings.Contains(page, "4 Checkpoint layout") || strings.Contains(page, "Covert") {
		t.Errorf("the page: %s", page)
	}
	if fr := send("GET", "/saved-searches?ui=fr", nil).Body.String(); !strings.Contains(fr, "1 nouvelle") {
		t.Errorf("the French page has no count")
	}
	send("GET", "/saved-searches?ui=en", nil)
	id := regexp.MustCompile(`action="/saved-searches/([a-z0-9]+)/seen"`).FindStringSubmatch(page)[1]
	tok := csrfInput.FindStringSubmatch(page)[1]
	made := send("POST", "/saved-searches/"+id+"/feed", url.Values{"_csrf": {tok}})
	feed := regexp.MustCompile(`value="https://hb.example(/feeds/[^"]+\.atom)"`).FindStringSubmatch(made.Body.String())
	if made.Code != 200 || feed == nil {
		t.Fatalf("feed address: %d", made.Code)
	}
	if rec := e.as("", "GET", feed[1], ""); rec.Code != 200 {
		t.Errorf("the feed: %d", rec.Code)
	}
	if again := send("GET", "/saved-searches", nil).Body.String(); strings.Contains(again, feed[1]) {
		t.Errorf("the feed address is shown again")
	}
	if rec := send("POST", "/saved-searches/"+id+"/seen", url.Values{"_csrf": {tok}}); rec.Code != http.StatusSeeOther {
		t.Errorf("seen: %d", rec.Code)
	}
	if page := send("GET", "/saved-searches", nil).Body.String(); strings.Contains(page, "1 new") || !strings.Contains(page, "nothing new") {
		t.Errorf("after seen: still new")
	}
	if rec := send("POST", "/saved-searches/"+id+"/delete", url.Values{"_csrf": {tok}}); rec.Code != http.StatusSeeOther {
		t.Errorf("delete: %d", rec.Code)
	}
	if page := send("GET", "/saved-searches", nil).Body.String(); strings.Contains(page, "Checkpoints") {
		t.Errorf("deleted search still listed")
	}
	if rec := e.as("", "GET", "/saved-searches", ""); rec.Code != http.StatusForbidden {
		t.Errorf("anonymous page: %d", rec.Code)
	}
}
