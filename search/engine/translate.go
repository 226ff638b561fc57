package engine

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content"
	"handbook/indexer"
)

// translator turns a parsed query into a Bleve query. Each language is
// translated on its own with its own analyzer and restricted to sections in
// that language, so a stop word of one language never empties a clause of
// the other, and an exclusion only looks at the language it was analysed in.
type translator struct {
	s     *Service
	fuzzy bool // every plain word fuzzy
}

// query returns the query for the whole tree: any language may match. An
// empty tree matches every section.
func (t translator) query(root node) query.Query {
	if root == nil {
		return bleve.NewMatchAllQuery()
	}
	if bounded(root) && t.everyLanguage(root) {
		return t.node(root, anyLanguage)
	}
	var langs []query.Query
	for _, lang := range t.s.languages() {
		q := t.node(root, lang)
		if q == nil {
			continue
		}
		if !bounded(root) {
			// Only sections in the language have its text fields, so a
			// clause that needs a word or phrase stays in the language by
			// itself; one that may match without (an exclusion, a filter)
			// is kept there.
			b := bleve.NewBooleanQuery()
			b.AddMust(q)
			b.AddFilter(termQuery(indexer.FieldLang, lang))
			q = b
		}
		langs = append(langs, q)
	}
	if len(langs) == 0 {
		return nil // only stop words
	}
	return disjunction(langs)
}

// languages returns the languages of content.Languages that the index holds
// sections in: a query needs no clause for the others, whose fields no
// section has. An index without sections holds them all.
func (s *Service) languages() []string {
	held := make([]string, 0, len(content.Languages))
	for _, lang := range content.Languages {
		if s.idx.RankStats.Sections[lang] > 0 {
			held = append(held, lang)
		}
	}
	if len(held) == 0 {
		return content.Languages
	}
	return held
}

// anyLanguage translates a query for every language at once: each word or
// phrase looks in every language's fields, one disjunction fewer per hit
// than a disjunction of languages. Only sections in a language have its
// fields, so a query in which every word and phrase needs a match
// (bounded) and means something in every language (everyLanguage: no stop
// word of one language only) finds the same sections either way.
const anyLanguage = ""

// everyLanguage reports whether every word and phrase of n has a term in
// every language.
func (t translator) everyLanguage(n node) bool {
	switch n := n.(type) {
	case orNode:
		return !slices.ContainsFunc(n.any, func(c node) bool { return !t.everyLanguage(c) })
	case andNode:
		return !slices.ContainsFunc(n.must, func(c node) bool { return !t.everyLanguage(c) }) &&
			!slices.ContainsFunc(n.not, func(c node) bool { return !t.everyLanguage(c) })
	case wordNode:
		if n.prefix {
			return true
		}
		return !slices.ContainsFunc(t.s.languages(), func(l string) bool { return len(t.s.analyze(l, n.text)) == 0 })
	case phraseNode:
		return !slices.ContainsFunc(t.s.languages(), func(l string) bool { return len(t.s.analyze(l, n.text)) == 0 })
	}
	return true
}

