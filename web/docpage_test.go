package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/search/searchtest"
	"handbook/web"
)

// The document page an officer lands on from a hit: search within the
// document, related sections, the query marked, the way back to the
// results, and superseded editions said plainly.

// page GETs target and fails unless it answers 200; it returns the body.
func page(t *testing.T, h http.Handler, target string) string {
	t.Helper()
	rec := get(t, h, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

var hitLinkRE = regexp.MustCompile(`<li class="hit">\s*<h2><a href="([^"]+)"`)

// hitLinks are the links of a results page's hits, unescaped.
func hitLinks(body string) []string {
	var out []string
	for _, m := range hitLinkRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestDocumentSearchWithin(t *testing.T) {
	h := newServer(t)
	doc := page(t, h, "/docs/port-controls?q=container")
	for _, want := range []string{
		`<form class="doc-search" action="/search" method="get" role="search"`,
		`<input type="hidden" name="doc" value="port-controls">`,
		`<label for="doc-q">Search this document</label>`,
		`<input id="doc-q" name="q" type="search" value="container"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document page lacks %s", want)
		}
	}

	// What the form sends: hits of that document only, the scope said,
	// and a way to search every document.
	body := page(t, h, "/search?"+url.Values{"q": {"controlled delivery"}, "doc": {"port-controls"}}.Encode())
	links := hitLinks(body)
	if len(links) == 0 {
		t.Fatal("no hits in the document")
	}
	for _, l := range links {
		if !strings.HasPrefix(l, "/docs/port-controls?") {
			t.Errorf("hit of another document: %s", l)
		}
	}
	if !strings.Contains(body, `<p class="notice doc-scope">Searching only in <a href="/docs/port-controls">`) {
		t.Errorf("the one-document scope is not shown:\n%s", body)
	}
	widen := regexp.MustCompile(`<a href="([^"]+)" class="doc-widen">Search all documents</a>`).FindStringSubmatch(body)
	if widen == nil {
		t.Fatal("no link to search all documents")
	}
	u, err := url.Parse(html.UnescapeString(widen[1]))
	if err != nil || u.Path != "/search" || u.Query().Get("q") != "controlled delivery" || u.Query().Has("doc") {
		t.Errorf("widen link %s: want the same query without doc", widen[1])
	}
	all := hitLinks(page(t, h, html.UnescapeString(widen[1])))
	if len(all) <= len(links) {
		t.Errorf("widened search has %d hits, the document's %d", len(all), len(links))
	}
	if strings.Contains(page(t, h, "/search?q=delivery"), "doc-scope") {
		t.Error("a search of every document says it is of one")
	}

	fr := page(t, h, "/search?"+url.Values{"q": {"delivery"}, "doc": {"port-controls"}, "ui": {"fr"}}.Encode())
	if !strings.Contains(fr, "Recherche limitée à") || !strings.Contains(fr, "Chercher dans tous les documents") {
		t.Error("French results page lacks the scope")
	}
}

func TestDocumentRelatedSections(t *testing.T) {
	h := newSampleServer(t)
	const doc, sec = "safe-framework-of-standards", "standard-1-6-advance-electronic-data"

	// A hit's link names its section, so the page can list related ones.
	links := hitLinks(page(t, h, "/search?q="+url.QueryEscape("advance electronic data")))
	if len(links) == 0 {
		t.Fatal("no hits")
	}
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || u.Query().Get("section") == "" || u.Query().Get("section") != u.Fragment {
			t.Errorf("hit link %s: want section= its anchor", l)
		}
	}

	var api struct {
		Related []struct{ URL string }
	}
	rec := get(t, h, "/api/documents/"+doc+"/sections/"+sec+"/related?n=5")
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil || len(api.Related) == 0 {
		t.Fatalf("related API: %d %s", rec.Code, rec.Body)
	}

	body := page(t, h, "/docs/"+doc+"?section="+sec)
	aside := regexp.MustCompile(`(?s)<aside class="doc-related" aria-labelledby="rel-` + sec + `"[^>]*>.*?</aside>`).FindString(body)
	if aside == "" {
		t.Fatalf("no related sections for %s", sec)
	}
	if !strings.Contains(aside, "<h3 id=\"rel-"+sec+"\" class=\"doc-related-h\">Related sections</h3>") {
		t.Errorf("related list has no heading: %s", aside)
	}
	items := regexp.MustCompile(`<li><a href="([^"]+)"`).FindAllStringSubmatch(aside, -1)
	if len(items) == 0 || len(items) > 5 {
		t.Fatalf("%d related sections, want 1 to 5", len(items))
	}
	if got := html.UnescapeString(items[0][1]); got != api.Related[0].URL {
		t.Errorf("first related section %s, the API's %s", got, api.Related[0].URL)
	}
	if n := strings.Count(body, `class="doc-related"`); n != 1 {
		t.Errorf("%d related lists, want one (one Related call per page view)", n)
	}

	// Without section=, each section links to the page listing its own.
	plain := page(t, h, "/docs/"+doc)
	if strings.Contains(plain, `class="doc-related"`) {
		t.Error("related sections listed with no section asked for")
	}
	per := regexp.MustCompile(`<a class="doc-related-link" href="([^"]+)"`).FindAllStringSubmatch(plain, -1)
	if len(per) < 5 {
		t.Fatalf("%d per-section related links", len(per))
	}
	u, _ := url.Parse(html.UnescapeString(per[0][1]))
	if u.Path != "/docs/"+doc || u.Query().Get("section") == "" || u.Fragment != u.Query().Get("section") {
		t.Errorf("per-section link %s", per[0][1])
	}
	// An unknown section is no error: the page without a list.
	if b := page(t, h, "/docs/"+doc+"?section=nowhere"); strings.Contains(b, `class="doc-related"`) {
		t.Error("related sections for an unknown section")
	}

	fr := page(t, h, "/docs/"+doc+"?ui=fr&section="+sec)
	if !strings.Contains(fr, "Sections apparentées") {
		t.Error("French page lacks the related sections' heading")
	}
}

func TestDocumentHighlight(t *testing.T) {
	h := newServer(t)
	tests := []struct {
		name, q     string
		want, avoid []string
	}{
		{"words in text and heading", "controlled delivery", []string{"<mark>Controlled</mark> <mark>delivery</mark></a>", "<mark>controlled</mark> <mark>delivery</mark>"}, nil},
		{"plural query marks the singular", "containers", []string{"<mark>Container</mark> selection"}, nil},
		{"excluded words are not marked", "delivery -cocaine NOT ports", []string{"<mark>delivery</mark>"}, []string{"<mark>cocaine</mark>", "<mark>ports</mark>", "<mark>port</mark>"}},
		{"field filters are not marked", "org:EU delivery", []string{"<mark>delivery</mark>"}, []string{"<mark>EU</mark>", "<mark>org</mark>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := page(t, h, "/docs/port-controls?"+url.Values{"q": {tc.q}}.Encode())
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("q=%s: page lacks %s", tc.q, w)
				}
			}
			for _, a := range tc.avoid {
				if strings.Contains(body, a) {
					t.Errorf("q=%s: page has %s", tc.q, a)
				}
			}
		})
	}
	if strings.Contains(page(t, h, "/docs/port-controls"), "<mark>") {
		t.Error("marks without a query")
	}
	// Marking never unescapes: the markup of a document or a query stays text.
	body := page(t, h, "/docs/markup?"+url.Values{"q": {`<script>alert(1)</script> integrity markup`}}.Encode())
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<em>in</em>") {
		t.Error("markup came back unescaped")
	}
	for _, w := range []string{"<mark>Markup</mark> in a heading", "mentions &lt;<mark>script</mark>&gt;<mark>alert</mark>(", "This <mark>integrity</mark> rule"} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %s", w)
		}
	}
}

