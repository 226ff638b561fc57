package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content"
	"handbook/indexer"
)

// ErrNotFound means the document does not exist or the caller may not see
// it; the two are deliberately indistinguishable.
var ErrNotFound = errors.New("not found")

// ErrTimeout means a search ran past its deadline.
var ErrTimeout = errors.New("search timed out")

// Options configures a Service. Zero values take the documented defaults.
type Options struct {
	// Timeout bounds one search (default 5s).
	Timeout time.Duration
	// MaxTermSearchers bounds the term lookups one search may open, including
	// the expansions of fuzzy and prefix words (default 2048). Bleve expands
	// them before it checks any deadline.
	MaxTermSearchers int
	// HeadingBoost and TitleBoost weigh a match in the heading path and in
	// the document title against one in the body (defaults 2 and 1.5).
	HeadingBoost, TitleBoost float64
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
}

// Service searches one opened index.
type Service struct {
	idx       *indexer.Index
	opts      Options
	analyzers map[string]analysis.Analyzer // by language
	// canon maps a field to its values, lower-cased, to the indexed spelling,
	// so org:wco finds "WCO".
	canon map[string]map[string]string
}

// New returns a Service over idx.
func New(idx *indexer.Index, opts Options) (*Service, error) {
	opts.defaults()
	s := &Service{idx: idx, opts: opts, analyzers: map[string]analysis.Analyzer{}, canon: map[string]map[string]string{}}
	m := idx.Mapping()
	for _, lang := range content.Languages {
		a := m.AnalyzerNamed(indexer.AnalyzerFor(lang))
		if a == nil {
			return nil, fmt.Errorf("index has no analyzer %s", indexer.AnalyzerFor(lang))
		}
		s.analyzers[lang] = a
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
	return s, nil
}

// facetField maps a facet name to its index field.
var facetField = map[string]string{
	FacetTopic: indexer.FieldTopic, FacetOrg: indexer.FieldOrg, FacetType: indexer.FieldType,
	FacetLang: indexer.FieldLang, FacetYear: indexer.FieldYear,
}

// filterField maps a query field to its index field and canon key.
var filterField = map[string]string{
	FieldOrg: indexer.FieldOrg, FieldTopic: indexer.FieldTopic, FieldType: indexer.FieldType,
	FieldLang: indexer.FieldLang, FieldStatus: indexer.FieldStatus, FieldNumber: indexer.FieldNumber,
}

// facetSize is how many values each facet returns.
var facetSize = map[string]int{FacetTopic: 30, FacetOrg: 30, FacetType: 20, FacetLang: 10, FacetYear: 50}

// storedFields are the fields a hit reads back.
var storedFields = []string{
	indexer.FieldDocID, indexer.FieldSectionID, indexer.FieldTitle, indexer.FieldPath, indexer.FieldHeading,
	indexer.FieldNumber, indexer.FieldPage, indexer.FieldPageEnd, indexer.FieldOrg, indexer.FieldType,
	indexer.FieldTopic, indexer.FieldLang, indexer.FieldYearNum, indexer.FieldEdition, indexer.FieldStatus,
	indexer.FieldLevel,
}

// Search runs q and returns one page of hits with facet counts.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	page, size, err := paging(q.Page, q.Size)
	if err != nil {
		return nil, err
	}
	p, err := Parse(q.Text)
	if err != nil {
		return nil, err
	}
	filters, err := s.facetFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	ctx = context.WithValue(ctx, bsearch.MaxTermSearchersKey, s.opts.MaxTermSearchers)

	res := &Result{Query: q.Text, Page: page, Size: size, Fuzzy: q.Fuzzy}
	tr := translator{s: s, fuzzy: q.Fuzzy}
	text := tr.query(p.root)
	main, err := s.run(ctx, text, q, filters, page, size)
	if err != nil {
		return nil, err
	}
	if main.Total == 0 && p.plain && len(p.words) > 1 {
		// No section has every word: show those with any of them, and say so.
		any := orNode{}
		for _, w := range p.words {
			any.any = append(any.any, wordNode{text: w})
		}
		text = tr.query(any)
		if relaxed, err := s.run(ctx, text, q, filters, page, size); err != nil {
			return nil, err
		} else if relaxed.Total > 0 {
			main, res.Relaxed = relaxed, true
		}
	}
	res.Total = main.Total
	res.Pages = int(min((main.Total+uint64(size)-1)/uint64(size), uint64(MaxWindow/size)))
	for _, h := range main.Hits {
		res.Hits = append(res.Hits, s.hit(h))
	}
	if res.Hits == nil {
		res.Hits = []Hit{}
	}
	if res.Facets, err = s.facets(ctx, text, q, filters, main); err != nil {
		return nil, err
	}
	res.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return res, nil
}

