package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Options configures a Service. Zero values take the documented defaults.
type Options struct {
	// Timeout bounds one search (default 5s).
	Timeout time.Duration
	// MaxTermSearchers bounds the term lookups one search may open, including
	// the expansions of fuzzy and prefix words (default 2048). Bleve expands
	// them before it checks any deadline.
	MaxTermSearchers int
	// HeadingBoost and TitleBoost weigh a match in the heading path and in
	// the document title against one in the body when Bleve finds the
	// candidates (defaults 2 and 1.5); re-ranking has its own weights.
	HeadingBoost, TitleBoost float64
	// MaxQueryLength and MaxQueryTerms bound what a query may hold (defaults
	// the package's MaxQueryLength and MaxQueryTerms). Evaluation raises them
	// for collections of long questions.
	MaxQueryLength, MaxQueryTerms int
	// Glossary expands a query's acronyms and terms to their other forms
	// (default DefaultGlossary()).
	Glossary *Glossary
}

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.MaxTermSearchers <= 0 {
		o.MaxTermSearchers = 2048
	}
	if o.HeadingBoost <= 0 {
		o.HeadingBoost = 2
	}
	if o.TitleBoost <= 0 {
		o.TitleBoost = 1.5
	}
	if o.MaxQueryLength <= 0 {
		o.MaxQueryLength = search.MaxQueryLength
	}
	if o.MaxQueryTerms <= 0 {
		o.MaxQueryTerms = search.MaxQueryTerms
	}
	if o.Glossary == nil {
		o.Glossary = DefaultGlossary()
	}
}

// Service searches one opened index.
type Service struct {
	idx       *indexer.Index
	opts      Options
	analyzers map[string]analysis.Analyzer // by language
	// canon maps a field to its values, lower-cased, to the indexed spelling,
	// so org:wco finds "WCO".
	canon map[string]map[string]string
	// ranking is the re-ranking's setting: defaultRanking.
	ranking ranking
	// facets holds every section's facet values, for counting.
	facets *facetTable
	// pairs are the word-pair filters of the languages that have them.
	pairs map[string]*indexer.PairFilter
}

// New returns a Service over idx.
func New(idx *indexer.Index, opts Options) (*Service, error) {
	opts.defaults()
	s := &Service{idx: idx, opts: opts, analyzers: map[string]analysis.Analyzer{}, canon: map[string]map[string]string{}, ranking: defaultRanking, pairs: map[string]*indexer.PairFilter{}}
	m := idx.Mapping()
	for _, lang := range content.Languages {
		a := m.AnalyzerNamed(indexer.AnalyzerFor(lang))
		if a == nil {
			return nil, fmt.Errorf("index has no analyzer %s", indexer.AnalyzerFor(lang))
		}
		s.analyzers[lang] = a
		if f := idx.Pairs(lang); f != nil {
			s.pairs[lang] = f
		}
	}
	add := func(field, v string) {
		if s.canon[field] == nil {
			s.canon[field] = map[string]string{}
		}
		if v != "" {
			s.canon[field][strings.ToLower(v)] = v
		}
	}
	for _, d := range idx.Catalog {
		for _, o := range d.Organizations {
			add(FieldOrg, o)
		}
		for _, t := range d.Topics {
			add(FieldTopic, t)
		}
		add(FieldType, d.Type)
		add(FieldLang, d.Language)
		add(FieldStatus, d.Status)
	}
	dict, err := idx.FieldDict(indexer.FieldNumber)
	if err != nil {
		return nil, fmt.Errorf("read section numbers: %w", err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("read section numbers: %w", err)
		}
		if e == nil {
			break
		}
		add(FieldNumber, e.Term)
	}
	r, err := s.idx.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if s.facets, err = newFacetTable(context.Background(), r); err != nil {
		return nil, err
	}
	return s, nil
}

// facetField maps a facet name to its index field.
var facetField = map[string]string{
	search.FacetTopic: indexer.FieldTopic, search.FacetOrg: indexer.FieldOrg, search.FacetType: indexer.FieldType,
	search.FacetLang: indexer.FieldLang, search.FacetYear: indexer.FieldYear, search.FacetFileType: indexer.FieldFormat,
}