func TestDocumentBackToResults(t *testing.T) {
	h := newServer(t)
	results := "/search?" + url.Values{"q": {"delivery"}, "lang": {"en"}, "size": {"1"}}.Encode() + "&page=2"
	links := hitLinks(page(t, h, results))
	if len(links) != 1 {
		t.Fatalf("%d hits on page 2", len(links))
	}
	u, err := url.Parse(links[0])
	if err != nil {
		t.Fatal(err)
	}
	from, err := url.Parse(u.Query().Get("from"))
	if err != nil || from.Path != "/search" {
		t.Fatalf("hit link %s: from=%q", links[0], u.Query().Get("from"))
	}
	for k, want := range map[string]string{"q": "delivery", "lang": "en", "size": "1", "page": "2"} {
		if got := from.Query().Get(k); got != want {
			t.Errorf("from keeps %s=%q, want %q", k, got, want)
		}
	}
	if u.Query().Get("q") != "delivery" {
		t.Errorf("hit link %s: no query to mark", links[0])
	}

	back := regexp.MustCompile(`<p class="doc-back"[^>]*><a href="([^"]+)">← Back to the results</a>`)
	body := page(t, h, links[0])
	m := back.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no way back to the results")
	}
	if got := html.UnescapeString(m[1]); got != u.Query().Get("from") {
		t.Errorf("back link %s, want %s", got, u.Query().Get("from"))
	}
	// The way back keeps the results: the same hit on the same page.
	if again := hitLinks(page(t, h, html.UnescapeString(m[1]))); len(again) != 1 || again[0] != links[0] {
		t.Errorf("back at the results: %v, want %v", again, links)
	}
	// Only a results page of this site.
	for _, from := range []string{
		"", "//evil.example/search?q=x", "https://evil.example/search?q=x", "/\\evil.example/search", "javascript:alert(1)",
		"/packs", "/search/../packs", "/searchx?q=1", "/\t/search", "search?q=x", "/search?q=x#frag",
	} {
		b := page(t, h, "/docs/port-controls?"+url.Values{"from": {from}}.Encode())
		if back.MatchString(b) || strings.Contains(b, "doc-back") {
			t.Errorf("from=%q gives a back link", from)
		}
	}
	fr := page(t, h, "/docs/port-controls?ui=fr&from="+url.QueryEscape("/search?q=port"))
	if !strings.Contains(fr, "← Retour aux résultats") {
		t.Error("French back link missing")
	}
}

