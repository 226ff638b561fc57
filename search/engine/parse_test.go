package engine

import (
	"errors"
	"fmt"
	"handbook/search"
	"os"
	"strings"
	"testing"
)

// describe prints a parsed tree compactly: and(…), or(…), not(…), "phrase",
// field:value, word~N, word*.
func describe(n node) string {
	switch n := n.(type) {
	case nil:
		return "<empty>"
	case orNode:
		parts := make([]string, len(n.any))
		for i, c := range n.any {
			parts[i] = describe(c)
		}
		return "or(" + strings.Join(parts, " ") + ")"
	case andNode:
		var parts []string
		for _, c := range n.must {
			parts = append(parts, describe(c))
		}
		for _, c := range n.not {
			parts = append(parts, "not("+describe(c)+")")
		}
		return "and(" + strings.Join(parts, " ") + ")"
	case wordNode:
		s := n.text
		if n.field != "" {
			s = n.field + ":" + s
		}
		if n.fuzzy != 0 {
			s += fmt.Sprintf("~%d", n.fuzzy)
		}
		if n.prefix {
			s += "*"
		}
		return s
	case phraseNode:
		if n.field != "" {
			return n.field + `:"` + n.text + `"`
		}
		return `"` + n.text + `"`
	case filterNode:
		if n.field == FieldYear {
			return fmt.Sprintf("year:%d..%d", n.from, n.to)
		}
		return n.field + "=" + n.value
	}
	return "?"
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		plain    bool
	}{
		{"", "<empty>", true},
		{"port", "port", true},
		{"joint operations port", "and(joint operations port)", true},
		{`"controlled delivery"`, `"controlled delivery"`, false},
		{`“controlled delivery”`, `"controlled delivery"`, false},
		{`«livraison surveillée»`, `"livraison surveillée"`, false},
		{"AEO -mutual", "and(AEO not(mutual))", false},
		{"AEO NOT mutual", "and(AEO not(mutual))", false},
		{`-"rhino horn" ivory`, `and(ivory not("rhino horn"))`, false},
		{"e-commerce postal", "and(e-commerce postal)", true},
		{"cash OR currency", "or(cash currency)", false},
		{"cash | currency", "or(cash currency)", false},
		{"cash OU espèces", "or(cash espèces)", false},
		{"cash OR currency courier", "and(or(cash currency) courier)", false},
		{"courier cash OR currency OR BNI", "and(courier or(cash currency BNI))", false},
		{"(cash OR currency) -courier", "and(or(cash currency) not(courier))", false},
		{"((a OR b) c) OR d", "or(and(or(a b) c) d)", false},
		{"org:WCO risk", "and(org=WCO risk)", false},
		{`topic:"financial crime"`, "topic=financial crime", false},
		{"organisation:UNODC", "org=UNODC", false},
		{"year:2020", "year:2020..2020", false},
		{"year:2015..2020", "year:2015..2020", false},
		{"year:2015..", "year:2015..0", false},
		{"year:..2015", "year:0..2015", false},
		{"title:kyoto", "title:kyoto", false},
		{`heading:"red flags"`, `heading:"red flags"`, false},
		{`number:"Article 18"`, "number=Article 18", false},
		{"valuation~", "valuation~-1", false},
		{"contrl~2", "contrl~2", false},
		{"launder*", "launder*", false},
		{"3:2 ratio", "and(3:2 ratio)", true},
		{"AND and", "and", true},
		{"Debian (DFSG) principles", "and(Debian DFSG principles)", true}, // parentheses around words change nothing
		{"(ivory permits) -border", "and(ivory permits not(border))", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := describe(p.root); got != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
			if p.plain != tc.plain {
				t.Errorf("Parse(%q).plain = %v, want %v", tc.in, p.plain, tc.plain)
			}
		})
	}
}

