package engine

import (
	"context"
	"fmt"
	"handbook/indexer"
	"handbook/search"
	"math"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// A search is one plan, from the text a user typed to what is shown. Search
// and Rank run the same steps, in this order, each a function here:
//
//	parse       newPlan: the forgiving parser; question words and another
//	            language's stop words left out; the class as typed
//	rewrite     newPlan: glossary expansions; the facet and document filters
//	candidates  candidates: a cited section number's sections first (cite),
//	            else the words (find), widened to some of the words when
//	            few sections have them all (widen)
//	rank        within each candidate search: Bleve's candidates re-ranked
//	            by BM25F over the fields (match, rerank)
//	present     present: the page's hits, their glossary marks, the facet
//	            counts, the class and the count of Bleve requests
//	correct     correctResult (Search) or correction (Rank): a query that
//	            found little is checked for typing errors
//
// Every Bleve request is built by request, lookup or requestCounted and run
// by do, which counts it.

// plan is a parsed and rewritten query, ready for its candidates.
type plan struct {
	q       search.Query
	p       *parsed
	filters map[string]query.Query // selected facet values and document, as Bleve queries
}

// Search runs q and returns one page of hits with facet counts. A query
// that finds few sections is checked for typing errors: did_you_mean, and
// when it found nothing, the hits of the corrected query.
func (s *Service) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	res, pl, err := s.search(ctx, q)
	if err != nil {
		return nil, err
	}
	if (res.Total < fewResults || res.Relaxed) && !q.Fuzzy && res.Citation == "" && pl.p.root != nil {
		if err := s.correctResult(ctx, q, res); err != nil {
			return nil, err
		}
	}
	res.Class, res.Filtered, res.Requests = pl.p.class, q.Filtered(), requestsRun(ctx)
	res.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return res, nil
}

// search is Search without the correction of typing errors: parse and
// rewrite, candidates and rank, present.
func (s *Service) search(ctx context.Context, q search.Query) (*search.Result, *plan, error) {
	page, size, err := paging(q.Page, q.Size)
	if err != nil {
		return nil, nil, err
	}
	pl, err := s.newPlan(q)
	if err != nil {
		return nil, nil, err
	}
	res := &search.Result{Query: q.Text, Page: page, Size: size, Fuzzy: q.Fuzzy, Expansions: pl.p.expansions, Notes: pl.p.notes}
	main, err := s.candidates(ctx, pl, (page-1)*size, size, true, res)
	if err != nil {
		return nil, nil, err
	}
	if err := s.present(ctx, pl, main, res); err != nil {
		return nil, nil, err
	}
	return res, pl, nil
}

// newPlan parses q's text (parse) and rewrites it: the glossary expands its
// terms, and the selected facet values and document become filters.
func (s *Service) newPlan(q search.Query) (*plan, error) {
	p, err := parse(q.Text, s.opts.MaxQueryLength, s.opts.MaxQueryTerms)
	if err != nil {
		return nil, err
	}
	p.class = classify(p.root, q.Fuzzy)
	s.dropForeignStopWords(p)
	filters, err := s.facetFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	if q.Doc != "" {
		filters[filterDoc] = termQuery(indexer.FieldDocID, q.Doc)
	}
	if !q.NoExpand {
		p.root = s.expand(p.root, &p.expansions)
	}
	return &plan{q: q, p: p, filters: filters}, nil
}

// candidates finds and ranks the sections from..from+size of pl: those of a
// cited section number first when the query is a citation (res gets the
// citation), else those of its words. With page set it counts facets and
// reads the hits' fields and snippets.
func (s *Service) candidates(ctx context.Context, pl *plan, from, size int, page bool, res *search.Result) (*found, error) {
	main, err := s.cite(ctx, pl.p, pl.q, pl.filters, from, size, page, res)
	if err != nil || main != nil {
		return main, err
	}
	return s.find(ctx, pl, from, size, page)
}

// present fills res with the page main found: its hits with their glossary
// marks, the totals and pages, and the facet counts.
func (s *Service) present(ctx context.Context, pl *plan, main *found, res *search.Result) error {
	res.Relaxed, res.Widened = main.relaxed, main.widened
	if main.widened {
		res.Complete = main.complete
	}
	res.Total = main.total
	res.Pages = int(min((main.total+uint64(res.Size)-1)/uint64(res.Size), uint64(search.MaxWindow/res.Size)))
	for _, h := range main.hits {
		res.Hits = append(res.Hits, s.hit(h))
	}
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	if err := s.markGlossaryHits(ctx, pl.p, pl.q.Levels, res.Hits); err != nil {
		return err
	}
	res.Facets, res.YearRanges = s.facetCounts(pl.q, main.facets)
	return nil
}

