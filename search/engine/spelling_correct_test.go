package engine_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/content"
	"handbook/content/sample"
	"handbook/search"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// needDictionary skips a test that needs the general dictionary of lang
// (Debian's wamerican, wfrench), and fails it under CI, which installs them.
func needDictionary(t *testing.T, lang string) {
	t.Helper()
	svc, err := engine.New(searchtest.Index(t, fstest.MapFS{"a.md": {Data: []byte("---\ntitle: A\nlang: en\n---\n## 1 A\ntext\n")}}), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if svc.HasDictionary(lang) {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no general dictionary for %s at %s (.ci/run installs wamerican and wfrench)", lang, engine.DefaultDictionaries()[lang])
	}
	t.Skipf("no general dictionary for %s at %s: apt-get install wamerican wfrench", lang, engine.DefaultDictionaries()[lang])
}

func fr() map[string][]string { return map[string][]string{search.FacetLang: {content.LanguageFrench}} }
func en() map[string][]string {
	return map[string][]string{search.FacetLang: {content.LanguageEnglish}}
}

// A real word is never replaced by another: not a word of the sections
// ("retenue" among English sections is not "revenue"), not a word of no
// section that is a word all the same ("cannabis" is not "canal"), and
// garbage is not corrected to a number ("zzzzqqq" to "0").
func TestRealWordsAreNotCorrected(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	for _, tc := range []struct {
		name string
		q    search.Query
		hits bool // the query finds sections as typed
	}{
		{"a word of the index", search.Query{Text: "retenue"}, true},
		{"a word of the index, in English sections", search.Query{Text: "retenue", Filters: en()}, false},
		{"a word of no section, in French sections", search.Query{Text: "rhino horn", Filters: fr()}, false},
		{"a word of no section", search.Query{Text: "cannabis"}, false},
		{"a word of no French section", search.Query{Text: "cannabis", Filters: fr()}, false},
		{"garbage", search.Query{Text: "zzzzqqq"}, false},
		{"garbage among words", search.Query{Text: "zzzzqqq customs"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := svc.Search(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Corrected != "" || res.DidYouMean != "" || res.Fuzzy || res.SearchInstead != "" {
				t.Errorf("corrected %q, did you mean %q, fuzzy %v, search instead %q", res.Corrected, res.DidYouMean, res.Fuzzy, res.SearchInstead)
			}
			if (res.Total > 0) != tc.hits {
				t.Errorf("%d hits", res.Total)
			}
			for _, h := range res.Hits {
				if tc.q.Text == "rhino horn" && strings.Contains(strings.ToLower(h.Snippet), "<mark>rhin") || strings.Contains(h.Snippet, "<mark>hors") {
					t.Errorf("%s#%s matched another word: %s", h.DocID, h.SectionID, h.Snippet)
				}
			}
		})
	}
}

// A word of a general dictionary of the query's language is never
// corrected, even where no section has it: among sections that have
// "obtenue" but not "retenue", "retenue" finds nothing, as typed.
func TestDictionaryWordsAreNotCorrected(t *testing.T) {
	needDictionary(t, content.LanguageFrench)
	needDictionary(t, content.LanguageEnglish)
	fsys := fstest.MapFS{
		"note.md": {Data: []byte("---\ntitle: Note de service\norg: [WCO]\ntype: guidelines\nlang: fr\nyear: 2022\n---\n" +
			"## 1 Autorisation\nL'autorisation obtenue est transmise par un canal sécurisé.\n")},
		"memo.md": {Data: []byte("---\ntitle: Service memo\norg: [WCO]\ntype: guidelines\nlang: en\nyear: 2022\n---\n" +
			"## 1 Permits\nThe permit obtained is sent through a secure channel. Revenue is collected at the border.\n")},
	}
	svc := searchtest.Service(t, fsys)
	for _, text := range []string{"retenue", "cannabis", "seizure"} {
		res, err := svc.Search(context.Background(), search.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if res.Corrected != "" || res.DidYouMean != "" || res.Fuzzy || res.Total != 0 {
			t.Errorf("%q: corrected %q, did you mean %q, fuzzy %v, %d hits", text, res.Corrected, res.DidYouMean, res.Fuzzy, res.Total)
		}
	}
	// A word of neither is corrected from the sections; a name of the
	// dictionary ("Chanel") is no word.
	for text, want := range map[string]string{"obtenue transmize": "obtenue transmise", "chanel": "channel"} {
		res, err := svc.Search(context.Background(), search.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if res.Corrected != want || res.Total == 0 {
			t.Errorf("%q: corrected %q, %d hits; want %q", text, res.Corrected, res.Total, want)
		}
	}
}

// "laison oficer" finds the liaison officer sections, as the README
// promises, and offers the query as typed one click away (NoCorrect).
func TestCorrectionFindsLiaisonOfficer(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	ctx := context.Background()
	res, err := svc.Search(ctx, search.Query{Text: "laison oficer"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Corrected != "liaison officer" || res.SearchInstead != "laison oficer" || res.Query != "laison oficer" {
		t.Fatalf("corrected %q, search instead %q, query %q", res.Corrected, res.SearchInstead, res.Query)
	}
	if len(res.Hits) == 0 || res.Hits[0].DocID != "liaison-officers-guidelines" {
		t.Errorf("first hits %v", hitIDs(res))
	}
	ranked, err := svc.Rank(ctx, search.Query{Text: "laison oficer"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ranked) == 0 || ranked[0].DocID != "liaison-officers-guidelines" {
		t.Errorf("ranking %v", ranked)
	}

	asTyped, err := svc.Search(ctx, search.Query{Text: "laison oficer", NoCorrect: true})
	if err != nil {
		t.Fatal(err)
	}
	if asTyped.Corrected != "" || asTyped.SearchInstead != "" || asTyped.Fuzzy || asTyped.DidYouMean != "liaison officer" {
		t.Errorf("as typed: corrected %q, search instead %q, fuzzy %v, did you mean %q", asTyped.Corrected, asTyped.SearchInstead, asTyped.Fuzzy, asTyped.DidYouMean)
	}
	if slices.Contains(hitIDs(asTyped), "liaison-officers-guidelines") {
		t.Errorf("as typed found the corrected query's sections: %v", hitIDs(asTyped))
	}
}

// When no word has a correction, typing errors are allowed in the unknown
// words, and the query as typed stays one click away.
func TestTypingErrorsOnlyInUnknownWords(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	res, err := svc.Search(context.Background(), search.Query{Text: "survelliance"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Corrected == "" && (!res.Fuzzy || res.SearchInstead != "survelliance") {
		t.Errorf("corrected %q, fuzzy %v, search instead %q, %d hits", res.Corrected, res.Fuzzy, res.SearchInstead, res.Total)
	}
}

func hitIDs(res *search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.DocID)
	}
	return out
}
