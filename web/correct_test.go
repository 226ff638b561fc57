package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A correction shown in place of the query offers the query as typed one
// click away, on the page and in the JSON, and that link searches the words
// as typed (correct=0, the other parameters kept).
func TestSearchInsteadForTheQueryAsTyped(t *testing.T) {
	h := newSampleServer(t)
	var raw map[string]any
	api := get(t, h, "/api/search?q=laison+oficer")
	if api.Code != http.StatusOK {
		t.Fatalf("/api/search: %d %s", api.Code, api.Body)
	}
	if err := json.Unmarshal(api.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["corrected"] != "liaison officer" || raw["search_instead"] != "laison oficer" {
		t.Fatalf("corrected %v, search_instead %v in %s", raw["corrected"], raw["search_instead"], api.Body)
	}

	for _, tc := range []struct{ ui, link string }{
		{"en", "Search instead for “laison oficer”"},
		{"fr", "Rechercher plutôt «\u202flaison oficer\u202f»"},
	} {
		rec := get(t, h, "/search?q=laison+oficer&size=20&ui="+tc.ui)
		if rec.Code != http.StatusOK {
			t.Fatalf("%d", rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "liaison-officers-guidelines") {
			t.Errorf("%s: the corrected query's sections are not shown", tc.ui)
		}
		m := regexp.MustCompile(`<a href="([^"]*)" class="instead">([^<]*)</a>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no search-instead link", tc.ui)
		}
		if got := html.UnescapeString(m[2]); got != tc.link {
			t.Errorf("link text %q, want %q", got, tc.link)
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query(); u.Path != "/search" || q.Get("q") != "laison oficer" || q.Get("correct") != "0" || q.Get("size") != "20" {
			t.Fatalf("link %s", u)
		}
		// Following it shows what the words as typed find, and offers the
		// correction instead of applying it.
		asTyped := html.UnescapeString(get(t, h, u.String()).Body.String())
		if strings.Contains(asTyped, `class="instead"`) || strings.Contains(asTyped, "showing results for") {
			t.Errorf("%s: the page as typed is corrected again", tc.ui)
		}
		if !strings.Contains(asTyped, `q=liaison+officer`) {
			t.Errorf("%s: the page as typed does not offer the correction", tc.ui)
		}
		if !strings.Contains(asTyped, "correct=0") {
			t.Errorf("%s: correct=0 is not kept in the page's links", tc.ui)
		}
	}
	if rec := get(t, h, "/api/search?q=laison+oficer&correct=maybe"); rec.Code != http.StatusBadRequest {
		t.Errorf("correct=maybe: %d", rec.Code)
	}
}

// Real words are searched as typed, never replaced: a word of the index
// among sections of another language, a word of no section, and garbage.
func TestRealWordsAreSearchedAsTyped(t *testing.T) {
	h := newSampleServer(t)
	for _, params := range []url.Values{
		{"q": {"cannabis"}},
		{"q": {"zzzzqqq"}},
		{"q": {"retenue"}, "lang": {"en"}},
		{"q": {"rhino horn"}, "lang": {"fr"}},
	} {
		res := apiSearch(t, h, params)
		if res.Corrected != "" || res.DidYouMean != "" || res.Fuzzy || res.SearchInstead != "" || res.Total != 0 {
			t.Errorf("%v: corrected %q, did you mean %q, fuzzy %v, search instead %q, %d hits", params, res.Corrected, res.DidYouMean, res.Fuzzy, res.SearchInstead, res.Total)
		}
	}
}