func TestSupersededEditions(t *testing.T) {
	h := newSampleServer(t)
	const old, cur = "safe-framework-of-standards-2018", "safe-framework-of-standards"

	// On the hit: the badge in its own colour and the current edition.
	body := page(t, h, "/search?q=pillar&year=2018")
	group := regexp.MustCompile(`(?s)<li class="group superseded" lang="en">\s*<p class="doc"><a href="/docs/` + old + `">.*?</p>`).FindString(body)
	if group == "" {
		t.Fatalf("no superseded group for %s", old)
	}
	for _, want := range []string{
		`<span class="badge status-superseded">superseded</span>`,
		`<span class="superseded-by" lang="en">superseded by <a href="/docs/` + cur + `">SAFE Framework of Standards to Secure and Facilitate Global Trade (2025 edition)</a></span>`,
	} {
		if !strings.Contains(group, want) {
			t.Errorf("superseded hit lacks %s in %s", want, group)
		}
	}
	if b := page(t, h, "/search?q=pillar&year=2025"); strings.Contains(b, "superseded") {
		t.Error("a current edition's hit is marked superseded")
	}

	// On the page: a banner linking to the current edition.
	doc := page(t, h, "/docs/"+old)
	banner := `<div class="superseded-banner" role="note" lang="en"><p><strong>This edition is superseded by</strong> <a href="/docs/` + cur + `" class="superseded-next">`
	if !strings.Contains(doc, banner) {
		t.Errorf("superseded page lacks the banner")
	}
	if !strings.Contains(doc, `<span class="badge doc-status status-superseded">superseded</span>`) {
		t.Error("superseded page lacks its status badge")
	}
	curPage := page(t, h, "/docs/"+cur)
	if strings.Contains(curPage, "superseded-banner") {
		t.Error("the current edition has a superseded banner")
	}
	if !strings.Contains(curPage, `<span class="badge doc-status status-current">current</span>`) {
		t.Error("the current edition's badge is not marked current")
	}

	fr := page(t, h, "/docs/"+old+"?ui=fr")
	if !strings.Contains(fr, "Cette édition est remplacée par</strong>") || !strings.Contains(fr, "remplacé</span>") {
		t.Error("French page lacks the superseded banner")
	}
	if b := page(t, h, "/search?q=pillar&year=2018&ui=fr"); !strings.Contains(b, "remplacé par <a href=\"/docs/"+cur+"\"") {
		t.Error("French hit lacks superseded by")
	}
}

// A successor the caller may not see is not named: the banner says the
// edition is superseded and no more.
func TestSupersededByHiddenEdition(t *testing.T) {
	fsys := fstest.MapFS{
		"old.md": {Data: []byte("---\ntitle: Old Checklist\ntype: guidelines\nlang: en\nyear: 2019\nstatus: superseded\nsuperseded_by: new\n---\n## 1 Checks\nInspect the seals of every container.\n")},
		"new.md": {Data: []byte("---\ntitle: Secret Checklist\ntype: guidelines\nlang: en\nyear: 2024\nlevel: restricted\n---\n## 1 Checks\nInspect the seals of every container with the new scanner.\n")},
	}
	srv, err := web.New(searchtest.Service(t, fsys), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	doc := page(t, h, "/docs/old")
	if !strings.Contains(doc, "<strong>This edition is superseded</strong>.") {
		t.Error("no superseded banner")
	}
	res := page(t, h, "/search?q=seals")
	for _, b := range []string{doc, res} {
		if strings.Contains(b, "Secret") || strings.Contains(b, "/docs/new") {
			t.Error("the hidden successor is named")
		}
	}
	if !strings.Contains(res, `<span class="badge status-superseded">superseded</span>`) || strings.Contains(res, "superseded-by") {
		t.Error("superseded hit: want the badge and no successor")
	}
}
