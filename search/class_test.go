package search

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		q        Query
		class    string
		filtered bool
	}{
		{"no text", Query{}, ClassEmpty, false},
		{"spaces only", Query{Text: "   "}, ClassEmpty, false},
		{"filters only", Query{Filters: map[string][]string{FacetOrg: {"WCO"}}}, ClassEmpty, true},
		{"empty filter values", Query{Text: "port", Filters: map[string][]string{FacetOrg: {}}}, ClassWord, false},
		{"one document", Query{Text: "port", Doc: "port-controls"}, ClassWord, true},
		{"one word", Query{Text: "port"}, ClassWord, false},
		{"AND is no word", Query{Text: "AND port"}, ClassWord, false},
		{"citation", Query{Text: "Article 18"}, ClassWords, false},
		{"several words", Query{Text: "joint operations port"}, ClassWords, false},
		{"grouping changes nothing", Query{Text: "(joint operations)"}, ClassWords, false},
		{"words filtered", Query{Text: "joint operations", Filters: map[string][]string{FacetLang: {"fr"}, FacetYear: {"2020"}}}, ClassWords, true},
		{"phrase", Query{Text: `"controlled delivery"`}, ClassPhrase, false},
		{"phrase and words", Query{Text: `"controlled delivery" port`}, ClassPhrase, false},
		{"French quotes", Query{Text: `«livraison surveillée»`}, ClassPhrase, false},
		{"phrase excluded", Query{Text: `ivory -"rhino horn"`}, ClassPhrase, false},
		{"prefix", Query{Text: "launder*"}, ClassPrefix, false},
		{"prefix and phrase", Query{Text: `launder* "cash courier"`}, ClassPrefix, false},
		{"fuzzy", Query{Text: "valuation~"}, ClassFuzzy, false},
		{"fuzzy distance", Query{Text: "contrl~2 port"}, ClassFuzzy, false},
		{"fuzzy beats prefix", Query{Text: "launder* contrl~"}, ClassFuzzy, false},
		{"fuzzy mode", Query{Text: "contrl", Fuzzy: true}, ClassFuzzy, false},
		{"fuzzy mode, prefix only", Query{Text: "launder*", Fuzzy: true}, ClassPrefix, false},
		{"fuzzy mode, phrase only", Query{Text: `"controlled delivery"`, Fuzzy: true}, ClassPhrase, false},
		{"fuzzy mode without text", Query{Fuzzy: true, Filters: map[string][]string{FacetOrg: {"WCO"}}}, ClassEmpty, true},
		{"OR", Query{Text: "cash OR currency"}, ClassBoolean, false},
		{"bar", Query{Text: "cash | currency"}, ClassBoolean, false},
		{"minus", Query{Text: "AEO -mutual"}, ClassBoolean, false},
		{"NOT", Query{Text: "AEO NOT mutual"}, ClassBoolean, false},
		{"field filter", Query{Text: "org:wco"}, ClassBoolean, false},
		{"field filter and word", Query{Text: "org:WCO risk"}, ClassBoolean, false},
		{"year range", Query{Text: "year:2015..2020"}, ClassBoolean, false},
		{"title word", Query{Text: "title:kyoto"}, ClassBoolean, false},
		{"heading phrase", Query{Text: `heading:"red flags"`}, ClassPhrase, false},
		{"boolean filtered", Query{Text: "(cash OR currency) -courier", Filters: map[string][]string{FacetTopic: {"money laundering"}}}, ClassBoolean, true},
		// Text is never refused: what cannot be an operator is words.
		{"unclosed quote", Query{Text: `"controlled delivery`}, ClassWords, false},
		{"unknown field", Query{Text: "colour:red", Filters: map[string][]string{FacetOrg: {"WCO"}}}, ClassPhrase, true}, // colour:red or "colour red"
		{"lone prefix", Query{Text: "a* port"}, ClassWords, false},
		{"question", Query{Text: "what is an AEO?"}, ClassWord, false}, // the question's filler is left out
		{"dangling OR", Query{Text: "ivory OR"}, ClassWord, false},
		{"too many terms", Query{Text: strings.Repeat("word ", MaxQueryTerms+1)}, ClassInvalid, false},
		{"not UTF-8", Query{Text: "\xff\xfe"}, ClassInvalid, false},
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
	seeds, err := os.ReadFile("testdata/fuzz/queries.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(seeds), "\n") {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, fuzzy bool) {
		class, _ := Classify(Query{Text: text, Fuzzy: fuzzy})
		if !slices.Contains(Classes, class) {
			t.Fatalf("Classify(%q) = %q, not one of %v", text, class, Classes)
		}
		_, err := Parse(text)
		if (class == ClassInvalid) != (err != nil) {
			t.Fatalf("Classify(%q) = %q, but Parse says %v", text, class, err)
		}
	})
}