// TestParseForgives: what people type is never refused. An operator or a
// field that cannot apply is read as words or left out, with a note.
func TestParseForgives(t *testing.T) {
	tests := []struct{ in, want, note string }{
		{`"controlled delivery`, "and(controlled delivery)", "quotation mark was not closed"},
		{`port "controlled delivery`, "and(port controlled delivery)", "quotation mark was not closed"},
		{"(cash OR currency", "or(cash currency)", "parenthesis was not closed"},
		{"cash)", "cash", "closing parenthesis had no opening one"},
		{"cash) courier", "and(cash courier)", "closing parenthesis had no opening one"},
		{"() port", "port", ""},
		{`"" port`, "port", ""},
		{"OR cash", "cash", "OR needs a term on each side"},
		{"cash OR", "cash", "OR needs a term on each side"},
		{"cash OR OR currency", "and(cash currency)", "OR needs a term on each side"},
		{"cash OR -currency", "and(cash not(currency))", "OR needs a term on each side"},
		{"cash -", "cash", ""},
		{"cash - currency", "and(cash currency)", ""},
		{"NOT", "<empty>", "must be followed by"},
		{"cash NOT", "cash", "must be followed by"},
		{"colour:red", `or(colour:red "colour red")`, `colour is not a field`},
		{"file:line:column", `or(file:line:column "file line column")`, "file is not a field"},
		{"Note: the port", "and(Note the port)", ""},
		{"org: WCO", "and(org WCO)", "org: had no value"},
		{"year:20x", `"year 20x"`, "year:20x is not a year"},
		{"year:2020..2010", "year:2010..2020", "starts after it ends"},
		{"word~3", "word~2", "1 or 2 typing errors"},
		{"approx ~5 kg", "and(approx ~5 kg)", ""},
		{"a*", "a", "at least two letters"},
		{"*", "<empty>", ""},
		{"wo*rd", "wo*rd", ""},
		{"port*~", "port*", "both a prefix"},
		{"what is an AEO?", "AEO", ""},
		{"AEO?", "AEO", ""},
		{"¿qué es un OEA?", "OEA", ""},
		{"que faire d'espèces trouvées sur un voyageur ?", "and(d'espèces trouvées voyageur)", ""},
		{"comment déclarer des espèces", "and(déclarer espèces)", ""},
		{"public comment procedure", "and(public comment procedure)", ""}, // not a question: every word kept
		{"how do I", "and(how do I)", ""},                                 // nothing but filler: kept
		{"C++ --version e-mail U.S.", "and(C++ --version e-mail U.S)", ""},
		{"?", "<empty>", ""},
		{"!!!", "<empty>", ""},
		{strings.Repeat("(", 12) + "a" + strings.Repeat(")", 12), "a", "nested more than"},
		{"((cash OR currency) courier", "and(or(cash currency) courier)", "parenthesis was not closed"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := describe(p.root); got != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
			notes := strings.Join(p.notes, "; ")
			if tc.note != "" && !strings.Contains(notes, tc.note) {
				t.Errorf("Parse(%q) notes %q, want one containing %q", tc.in, notes, tc.note)
			}
			if tc.note == "" && notes != "" {
				t.Errorf("Parse(%q) notes %q, want none", tc.in, notes)
			}
		})
	}
}

// TestParseErrors: only what cannot be read at all is refused.
func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{strings.Repeat("word ", 33), "the limit is 32"},
		{strings.Repeat("x", search.MaxQueryLength+1), "characters long"},
		{"\xff\xfe", "not valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error containing %q", tc.in, tc.want)
			}
			if !errors.Is(err, search.ErrBadQuery) {
				t.Errorf("Parse(%q) error %v is not ErrBadQuery", tc.in, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.in, err, tc.want)
			}
		})
	}
}

// FuzzParse checks that no input panics, and that every error is a bad-query
// error (a user's mistake, never an internal failure).
func FuzzParse(f *testing.F) {
	seeds, err := os.ReadFile("../testdata/fuzz/queries.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(seeds), "\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := Parse(q)
		if err != nil {
			if !errors.Is(err, search.ErrBadQuery) {
				t.Fatalf("Parse(%q) error %v is not ErrBadQuery", q, err)
			}
			return
		}
		if p == nil {
			t.Fatalf("Parse(%q) returned nil without error", q)
		}
	})
}
