package compare

import (
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// OpKind is what a diff operation does to the old text.
type OpKind string

// Kinds of diff operation.
const (
	OpEqual  OpKind = "equal"
	OpInsert OpKind = "insert"
	OpDelete OpKind = "delete"
)

// Op is a run of words the two texts share, or that one of them adds.
type Op struct {
	Kind OpKind `json:"op"`
	Text string `json:"text"` // words joined by single spaces
}

// Words diffs old and new word by word (words as separated by white space,
// with their punctuation), through diff-match-patch over one rune per
// distinct word, tidied so that a change reads as whole phrases. The diff is
// coarser past timeout, never wrong: its equal and deleted runs spell old,
// its equal and inserted runs new.
func Words(old, new string, timeout time.Duration) []Op {
	a, b := strings.Fields(quotes.Replace(old)), strings.Fields(quotes.Replace(new))
	ids := map[string]rune{}
	var words []string
	encode := func(ws []string) []rune {
		out := make([]rune, len(ws))
		for i, w := range ws {
			r, ok := ids[w]
			if !ok {
				r = tokenRune(len(words))
				ids[w] = r
				words = append(words, w)
			}
			out[i] = r
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	var ops []Op
	for _, d := range diffs {
		var text []string
		for _, r := range d.Text {
			text = append(text, words[runeToken(r)])
		}
		if len(text) == 0 {
			continue
		}
		k := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			k = OpInsert
		case diffmatchpatch.DiffDelete:
			k = OpDelete
		}
		if n := len(ops); n > 0 && ops[n-1].Kind == k {
			ops[n-1].Text += " " + strings.Join(text, " ")
			continue
		}
		ops = append(ops, Op{Kind: k, Text: strings.Join(text, " ")})
	}
	return ops
}

// tokenRune is the rune that stands for the n-th distinct word: valid runes
// only (the library turns runes into strings), so the surrogate range is
// skipped. A text has far fewer distinct words than the 1,112,064 runes.
func tokenRune(n int) rune {
	if n >= 0xD800 {
		n += 0x800
	}
	return rune(n)
}

func runeToken(r rune) int {
	n := int(r)
	if n >= 0xE000 {
		n -= 0x800
	}
	return n
}
