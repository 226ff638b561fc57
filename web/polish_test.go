package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/search/searchtest"
	"handbook/web"
)

// TestResultsPagePolish walks the small things a user sees on the results
// page: the count, the skip link, the one year chip, the header that keeps
// the filters, the advice when nothing is found, the type label, the
// separators of a document without organization or year, the favicon.
func TestResultsPagePolish(t *testing.T) {
	h := newServer(t)
	body := func(target string) string {
		t.Helper()
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", target, rec.Code)
		}
		return rec.Body.String()
	}

	one := body("/search?q=permits")
	if !strings.Contains(one, `<h1 id="results-h" class="summary">1 section `) {
		t.Errorf("one hit is not \"1 section\": %s", between(one, `<h1 id="results-h"`, "</h1>"))
	}
	few := body("/search?q=controlled")
	if strings.Contains(few, "1–") || !strings.Contains(few, " sections ") {
		t.Errorf("a page holding every hit counts them as a range: %s", between(few, `<h1 id="results-h"`, "</h1>"))
	}
	if !strings.Contains(few, `<a class="skip" href="#results">Skip to the results</a>`) || !strings.Contains(few, `id="results" tabindex="-1"`) {
		t.Error("the skip link does not lead to the results")
	}
	if home := body("/"); !strings.Contains(home, `<a class="skip" href="#main">`) {
		t.Error("the start page's skip link does not lead to the main content")
	}

	years := body("/search?q=controlled&year_from=2015&year_to=2021")
	chips := between(years, `class="chips"`, "</ul>")
	if n := strings.Count(chips, "<li><a"); n != 2 || !strings.Contains(chips, "2015–2021") { // the range and "clear"
		t.Errorf("a year range is not one chip: %s", chips)
	}

	kept := body("/search?q=controlled&type=convention&view=compact")
	form := between(kept, `<form class="searchbox"`, "</form>")
	for _, want := range []string{`name="type" value="convention"`, `name="view" value="compact"`, `name="kept" value="1"`, `name="keep" value="1" checked`} {
		if !strings.Contains(form, want) {
			t.Errorf("the header's box does not keep %s: %s", want, form)
		}
	}
	rec := get(t, h, "/search?q=permits&type=convention&kept=1")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/search?q=permits" {
		t.Errorf("unticking keep: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(t, h, "/search?q=permits&type=convention&kept=1&keep=1"); rec.Code != http.StatusOK {
		t.Errorf("keeping the filters: %d", rec.Code)
	}

	none := body("/search?q=" + url.QueryEscape("zebra crossing quota") + "&lang=en&type=convention")
	advice := between(none, `class="notice advice"`, "</div>")
	for _, want := range []string{"fuzzy=1", `lang=en&amp;q=zebra&#43;crossing&amp;type=convention"`, `q=zebra&#43;crossing&#43;quota&amp;type=convention">search documents in every language`, `q=zebra&#43;crossing&#43;quota">remove the filters`} {
		if !strings.Contains(advice, want) {
			t.Errorf("no-results advice lacks %q: %s", want, advice)
		}
	}

	if !strings.Contains(body("/search?q=permits"), "Convention") {
		t.Error("the document type is not shown as a label (Convention)")
	}

	if rec := get(t, h, "/favicon.ico"); rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/static/favicon.svg" {
		t.Errorf("favicon.ico: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(t, h, "/static/favicon.svg"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<svg") {
		t.Errorf("favicon.svg: %d", rec.Code)
	}
}

// TestNoDanglingSeparators: a document with neither organization nor year
// (a plain file) lists its metadata without empty places between dots.
func TestNoDanglingSeparators(t *testing.T) {
	fsys := fstest.MapFS{"notes.txt": {Data: []byte("Port notes\n\nSeizures of cash reported by the port team.\n")}}
	srv, err := web.New(searchtest.Service(t, fsys), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/search?q=seizures", "/", "/docs/notes"} {
		rec := get(t, srv.Handler(), target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", target, rec.Code)
		}
		if b := rec.Body.String(); strings.Contains(b, "· ·") || strings.Contains(b, `"meta"> ·`) || strings.Contains(b, "·  ·") {
			t.Errorf("GET %s has a dangling separator: %s", target, between(b, `class="meta"`, "</"))
		}
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

var _ = os.DirFS