// filterField maps a query field to its index field and canon key.
var filterField = map[string]string{
	FieldOrg: indexer.FieldOrg, FieldTopic: indexer.FieldTopic, FieldType: indexer.FieldType,
	FieldLang: indexer.FieldLang, FieldStatus: indexer.FieldStatus, FieldNumber: indexer.FieldNumber,
}

// facetSize is how many values each facet returns.
var facetSize = map[string]int{search.FacetTopic: 30, search.FacetOrg: 30, search.FacetType: 20, search.FacetLang: 10, search.FacetYear: 50, search.FacetFileType: 10}

// storedFields are the fields a hit reads back.
var storedFields = []string{
	indexer.FieldDocID, indexer.FieldSectionID, indexer.FieldTitle, indexer.FieldPath, indexer.FieldHeading,
	indexer.FieldNumber, indexer.FieldPage, indexer.FieldPageEnd, indexer.FieldOrg, indexer.FieldType,
	indexer.FieldTopic, indexer.FieldLang, indexer.FieldYearNum, indexer.FieldEdition, indexer.FieldStatus,
	indexer.FieldLevel, indexer.FieldPageBreaks, indexer.FieldFormat, indexer.FieldCopies,
}

// Search runs q and returns one page of hits with facet counts. A query
// that finds few sections is checked for typing errors: did_you_mean, and
// when it found nothing, the hits of the corrected query.
func (s *Service) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	res, p, err := s.search(ctx, q)
	if err != nil {
		return nil, err
	}
	if (res.Total < fewResults || res.Relaxed) && !q.Fuzzy && res.Citation == "" && p.root != nil {
		if err := s.correctResult(ctx, q, res); err != nil {
			return nil, err
		}
	}
	res.Class, res.Filtered, res.Requests = p.class, q.Filtered(), requestsRun(ctx)
	res.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return res, nil
}

// search is Search without the correction of typing errors.
func (s *Service) search(ctx context.Context, q search.Query) (*search.Result, *parsed, error) {
	page, size, err := paging(q.Page, q.Size)
	if err != nil {
		return nil, nil, err
	}
	p, filters, err := s.prepare(q)
	if err != nil {
		return nil, nil, err
	}
	res := &search.Result{Query: q.Text, Page: page, Size: size, Fuzzy: q.Fuzzy, Expansions: p.expansions, Notes: p.notes}
	main, err := s.cite(ctx, p, q, filters, (page-1)*size, size, true, res)
	if err != nil {
		return nil, nil, err
	}
	if main == nil {
		if main, err = s.find(ctx, p, q, filters, (page-1)*size, size, true); err != nil {
			return nil, nil, err
		}
	}
	res.Relaxed, res.Widened = main.relaxed, main.widened
	if main.widened {
		res.Complete = main.complete
	}
	res.Total = main.total
	res.Pages = int(min((main.total+uint64(size)-1)/uint64(size), uint64(search.MaxWindow/size)))
	for _, h := range main.hits {
		res.Hits = append(res.Hits, s.hit(h))
	}
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	if err := s.markGlossaryHits(ctx, p, q.Levels, res.Hits); err != nil {
		return nil, nil, err
	}
	res.Facets, res.YearRanges = s.facetCounts(q, main.facets)
	return res, p, nil
}

