package engine

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestEditDistanceCountsASwapAsOne(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"recieve", "receive", 1},
		{"laison", "liaison", 1},
		{"oficer", "officer", 1},
		{"cannabis", "canal", 4},
		{"zzzzqqq", "0", 7},
		{"", "abc", 3},
		{"contrôle", "controle", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// A word list is read without its names, folded, with the accents kept
// for display; near finds the forms a typing error may stand for.
func TestWordList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "words")
	if err := os.WriteFile(path, []byte("Chanel\nchannel\nchannels\nbénéficiaire\nofficer\nofficer's\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := readWordList(path)
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]bool{"chanel": false, "channel": true, "beneficiaire": true, "officer": true, "officer's": true} {
		if l.has(w) != want {
			t.Errorf("has(%q) = %v", w, !want)
		}
	}
	if got := l.near("beneficiare", 2); !slices.Equal(got, []string{"bénéficiaire"}) {
		t.Errorf("near(beneficiare) = %q", got)
	}
	if got := l.near("chanel", 1); !slices.Equal(got, []string{"channel"}) {
		t.Errorf("near(chanel) = %q", got)
	}
}

func TestSameWord(t *testing.T) {
	for _, tc := range []struct {
		spelt, typed string
		want         bool
	}{
		{"operations", "operation", true},
		{"contrôles", "controle", true},
		{"office", "oficer", false},
		{"permits", "--permits", true},
		{"d'office", "office", true},
	} {
		if got := sameWord(tc.spelt, tc.typed); got != tc.want {
			t.Errorf("sameWord(%q, %q) = %v", tc.spelt, tc.typed, got)
		}
	}
}
