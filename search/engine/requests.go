package engine

import (
	"context"
	"errors"
	"fmt"
	"handbook/content"
	"handbook/indexer"
	"handbook/search"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Every Bleve request is built here, through newRequest: by request (the
// handling levels and the facet filters in Bleve), by lookup (the levels
// only, for sections known by id or document) or by requestCounted (levels
// and facet filters applied per hit by the facet counter's hook,
// facetCounter.hook): the levels are never left out. do runs every request
// and counts it.

// within restricts text to the sections ids.
func within(text query.Query, ids []string) query.Query {
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
	b.AddFilter(bleve.NewDocIDQuery(ids))
	return b
}

// request builds a Bleve request for text restricted by the level filter and
// every facet filter.
func request(text query.Query, levels []string, filters map[string]query.Query, size, from int) *bleve.SearchRequest {
	visible := levelFilter(levels)
	if !showCopies(filters) {
		b := bleve.NewBooleanQuery()
		b.AddMust(visible)
		b.AddMustNot(termQuery(indexer.FieldCopy, indexer.CopyValue))
		visible = b
	}
	return newRequest(text, visible, filters, size, from)
}

// lookup builds a Bleve request for text restricted by the level filter
// only, copies included: a lookup of known sections (by id, or a document's).
func lookup(text query.Query, levels []string, size int) *bleve.SearchRequest {
	return newRequest(text, levelFilter(levels), nil, size, 0)
}

// showCopies reports whether a search shows the sections that are copies of
// a section in another file (indexer.FindCopies): only when a format is
// selected or one document is searched; otherwise a section is one hit
// that lists its copies.
func showCopies(filters map[string]query.Query) bool {
	_, one := filters[filterDoc]
	_, format := filters[search.FacetFileType]
	return one || format
}

// requestCounted is request without the level and facet filters, for a
// search whose facetCounter applies them to every hit (facetCounter.hook).
func requestCounted(text query.Query, _ []string, filters map[string]query.Query, size, from int) *bleve.SearchRequest {
	doc := map[string]query.Query{}
	if q, ok := filters[filterDoc]; ok {
		doc[filterDoc] = q
	}
	return newRequest(text, nil, doc, size, from)
}

// newRequest builds a Bleve request for text restricted by levels (when not
// nil) and every filter.
func newRequest(text query.Query, levels query.Query, filters map[string]query.Query, size, from int) *bleve.SearchRequest {
	if text == nil {
		text = bleve.NewMatchNoneQuery()
	}
	var conj []query.Query
	if levels != nil {
		conj = append(conj, levels)
	}
	if q, ok := filters[filterDoc]; ok {
		conj = append(conj, q)
	}
	for _, f := range search.Facets { // fixed order: the same query every time
		if q, ok := filters[f]; ok {
			conj = append(conj, q)
		}
	}
	if len(conj) == 0 {
		return bleve.NewSearchRequestOptions(text, size, from, false)
	}
	filter := conj[0]
	if len(conj) > 1 {
		filter = bleve.NewConjunctionQuery(conj...)
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
	b.AddFilter(filter)
	return bleve.NewSearchRequestOptions(b, size, from, false)
}

// levelFilter restricts to the handling levels the caller may see.
func levelFilter(levels []string) query.Query {
	if len(levels) == 0 {
		levels = []string{content.LevelPublic}
	}
	alts := make([]query.Query, len(levels))
	for i, l := range levels {
		alts[i] = termQuery(indexer.FieldLevel, l)
	}
	return disjunction(alts)
}

// deadline bounds a search in time and in the term lookups it may open, and
// starts the count of the engine requests it runs (requestsRun).
// It also counts the searches in flight until cancel is called (split.go).
func (s *Service) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	ctx = context.WithValue(ctx, requestsKey{}, new(atomic.Int32))
	s.inflight.Add(1)
	var once sync.Once
	return context.WithValue(ctx, bsearch.MaxTermSearchersKey, s.opts.MaxTermSearchers), func() {
		cancel()
		once.Do(func() { s.inflight.Add(-1) })
	}
}

// requestsKey holds, in a search's context, the number of Bleve requests it
// has run: do counts every one.
type requestsKey struct{}

// requestsRun is the number of Bleve requests run so far under ctx.
func requestsRun(ctx context.Context) int {
	if n, ok := ctx.Value(requestsKey{}).(*atomic.Int32); ok {
		return int(n.Load())
	}
	return 0
}

// countRequest adds one to the engine requests run under ctx.
func countRequest(ctx context.Context) {
	if n, ok := ctx.Value(requestsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
}

// do runs one Bleve request, counted.
func (s *Service) do(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	countRequest(ctx)
	return s.run(ctx, req)
}

// run runs one Bleve request, or one part of one (counted), and says what
// went wrong in the caller's terms.
func (s *Service) run(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := s.idx.SearchInContext(ctx, req)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, search.ErrTimeout
	case strings.Contains(err.Error(), "TooManyTermSearchers"):
		return nil, &search.QueryError{Msg: "the query's fuzzy or prefix words match too many terms; make them longer or more specific", Pos: -1, Code: "query.too_many_expansions"}
	}
	return nil, fmt.Errorf("search: %w", err)
}
