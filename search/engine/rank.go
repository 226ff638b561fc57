package engine

import (
	"bytes"
	"cmp"
	"context"
	"maps"
	"math"
	"slices"
	"sort"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Re-ranking. Bleve's BM25 is not the BM25 of the literature (it estimates
// the average field length from the term dictionary and takes the square root
// of term frequencies), and it weighs fields inside one disjunction poorly. So
// Bleve only finds the candidates: the best rerankDepth of them are scored
// again here from Bleve's own postings, with exact statistics (field lengths
// from the norms Bleve stores, average lengths from the totals counted when
// the index was built). A section's score is the sum of
//
//   - BM25F over the body and the heading path: each field's term frequency
//     normalised by its length against the field's average, the heading's
//     weighted above the body's, summed, then saturated once with k1;
//   - the document title's own BM25, weighted below: a title speaks for
//     every section of its document, so it is weaker evidence than the
//     section's own words;
//   - heading match: the share of the heading path's terms that the query
//     has, so that a section the query names outranks one that only
//     mentions its words;
//   - proximity (BM25TP, Rasolofo and Savoy 2003): for each pair of distinct
//     query terms, 1/d² summed over their occurrences at most proxWindow
//     positions apart in the body (stop words counted), saturated with k1
//     and weighted by the smaller idf. Phrases and words that belong together
//     rank above scattered matches.
//
// The idf of a term comes from the field where it is most common. Queries
// with fuzzy or prefix words match terms that are not known in advance, so
// they keep Bleve's order, as do queries of filters only.

// rerankDepth is how many of Bleve's best candidates are re-scored,
// whichever page is asked for, so paging stays consistent: every page a
// client may reach (MaxWindow). Fewer cost relevance: at 300 SciFact's
// nDCG@10 fell from 0.7003 to 0.6972 and recall@100 from 0.914 to 0.890,
// Bleve's own order being that much worse.
const rerankDepth = search.MaxWindow

// ranking holds the re-ranking's parameters. One setting serves every
// collection: defaultRanking, with the usual BM25 constants.
type ranking struct {
	k1, b float64 // BM25 saturation, and length normalisation of the body
	// heading weighs the heading path against the body in BM25F; bHeading
	// is its length normalisation.
	heading, bHeading float64
	// title weighs the document title's BM25 against BM25F; bTitle is its
	// length normalisation.
	title, bTitle float64
	// proximity weighs the proximity score; proxWindow is the farthest two
	// terms may be apart to count.
	proximity  float64
	proxWindow int
	// headingMatch weighs the share of the heading path's terms that the
	// query matches; headingMatchShort replaces it for a query of at most
	// shortTerms terms (a short question is often a heading in other
	// words: "crontab format", "territoire douanier de l'Union").
	headingMatch, headingMatchShort float64
	shortTerms                      int
	// superseded multiplies the score of a section of a superseded edition:
	// the current edition's comes first, the old one stays findable.
	superseded float64
	// otherLanguage multiplies the score of a section in another language
	// than the query's (when the query's stop words tell it): the query's
	// language first, the others still found (glossary forms, exact words).
	otherLanguage float64
}

var defaultRanking = ranking{
	k1: 1.2, b: 0.75,
	heading: 2.5, bHeading: 0.5,
	title: 0.5, bTitle: 0.5,
	proximity: 0.25, proxWindow: 5,
	headingMatch: 2, headingMatchShort: 3, shortTerms: 3,
	superseded: 0.8, otherLanguage: 0.8,
}

// rankQuery is what re-ranking needs of a parsed query: its positive terms,
// analysed for each language.
type rankQuery struct {
	langs map[string]*langQuery
	// bounded is true when every match has one of the terms, so that their
	// document frequencies bound the number of matches.
	bounded bool
	// lang is the query's language, when its stop words tell it.
	lang string
}

type langQuery struct {
	terms []string // distinct terms, in query order
	// qtf weighs each term: how often the query has it, glossary forms
	// that the user did not type counting expansionWeight each.
	qtf []float64
	// spans are the words and phrases that a snippet marks in this
	// language: each a run of terms (indexes into terms) at offsets from
	// the first. A glossary form is marked only in its own languages, and
	// a phrase only where it occurs whole, so that "AEO" marks neither
	// "agreed" (the English stem of "agréé") nor "authorization".
	spans [][]spanTerm
}

// spanTerm is one term of a span, offset positions after its first.
type spanTerm struct {
	term   int
	offset uint64
}

// newRankQuery returns the terms to re-rank p by, or nil when p is not
// re-ranked (fuzzy or prefix words, or no words at all).
func (s *Service) newRankQuery(p *parsed, fuzzy bool) *rankQuery {
	if p.root == nil || fuzzy {
		return nil
	}
	var texts []rankText
	if !positiveTexts(p.root, &texts) || len(texts) == 0 {
		return nil
	}
	rq := &rankQuery{langs: map[string]*langQuery{}, bounded: bounded(p.root), lang: p.lang}
	for _, lang := range content.Languages {
		if s.idx.RankStats.Sections[lang] == 0 {
			continue
		}
		lq := &langQuery{}
		for _, rt := range texts {
			w := 1.0
			if rt.expanded {
				w = expansionWeight
			}
			var span []spanTerm
			toks := s.analyzers[lang].Analyze([]byte(rt.text))
			for _, tok := range toks {
				t := string(tok.Term)
				i := slices.Index(lq.terms, t)
				if i >= 0 {
					lq.qtf[i] += w
				} else {
					i = len(lq.terms)
					lq.terms = append(lq.terms, t)
					lq.qtf = append(lq.qtf, w)
				}
				span = append(span, spanTerm{term: i, offset: uint64(tok.Position - toks[0].Position)})
			}
			if len(span) > 0 && (!rt.expanded || s.formIn(rt.text, lang)) {
				lq.spans = append(lq.spans, span)
			}
		}
		if len(lq.terms) > 0 {
			rq.langs[lang] = lq
		}
	}
	if len(rq.langs) == 0 {
		return nil
	}
	return rq
}

// formIn reports whether a glossary form is marked in sections of lang: a
// form of known languages only in those, any other (an acronym) in all.
func (s *Service) formIn(form, lang string) bool {
	if s.opts.Glossary == nil {
		return true
	}
	langs := s.opts.Glossary.FormLanguages(form)
	return len(langs) == 0 || slices.Contains(langs, lang)
}

// expansionWeight weighs a term that only a glossary expansion brought
// into the query against one the user typed.
const expansionWeight = 0.2

// rankText is one word or phrase of a query; expanded when a glossary
// expansion added it.
type rankText struct {
	text     string
	expanded bool
}

// positiveTexts collects the words and phrases a matching section may
// contain, in query order, leaving out exclusions and filters. It reports
// false when a word is fuzzy or a prefix.
func positiveTexts(n node, out *[]rankText) bool {
	switch n := n.(type) {
	case orNode:
		for _, c := range n.any {
			if !positiveTexts(c, out) {
				return false
			}
		}
	case andNode:
		for _, c := range n.must {
			if !positiveTexts(c, out) {
				return false
			}
		}
	case wordNode:
		if n.fuzzy != 0 || n.prefix {
			return false
		}
		*out = append(*out, rankText{n.text, n.expanded})
	case phraseNode:
		*out = append(*out, rankText{n.text, n.expanded})
	}
	return true
}

// candidateDepth is how many candidates to ask Bleve for: rerankDepth, or
// fewer when the terms' document frequencies show that fewer sections can
// match (Bleve allocates for as many hits as it is asked for).
func (s *Service) candidateDepth(ctx context.Context, rq *rankQuery, atLeast int) (int, error) {
	most := max(rerankDepth, atLeast)
	if !rq.bounded {
		return most, nil
	}
	r, err := s.idx.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var bound uint64
	for _, lang := range content.Languages {
		lq := rq.langs[lang]
		if lq == nil {
			continue
		}
		for _, term := range lq.terms {
			for _, prefix := range []string{indexer.FieldBodyText, indexer.FieldHeadingText, indexer.FieldTitleText} {
				tfr, err := r.TermFieldReader(ctx, []byte(term), indexer.TextField(prefix, lang), false, false, false)
				if err != nil {
					return 0, err
				}
				bound += tfr.Count()
				_ = tfr.Close()
				if bound >= uint64(most) {
					return most, nil
				}
			}
		}
	}
	return max(int(bound), atLeast, 1), nil
}

// bounded reports whether every section that n matches has one of n's words
// or phrases: not so when an alternative is a filter or only an exclusion.
func bounded(n node) bool {
	switch n := n.(type) {
	case wordNode, phraseNode:
		return true
	case orNode:
		for _, c := range n.any {
			if !bounded(c) {
				return false
			}
		}
		return true
	case andNode:
		for _, c := range n.must {
			if bounded(c) {
				return true
			}
		}
	}
	return false
}

// candidate is the evidence gathered for one hit in one language.
type candidate struct {
	hit   *bsearch.DocumentMatch
	tf    []float64 // per query term: body and heading, normalised and weighted
	title []float64 // per query term: title, normalised
	// headLen is the length of the heading path, headHits how many of its
	// terms the query has.
	headLen, headHits float64
	pos               [][]uint64 // per query term: positions in the body
	// matches are the query terms found in the body, for its snippet.
	matches bsearch.FieldTermLocationMap
	// adds is what proximity added to the score, per language of
	// content.Languages (read only once set: a memo shares it).
	adds []float64
}

// rankField is one field read for re-ranking.
type rankField struct {
	name    string
	b       float64
	heading bool // count the heading's length and matched terms
	add     func(c *candidate, term int, tfn float64)
}

// proxDepth is how many of the best candidates by the other signals get the
// proximity signal: reading the body's term positions is the costly part of
// re-ranking, and one setting for every page keeps paging consistent.
const proxDepth = 100

// rerank re-scores hits (Bleve's candidates) and sorts them by the new
// score, best first; equal scores keep Bleve's order. It returns where the
// query's terms are in the body of the hits it read positions for (the best
// proxDepth); locate finds them for others.
func (s *Service) rerank(ctx context.Context, rq *rankQuery, hits []*bsearch.DocumentMatch) (map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap, error) {
	if rq == nil || len(hits) == 0 {
		return nil, nil
	}
	r, err := s.idx.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	// Postings are read in internal-id order. The index is opened read-only,
	// so the ids of the hits are those of this reader's snapshot. What an
	// earlier request with the same terms computed for a section is not
	// computed again (scoreMemo): each part depends on that section alone.
	key, memo := s.memoFor(rq)
	byID := make([]*candidate, len(hits))
	for i, h := range hits {
		byID[i] = &candidate{hit: h}
		h.Score = 0
	}
	sortByID(byID)
	fresh := memo.knownBase(byID)
	idf, err := s.scoreSplit(ctx, r, rq, fresh)
	if err != nil {
		return nil, err
	}
	memo.addBase(fresh)
	best := slices.Clone(byID)
	sort.SliceStable(best, func(i, j int) bool { return best[i].hit.Score > best[j].hit.Score })
	best = best[:min(proxDepth, len(best))]
	sortByID(best)
	fresh = memo.knownProx(best)
	for _, c := range fresh {
		c.adds = make([]float64, len(content.Languages))
	}
	for li, lang := range content.Languages {
		if lq := rq.langs[lang]; lq != nil {
			if err := s.positions(ctx, r, lang, lq, fresh); err != nil {
				return nil, err
			}
			if s.ranking.proximity > 0 {
				for _, c := range fresh {
					c.adds[li] = s.ranking.proximity * proximity(c.pos, idf[lang], s.ranking.k1, s.ranking.proxWindow)
				}
			}
		}
	}
	memo.addProx(fresh)
	s.keepMemo(key, memo)
	for _, c := range best {
		for li, lang := range content.Languages {
			if rq.langs[lang] != nil && s.ranking.proximity > 0 {
				c.hit.Score += c.adds[li]
			}
		}
	}
	if s.ranking.superseded != 1 || rq.lang != "" && s.ranking.otherLanguage != 1 {
		inLang := s.facets.inLanguage(rq.lang)
		for _, h := range hits {
			if s.facets.superseded(h.IndexInternalID) {
				h.Score *= s.ranking.superseded
			}
			if rq.lang != "" && !inLang(h.IndexInternalID) {
				h.Score *= s.ranking.otherLanguage
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	locations := make(map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap, len(best))
	for _, c := range best {
		locations[c.hit] = c.matches
	}
	return locations, nil
}

// locate adds to locations where the query's terms are in the body of the
// hits that have none yet, for their snippets.
func (s *Service) locate(ctx context.Context, rq *rankQuery, hits []*bsearch.DocumentMatch, locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap) error {
	var missing []*candidate
	for _, h := range hits {
		if _, ok := locations[h]; !ok {
			missing = append(missing, &candidate{hit: h})
		}
	}
	if len(missing) == 0 {
		return nil
	}
	r, err := s.idx.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	sortByID(missing)
	for _, lang := range content.Languages {
		if lq := rq.langs[lang]; lq != nil {
			if err := s.positions(ctx, r, lang, lq, missing); err != nil {
				return err
			}
		}
	}
	for _, c := range missing {
		locations[c.hit] = c.matches
	}
	return nil
}

func sortByID(cs []*candidate) {
	sort.Slice(cs, func(i, j int) bool {
		return bytes.Compare(cs[i].hit.IndexInternalID, cs[j].hit.IndexInternalID) < 0
	})
}

// minSplitScore is the least number of candidates whose scoring is shared
// with a spare core.
const minSplitScore = 256

// scoreSplit adds the scores of rq's terms in every language to the
// candidates (sorted by id), all but proximity, and returns the terms' idf
// by language. With many candidates and a spare core, the later half is
// scored on that core (through a reader of its own: the same snapshot).
func (s *Service) scoreSplit(ctx context.Context, r index.IndexReader, rq *rankQuery, byID []*candidate) (map[string][]float64, error) {
	all := func(r index.IndexReader, cs []*candidate) (map[string][]float64, error) {
		idf := map[string][]float64{}
		for _, lang := range content.Languages {
			if lq := rq.langs[lang]; lq != nil {
				var err error
				if idf[lang], err = s.score(ctx, r, lang, lq, cs); err != nil {
					return nil, err
				}
			}
		}
		return idf, nil
	}
	if len(byID) < s.splitScore || len(s.facets.section) < s.opts.SplitSections || s.inflight.Load() > 1 || s.spare.take(1) == 0 {
		return all(r, byID)
	}
	defer s.spare.give(1)
	s.scoreSplits.Add(1)
	half := len(byID) / 2
	var laterErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		r2, err := s.idx.Reader()
		if err != nil {
			laterErr = err
			return
		}
		defer r2.Close()
		_, laterErr = all(r2, byID[half:])
	}()
	idf, err := all(r, byID[:half])
	<-done
	if err == nil {
		err = laterErr
	}
	return idf, err
}

// score adds the scores of one language's query terms to the candidates,
// all but proximity, and returns the terms' idf.
func (s *Service) score(ctx context.Context, r index.IndexReader, lang string, lq *langQuery, byID []*candidate) ([]float64, error) {
	rk := &s.ranking
	n := len(lq.terms)
	for _, c := range byID {
		c.tf, c.title = make([]float64, n), make([]float64, n)
		c.headLen, c.headHits = 0, 0
	}
	fields := []rankField{
		{indexer.TextField(indexer.FieldBodyText, lang), rk.b, false,
			func(c *candidate, t int, tfn float64) { c.tf[t] += tfn }},
		{indexer.TextField(indexer.FieldHeadingText, lang), rk.bHeading, true,
			func(c *candidate, t int, tfn float64) { c.tf[t] += rk.heading * tfn }},
		{indexer.TextField(indexer.FieldTitleText, lang), rk.bTitle, false,
			func(c *candidate, t int, tfn float64) { c.title[t] += tfn }},
	}
	stats := s.idx.RankStats
	sections := float64(stats.Sections[lang])
	idf := make([]float64, n)
	readers := make([]index.TermFieldReader, len(fields))
	defer closeAll(readers)
	for t, term := range lq.terms {
		var df uint64
		for i, f := range fields {
			tfr, err := r.TermFieldReader(ctx, []byte(term), f.name, true, true, false)
			if err != nil {
				return nil, err
			}
			readers[i] = tfr
			df = max(df, tfr.Count())
		}
		if df > 0 {
			idf[t] = math.Log(1 + (sections-float64(df)+0.5)/(float64(df)+0.5))
		}
		for i, f := range fields {
			avg := stats.AverageLength(f.name)
			if df == 0 || readers[i].Count() == 0 || avg == 0 {
				continue
			}
			err := matches(readers[i], byID, func(c *candidate, d *index.TermFieldDoc) {
				length := avg
				if d.Norm > 0 { // Bleve stores 1/sqrt(length)
					length = math.Round(1 / (d.Norm * d.Norm))
				}
				f.add(c, t, float64(d.Freq)/(1-f.b+f.b*length/avg))
				if f.heading {
					c.headLen = length
					c.headHits += float64(d.Freq)
				}
			})
			if err != nil {
				return nil, err
			}
		}
		closeAll(readers)
	}
	for _, c := range byID {
		var bm25f, title float64
		for t := range n {
			w := lq.qtf[t] * idf[t]
			if tf := c.tf[t]; tf > 0 {
				bm25f += w * tf / (rk.k1 + tf)
			}
			if tf := c.title[t]; tf > 0 {
				title += w * tf / (rk.k1 + tf)
			}
		}
		c.hit.Score += bm25f + rk.title*title
		if c.headLen > 0 {
			hm := rk.headingMatch
			if n <= rk.shortTerms {
				hm = rk.headingMatchShort
			}
			c.hit.Score += hm * min(1, c.headHits/c.headLen)
		}
	}
	return idf, nil
}

// positions reads where one language's query terms are in the candidates'
// bodies: for proximity (c.pos) and snippets (c.matches).
func (s *Service) positions(ctx context.Context, r index.IndexReader, lang string, lq *langQuery, byID []*candidate) error {
	field := indexer.TextField(indexer.FieldBodyText, lang)
	locs := make([]map[uint64]*bsearch.Location, len(byID)) // by candidate: its terms' locations by position
	for i, c := range byID {
		c.pos = make([][]uint64, len(lq.terms))
		locs[i] = map[uint64]*bsearch.Location{}
	}
	at := make(map[*candidate]int, len(byID))
	for i, c := range byID {
		at[c] = i
	}
	for t, term := range lq.terms {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, true)
		if err != nil {
			return err
		}
		err = matches(tfr, byID, func(c *candidate, d *index.TermFieldDoc) {
			for _, v := range d.Vectors {
				c.pos[t] = append(c.pos[t], v.Pos)
				locs[at[c]][v.Pos] = &bsearch.Location{Pos: v.Pos, Start: v.Start, End: v.End}
			}
		})
		_ = tfr.Close()
		if err != nil {
			return err
		}
	}
	for i, c := range byID {
		c.markSpans(field, lq, locs[i])
	}
	return nil
}

// markSpans sets the candidate's matches, for its snippet, to the
// occurrences of lq's spans in its body: a word wherever it is, a phrase
// where its terms follow each other as in the query.
func (c *candidate) markSpans(field string, lq *langQuery, locs map[uint64]*bsearch.Location) {
	has := func(t int, p uint64) bool { return slices.Contains(c.pos[t], p) }
	for _, span := range lq.spans {
		for _, p := range c.pos[span[0].term] {
			whole := true
			for _, st := range span[1:] {
				if !has(st.term, p+st.offset) {
					whole = false
					break
				}
			}
			if !whole {
				continue
			}
			for _, st := range span {
				loc := locs[p+st.offset]
				if loc == nil {
					continue
				}
				if c.matches == nil {
					c.matches = bsearch.FieldTermLocationMap{}
				}
				if c.matches[field] == nil {
					c.matches[field] = bsearch.TermLocationMap{}
				}
				term := lq.terms[st.term]
				if !slices.ContainsFunc(c.matches[field][term], func(l *bsearch.Location) bool { return l.Pos == loc.Pos }) {
					c.matches[field][term] = append(c.matches[field][term], loc)
				}
			}
		}
	}
	for _, ls := range c.matches[field] {
		slices.SortFunc(ls, func(a, b *bsearch.Location) int { return cmp.Compare(a.Pos, b.Pos) })
	}
}

// matches walks the postings of one term in one field along the candidates
// (sorted by internal id) and calls fn for each candidate that has the term.
func matches(tfr index.TermFieldReader, byID []*candidate, fn func(*candidate, *index.TermFieldDoc)) error {
	var (
		buf index.TermFieldDoc
		cur *index.TermFieldDoc
	)
	for _, c := range byID {
		id := c.hit.IndexInternalID
		if cur != nil {
			if cmp := bytes.Compare(cur.ID, id); cmp == 0 {
				fn(c, cur)
				continue
			} else if cmp > 0 {
				continue
			}
		}
		d, err := tfr.Advance(id, buf.Reset())
		if err != nil || d == nil {
			return err
		}
		cur = d
		if bytes.Equal(d.ID, id) {
			fn(c, d)
		}
	}
	return nil
}

func closeAll(rs []index.TermFieldReader) {
	for i, r := range rs {
		if r != nil {
			_ = r.Close()
			rs[i] = nil
		}
	}
}

// proximity is BM25TP's term-proximity score: for each pair of distinct
// terms, acc = Σ 1/d² over their occurrences at most window positions apart,
// and the score sums min(idf)·acc/(k1+acc) over the pairs.
func proximity(pos [][]uint64, idf []float64, k1 float64, window int) float64 {
	type occ struct {
		pos  uint64
		term int
	}
	var occs []occ
	for t, ps := range pos {
		for _, p := range ps {
			occs = append(occs, occ{p, t})
		}
	}
	if len(occs) < 2 {
		return 0
	}
	slices.SortFunc(occs, func(a, b occ) int { return cmp.Or(cmp.Compare(a.pos, b.pos), a.term-b.term) })
	var acc map[[2]int]float64
	for i, a := range occs {
		for _, b := range occs[i+1:] {
			d := b.pos - a.pos
			if d > uint64(window) {
				break
			}
			if a.term == b.term || d == 0 {
				continue
			}
			if acc == nil {
				acc = map[[2]int]float64{}
			}
			acc[[2]int{min(a.term, b.term), max(a.term, b.term)}] += 1 / float64(d*d)
		}
	}
	// Summed in the pairs' order, so that a score is the same every time
	// to the last bit (a map's order is not).
	var score float64
	for _, k := range slices.SortedFunc(maps.Keys(acc), func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) }) {
		v := acc[k]
		score += min(idf[k[0]], idf[k[1]]) * v / (k1 + v)
	}
	return score
}
