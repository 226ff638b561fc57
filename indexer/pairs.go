package indexer

import (
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"handbook/content"
)

// Word pairs. A phrase of two frequent words ("customs control") makes Bleve
// decode the positions of every section that has both words: tens of
// thousands at 100,000 sections. So the body is indexed a second time, in
// FieldPairs, as the pairs of neighbouring terms in which both terms are
// frequent (common grams): such a phrase becomes one term lookup, a longer
// one a phrase over pairs. A phrase with a rarer word stays a phrase over
// the body, which the rarer word keeps cheap. Only pairs of frequent words
// are kept, so the second field costs far less than indexing every pair.

// FieldPairs is the prefix of the per-language word-pair fields.
const FieldPairs = "pairs_"

// PairFilterType is the registered type of the token filter that makes the
// pairs; its configuration lists the frequent words ("words").
const PairFilterType = "handbook_pairs"

// Pair sampling: the frequent words of a language are the terms found in at
// least pairShare of a sample of at most pairSample of its sections (and in
// at least pairMinSections of them).
const (
	pairShare       = 0.01
	pairSample      = 4000
	pairMinSections = 3
)

// MaxPairGap is how far apart two neighbouring terms may be to pair: 1 for
// adjacent words, 2 across one stop word ("purpose and scope").
const MaxPairGap = 2

func init() {
	registry.RegisterTokenFilter(PairFilterType, func(config map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
		raw, ok := config["words"].([]any)
		if !ok {
			return nil, fmt.Errorf("%s: words must be a list", PairFilterType)
		}
		f := &PairFilter{words: make(map[string]struct{}, len(raw))}
		for _, w := range raw {
			s, ok := w.(string)
			if !ok {
				return nil, fmt.Errorf("%s: word %v is not a string", PairFilterType, w)
			}
			f.words[s] = struct{}{}
		}
		return f, nil
	})
}

// PairFilter turns a stream of analysed terms into the pairs of neighbouring
// frequent terms.
type PairFilter struct {
	words map[string]struct{}
}

// Frequent reports whether term pairs.
func (f *PairFilter) Frequent(term string) bool {
	_, ok := f.words[term]
	return ok
}

// Filter implements analysis.TokenFilter.
func (f *PairFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i := 0; i+1 < len(in); i++ {
		a, b := in[i], in[i+1]
		gap := b.Position - a.Position
		if gap < 1 || gap > MaxPairGap || !f.Frequent(string(a.Term)) || !f.Frequent(string(b.Term)) {
			continue
		}
		out = append(out, &analysis.Token{
			Term: []byte(PairTerm(string(a.Term), string(b.Term), gap)), Position: a.Position,
			Start: a.Start, End: b.End, Type: analysis.Shingle,
		})
	}
	return out
}

// PairTerm is the indexed term of the pair a, b, gap positions apart.
func PairTerm(a, b string, gap int) string {
	if gap == 1 {
		return a + " " + b
	}
	return a + " _ " + b
}

// Pairs returns the pair filter of lang's pair field, or nil when the index
// has none.
func (idx *Index) Pairs(lang string) *PairFilter {
	a, ok := idx.Mapping().AnalyzerNamed(pairAnalyzer(lang)).(*analysis.DefaultAnalyzer)
	if !ok || len(a.TokenFilters) == 0 {
		return nil
	}
	f, _ := a.TokenFilters[len(a.TokenFilters)-1].(*PairFilter)
	return f
}

func pairAnalyzer(lang string) string   { return AnalyzerFor(lang) + "_pairs" }
func pairFilterName(lang string) string { return PairFilterType + "_" + lang }

// FrequentWords samples the sections of docs in each language and returns
// the terms of the body (as the language's analyzer makes them) that are
// frequent enough to pair, sorted.
func FrequentWords(docs []content.Loaded) (map[string][]string, error) {
	m, err := NewMapping(nil)
	if err != nil {
		return nil, err
	}
	byLang := map[string][]*content.Section{}
	for i := range docs {
		d := &docs[i]
		for j := range d.Sections {
			byLang[d.Document.Language] = append(byLang[d.Document.Language], &d.Sections[j])
		}
	}
	out := map[string][]string{}
	for lang, sections := range byLang {
		a := m.AnalyzerNamed(AnalyzerFor(lang))
		if a == nil {
			return nil, fmt.Errorf("no analyzer for %s", lang)
		}
		stride := max(1, (len(sections)+pairSample-1)/pairSample)
		df := map[string]int{}
		sampled := 0
		seen := map[string]bool{}
		for i := 0; i < len(sections); i += stride {
			sampled++
			clear(seen)
			for _, tok := range a.Analyze([]byte(sections[i].Text)) {
				if t := string(tok.Term); !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
		least := max(pairMinSections, int(math.Ceil(pairShare*float64(sampled))))
		var words []string
		for t, n := range df {
			if n >= least {
				words = append(words, t)
			}
		}
		slices.Sort(words)
		if len(words) > 0 {
			out[lang] = words
		}
	}
	return out, nil
}

// addPairs adds lang's pair filter, analyzer and field (beside the body
// field fm) to the mapping.
func addPairs(im *mapping.IndexMappingImpl, lang string, words []string, body *mapping.FieldMapping) (*mapping.FieldMapping, error) {
	list := make([]any, len(words))
	for i, w := range words {
		list[i] = w
	}
	if err := im.AddCustomTokenFilter(pairFilterName(lang), map[string]any{"type": PairFilterType, "words": list}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(pairAnalyzer(lang), map[string]any{
		"type": "custom", "tokenizer": "unicode",
		"token_filters": append(slices.Clone(baseFilters[AnalyzerFor(lang)]), pairFilterName(lang)),
	}); err != nil {
		return nil, err
	}
	f := *body
	f.Name = TextField(FieldPairs, lang)
	f.Analyzer = pairAnalyzer(lang)
	f.Store = false
	return &f, nil
}
