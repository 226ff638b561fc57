package engine

import (
	"strings"
	"testing"
)

func TestGlossary(t *testing.T) {
	g := DefaultGlossary()
	if len(g.Entries) < 35 {
		t.Errorf("default glossary has %d entries", len(g.Entries))
	}
	tests := []struct {
		typed, want string // want: display form of the entry, "" for no match
	}{
		{"AEO", "AEO"}, {"aeo", "AEO"}, {"Authorized economic operator", "AEO"}, {"opérateur économique agréé", "AEO"},
		{"operateur economique agree", "AEO"}, {"OEA", "AEO"}, {"TBML", "TBML"}, {"CD", "CD"}, {"cd", ""}, {"lo", ""},
		{"LO", "LO"}, {"livraison surveillée", "CD"}, {"port", ""},
	}
	for _, tc := range tests {
		e, ok := g.Lookup(tc.typed)
		got := ""
		if ok {
			got = e.Terms[0]
		}
		if got != tc.want {
			t.Errorf("Lookup(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
	for _, bad := range []struct{ yaml, want string }{
		{"- terms: [A, B]\n- terms: [b, C]\n", `"b" is in entry 1`},
		{"- terms: [A]\n", "at least two forms"},
		{"- term: [A, B]\n", "not found"},
		{"[]\n", "no entries"},
	} {
		if _, err := ParseGlossary([]byte(bad.yaml)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseGlossary(%q) = %v, want %q", bad.yaml, err, bad.want)
		}
	}
}
