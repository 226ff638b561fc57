package engine

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/indexer"
	"handbook/search"
)

// Related sections: more like this, lexically. A section's most distinctive
// terms (the highest tf×idf among the terms of its heading path and text,
// leaving out terms no other section has) are searched for in the body and
// heading path of the other sections of its language, and the candidates are
// re-ranked like any query.

// relatedTerms is how many distinctive terms make the query.
const relatedTerms = 12

// Related returns up to n sections like the section sectionID of document
// docID, best first, that a caller entitled to levels may see. A section
// that does not exist or that the caller may not see is ErrNotFound.
func (s *Service) Related(ctx context.Context, docID, sectionID string, levels []string, n int) ([]search.Hit, error) {
	d, ok := s.idx.Documents[docID]
	if !ok || !Allowed(d.Level, levels) {
		return nil, search.ErrNotFound
	}
	if n <= 0 {
		n = search.DefaultRelated
	}
	n = min(n, search.MaxRelated)
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	id := docID + "#" + sectionID
	req := lookup(bleve.NewDocIDQuery([]string{id}), levels, 1)
	req.Fields = []string{indexer.FieldPath, indexer.FieldLang}
	for _, l := range s.languages() {
		req.Fields = append(req.Fields, indexer.TextField(indexer.FieldBodyText, l))
	}
	res, err := s.do(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(res.Hits) == 0 {
		return nil, search.ErrNotFound
	}
	lang := sectionLang(res.Hits[0], d.Language)
	body := indexer.TextField(indexer.FieldBodyText, lang)
	terms, err := s.distinctive(ctx, lang, str(res.Hits[0].Fields[indexer.FieldPath])+"\n"+str(res.Hits[0].Fields[body]))
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return []search.Hit{}, nil
	}
	lq := &langQuery{terms: terms, qtf: make([]float64, len(terms))}
	var alts []query.Query
	for i, t := range terms {
		lq.qtf[i] = 1
		alts = append(alts, termQuery(body, t), termQuery(indexer.TextField(indexer.FieldHeadingText, lang), t))
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewDisjunctionQuery(alts...))
	b.AddMustNot(bleve.NewDocIDQuery([]string{id}))
	b.AddFilter(termQuery(indexer.FieldLang, lang))
	rq := &rankQuery{langs: map[string]*langQuery{lang: lq}, bounded: true}
	f, err := s.match(ctx, b, rq, nil, levels, nil, 0, n, true)
	if err != nil {
		return nil, err
	}
	out := make([]search.Hit, 0, len(f.hits))
	for _, h := range f.hits {
		out = append(out, s.hit(h))
	}
	return out, nil
}

// distinctive returns text's terms with the highest tf×idf in the
// language's body field, best first, leaving out numbers and terms that at
// most one section has.
func (s *Service) distinctive(ctx context.Context, lang, text string) ([]string, error) {
	tf := map[string]int{}
	for _, t := range s.analyze(lang, text) {
		if strings.IndexFunc(t, unicode.IsLetter) >= 0 && len(t) > 1 {
			tf[t]++
		}
	}
	r, err := s.idx.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	field := indexer.TextField(indexer.FieldBodyText, lang)
	sections := float64(s.idx.RankStats.Sections[lang])
	type scored struct {
		term  string
		score float64
	}
	var all []scored
	for t, n := range tf {
		tfr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t, err)
		}
		df := float64(tfr.Count())
		_ = tfr.Close()
		if df <= 1 {
			continue
		}
		idf := math.Log(1 + (sections-df+0.5)/(df+0.5))
		all = append(all, scored{t, float64(n) * idf})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].term < all[j].term
	})
	out := make([]string, 0, relatedTerms)
	for _, sc := range all[:min(len(all), relatedTerms)] {
		out = append(out, sc.term)
	}
	return out, nil
}