// ranked is the ranking of q's first n sections as search makes it, the
// citation's first, without facets, fields or snippets; cited says whether
// q named a section number that exists.
func (s *Service) ranked(ctx context.Context, q search.Query, n int) (*found, *parsed, bool, error) {
	p, filters, err := s.prepare(q)
	if err != nil {
		return nil, nil, false, err
	}
	var res search.Result
	main, err := s.cite(ctx, p, q, filters, 0, n, false, &res)
	if err != nil {
		return nil, nil, false, err
	}
	if main == nil {
		if main, err = s.find(ctx, p, q, filters, 0, n, false); err != nil {
			return nil, nil, false, err
		}
	}
	return main, p, res.Citation != "", nil
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
	main, p, cited, err := s.ranked(ctx, q, n)
	if err != nil {
		return nil, err
	}
	// As Search does: a query that finds little is checked for typing errors.
	if (main.total < fewResults || main.relaxed) && !q.Fuzzy && !cited && p.root != nil {
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

// prepare parses the query text and the selected facet values.
func (s *Service) prepare(q search.Query) (*parsed, map[string]query.Query, error) {
	p, err := parse(q.Text, s.opts.MaxQueryLength, s.opts.MaxQueryTerms)
	if err != nil {
		return nil, nil, err
	}
	p.class = classify(p.root, q.Fuzzy)
	s.dropForeignStopWords(p)
	filters, err := s.facetFilters(q.Filters)
	if err != nil {
		return nil, nil, err
	}
	if q.Doc != "" {
		filters[filterDoc] = termQuery(indexer.FieldDocID, q.Doc)
	}
	if !q.NoExpand {
		p.root = s.expand(p.root, &p.expansions)
	}
	return p, filters, nil
}

// deadline bounds a search in time and in the term lookups it may open, and
// starts the count of the engine requests it runs (requestsRun).
func (s *Service) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	ctx = context.WithValue(ctx, requestsKey{}, new(atomic.Int32))
	return context.WithValue(ctx, bsearch.MaxTermSearchersKey, s.opts.MaxTermSearchers), cancel
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

// longQuery is the number of words from which a plain query reads as a
// sentence or a question rather than a list of keywords. Every word of a
// shorter query is required (sections with any of them are shown only when
// none has all). When fewer than a page (DefaultPageSize) of sections has
// every word of a longer query, the sections with every word come first and
// the sections with some of the words follow, best first.
const longQuery = 4

// A query of two or three plain words that finds fewer than fewResults
// sections (the same "little" that asks for a correction) is widened as a
// long one is: the sections with every word first, then those with some.

// found is what one search found: the total, the facet counts (when asked
// for) and the hits from..from+size in ranked order.
type found struct {
	total   uint64
	facets  *facetCounter // every facet's counts, when asked for
	hits    []*bsearch.DocumentMatch
	relaxed bool // no section had every word: these have any
	widened bool // the sections with every word come first, then those with some
	// complete is, when widened, the number of sections with every word.
	complete uint64
}

// find runs the parsed query, falling back from all words to any word when
// a plain query finds nothing, and widening a long one that finds little.
// With page set it counts facets and reads the hits' fields and snippets.
func (s *Service) find(ctx context.Context, p *parsed, q search.Query, filters map[string]query.Query, from, size int, page bool) (*found, error) {
	tr := translator{s: s, fuzzy: q.Fuzzy}
	rq := s.newRankQuery(p, q.Fuzzy)
	text := tr.query(p.root)
	main, err := s.match(ctx, text, rq, nil, q.Levels, filters, from, size, page)
	if err != nil {
		return nil, err
	}
	long := len(p.words) >= longQuery && main.total < search.DefaultPageSize || len(p.words) >= 2 && main.total < fewResults
	if !p.plain || len(p.words) < 2 || main.total > 0 && !long {
		return main, nil
	}
	var all map[string]bool // the sections with every word
	if main.total > 0 {
		every := main
		if uint64(len(main.hits)) < main.total { // the page does not hold them all
			if every, err = s.match(ctx, text, rq, nil, q.Levels, filters, 0, search.DefaultPageSize, false); err != nil {
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
	wider, err := s.match(ctx, anyText, rq, all, q.Levels, filters, from, size, page)
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

// match runs one Bleve query. Without re-ranking Bleve returns the page
// itself; with it Bleve returns its best rerankDepth candidates, which are
// re-scored (those in first ahead of the others), and the page's fields and
// snippets are read afterwards.
func (s *Service) match(ctx context.Context, text query.Query, rq *rankQuery, first map[string]bool, levels []string, filters map[string]query.Query, from, size int, page bool) (*found, error) {
	// With a page to show, the facets are counted and the handling levels
	// checked per hit from the facet table (Bleve's filter advances one
	// more searcher per hit); without, Bleve filters.
	var counter *facetCounter
	build := request
	unhooked := ctx // for the searches after the counted one: they must not count again
	if page {
		counter = s.facets.counter(selection(filters), levels, showCopies(filters))
		ctx = counter.hook(ctx)
		build = requestCounted
	}
	if rq == nil && len(first) == 0 {
		req := build(text, levels, filters, size, from)
		if page {
			s.display(req)
		}
		res, err := s.do(ctx, req)
		if err != nil {
			return nil, err
		}
		return &found{total: counter.hits(res.Total), facets: counter, hits: res.Hits}, nil
	}
	depth := max(rerankDepth, from+size)
	if rq != nil {
		var err error
		if depth, err = s.candidateDepth(ctx, rq, from+size); err != nil {
			return nil, err
		}
	}
	req := build(text, levels, filters, depth, 0)
	res, err := s.do(ctx, req)
	if err != nil {
		return nil, err
	}
	locations, err := s.rerank(ctx, rq, res.Hits[:min(rerankDepth, len(res.Hits))])
	if err != nil {
		return nil, fmt.Errorf("re-rank: %w", err)
	}
	if len(first) > 0 {
		sort.SliceStable(res.Hits, func(i, j int) bool { return first[res.Hits[i].ID] && !first[res.Hits[j].ID] })
	}
	hits := res.Hits[min(from, len(res.Hits)):min(from+size, len(res.Hits))]
	if page && len(hits) > 0 {
		if locations != nil {
			if err := s.locate(unhooked, rq, hits, locations); err != nil {
				return nil, err
			}
		}
		if hits, err = s.load(unhooked, text, levels, hits, locations); err != nil {
			return nil, err
		}
	}
	return &found{total: counter.hits(res.Total), facets: counter, hits: hits}, nil
}

// load reads the stored fields and snippets of ranked hits, keeping their
// order and scores. Re-ranking found where the query's terms are in each
// hit's body (locations); without them the query runs again on the hits
// alone for Bleve to find them.
func (s *Service) load(ctx context.Context, text query.Query, levels []string, hits []*bsearch.DocumentMatch, locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap) ([]*bsearch.DocumentMatch, error) {
	if locations != nil {
		return s.loadDirect(hits, locations)
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := lookup(within(text, ids), levels, len(ids))
	s.display(req)
	res, err := s.do(ctx, req)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(res.Hits))
	for _, m := range res.Hits {
		byID[m.ID] = m
	}
	out := make([]*bsearch.DocumentMatch, 0, len(hits))
	for _, h := range hits {
		if m := byID[h.ID]; m != nil {
			m.Score = h.Score
			h = m
		}
		out = append(out, h)
	}
	return out, nil
}

// loadDirect reads the hits' stored fields and highlights their bodies at the
// given locations with Bleve's own highlighter, as a search would.
func (s *Service) loadDirect(hits []*bsearch.DocumentMatch, locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap) ([]*bsearch.DocumentMatch, error) {
	highlighter, err := bleve.Config.Cache.HighlighterNamed(highlightStyle)
	if err != nil {
		return nil, fmt.Errorf("highlighter: %w", err)
	}
	r, err := s.idx.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	req := bleve.NewSearchRequest(nil)
	s.display(req)
	for _, h := range hits {
		h.Locations = locations[h]
		if err, _ := bleve.LoadAndHighlightFields(h, req, "", r, highlighter); err != nil {
			return nil, fmt.Errorf("read %s: %w", h.ID, err)
		}
	}
	return hits, nil
}

func paging(page, size int) (int, int, error) {
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = search.DefaultPageSize
	}
	if page < 1 {
		return 0, 0, &search.QueryError{Msg: "page must be 1 or more", Pos: -1, Code: "page.min"}
	}
	if size < 1 || size > search.MaxPageSize {
		return 0, 0, &search.QueryError{Msg: fmt.Sprintf("size must be between 1 and %d", search.MaxPageSize), Pos: -1, Code: "size.range", Args: []any{search.MaxPageSize}}
	}
	// Compared without multiplying: page × size could overflow and wrap
	// around to a shallow page.
	if page > search.MaxWindow/size {
		return 0, 0, &search.QueryError{Msg: fmt.Sprintf("page %d is too deep: only the first %d results can be paged through; refine the query or add filters", page, search.MaxWindow), Pos: -1, Code: "page.too_deep", Args: []any{page, search.MaxWindow}}
	}
	return page, size, nil
}

// facetFilters turns selected facet values into one filter per facet.
func (s *Service) facetFilters(selected map[string][]string) (map[string]query.Query, error) {
	out := map[string]query.Query{}
	for facet, values := range selected {
		field, ok := facetField[facet]
		if !ok {
			return nil, &search.QueryError{Msg: fmt.Sprintf("unknown filter %q; filters are %s", facet, strings.Join(search.Facets, ", ")), Pos: -1, Code: "filter.unknown", Args: []any{facet, strings.Join(search.Facets, ", ")}}
		}
		if len(values) > search.MaxFilterValues {
			return nil, &search.QueryError{Msg: fmt.Sprintf("too many %s values (the limit is %d)", facet, search.MaxFilterValues), Pos: -1, Code: "filter.too_many", Args: []any{facet, search.MaxFilterValues}}
		}
		var alts []query.Query
		for _, v := range dedupe(values) {
			if facet == search.FacetYear {
				if _, err := strconv.Atoi(v); err != nil {
					return nil, &search.QueryError{Msg: fmt.Sprintf("year %q is not a year", v), Pos: -1, Code: "year.invalid", Args: []any{v}}
				}
			} else if c, ok := s.canon[facet][strings.ToLower(v)]; ok {
				v = c
			}
			alts = append(alts, termQuery(field, v))
		}
		if len(alts) > 0 {
			out[facet] = disjunction(alts)
		}
	}
	return out, nil
}

func dedupe(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
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

// Allowed reports whether a document of level lvl may be shown to a caller
// entitled to levels.
func Allowed(lvl string, levels []string) bool {
	if len(levels) == 0 {
		return lvl == content.LevelPublic
	}
	return slices.Contains(levels, lvl)
}

// filterDoc is the key of Query.Doc's filter among the facet filters: it
// applies to every request, facet counts included, and is no facet.
const filterDoc = "_doc"

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

// selection returns the values each facet filter selects (the terms of its
// term queries).
func selection(filters map[string]query.Query) map[string][]string {
	out := map[string][]string{}
	for _, f := range search.Facets {
		var terms func(q query.Query)
		terms = func(q query.Query) {
			switch q := q.(type) {
			case *query.TermQuery:
				out[f] = append(out[f], q.Term)
			case *query.DisjunctionQuery:
				for _, d := range q.Disjuncts {
					terms(d)
				}
			}
		}
		if q, ok := filters[f]; ok {
			terms(q)
		}
	}
	return out
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

// highlightStyle is Bleve's highlighter for snippets: it escapes the text
// and marks matches with <mark>.
const highlightStyle = "html"

// display asks for the fields and snippets a hit shows.
func (s *Service) display(req *bleve.SearchRequest) {
	req.Fields = storedFields
	for _, lang := range content.Languages {
		req.Fields = append(req.Fields[:len(req.Fields):len(req.Fields)], indexer.TextField(indexer.FieldBodyText, lang))
	}
	req.Highlight = bleve.NewHighlightWithStyle(highlightStyle)
	for _, lang := range content.Languages {
		req.Highlight.AddField(indexer.TextField(indexer.FieldBodyText, lang))
	}
}

func (s *Service) do(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if n, ok := ctx.Value(requestsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
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

// facetCounts returns the facet counts of the main search: each facet is
// counted without its own selection (facetCounter), so its other values stay
// visible and can be added to the selection.
func (s *Service) facetCounts(q search.Query, counted *facetCounter) (map[string][]search.FacetValue, []search.YearRange) {
	out := map[string][]search.FacetValue{}
	for _, f := range search.Facets {
		selected := dedupe(q.Filters[f])
		var values []search.FacetValue
		if counted != nil {
			values = counted.values(f, facetSize[f])
			for i := range values {
				values[i].Selected = containsFold(selected, values[i].Value)
			}
		}
		for _, v := range selected {
			if !slices.ContainsFunc(values, func(fv search.FacetValue) bool { return strings.EqualFold(fv.Value, v) }) {
				// A selected value no visible hit has is echoed as typed: its
				// spelling in the index could be a restricted document's.
				values = append(values, search.FacetValue{Value: v, Selected: true})
			}
		}
		if f == search.FacetYear {
			sort.SliceStable(values, func(i, j int) bool { return values[i].Value > values[j].Value })
		}
		if values == nil {
			values = []search.FacetValue{}
		}
		out[f] = values
	}
	years := emptyYearRanges()
	if counted != nil {
		years = counted.yearRanges()
	}
	return out, years
}

func containsFold(list []string, v string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(s, v) })
}

func termQuery(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

func disjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// fold lower-cases and removes accents the way the analyzers do.
func fold(s string) string { return content.Fold(strings.ToLower(s)) }
