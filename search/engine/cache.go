package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/maypok86/otter/v2"

	"handbook/indexer"
)

// Repeated work. An officer clicks a facet or the next page of the query
// just run, several times per search; both run the same words again. Two
// caches, bounded in bytes (Options.CacheBytes) and kept by the Service, so
// a newly swapped-in index (a new Service) starts with empty ones:
//
//   - matches: per Bleve query (the words as translated, and the document
//     searched), every section it matches with Bleve's score, in Bleve's
//     collection order, recorded by the facet counter's hook. A facet click
//     replays them through a new counter (levels and selections are applied
//     per hit there anyway) and keeps the best, exactly as Bleve's top-N
//     collector does: by score, then collection order. It costs no Bleve
//     request; re-ranking and the page still run.
//   - ranked: per request that differs only in its page (words, levels,
//     selections, copies, the sections put first), the re-ranked candidates
//     and the facet counts. Page 2 costs the page's fields and snippets.
//   - scores: per set of terms re-ranked by (whatever the levels, selections
//     or page), each section's re-ranking score as far as it depends on that
//     section alone: its BM25F part and, for those that were among the best
//     proxDepth of some request, its proximity part and where the terms are.
//     A facet click re-ranks its candidates reading postings only for the
//     sections no earlier request of the session scored.
//
// A query matching more than maxCachedMatches sections is not kept in
// matches (its list would crowd out many others).

// DefaultCacheBytes is the memory the caches of repeated work hold at most
// by default.
const DefaultCacheBytes = 64 << 20

// maxCachedMatches is the largest match list kept.
const maxCachedMatches = 200_000

// matchList is every section a Bleve query matched, in collection order.
type matchList struct {
	nums   []uint32  // section numbers (indexer.SectionNumber)
	scores []float64 // Bleve's scores
}

// rankedList is the re-ranked candidates of one request, whatever its page.
type rankedList struct {
	total     uint64
	counter   *facetCounter // counted (count done), read only
	ids       []string
	internal  [][]byte
	scores    []float64
	locations map[string]bsearch.FieldTermLocationMap // of the best re-ranked, by id
}

type caches struct {
	matches *otter.Cache[string, *matchList]
	ranked  *otter.Cache[string, *rankedList]
	scores  *otter.Cache[string, *scoreMemo]
}

// scoreMemo is what re-ranking computed per section for one rank query,
// by internal id; safe for concurrent use.
type scoreMemo struct {
	mu   sync.Mutex
	base map[string]float64 // the score without proximity (score)
	prox map[string]proxMemo
	// weight is the memo's size in bytes, roughly, for the cache.
	weight int
}

// proxMemo is one section's proximity part: the score each language's
// proximity added, in content.Languages order (zero for a language not
// queried), and where the query's terms are in its body.
type proxMemo struct {
	adds    []float64
	matches bsearch.FieldTermLocationMap
}

// newCaches returns caches holding at most bytes together (none when bytes
// is negative).
func newCaches(bytes int64) *caches {
	if bytes < 0 {
		return nil
	}
	if bytes == 0 {
		bytes = DefaultCacheBytes
	}
	return &caches{
		matches: otter.Must(&otter.Options[string, *matchList]{
			MaximumWeight: uint64(bytes) * 3 / 8,
			Weigher: func(k string, v *matchList) uint32 {
				return uint32(len(k) + 12*len(v.nums) + 64)
			},
		}),
		ranked: otter.Must(&otter.Options[string, *rankedList]{
			MaximumWeight: uint64(bytes) * 3 / 8,
			Weigher: func(k string, v *rankedList) uint32 {
				n := len(k) + 256 + len(v.counter.touched)*4 + len(v.counter.allowed)*16
				for _, id := range v.ids {
					n += len(id) + 8 + 16 + 24
				}
				for _, m := range v.locations {
					n += 64 * len(m) // a rough share per field: the terms and their locations
				}
				return uint32(n)
			},
		}),
		scores: otter.Must(&otter.Options[string, *scoreMemo]{
			MaximumWeight: uint64(bytes) / 4,
			Weigher: func(k string, v *scoreMemo) uint32 {
				v.mu.Lock()
				defer v.mu.Unlock()
				return uint32(len(k) + 128 + v.weight)
			},
		}),
	}
}

