package indexer

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// FoldFilter is the name of the token filter that removes accents from terms
// ("contrôle" becomes "controle", "œuvre" becomes "oeuvre"). Unlike Bleve's
// asciifolding character filter it leaves token offsets pointing into the
// original text, so highlighting stays exact.
const FoldFilter = "handbook_fold"

func init() {
	registry.RegisterTokenFilter(FoldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
}

type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if needsFold(tok.Term) {
			tok.Term = []byte(Fold(string(tok.Term)))
		}
	}
	return input
}

func needsFold(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss", "’", "'")

// Fold removes accents and expands ligatures, as the analyzers do.
func Fold(s string) string {
	s = ligatures.Replace(s)
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
