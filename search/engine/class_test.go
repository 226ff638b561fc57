package engine

import (
	"handbook/search"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		q        search.Query
		class    string
		filtered bool
	}{
		{"no text", search.Query{}, search.ClassEmpty, false},
		{"spaces only", search.Query{Text: "   "}, search.ClassEmpty, false},
		{"filters only", search.Query{Filters: map[string][]string{search.FacetOrg: {"WCO"}}}, search.ClassEmpty, true},
		{"empty filter values", search.Query{Text: "port", Filters: map[string][]string{search.FacetOrg: {}}}, search.ClassWord, false},
		{"one document", search.Query{Text: "port", Doc: "port-controls"}, search.ClassWord, true},
		{"one word", search.Query{Text: "port"}, search.ClassWord, false},
		{"AND is no word", search.Query{Text: "AND port"}, search.ClassWord, false},
		{"citation", search.Query{Text: "Article 18"}, search.ClassWords, false},
		{"several words", search.Query{Text: "joint operations port"}, search.ClassWords, false},
		{"grouping changes nothing", search.Query{Text: "(joint operations)"}, search.ClassWords, false},
		{"words filtered", search.Query{Text: "joint operations", Filters: map[string][]string{search.FacetLang: {"fr"}, search.FacetYear: {"2020"}}}, search.ClassWords, true},
		{"phrase", search.Query{Text: `"controlled delivery"`}, search.ClassPhrase, false},
		{"phrase and words", search.Query{Text: `"controlled delivery" port`}, search.ClassPhrase, false},
		{"French quotes", search.Query{Text: `«livraison surveillée»`}, search.ClassPhrase, false},
		{"phrase excluded", search.Query{Text: `ivory -"rhino horn"`}, search.ClassPhrase, false},
		{"prefix", search.Query{Text: "launder*"}, search.ClassPrefix, false},
		{"prefix and phrase", search.Query{Text: `launder* "cash courier"`}, search.ClassPrefix, false},
		{"fuzzy", search.Query{Text: "valuation~"}, search.ClassFuzzy, false},
		{"fuzzy distance", search.Query{Text: "contrl~2 port"}, search.ClassFuzzy, false},
		{"fuzzy beats prefix", search.Query{Text: "launder* contrl~"}, search.ClassFuzzy, false},
		{"fuzzy mode", search.Query{Text: "contrl", Fuzzy: true}, search.ClassFuzzy, false},
		{"fuzzy mode, prefix only", search.Query{Text: "launder*", Fuzzy: true}, search.ClassPrefix, false},
		{"fuzzy mode, phrase only", search.Query{Text: `"controlled delivery"`, Fuzzy: true}, search.ClassPhrase, false},
		{"fuzzy mode without text", search.Query{Fuzzy: true, Filters: map[string][]string{search.FacetOrg: {"WCO"}}}, search.ClassEmpty, true},
		{"OR", search.Query{Text: "cash OR currency"}, search.ClassBoolean, false},
		{"bar", search.Query{Text: "cash | currency"}, search.ClassBoolean, false},
		{"minus", search.Query{Text: "AEO -mutual"}, search.ClassBoolean, false},
		{"NOT", search.Query{Text: "AEO NOT mutual"}, search.ClassBoolean, false},
		{"field filter", search.Query{Text: "org:wco"}, search.ClassBoolean, false},
		{"field filter and word", search.Query{Text: "org:WCO risk"}, search.ClassBoolean, false},
		{"year range", search.Query{Text: "year:2015..2020"}, search.ClassBoolean, false},
		{"title word", search.Query{Text: "title:kyoto"}, search.ClassBoolean, false},
		{"heading phrase", search.Query{Text: `heading:"red flags"`}, search.ClassPhrase, false},
		{"boolean filtered", search.Query{Text: "(cash OR currency) -courier", Filters: map[string][]string{search.FacetTopic: {"money laundering"}}}, search.ClassBoolean, true},
		// Text is never refused: what cannot be an operator is words.
		{"unclosed quote", search.Query{Text: `"controlled delivery`}, search.ClassWords, false},
		{"unknown field", search.Query{Text: "colour:red", Filters: map[string][]string{search.FacetOrg: {"WCO"}}}, search.ClassPhrase, true}, // colour:red or "colour red"
		{"lone prefix", search.Query{Text: "a* port"}, search.ClassWords, false},
		{"question", search.Query{Text: "what is an AEO?"}, search.ClassWord, false}, // the question's filler is left out
		{"dangling OR", search.Query{Text: "ivory OR"}, search.ClassWord, false},
		{"too many terms", search.Query{Text: strings.Repeat("word ", search.MaxQueryTerms+1)}, search.ClassInvalid, false},
		{"not UTF-8", search.Query{Text: "\xff\xfe"}, search.ClassInvalid, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			class, filtered := Classify(tc.q)
			if class != tc.class || filtered != tc.filtered {
				t.Errorf("Classify(%+v) = %q, %v; want %q, %v", tc.q, class, filtered, tc.class, tc.filtered)
			}
		})
	}
}

// FuzzClassify checks that any text gets one of the documented classes, so
// the metric label it feeds stays bounded.
func FuzzClassify(f *testing.F) {
	seeds, err := os.ReadFile("../testdata/fuzz/queries.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(seeds), "\n") {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, fuzzy bool) {
		class, _ := Classify(search.Query{Text: text, Fuzzy: fuzzy})
		if !slices.Contains(search.Classes, class) {
			t.Fatalf("Classify(%q) = %q, not one of %v", text, class, search.Classes)
		}
		_, err := Parse(text)
		if (class == search.ClassInvalid) != (err != nil) {
			t.Fatalf("Classify(%q) = %q, but Parse says %v", text, class, err)
		}
	})
}
