package indexer

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
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
	pairShare       = 0.1
	pairSample      = 4000
	pairMinSections = 3
)

// MaxPairGap is how far apart two neighbouring terms may be to pair: 1 for
// adjacent words, 2 across one stop word ("purpose and scope").
const MaxPairGap = 2

// Analyzer types of the body and pair fields. The pair field's terms are
// made from the body's: Bleve analyses a section's fields one after the
// other, so the body's analyzer (bodyAnalyzerType, the language's chain)
// keeps its last results and the pair analyzer (pairAnalyzerType) takes the
// body's terms from there instead of analysing the text a second time.
const (
	bodyAnalyzerType = "handbook_body"
	pairAnalyzerType = "handbook_body_pairs"
)

func init() {
	registry.RegisterAnalyzer(bodyAnalyzerType, func(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		chain := maps.Clone(config)
		chain["type"] = custom.Name
		inner, err := custom.AnalyzerConstructor(chain, cache)
		if err != nil {
			return nil, err
		}
		return bodyAnalyzer{inner: inner, memo: memoFor(config)}, nil
	})
	registry.RegisterAnalyzer(pairAnalyzerType, func(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		// The body's chain, built again: analyzers are defined in no
		// particular order, so this one cannot ask for the body's by name.
		chain := maps.Clone(config)
		chain["type"] = custom.Name
		delete(chain, "filter")
		inner, err := custom.AnalyzerConstructor(chain, cache)
		if err != nil {
			return nil, err
		}
		filter, _ := config["filter"].(string)
		f, err := cache.TokenFilterNamed(filter)
		if err != nil {
			return nil, err
		}
		pf, ok := f.(*PairFilter)
		if !ok {
			return nil, fmt.Errorf("%s: %s is not a pair filter", pairAnalyzerType, filter)
		}
		return pairAnalyzer{body: bodyAnalyzer{inner: inner, memo: memoFor(config)}, filter: pf}, nil
	})
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

// bodyAnalyzer is a language's analysis chain that remembers its last
// results for the pair analyzer.
type bodyAnalyzer struct {
	inner analysis.Analyzer
	memo  *memo
}

func (a bodyAnalyzer) Analyze(text []byte) analysis.TokenStream {
	original := slices.Clone(text) // filters may change text in place (lower case)
	ts := a.inner.Analyze(text)
	a.memo.put(original, ts)
	return ts
}

// pairAnalyzer makes the pairs of the body's terms.
type pairAnalyzer struct {
	body   bodyAnalyzer
	filter *PairFilter
}

func (a pairAnalyzer) Analyze(text []byte) analysis.TokenStream {
	ts, ok := a.body.memo.take(text)
	if !ok {
		ts = a.body.inner.Analyze(text)
	}
	return a.filter.Filter(ts)
}

// memo holds the last few analyses of one chain, by text. A text is looked
// up by content, so a hit returns exactly what analysing it would.
type memo struct {
	mu      sync.Mutex
	entries [memoSize]struct {
		text []byte
		ts   analysis.TokenStream
	}
	next int
}

// memoSize covers the sections Bleve's analysis workers have in hand at once.
const memoSize = 32

var (
	memosMu sync.Mutex
	memos   = map[string]*memo{}
)

// memoFor returns the memo of a chain: analyzers built from equal
// configurations share one, whichever index defined them.
func memoFor(config map[string]any) *memo {
	key := fmt.Sprint(config["tokenizer"], config["token_filters"])
	memosMu.Lock()
	defer memosMu.Unlock()
	m := memos[key]
	if m == nil {
		m = &memo{}
		memos[key] = m
	}
	return m
}

// put remembers ts as the analysis of text, which it keeps.
func (m *memo) put(text []byte, ts analysis.TokenStream) {
	m.mu.Lock()
	e := &m.entries[m.next]
	e.text = text
	e.ts = ts
	m.next = (m.next + 1) % memoSize
	m.mu.Unlock()
}

// take returns the remembered analysis of text and forgets it.
func (m *memo) take(text []byte) (analysis.TokenStream, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		e := &m.entries[i]
		if e.ts != nil && bytes.Equal(e.text, text) {
			ts := e.ts
			e.ts = nil
			return ts, true
		}
	}
	return nil, false
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
	if a, ok := idx.Mapping().AnalyzerNamed(pairAnalyzerName(lang)).(pairAnalyzer); ok {
		return a.filter
	}
	return nil
}

func pairAnalyzerName(lang string) string { return AnalyzerFor(lang) + "_pairs" }
func pairFilterName(lang string) string   { return PairFilterType + "_" + lang }

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
			lang := d.Sections[j].Language(d.Document.Language)
			byLang[lang] = append(byLang[lang], &d.Sections[j])
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

// addPairs defines lang's body analyzer (which body must use) and its pair
// filter and analyzer, and returns the pair field beside the body field.
func addPairs(im *mapping.IndexMappingImpl, lang string, words []string, body *mapping.FieldMapping) (*mapping.FieldMapping, error) {
	list := make([]any, len(words))
	for i, w := range words {
		list[i] = w
	}
	if err := im.AddCustomTokenFilter(pairFilterName(lang), map[string]any{"type": PairFilterType, "words": list}); err != nil {
		return nil, err
	}
	bodyName := AnalyzerFor(lang) + "_body"
	if err := im.AddCustomAnalyzer(bodyName, map[string]any{
		"type": bodyAnalyzerType, "tokenizer": unicode.Name, "token_filters": baseFilters[AnalyzerFor(lang)],
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(pairAnalyzerName(lang), map[string]any{
		"type": pairAnalyzerType, "tokenizer": unicode.Name, "token_filters": baseFilters[AnalyzerFor(lang)],
		"filter": pairFilterName(lang),
	}); err != nil {
		return nil, err
	}
	body.Analyzer = bodyName
	f := *body
	f.Name = TextField(FieldPairs, lang)
	f.Analyzer = pairAnalyzerName(lang)
	f.Store = false
	return &f, nil
}