// find runs the query's words (all of them), then widens a plain query that
// finds little (widen).
func (s *Service) find(ctx context.Context, pl *plan, from, size int, page bool) (*found, error) {
	tr := translator{s: s, fuzzy: pl.q.Fuzzy}
	rq := s.newRankQuery(pl.p, pl.q.Fuzzy)
	text := tr.query(pl.p.root)
	main, err := s.match(ctx, text, rq, nil, pl.q.Levels, pl.filters, from, size, page)
	if err != nil {
		return nil, err
	}
	return s.widen(ctx, pl, tr, rq, text, main, from, size, page)
}

// widen falls back from all words to any word when a plain query of two
// words or more finds nothing, and lists the sections with some of the
// words after those with every word when it finds little (fewer than a page
// for a long query, fewer than fewResults for two or three words).
func (s *Service) widen(ctx context.Context, pl *plan, tr translator, rq *rankQuery, text query.Query, main *found, from, size int, page bool) (*found, error) {
	p, q := pl.p, pl.q
	long := len(p.words) >= longQuery && main.total < search.DefaultPageSize || len(p.words) >= 2 && main.total < fewResults
	if !p.plain || len(p.words) < 2 || main.total > 0 && !long {
		return main, nil
	}
	var all map[string]bool // the sections with every word
	if main.total > 0 {
		every := main
		var err error
		if uint64(len(main.hits)) < main.total { // the page does not hold them all
			if every, err = s.match(ctx, text, rq, nil, q.Levels, pl.filters, 0, search.DefaultPageSize, false); err != nil {
				return nil, err
			}
		}
		all = make(map[string]bool, len(every.hits))
		for _, h := range every.hits {
			all[h.ID] = true
		}
	}
	any := orNode{}
	for _, w := range p.words {
		any.any = append(any.any, wordNode{text: w})
	}
	anyText := tr.query(s.expandIf(!q.NoExpand, any))
	wider, err := s.match(ctx, anyText, rq, all, q.Levels, pl.filters, from, size, page)
	if err != nil {
		return nil, err
	}
	if wider.total <= main.total {
		return main, nil
	}
	wider.relaxed, wider.widened = main.total == 0, main.total > 0
	wider.complete = main.total
	return wider, nil
}

// ranked is the ranking of q's first n sections as search makes it, the
// citation's first, without facets, fields or snippets; cited says whether
// q named a section number that exists.
func (s *Service) ranked(ctx context.Context, q search.Query, n int) (*found, *plan, bool, error) {
	pl, err := s.newPlan(q)
	if err != nil {
		return nil, nil, false, err
	}
	var res search.Result
	main, err := s.candidates(ctx, pl, 0, n, false, &res)
	if err != nil {
		return nil, nil, false, err
	}
	return main, pl, res.Citation != "", nil
}

// Rank returns the first n sections (at most MaxWindow) that Search lists
// for q, best first, without snippets or facets: what relevance evaluation
// needs. q.Page and q.Size are ignored.
func (s *Service) Rank(ctx context.Context, q search.Query, n int) ([]search.Ranked, error) {
	if n < 1 || n > search.MaxWindow {
		return nil, &search.QueryError{Msg: fmt.Sprintf("a ranking holds 1 to %d sections", search.MaxWindow), Pos: -1, Code: "rank.size", Args: []any{search.MaxWindow}}
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	main, pl, cited, err := s.ranked(ctx, q, n)
	if err != nil {
		return nil, err
	}
	// As Search does: a query that finds little is checked for typing errors.
	if (main.total < fewResults || main.relaxed) && !q.Fuzzy && !cited && pl.p.root != nil {
		var alt *found
		use, _, err := s.correction(ctx, q, main.total, main.relaxed, func(q search.Query) (uint64, bool, error) {
			f, _, _, err := s.ranked(ctx, q, n)
			if err != nil {
				return 0, false, err
			}
			alt = f
			return f.total, f.relaxed, nil
		})
		if err != nil {
			return nil, err
		}
		if use {
			main = alt
		}
	}
	out := make([]search.Ranked, len(main.hits))
	for i, h := range main.hits {
		doc, sec := h.ID, ""
		if j := strings.LastIndexByte(h.ID, '#'); j >= 0 {
			doc, sec = h.ID[:j], h.ID[j+1:]
		}
		out[i] = search.Ranked{DocID: doc, SectionID: sec, Score: h.Score}
	}
	return out, nil
}