// node translates n for one language (or anyLanguage); nil means n says
// nothing in that language (only stop words, or a glossary form of other
// languages) and is left out.
func (t translator) node(n node, lang string) query.Query {
	if lang != anyLanguage && !t.inLanguage(n, lang) {
		return nil
	}
	if lang == anyLanguage {
		switch n.(type) {
		case wordNode, phraseNode:
			var alts []query.Query
			for _, l := range t.s.languages() {
				q := t.node(n, l)
				if d, ok := q.(*query.DisjunctionQuery); ok && d.Min == 0 {
					alts = append(alts, d.Disjuncts...)
				} else if q != nil {
					alts = append(alts, q)
				}
			}
			if len(alts) == 0 {
				return nil
			}
			return disjunction(alts)
		}
	}
	switch n := n.(type) {
	case orNode:
		var alts []query.Query
		for _, c := range n.any {
			if q := t.node(c, lang); q != nil {
				alts = append(alts, q)
			}
		}
		if len(alts) == 0 {
			return nil
		}
		return disjunction(alts)
	case andNode:
		b := bleve.NewBooleanQuery()
		var must, not int
		for _, c := range n.must {
			if q := t.node(c, lang); q != nil {
				b.AddMust(q)
				must++
			}
		}
		for _, c := range n.not {
			if q := t.node(c, lang); q != nil {
				b.AddMustNot(q)
				not++
			}
		}
		if must == 0 && not == 0 {
			return nil
		}
		return b
	case wordNode:
		return t.word(n, lang)
	case phraseNode:
		switch toks := t.s.analyze(lang, n.text); len(toks) {
		case 0:
			return nil
		case 1: // the other words are stop words: no positions to compare
			return t.fields(n.field, lang, func(field string) query.Query { return termQuery(field, toks[0]) })
		}
		return t.fields(n.field, lang, func(field string) query.Query {
			if field == indexer.TextField(indexer.FieldBodyText, lang) {
				if q := t.s.pairPhrase(lang, n.text); q != nil {
					return q
				}
			}
			q := bleve.NewMatchPhraseQuery(n.text)
			q.SetField(field)
			q.Analyzer = indexer.AnalyzerFor(lang)
			return q
		})
	case filterNode:
		return t.s.filter(n)
	}
	return nil
}

// inLanguage reports whether n may be looked for in lang: anything but a
// form a glossary expansion added that the glossary gives to other
// languages only ("operador económico autorizado" is looked for in Spanish
// sections, analysed as Spanish).
func (t translator) inLanguage(n node, lang string) bool {
	var text string
	switch n := n.(type) {
	case wordNode:
		if !n.expanded {
			return true
		}
		text = n.text
	case phraseNode:
		if !n.expanded {
			return true
		}
		text = n.text
	default:
		return true
	}
	if t.s.opts.Glossary == nil {
		return true
	}
	langs := t.s.opts.Glossary.FormLanguages(text)
	return langs == nil || slices.Contains(langs, lang)
}

func (t translator) word(w wordNode, lang string) query.Query {
	if w.prefix {
		prefix := indexer.PrefixForm(lang, w.text)
		return t.fields(w.field, lang, func(field string) query.Query {
			return t.s.prefix(field, prefix)
		})
	}
	tokens := t.s.analyze(lang, w.text)
	switch {
	case len(tokens) == 0:
		return nil
	case len(tokens) > 1: // "e-commerce", "AEO/OEA": the parts in order
		return t.node(phraseNode{text: w.text, field: w.field}, lang)
	}
	tok := tokens[0]
	fuzziness := w.fuzzy
	if fuzziness == 0 && t.fuzzy {
		fuzziness = -1
	}
	if fuzziness < 0 {
		// By the word's length, and no more than the term's own length
		// allows: French stems "zzzzqqq" to "zq", which two typing errors
		// would match to every number.
		fuzziness = min(autoFuzziness(w.text), autoFuzziness(tok))
	}
	return t.fields(w.field, lang, func(field string) query.Query {
		if fuzziness > 0 {
			q := bleve.NewFuzzyQuery(tok)
			q.SetField(field)
			q.SetFuzziness(fuzziness)
			return q
		}
		return termQuery(field, tok)
	})
}

// autoFuzziness allows no typing error in very short words, one in short
// words and two in long ones.
func autoFuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	}
	return 2
}

// fields builds the clause for one term on the fields it may match: title,
// heading path and body, weighted, or only the field the user named.
func (t translator) fields(only, lang string, mk func(field string) query.Query) query.Query {
	type weighted struct {
		prefix string
		boost  float64
	}
	all := []weighted{
		{indexer.FieldBodyText, 1},
		{indexer.FieldHeadingText, t.s.opts.HeadingBoost},
		{indexer.FieldTitleText, t.s.opts.TitleBoost},
	}
	switch only {
	case FieldTitle:
		all = all[2:]
	case FieldHeading:
		all = all[1:2]
	}
	var alts []query.Query
	for _, f := range all {
		q := mk(indexer.TextField(f.prefix, lang))
		if f.boost != 1 {
			if bq, ok := q.(query.BoostableQuery); ok {
				bq.SetBoost(f.boost)
			}
		}
		alts = append(alts, q)
	}
	return disjunction(alts)
}

