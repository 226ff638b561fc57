package engine

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"handbook/indexer"
)

// Every core for one request. Bleve matches and collects a query's hits on
// one goroutine, so on an idle machine one request uses one core. A
// counted search (the page's: facets and levels through the facet
// counter's hook) is instead run over Options.Partitions ranges of internal
// ids at once, each through its own counter, and merged: the totals and
// facet counts summed, the hits kept as Bleve's top-N collector would over
// the whole (by score, then collection order, which is id order). Scores
// are Bleve's, from index-wide statistics, so they do not depend on the
// ranges: the results are exactly those of one search (TestSplitChangesNothing).
// A range costs one spare core: a request splits only when no other search
// of the Service is running, and into as many ranges as there are cores
// nobody else's range holds, so a busy server runs requests whole, as
// before (splitting costs some work twice: each range looks its terms up).

// minSplitSections is the default of Options.SplitSections.
const minSplitSections = 20_000

// rangeQuery matches what q matches among the sections whose internal ids
// are in [lo, hi); nil is unbounded.
type rangeQuery struct {
	q      query.Query
	lo, hi index.IndexInternalID
}

func (r rangeQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := r.q.Searcher(ctx, i, m, o)
	if err != nil {
		return nil, err
	}
	return &rangeSearcher{Searcher: s, lo: r.lo, hi: r.hi}, nil
}

// rangeSearcher is a searcher that starts at lo and ends before hi.
type rangeSearcher struct {
	bsearch.Searcher
	lo, hi  index.IndexInternalID
	started bool
}

func (s *rangeSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started && s.lo != nil {
		return s.Advance(ctx, s.lo)
	}
	s.started = true
	d, err := s.Searcher.Next(ctx)
	return s.within(ctx, d, err)
}

func (s *rangeSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	s.started = true
	if s.lo != nil && bytes.Compare(id, s.lo) < 0 {
		id = s.lo
	}
	d, err := s.Searcher.Advance(ctx, id)
	return s.within(ctx, d, err)
}

func (s *rangeSearcher) within(ctx *bsearch.SearchContext, d *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if err != nil || d == nil || s.hi == nil || bytes.Compare(d.IndexInternalID, s.hi) < 0 {
		return d, err
	}
	ctx.DocumentMatchPool.Put(d)
	return nil, nil
}

// spareCores hands out the cores a request may take for its other ranges.
type spareCores chan struct{}

func newSpareCores(n int) spareCores {
	return make(spareCores, max(n, 0))
}

// take returns how many of at most n cores it got (give them back with
// give).
func (c spareCores) take(n int) int {
	got := 0
	for got < n {
		select {
		case c <- struct{}{}:
			got++
		default:
			return got
		}
	}
	return got
}

func (c spareCores) give(n int) {
	for range n {
		<-c
	}
}

// ranges returns the bounds of the ranges one counted search runs over,
// and how many spare cores it took for them; nil when it runs whole.
func (s *Service) ranges() ([]index.IndexInternalID, int) {
	sections := len(s.facets.section)
	if s.opts.Partitions < 2 || sections < s.opts.SplitSections || s.inflight.Load() > 1 {
		return nil, 0
	}
	got := s.spare.take(s.opts.Partitions - 1)
	if got == 0 {
		return nil, 0
	}
	parts := got + 1
	bounds := make([]index.IndexInternalID, parts+1) // bounds[0] and bounds[parts] nil: unbounded
	for k := 1; k < parts; k++ {
		bounds[k] = indexer.InternalID(uint32(sections * k / parts))
	}
	return bounds, got
}

// counted runs req (built by requestCounted) through counter's hook, and
// records its matches in rec when rec is not nil, over several id ranges
// at once when cores are spare. It counts as one engine request.
func (s *Service) counted(ctx context.Context, counter *facetCounter, rec *matchList, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	bounds, took := s.ranges()
	if bounds == nil {
		return s.do(counter.hookRecording(ctx, rec), req)
	}
	defer s.spare.give(took)
	countRequest(ctx)
	s.splits.Add(1)
	parts := len(bounds) - 1
	counters := make([]*facetCounter, parts)
	recs := make([]*matchList, parts)
	results := make([]*bleve.SearchResult, parts)
	errs := make([]error, parts)
	run := func(k int) {
		sub := *req
		sub.Query = rangeQuery{q: req.Query, lo: bounds[k], hi: bounds[k+1]}
		sub.From, sub.Size = 0, req.From+req.Size
		counters[k] = counter.fork()
		if rec != nil {
			recs[k] = &matchList{}
		}
		results[k], errs[k] = s.run(counters[k].hookRecording(ctx, recs[k]), &sub)
	}
	var wg sync.WaitGroup
	for k := 1; k < parts; k++ {
		wg.Go(func() { run(k) })
	}
	run(0)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := &bleve.SearchResult{Status: results[0].Status, Request: req}
	counter.hooked = true
	for k, r := range results {
		out.Total += r.Total
		out.MaxScore = max(out.MaxScore, r.MaxScore)
		out.Took = max(out.Took, r.Took)
		out.Hits = append(out.Hits, r.Hits...)
		counter.absorb(counters[k])
		if rec != nil {
			rec.nums = append(rec.nums, recs[k].nums...)
			rec.scores = append(rec.scores, recs[k].scores...)
		}
	}
	// The ranges are in id order, each's hits in its collection order: a
	// stable sort by score orders them as one collection would.
	sort.SliceStable(out.Hits, func(i, j int) bool { return out.Hits[i].Score > out.Hits[j].Score })
	out.Hits = slices.Clip(out.Hits[min(req.From, len(out.Hits)):min(req.From+req.Size, len(out.Hits))])
	return out, nil
}