// scoreKey names what a rank query's scores depend on: its terms, their
// weights and spans per language.
func scoreKey(rq *rankQuery) string {
	var b strings.Builder
	for _, lang := range slices.Sorted(maps.Keys(rq.langs)) {
		lq := rq.langs[lang]
		fmt.Fprintf(&b, "%s %q %v %v;", lang, lq.terms, lq.qtf, lq.spans)
	}
	return b.String()
}

// memoFor returns the memo of rq's scores, a new one when there is none, or
// nil without caches.
func (s *Service) memoFor(rq *rankQuery) (string, *scoreMemo) {
	if s.cache == nil {
		return "", nil
	}
	key := scoreKey(rq)
	if m, ok := s.cache.scores.GetIfPresent(key); ok {
		return key, m
	}
	return key, &scoreMemo{base: map[string]float64{}, prox: map[string]proxMemo{}}
}

// keepMemo stores m under key again, so the cache weighs what was added.
func (s *Service) keepMemo(key string, m *scoreMemo) {
	if m != nil {
		s.cache.scores.Set(key, m)
	}
}

// knownBase sets the score of each candidate m knows and returns the others.
func (m *scoreMemo) knownBase(cs []*candidate) []*candidate {
	if m == nil {
		return cs
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var fresh []*candidate
	for _, c := range cs {
		if v, ok := m.base[string(c.hit.IndexInternalID)]; ok {
			c.hit.Score = v
		} else {
			fresh = append(fresh, c)
		}
	}
	return fresh
}

func (m *scoreMemo) addBase(cs []*candidate) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.base[string(c.hit.IndexInternalID)] = c.hit.Score
		m.weight += len(c.hit.IndexInternalID) + 48
	}
}

// knownProx sets the proximity parts and term locations of each candidate
// m knows and returns the others.
func (m *scoreMemo) knownProx(cs []*candidate) []*candidate {
	if m == nil {
		return cs
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var fresh []*candidate
	for _, c := range cs {
		if p, ok := m.prox[string(c.hit.IndexInternalID)]; ok {
			c.adds, c.matches = p.adds, p.matches
		} else {
			fresh = append(fresh, c)
		}
	}
	return fresh
}

func (m *scoreMemo) addProx(cs []*candidate) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.prox[string(c.hit.IndexInternalID)] = proxMemo{adds: c.adds, matches: c.matches}
		m.weight += len(c.hit.IndexInternalID) + 64 + 8*len(c.adds)
		for _, tl := range c.matches {
			for _, ls := range tl {
				m.weight += 48 * len(ls)
			}
		}
	}
}

// matchKey names a Bleve query's matches: its JSON and the document it is
// restricted to.
func matchKey(text query.Query, filters map[string]query.Query) (string, error) {
	b, err := json.Marshal(text)
	if err != nil {
		return "", err
	}
	if doc, ok := filters[filterDoc]; ok {
		d, err := json.Marshal(doc)
		if err != nil {
			return "", err
		}
		b = append(append(b, 0), d...)
	}
	return string(b), nil
}

// rankKey names a request's re-ranked candidates: its matches, the terms it
// re-ranks by, the caller's levels, the selections, whether copies show,
// the sections put first and the depth.
func rankKey(mk string, rq *rankQuery, levels []string, filters map[string]query.Query, first map[string]bool, depth int) (string, error) {
	var b strings.Builder
	b.WriteString(mk)
	fmt.Fprintf(&b, "\x00%v %q %d\x00", rq.bounded, rq.lang, depth)
	for _, lang := range slices.Sorted(maps.Keys(rq.langs)) {
		lq := rq.langs[lang]
		fmt.Fprintf(&b, "%s %q %v %v;", lang, lq.terms, lq.qtf, lq.spans)
	}
	lv := slices.Clone(levels)
	slices.Sort(lv)
	sel, err := json.Marshal(selection(filters))
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\x00%q\x00%s\x00%v\x00", lv, sel, showCopies(filters))
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	fmt.Fprintf(&b, "%q", ids)
	return b.String(), nil
}