func paging(page, size int) (int, int, error) {
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = DefaultPageSize
	}
	if page < 1 {
		return 0, 0, &QueryError{Msg: "page must be 1 or more", Pos: -1}
	}
	if size < 1 || size > MaxPageSize {
		return 0, 0, &QueryError{Msg: fmt.Sprintf("size must be between 1 and %d", MaxPageSize), Pos: -1}
	}
	if page*size > MaxWindow {
		return 0, 0, &QueryError{Msg: fmt.Sprintf("page %d is too deep: only the first %d results can be paged through; refine the query or add filters", page, MaxWindow), Pos: -1}
	}
	return page, size, nil
}

// facetFilters turns selected facet values into one filter per facet.
func (s *Service) facetFilters(selected map[string][]string) (map[string]query.Query, error) {
	out := map[string]query.Query{}
	for facet, values := range selected {
		field, ok := facetField[facet]
		if !ok {
			return nil, &QueryError{Msg: fmt.Sprintf("unknown filter %q; filters are %s", facet, strings.Join(Facets, ", ")), Pos: -1}
		}
		if len(values) > MaxFilterValues {
			return nil, &QueryError{Msg: fmt.Sprintf("too many %s values (the limit is %d)", facet, MaxFilterValues), Pos: -1}
		}
		var alts []query.Query
		for _, v := range dedupe(values) {
			if facet == FacetYear {
				if _, err := strconv.Atoi(v); err != nil {
					return nil, &QueryError{Msg: fmt.Sprintf("year %q is not a year", v), Pos: -1}
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

// request builds a Bleve request for text restricted by the level filter and
// every facet filter except the one named skip.
func request(text query.Query, levels []string, filters map[string]query.Query, skip string, size, from int) *bleve.SearchRequest {
	if text == nil {
		text = bleve.NewMatchNoneQuery()
	}
	conj := []query.Query{levelFilter(levels)}
	for _, f := range Facets { // fixed order: the same query every time
		if q, ok := filters[f]; ok && f != skip {
			conj = append(conj, q)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
	b.AddFilter(bleve.NewConjunctionQuery(conj...))
	return bleve.NewSearchRequestOptions(b, size, from, false)
}

func (s *Service) run(ctx context.Context, text query.Query, q Query, filters map[string]query.Query, page, size int) (*bleve.SearchResult, error) {
	req := request(text, q.Levels, filters, "", size, (page-1)*size)
	req.Fields = storedFields
	for _, lang := range content.Languages {
		req.Fields = append(req.Fields[:len(req.Fields):len(req.Fields)], indexer.TextField(indexer.FieldBodyText, lang))
	}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	for _, lang := range content.Languages {
		req.Highlight.AddField(indexer.TextField(indexer.FieldBodyText, lang))
	}
	for _, f := range Facets {
		if _, selected := filters[f]; !selected {
			req.AddFacet(f, bleve.NewFacetRequest(facetField[f], facetSize[f]))
		}
	}
	return s.do(ctx, req)
}

func (s *Service) do(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := s.idx.SearchInContext(ctx, req)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, ErrTimeout
	case strings.Contains(err.Error(), "TooManyTermSearchers"):
		return nil, &QueryError{Msg: "the query's fuzzy or prefix words match too many terms; make them longer or more specific", Pos: -1}
	}
	return nil, fmt.Errorf("search: %w", err)
}

// facets returns facet counts. A facet with a selection is counted without
// its own filter (one more request each, run concurrently), so its other
// values stay visible and can be added to the selection.
func (s *Service) facets(ctx context.Context, text query.Query, q Query, filters map[string]query.Query, main *bleve.SearchResult) (map[string][]FacetValue, error) {
	results := map[string]*bsearch.FacetResult{}
	for name, fr := range main.Facets {
		results[name] = fr
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for _, f := range Facets {
		if _, selected := filters[f]; !selected {
			continue
		}
		wg.Go(func() {
			req := request(text, q.Levels, filters, f, 0, 0)
			req.Score = "none"
			req.AddFacet(f, bleve.NewFacetRequest(facetField[f], facetSize[f]))
			r, err := s.do(ctx, req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			results[f] = r.Facets[f]
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	out := map[string][]FacetValue{}
	for _, f := range Facets {
		selected := dedupe(q.Filters[f])
		var values []FacetValue
		if fr := results[f]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				values = append(values, FacetValue{Value: t.Term, Count: t.Count, Selected: containsFold(selected, t.Term)})
			}
		}
		for _, v := range selected {
			if !slices.ContainsFunc(values, func(fv FacetValue) bool { return strings.EqualFold(fv.Value, v) }) {
				if c, ok := s.canon[f][strings.ToLower(v)]; ok {
					v = c
				}
				values = append(values, FacetValue{Value: v, Selected: true})
			}
		}
		if f == FacetYear {
			sort.SliceStable(values, func(i, j int) bool { return values[i].Value > values[j].Value })
		}
		if values == nil {
			values = []FacetValue{}
		}
		out[f] = values
	}
	return out, nil
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
func fold(s string) string { return indexer.Fold(strings.ToLower(s)) }
