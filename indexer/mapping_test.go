package indexer

import (
	"slices"
	"strings"
	"testing"

	"handbook/content"
)

// TestAnalyzers checks each language's analyzer: a plural and its singular,
// or an accented word and its spelling without accents, make the same term,
// and a stop word makes none.
func TestAnalyzers(t *testing.T) {
	m, err := NewMapping(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, a, b string // a and b make the same single term
		stop       string
	}{
		{"en", "containers", "container", "the"},
		{"fr", "contrôles douaniers", "controle douanier", "les"},
		{"es", "mercancías", "mercancia", "los"},
		{"es", "declaraciones", "declaración", "las"},
		{"es", "contenedores", "contenedor", "del"},
		{"de", "Kontrollen", "Kontrolle", "der"},
		{"de", "Behörden", "Behoerde", "und"},
		{"de", "Straße", "Strasse", "die"},
		{"ar", "الحاويات", "الحاوية", "في"},
		{"pt", "apreensões", "apreensão", "dos"},
		{"pt", "mercadorias", "mercadoria", "não"},
		{"it", "controlli", "controllo", "della"},
		{"it", "dell'amministrazione", "amministrazione", "che"},
		{"nl", "containers", "container", "het"},
		{"nl", "zendingen", "zending", "een"},
		{"ru", "контейнеры", "контейнер", "и"},
		{"ru", "товаров", "товары", "в"},
		{"ru", "передаётся", "передается", "её"},
	}
	for _, tc := range tests {
		a := m.AnalyzerNamed(AnalyzerFor(tc.lang))
		if a == nil {
			t.Fatalf("no analyzer for %s", tc.lang)
		}
		terms := func(s string) []string {
			var out []string
			for _, tok := range a.Analyze([]byte(s)) {
				out = append(out, string(tok.Term))
			}
			return out
		}
		if x, y := terms(tc.a), terms(tc.b); len(x) == 0 || !slices.Equal(x, y) {
			t.Errorf("%s: %q is %q, %q is %q", tc.lang, tc.a, x, tc.b, y)
		}
		if x := terms(tc.stop); len(x) != 0 {
			t.Errorf("%s: stop word %q is %q", tc.lang, tc.stop, x)
		}
	}
	seen := map[string]bool{}
	for _, lang := range content.Languages {
		name := AnalyzerFor(lang)
		if seen[name] || !strings.HasSuffix(name, "_"+lang) {
			t.Errorf("language %s has analyzer %s", lang, name)
		}
		seen[name] = true
	}
}

func TestPrefixForm(t *testing.T) {
	m, err := NewMapping(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, typed, word string }{
		{"fr", "Contrô", "contrôleurs"},
		{"es", "Aduaner", "aduaneros"},
		{"de", "Zollbehö", "Zollbehörde"},
		{"ru", "Контролируем", "контролируемый"},
		{"ar", "أمن", "أمني"},
	}
	for _, tc := range tests {
		p := PrefixForm(tc.lang, tc.typed)
		toks := m.AnalyzerNamed(AnalyzerFor(tc.lang)).Analyze([]byte(tc.word))
		if len(toks) != 1 || !strings.HasPrefix(string(toks[0].Term), p) {
			t.Errorf("%s: prefix %q (from %q) does not begin %q's term %v", tc.lang, p, tc.typed, tc.word, toks)
		}
	}
	if got := PrefixForm("ru", "Й"); got != "й" {
		t.Errorf("PrefixForm(ru, Й) = %q", got)
	}
}