// collect runs req (built by requestCounted) through counter's hook
// (ctx without it), or
// replays the matches of an earlier run of the same Bleve query through
// it; either way it records what it matched for the next time. The result
// holds Bleve's total and its best size hits.
func (s *Service) collect(ctx context.Context, counter *facetCounter, mk string, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if m, ok := s.cache.matches.GetIfPresent(mk); ok {
		return s.replay(counter, m, req.Size)
	}
	rec := &matchList{}
	res, err := s.counted(ctx, counter, rec, req)
	if err != nil {
		return nil, err
	}
	if len(rec.nums) <= maxCachedMatches && uint64(len(rec.nums)) == res.Total {
		rec.nums, rec.scores = slices.Clip(rec.nums), slices.Clip(rec.scores)
		s.cache.matches.Set(mk, rec)
	}
	return res, nil
}

// replay passes the recorded matches m through counter and returns the best
// size of those it lets through, as Bleve's top-N collector orders them: by
// score, then in collection order.
func (s *Service) replay(counter *facetCounter, m *matchList, size int) (*bleve.SearchResult, error) {
	counter.hooked = true
	var kept []int // indexes into m
	for i, n := range m.nums {
		if counter.addNumber(n) {
			kept = append(kept, i)
		}
	}
	sort.SliceStable(kept, func(a, b int) bool { return m.scores[kept[a]] > m.scores[kept[b]] })
	kept = kept[:min(size, len(kept))]
	r, err := s.idx.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	res := &bleve.SearchResult{Total: uint64(len(m.nums)), Hits: make(bsearch.DocumentMatchCollection, len(kept))}
	for k, i := range kept {
		id := indexer.InternalID(m.nums[i])
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", m.nums[i], err)
		}
		res.Hits[k] = &bsearch.DocumentMatch{ID: ext, IndexInternalID: id, Score: m.scores[i], HitNumber: uint64(i + 1)}
	}
	return res, nil
}

// keepRanked records the re-ranked hits of a request for its other pages.
func (s *Service) keepRanked(key string, total uint64, counter *facetCounter, hits []*bsearch.DocumentMatch, locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap) {
	if counter.tally == nil {
		counter.count() // so that readers of the shared counter only read
	}
	l := &rankedList{total: total, counter: counter, ids: make([]string, len(hits)), internal: make([][]byte, len(hits)), scores: make([]float64, len(hits))}
	for i, h := range hits {
		l.ids[i], l.internal[i], l.scores[i] = h.ID, slices.Clone(h.IndexInternalID), h.Score
	}
	if len(locations) > 0 {
		l.locations = make(map[string]bsearch.FieldTermLocationMap, len(locations))
		for h, loc := range locations {
			l.locations[h.ID] = loc
		}
	}
	s.cache.ranked.Set(key, l)
}

// page returns the hits from..from+size of l as new matches, with the
// locations of those l knows (the rest are found by locate).
func (l *rankedList) page(from, size int) ([]*bsearch.DocumentMatch, map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap) {
	lo, hi := min(from, len(l.ids)), min(from+size, len(l.ids))
	hits := make([]*bsearch.DocumentMatch, 0, hi-lo)
	var locations map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap
	if l.locations != nil {
		locations = map[*bsearch.DocumentMatch]bsearch.FieldTermLocationMap{}
	}
	for i := lo; i < hi; i++ {
		h := &bsearch.DocumentMatch{ID: l.ids[i], IndexInternalID: l.internal[i], Score: l.scores[i]}
		hits = append(hits, h)
		if loc, ok := l.locations[h.ID]; ok {
			locations[h] = loc
		}
	}
	return hits, locations
}

// ClearCaches empties the caches of repeated work, so that what comes next
// runs cold (the bench's cold figures).
func (s *Service) ClearCaches() {
	if s.cache != nil {
		s.cache.matches.InvalidateAll()
		s.cache.ranked.InvalidateAll()
		s.cache.scores.InvalidateAll()
	}
}
