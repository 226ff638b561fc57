package engine

import (
	"handbook/content"
	"handbook/search"
	"slices"

	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// FacetsBothWays counts every facet over the sections q matches twice: with
// the Service's table through the per-hit hook, and with Bleve's own facets
// (terms, and numeric ranges for the years). Tests compare the two.
func FacetsBothWays(ctx context.Context, s *Service, q query.Query) (ours, bleves map[string][]search.FacetValue, ourYears, bleveYears []search.YearRange, total uint64, err error) {
	c := s.facets.counter(nil, content.Levels, false)
	req := bleve.NewSearchRequestOptions(q, 10, 0, false)
	res, err := s.idx.SearchInContext(c.hook(ctx), req)
	if err != nil {
		return
	}
	total = res.Total
	if uint64(c.total) != res.Total {
		total = 0 // the hook missed hits
	}
	ours, bleves = map[string][]search.FacetValue{}, map[string][]search.FacetValue{}
	req = bleve.NewSearchRequestOptions(q, 0, 0, false)
	for _, f := range search.Facets {
		ours[f] = c.values(f, 1000)
		req.AddFacet(f, bleve.NewFacetRequest(facetField[f], 1000))
	}
	years := bleve.NewFacetRequest("year_n", len(yearRanges))
	for _, yr := range yearRanges {
		var lo, hi *float64
		if yr[0] != 0 {
			v := float64(yr[0])
			lo = &v
		}
		if yr[1] != 0 {
			v := float64(yr[1] + 1)
			hi = &v
		}
		years.AddNumericRange(newYearRange(yr[0], yr[1]).Label, lo, hi)
	}
	req.AddFacet("year_ranges", years)
	res, err = s.idx.SearchInContext(ctx, req)
	if err != nil {
		return
	}
	for _, f := range search.Facets {
		for _, t := range res.Facets[f].Terms.Terms() {
			bleves[f] = append(bleves[f], search.FacetValue{Value: t.Term, Count: t.Count})
		}
	}
	ourYears, bleveYears = c.yearRanges(), emptyYearRanges()
	for _, nr := range res.Facets["year_ranges"].NumericRanges {
		for i := range bleveYears {
			if bleveYears[i].Label == nr.Name {
				bleveYears[i].Count = nr.Count
			}
		}
	}
	return
}

// PhraseBothWays returns the sections a phrase matches in lang's body: over
// the word pairs (usedPairs false when the phrase does not pair) and as
// Bleve's phrase over the body.
func PhraseBothWays(ctx context.Context, s *Service, lang, text string) (pairs, phrase []string, usedPairs bool, err error) {
	ids := func(q query.Query) ([]string, error) {
		res, err := s.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 10000, 0, false))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out, nil
	}
	pq := bleve.NewMatchPhraseQuery(text)
	pq.SetField("body_" + lang)
	if phrase, err = ids(pq); err != nil {
		return
	}
	q := s.pairPhrase(lang, text)
	if q == nil {
		return nil, phrase, false, nil
	}
	pairs, err = ids(q)
	return pairs, phrase, true, err
}

// SelectedFacetsBothWays counts the facets of q with selected values applied
// in one pass by the Service's counter, and as Bleve would count each facet:
// q with every other facet's selection. It also returns both totals.
func SelectedFacetsBothWays(ctx context.Context, s *Service, q query.Query, selected map[string][]string) (ours, bleves map[string][]search.FacetValue, ourTotal, bleveTotal uint64, err error) {
	filters, err := s.facetFilters(selected)
	if err != nil {
		return
	}
	c := s.facets.counter(selection(filters), content.Levels, showCopies(filters))
	res, err := s.idx.SearchInContext(c.hook(ctx), bleve.NewSearchRequestOptions(q, 10, 0, false))
	if err != nil {
		return
	}
	ourTotal = c.hits(res.Total)
	ours, bleves = map[string][]search.FacetValue{}, map[string][]search.FacetValue{}
	with := func(skip string) query.Query {
		conj := []query.Query{q}
		for f, fq := range filters {
			if f != skip {
				conj = append(conj, fq)
			}
		}
		return bleve.NewConjunctionQuery(conj...)
	}
	all, err := s.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(with(""), 0, 0, false))
	if err != nil {
		return
	}
	bleveTotal = all.Total
	for _, f := range search.Facets {
		ours[f] = c.values(f, 1000)
		req := bleve.NewSearchRequestOptions(with(f), 0, 0, false)
		req.AddFacet(f, bleve.NewFacetRequest(facetField[f], 1000))
		r, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		for _, t := range r.Facets[f].Terms.Terms() {
			bleves[f] = append(bleves[f], search.FacetValue{Value: t.Term, Count: t.Count})
		}
	}
	return
}

// Splits is the number of searches s split over id ranges, and of
// re-rankings it scored on two cores.
func (s *Service) Splits() (searches, rerankings int64) { return s.splits.Load(), s.scoreSplits.Load() }

// SplitScoresFrom sets the least number of candidates scored on two cores.
func (s *Service) SplitScoresFrom(n int) { s.splitScore = n }
