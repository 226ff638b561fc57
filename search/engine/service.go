package engine

import (
	"context"
	"fmt"
	"runtime"
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
	// Dictionaries are the general word lists, by language, whose words are
	// never corrected (default DefaultDictionaries(): Debian's wamerican and
	// wfrench); a list that cannot be read is left out.
	Dictionaries map[string]string
	// CacheBytes bounds the memory of the caches of repeated work: a
	// query's matches and its re-ranked candidates, for facet clicks and
	// further pages (default DefaultCacheBytes; negative: no caches).
	CacheBytes int64
	// Partitions is how many id ranges one counted search may run over at
	// once, each on a core no other request's range holds (split.go;
	// default GOMAXPROCS, at most 4; 1: never split). SplitSections is the
	// least number of sections an index needs for that (default 20,000).
	Partitions, SplitSections int
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
	if o.Partitions <= 0 {
		o.Partitions = min(runtime.GOMAXPROCS(0), 4)
	}
	if o.SplitSections <= 0 {
		o.SplitSections = minSplitSections
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
	if o.Dictionaries == nil {
		o.Dictionaries = DefaultDictionaries()
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
	// dicts are the general dictionaries (Options.Dictionaries), read once.
	dicts func() map[string]*wordList
	// spare hands out the cores a search may split over (split.go);
	// splits counts the searches split.
	spare  spareCores
	splits atomic.Int64
	// inflight counts the searches running (deadline): one splits only
	// when it runs alone.
	inflight atomic.Int32
	// splitScore is the least number of candidates scored on two cores
	// (minSplitScore); scoreSplits counts the re-rankings that were.
	splitScore  int
	scoreSplits atomic.Int64
	// cache holds repeated work (cache.go); nil when Options.CacheBytes < 0.
	cache *caches
}

// New returns a Service over idx.
func New(idx *indexer.Index, opts Options) (*Service, error) {
	opts.defaults()
	s := &Service{idx: idx, opts: opts, dicts: loadDictionaries(opts.Dictionaries), analyzers: map[string]analysis.Analyzer{}, canon: map[string]map[string]string{}, ranking: defaultRanking, pairs: map[string]*indexer.PairFilter{}, cache: newCaches(opts.CacheBytes), spare: newSpareCores(opts.Partitions - 1), splitScore: minSplitScore}
	go s.dictionaries() // so that the first correction need not wait
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
	if page {
		counter = s.facets.counter(selection(filters), levels, showCopies(filters))
		build = requestCounted
	}
	if rq == nil && len(first) == 0 {
		req := build(text, levels, filters, size, from)
		if page {
			s.display(req)
		}
		var res *bleve.SearchResult
		var err error
		if page {
			res, err = s.counted(ctx, counter, nil, req)
		} else {
			res, err = s.do(ctx, req)
		}
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
	// A page of a request seen before (another page, or the same) comes
	// from the cache of re-ranked candidates; its matches, when only the
	// levels or selections differ, from the cache of matches (cache.go).
	var mk, rk string
	if page && s.cache != nil && rq != nil {
		var err error
		if mk, err = matchKey(text, filters); err != nil {
			return nil, err
		}
		if rk, err = rankKey(mk, rq, levels, filters, first, depth); err != nil {
			return nil, err
		}
	}
	var hits []*bsearch.DocumentMatch
	var locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap
	var total uint64
	if l, ok := s.rankedFor(rk); ok {
		hits, locations = l.page(from, size)
		counter, total = l.counter, l.total
	} else {
		req := build(text, levels, filters, depth, 0)
		var res *bleve.SearchResult
		var err error
		switch {
		case mk != "":
			res, err = s.collect(ctx, counter, mk, req)
		case page:
			res, err = s.counted(ctx, counter, nil, req)
		default:
			res, err = s.do(ctx, req)
		}
		if err != nil {
			return nil, err
		}
		locations, err = s.rerank(ctx, rq, res.Hits[:min(rerankDepth, len(res.Hits))])
		if err != nil {
			return nil, fmt.Errorf("re-rank: %w", err)
		}
		if len(first) > 0 {
			sort.SliceStable(res.Hits, func(i, j int) bool { return first[res.Hits[i].ID] && !first[res.Hits[j].ID] })
		}
		total = counter.hits(res.Total)
		if rk != "" {
			s.keepRanked(rk, total, counter, res.Hits, locations)
		}
		hits = res.Hits[min(from, len(res.Hits)):min(from+size, len(res.Hits))]
	}
	if page && len(hits) > 0 {
		if locations != nil {
			if err := s.locate(ctx, rq, hits, locations); err != nil {
				return nil, err
			}
		}
		var err error
		if hits, err = s.load(ctx, text, levels, hits, locations); err != nil {
			return nil, err
		}
	}
	return &found{total: total, facets: counter, hits: hits}, nil
}

// rankedFor returns the re-ranked candidates kept under key, if any.
func (s *Service) rankedFor(key string) (*rankedList, bool) {
	if key == "" {
		return nil, false
	}
	return s.cache.ranked.GetIfPresent(key)
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
