package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"handbook/content/sample"
	"handbook/search"
	"handbook/search/searchtest"
	"handbook/web"
)

// newSampleServer serves the embedded sample knowledge base, which has the
// glossary's terms in both languages and numbered sections.
func newSampleServer(t *testing.T) http.Handler {
	t.Helper()
	svc := searchtest.Service(t, sample.FS())
	srv, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

func TestAPIGlossaryExpansion(t *testing.T) {
	h := newSampleServer(t)
	t.Run("acronym finds its expansion in both languages", func(t *testing.T) {
		res := apiSearch(t, h, url.Values{"q": {"TBML"}, "size": {"50"}})
		if len(res.Expansions) != 1 || res.Expansions[0].Term != "TBML" || !slices.Contains(res.Expansions[0].Forms, "trade-based money laundering") ||
			!slices.Contains(res.Expansions[0].Forms, "blanchiment de capitaux fondé sur le commerce") {
			t.Fatalf("expansions = %+v", res.Expansions)
		}
		got := strings.Join(ids(res), " ")
		for _, want := range []string{"tbml-red-flag-indicators#", "indicateurs-bfc#"} {
			if !strings.Contains(got, want) {
				t.Errorf("TBML hits lack %s: %v", want, got)
			}
		}
	})
	t.Run("French sections found only through the glossary are marked", func(t *testing.T) {
		on := apiSearch(t, h, url.Values{"q": {"AEO"}, "lang": {"fr"}, "size": {"50"}})
		off := apiSearch(t, h, url.Values{"q": {"AEO"}, "lang": {"fr"}, "size": {"50"}, "expand": {"0"}})
		if on.Total <= off.Total {
			t.Fatalf("AEO in French: %d hits expanded, %d without", on.Total, off.Total)
		}
		marked := 0
		for _, hit := range on.Hits {
			if hit.Lang != "fr" {
				t.Errorf("lang=fr returned %s (%s)", hit.URL, hit.Lang)
			}
			if hit.ViaGlossary {
				marked++
				if strings.Contains(hit.Snippet, "AEO") {
					t.Errorf("%s is marked but has AEO: %s", hit.URL, hit.Snippet)
				}
			}
		}
		if marked == 0 {
			t.Errorf("no French hit marked as found through the glossary: %v", ids(on))
		}
		if len(off.Expansions) != 0 {
			t.Errorf("expand=0 still expanded: %+v", off.Expansions)
		}
		for _, hit := range off.Hits {
			if hit.ViaGlossary {
				t.Errorf("expand=0: %s marked", hit.URL)
			}
		}
	})
	t.Run("a whole query that is a multi-word form", func(t *testing.T) {
		res := apiSearch(t, h, url.Values{"q": {"financial intelligence unit"}, "lang": {"fr"}})
		if len(res.Expansions) != 1 || res.Expansions[0].Term != "financial intelligence unit" || !slices.Contains(res.Expansions[0].Forms, "CRF") {
			t.Fatalf("expansions = %+v", res.Expansions)
		}
		if res.Total == 0 {
			t.Errorf("no French section for the cellule de renseignement financier")
		}
	})
	t.Run("the JSON field", func(t *testing.T) {
		var raw map[string]any
		if err := json.Unmarshal(get(t, h, "/api/search?q=AEO").Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		exp, ok := raw["expansions"].([]any)
		if !ok || len(exp) != 1 {
			t.Fatalf("expansions = %v", raw["expansions"])
		}
		e := exp[0].(map[string]any)
		if e["term"] != "AEO" || len(e["forms"].([]any)) < 3 {
			t.Errorf("expansion = %v", e)
		}
	})
	t.Run("bad expand value", func(t *testing.T) {
		if rec := get(t, h, "/api/search?q=AEO&expand=maybe"); rec.Code != http.StatusBadRequest {
			t.Errorf("expand=maybe: %d", rec.Code)
		}
	})
}

func TestAPITypoTolerance(t *testing.T) {
	h := newSampleServer(t)
	res := apiSearch(t, h, url.Values{"q": {"contrlled delivery"}})
	if res.Corrected != "controlled delivery" || res.DidYouMean != "controlled delivery" || res.Total == 0 {
		t.Fatalf("corrected %q, did you mean %q, total %d", res.Corrected, res.DidYouMean, res.Total)
	}
	if res.Query != "contrlled delivery" {
		t.Errorf("query = %q, want the text as typed", res.Query)
	}
	var raw map[string]any
	if err := json.Unmarshal(get(t, h, "/api/search?q=benefical+ownership").Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["corrected"] != "beneficial ownership" || raw["did_you_mean"] != "beneficial ownership" {
		t.Errorf("corrected %v, did_you_mean %v", raw["corrected"], raw["did_you_mean"])
	}
	// A query with results is left alone.
	if res := apiSearch(t, h, url.Values{"q": {"controlled delivery"}}); res.Corrected != "" || res.DidYouMean != "" {
		t.Errorf("a good query was corrected: %q %q", res.Corrected, res.DidYouMean)
	}
	// A word of restricted text only is never offered to the anonymous.
	res = apiSearch(t, newServer(t), url.Values{"q": {"codenme"}})
	if res.Corrected != "" || res.DidYouMean != "" || res.Total != 0 {
		t.Errorf("restricted word leaked: corrected %q, did you mean %q, total %d", res.Corrected, res.DidYouMean, res.Total)
	}
}

func TestAPICitationLookup(t *testing.T) {
	h := newSampleServer(t)
	for _, tc := range []struct{ q, number, first string }{
		{"Article 12", "Article 12", "aml-directive-sample#article-12-obligation-to-report-suspicion"},
		{"art. 12", "Article 12", "aml-directive-sample#article-12-obligation-to-report-suspicion"},
		{"ARTICLE 9", "Article 9", "aml-directive-sample#article-9-politically-exposed-persons"},
		{"Standard 1.2", "Standard 1.2", "safe-framework-of-standards#standard-1-2-cargo-inspection-authority"},
		{"3.2", "3.2", ""},
	} {
		t.Run(tc.q, func(t *testing.T) {
			res := apiSearch(t, h, url.Values{"q": {tc.q}, "size": {"50"}})
			numbers := strings.Split(res.Citation, ", ")
			if numbers[0] != tc.number || res.Citations == 0 {
				t.Fatalf("citation %q (%d), want %q first", res.Citation, res.Citations, tc.number)
			}
			if tc.first != "" && !slices.Contains(ids(res)[:res.Citations], tc.first) {
				t.Errorf("the first %d hits of %v lack %s", res.Citations, ids(res), tc.first)
			}
			for i, hit := range res.Hits {
				if (i < res.Citations) != slices.Contains(numbers, hit.Number) {
					t.Errorf("hit %d %s has number %q; the %d sections numbered %s come first", i, hit.URL, hit.Number, res.Citations, res.Citation)
				}
			}
		})
	}
	t.Run("listed across documents", func(t *testing.T) {
		res := apiSearch(t, h, url.Values{"q": {"3.2"}, "size": {"50"}})
		docs := map[string]bool{}
		for _, hit := range res.Hits[:res.Citations] {
			docs[hit.DocID] = true
		}
		if len(docs) < 3 {
			t.Errorf("3.2 found in %d documents: %v", len(docs), ids(res))
		}
	})
	t.Run("within a document", func(t *testing.T) {
		res := apiSearch(t, h, url.Values{"q": {"3.2"}, "doc": {"customs-police-cooperation-handbook"}, "size": {"50"}})
		if res.Citations != 1 || len(res.Hits) == 0 || ids(res)[0] != "customs-police-cooperation-handbook#3-2-joint-operations-at-ports" {
			t.Fatalf("%d citations, hits %v", res.Citations, ids(res))
		}
		for _, hit := range res.Hits {
			if hit.DocID != "customs-police-cooperation-handbook" {
				t.Errorf("doc filter let through %s", hit.URL)
			}
		}
	})
	t.Run("within the filters", func(t *testing.T) {
		res := apiSearch(t, h, url.Values{"q": {"3.2"}, "lang": {"fr"}, "size": {"50"}})
		for _, hit := range res.Hits {
			if hit.Lang != "fr" {
				t.Errorf("lang=fr: %s", hit.URL)
			}
		}
		if res.Citations == 0 {
			t.Errorf("no French section 3.2")
		}
	})
}

func TestAPIRelated(t *testing.T) {
	h := newSampleServer(t)
	const self = "tbml-red-flag-indicators#2-1-over-invoicing"
	rec := get(t, h, "/api/documents/tbml-red-flag-indicators/sections/2-1-over-invoicing/related?n=5")
	if rec.Code != http.StatusOK {
		t.Fatalf("related: %d %s", rec.Code, rec.Body)
	}
	var out struct {
		Related []search.Hit `json:"related"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Related) == 0 || len(out.Related) > 5 {
		t.Fatalf("%d related sections", len(out.Related))
	}
	for _, hit := range out.Related {
		if hit.DocID+"#"+hit.SectionID == self {
			t.Errorf("a section is related to itself")
		}
		if hit.Level != "public" || hit.Lang != "en" {
			t.Errorf("related %s: level %s, lang %s", hit.URL, hit.Level, hit.Lang)
		}
	}
	if got := out.Related[0].Heading; !strings.Contains(strings.ToLower(got+out.Related[0].Snippet), "invoic") {
		t.Errorf("best related section %s (%s) is not about invoicing", out.Related[0].URL, got)
	}
	for _, target := range []string{
		"/api/documents/controlled-delivery-handbook/sections/introduction/related", // restricted
		"/api/documents/tbml-red-flag-indicators/sections/no-such-section/related",
		"/api/documents/no-such-doc/sections/introduction/related",
	} {
		if rec := get(t, h, target); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
	if rec := get(t, h, "/api/documents/tbml-red-flag-indicators/sections/2-1-over-invoicing/related?n=x"); rec.Code != http.StatusBadRequest {
		t.Errorf("n=x: %d", rec.Code)
	}
}

func TestSearchPageShowsExpansionsAndCorrections(t *testing.T) {
	h := newSampleServer(t)
	for _, tc := range []struct {
		target string
		want   []string
	}{
		{"/search?q=AEO", []string{"Also searched for", "Authorized Economic Operator", `href="/search?expand=0&amp;q=AEO"`}},
		{"/search?q=AEO&expand=0", []string{`href="/search?q=AEO"`, "Also search for glossary forms"}},
		{"/search?q=contrlled+delivery", []string{"showing results for <q>controlled delivery</q>"}},
		{"/search?q=art.+12", []string{"Sections numbered <q>Article 12</q>"}},
	} {
		rec := get(t, h, tc.target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", tc.target, rec.Code)
		}
		for _, w := range tc.want {
			if !strings.Contains(rec.Body.String(), w) {
				t.Errorf("%s lacks %q", tc.target, w)
			}
		}
	}
}

func TestAPIYearRanges(t *testing.T) {
	h := newServer(t)
	check := func(params url.Values) search.Result {
		t.Helper()
		res := apiSearch(t, h, params)
		if len(res.YearRanges) != 6 {
			t.Fatalf("%d year ranges: %+v", len(res.YearRanges), res.YearRanges)
		}
		// The ranges agree with the year facet, empty ones included.
		for _, r := range res.YearRanges {
			want := 0
			for _, v := range res.Facets[search.FacetYear] {
				y, _ := strconv.Atoi(v.Value)
				if (r.From == 0 || y >= r.From) && (r.To == 0 || y <= r.To) {
					want += v.Count
				}
			}
			if r.Count != want {
				t.Errorf("range %s: %d, the year facet says %d", r.Label, r.Count, want)
			}
		}
		return res
	}
	all := check(url.Values{"q": {"border OR operation OR delivery"}})
	if all.YearRanges[0].Label != "before 2000" || all.YearRanges[0].Count != 0 || all.YearRanges[0].Query != "year:..1999" ||
		all.YearRanges[4].Label != "2020–2024" || all.YearRanges[4].Count == 0 {
		t.Errorf("ranges = %+v", all.YearRanges)
	}
	// With a year selected, the ranges are counted without it, as the year
	// facet is.
	one := check(url.Values{"q": {"border OR operation OR delivery"}, "year": {"2019"}})
	if !slices.Equal(one.YearRanges, all.YearRanges) {
		t.Errorf("with year=2019 the ranges changed: %+v, were %+v", one.YearRanges, all.YearRanges)
	}
}
