package indexer

import (
	"handbook/content"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
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
			tok.Term = []byte(content.Fold(string(tok.Term)))
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
