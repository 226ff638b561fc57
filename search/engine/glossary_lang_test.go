package engine

import (
	"slices"
	"strings"
	"testing"

	"handbook/content"
)

func TestGlossaryLanguages(t *testing.T) {
	g := DefaultGlossary()
	tests := []struct {
		form string
		want []string // nil: every language
	}{
		{"AEO", nil}, {"Authorized Economic Operator", []string{"en"}}, {"OEA", []string{"fr", "es"}},
		{"operador economico autorizado", []string{"es"}}, {"zugelassener Wirtschaftsbeteiligter", []string{"de"}},
		{"opérateur économique agréé", []string{"fr"}}, {"منظمة الجمارك العالمية", []string{"ar"}}, {"WCO", nil},
		{"not a form", nil},
	}
	for _, tc := range tests {
		if got := g.FormLanguages(tc.form); !slices.Equal(got, tc.want) {
			t.Errorf("FormLanguages(%q) = %v, want %v", tc.form, got, tc.want)
		}
	}
	// Every entry keeps its display form first, and the forms of the old
	// English-and-French glossary keep their order.
	e, _ := g.Lookup("AEO")
	if !slices.Equal(e.Terms[:5], []string{"AEO", "Authorized Economic Operator", "Authorised Economic Operator", "OEA", "opérateur économique agréé"}) {
		t.Errorf("AEO forms %q", e.Terms)
	}
	spanish := 0
	for _, e := range g.Entries {
		for _, f := range e.Terms {
			if slices.Contains(e.Languages(f), content.LanguageSpanish) {
				spanish++
				break
			}
		}
	}
	if spanish < len(g.Entries)-3 {
		t.Errorf("only %d of %d entries have a Spanish form", spanish, len(g.Entries))
	}

	// A form under terms and under a language is a form of every language;
	// an old glossary with terms only has no languages.
	g2, err := ParseGlossary([]byte("- terms: [X1, Y one]\n  fr: [X1, Y un]\n- terms: [A, B]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := g2.FormLanguages("X1"); got != nil {
		t.Errorf("X1: %v", got)
	}
	if got := g2.FormLanguages("y un"); !slices.Equal(got, []string{"fr"}) {
		t.Errorf("Y un: %v", got)
	}
	if got := g2.FormLanguages("B"); got != nil {
		t.Errorf("B: %v", got)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"- terms: [A]\n  xx: [B]\n", "field xx not found"},
		{"- en: [A]\n  fr: [a]\n", "at least two forms"},
		{"- en: [A, B]\n- es: [b, C]\n", `"b" is in entry 1`},
	} {
		if _, err := ParseGlossary([]byte(bad.yaml)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseGlossary(%q) = %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

// FuzzParseGlossary checks that a content folder's glossary either parses
// into entries of two forms or more, each form found again, or is refused.
func FuzzParseGlossary(f *testing.F) {
	f.Add(defaultGlossary)
	f.Add([]byte("- terms: [A, B]\n  es: [c]\n"))
	f.Add([]byte("- en: [A, a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGlossary(data)
		if err != nil {
			return
		}
		for _, e := range g.Entries {
			if len(e.Terms) < 2 {
				t.Fatalf("entry %q has fewer than two forms", e.Terms)
			}
			for _, f := range e.Terms {
				for _, l := range g.FormLanguages(f) {
					if !slices.Contains(content.Languages, l) {
						t.Fatalf("form %q has language %q", f, l)
					}
				}
			}
		}
	})
}