// filter translates a metadata filter such as org:WCO or year:2015..2020.
func (s *Service) filter(f filterNode) query.Query {
	if f.field == FieldYear {
		min, max := float64(f.from), float64(f.to)
		yes := true
		var lo, hi *float64
		if f.from != 0 {
			lo = &min
		}
		if f.to != 0 {
			hi = &max
		}
		q := bleve.NewNumericRangeInclusiveQuery(lo, hi, &yes, &yes)
		q.SetField(indexer.FieldYearNum)
		return q
	}
	v := f.value
	if c, ok := s.canon[f.field][lowerKey(v)]; ok {
		v = c
	}
	return termQuery(filterField[f.field], v)
}

// analyze returns the terms the language's analyzer makes of text.
func (s *Service) analyze(lang, text string) []string {
	var out []string
	for _, tok := range s.analyzers[lang].Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

// A prefix query looks for the most frequent of the words that begin with
// its prefix (as Lucene's top-terms rewrite does): at most prefixTerms of
// them, and no more once they hold prefixPostings occurrences in a field
// (the first is always taken). Bleve would otherwise open one searcher per
// word and score every section any of them is in: "con*" begins
// thousands of words and matches three quarters of 100,000 sections.
const (
	prefixTerms    = 64
	prefixPostings = 20_000
)

// prefix returns a query for the most frequent words of field that begin
// with prefix.
func (s *Service) prefix(field, prefix string) query.Query {
	none := bleve.NewMatchNoneQuery()
	r, err := s.idx.Reader()
	if err != nil {
		return none
	}
	defer r.Close()
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return none
	}
	defer dict.Close()
	type term struct {
		text  string
		count uint64
	}
	var all []term
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		all = append(all, term{e.Term, e.Count})
	}
	slices.SortStableFunc(all, func(a, b term) int { return cmp.Compare(b.count, a.count) })
	var top []term
	var postings uint64
	for _, t := range all {
		if len(top) == prefixTerms || len(top) > 0 && postings+t.count > prefixPostings {
			break
		}
		top = append(top, t)
		postings += t.count
	}
	if len(top) == 0 {
		return none
	}
	alts := make([]query.Query, len(top))
	for i, tm := range top {
		alts[i] = termQuery(field, tm.text)
	}
	return disjunction(alts)
}

// pairPhrase returns the query of a phrase over the body's word pairs, or nil
// when some neighbouring terms do not pair (a rarer word, which keeps a
// phrase over the body cheap, or terms too far apart): two terms make one
// pair term, more a phrase over their pairs.
func (s *Service) pairPhrase(lang, text string) query.Query {
	f := s.pairs[lang]
	if f == nil {
		return nil
	}
	toks := s.analyzers[lang].Analyze([]byte(text))
	if len(toks) < 2 {
		return nil
	}
	first := toks[0].Position
	slots := make([][]string, toks[len(toks)-2].Position-first+1)
	for i := 0; i+1 < len(toks); i++ {
		a, b := string(toks[i].Term), string(toks[i+1].Term)
		gap := toks[i+1].Position - toks[i].Position
		if gap < 1 || gap > indexer.MaxPairGap || !f.Frequent(a) || !f.Frequent(b) {
			return nil
		}
		slots[toks[i].Position-first] = []string{indexer.PairTerm(a, b, gap)}
	}
	field := indexer.TextField(indexer.FieldPairs, lang)
	if len(slots) == 1 {
		return termQuery(field, slots[0][0])
	}
	return query.NewMultiPhraseQuery(slots, field)
}
