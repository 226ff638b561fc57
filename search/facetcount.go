package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2/search/collector"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"handbook/indexer"
)

// Facet counting. Bleve counts a facet by reading every matching section's
// doc values back from the index and looking each value up in a map, which
// dominated the time of a request that matches many sections. The index is
// opened read-only, so a section's internal number never changes while it is
// open: facetTable holds, for every section number, the ordinals of its facet
// values, read once from the postings of the facet fields when the Service is
// made. A search counts facets through Bleve's per-hit hook
// (bsearch.MakeDocumentMatchHandlerKey) with a few array increments per hit,
// and gives the same counts and order as Bleve's terms facets.

// facetTable maps section numbers to facet value ordinals, one column per
// facet.
type facetTable struct {
	cols  map[string]*facetColumn // by facet name
	level *facetColumn            // the handling level of each section
}

// facetColumn is one facet: its values and, per section number, the
// ordinals of the values the section has (CSR: the ordinals of section n are
// ords[start[n]:start[n+1]]).
type facetColumn struct {
	values []string
	start  []uint32
	ords   []uint32
	years  []int // for the year facet: the value of each ordinal as a number
}

// newFacetTable reads the facet fields of r's snapshot.
func newFacetTable(ctx context.Context, r index.IndexReader) (*facetTable, error) {
	t := &facetTable{cols: map[string]*facetColumn{}}
	level, err := readColumn(ctx, r, indexer.FieldLevel)
	if err != nil {
		return nil, fmt.Errorf("read handling levels: %w", err)
	}
	t.level = level
	for _, f := range Facets {
		col, err := readColumn(ctx, r, facetField[f])
		if err != nil {
			return nil, fmt.Errorf("read facet %s: %w", f, err)
		}
		if f == FacetYear {
			col.years = make([]int, len(col.values))
			for i, v := range col.values {
				col.years[i], _ = strconv.Atoi(v)
			}
		}
		t.cols[f] = col
	}
	return t, nil
}

// readColumn reads one keyword field: each term's postings give the sections
// that have it.
func readColumn(ctx context.Context, r index.IndexReader, field string) (*facetColumn, error) {
	dict, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	col := &facetColumn{}
	var pairs [][2]uint32 // section number, ordinal
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		ord := uint32(len(col.values))
		col.values = append(col.values, e.Term)
		tfr, err := r.TermFieldReader(ctx, []byte(e.Term), field, false, false, false)
		if err != nil {
			return nil, err
		}
		var d index.TermFieldDoc
		for {
			m, err := tfr.Next(d.Reset())
			if err != nil {
				_ = tfr.Close()
				return nil, err
			}
			if m == nil {
				break
			}
			n, ok := docNumber(m.ID)
			if !ok {
				_ = tfr.Close()
				return nil, fmt.Errorf("unexpected internal id %x", []byte(m.ID))
			}
			pairs = append(pairs, [2]uint32{uint32(n), ord})
		}
		if err := tfr.Close(); err != nil {
			return nil, err
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	var sections uint32
	if len(pairs) > 0 {
		sections = pairs[len(pairs)-1][0] + 1
	}
	col.start = make([]uint32, sections+1)
	col.ords = make([]uint32, len(pairs))
	for i, p := range pairs {
		col.start[p[0]+1]++
		col.ords[i] = p[1]
	}
	for n := range sections {
		col.start[n+1] += col.start[n]
	}
	return col, nil
}

// docNumber decodes Bleve's internal id of a section (scorch: the section's
// number in the snapshot, 8 bytes big-endian).
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	n := binary.BigEndian.Uint64(id)
	return n, n < 1<<32-1
}

// facetCounter counts the values of some facets over the hits of one search
// that a caller entitled to some handling levels may see. Its hook passes
// only those hits on to Bleve's collection, so a search through it needs no
// level filter; Bleve's total then counts the others too, and hits() is the
// total to show.
type facetCounter struct {
	t       *facetTable
	allowed []bool // by level ordinal
	names   []string
	cols    []*facetColumn
	counts  [][]int
	total   int // the hits counted
	hooked  bool
}

// counter returns a counter of the named facets over the hits a caller
// entitled to levels may see (Allowed).
func (t *facetTable) counter(names []string, levels []string) *facetCounter {
	c := &facetCounter{t: t, allowed: make([]bool, len(t.level.values))}
	for i, v := range t.level.values {
		c.allowed[i] = Allowed(v, levels)
	}
	for _, n := range names {
		col := t.cols[n]
		if col == nil {
			continue
		}
		c.names = append(c.names, n)
		c.cols = append(c.cols, col)
		c.counts = append(c.counts, make([]int, len(col.values)))
	}
	return c
}

// add counts one hit, if the caller may see it, and reports whether so.
// A section without a level is seen by nobody.
func (c *facetCounter) add(id index.IndexInternalID) bool {
	n, ok := docNumber(id)
	if !ok || n+1 >= uint64(len(c.t.level.start)) {
		return false
	}
	lv := c.t.level.ords[c.t.level.start[n]:c.t.level.start[n+1]]
	if len(lv) != 1 || !c.allowed[lv[0]] {
		return false
	}
	c.total++
	for i, col := range c.cols {
		if n+1 >= uint64(len(col.start)) {
			continue
		}
		for _, o := range col.ords[col.start[n]:col.start[n+1]] {
			c.counts[i][o]++
		}
	}
	return true
}

// hits returns the number of hits the caller may see: those counted when
// the search went through the hook, else Bleve's total (a search that
// filtered by itself).
func (c *facetCounter) hits(bleveTotal uint64) uint64 {
	if c == nil || !c.hooked {
		return bleveTotal
	}
	return uint64(c.total)
}

// hook returns a context that makes a search count every hit in c and pass
// on to Bleve's own top-N collection only those the caller may see.
func (c *facetCounter) hook(ctx context.Context) context.Context {
	c.hooked = true
	var make bsearch.MakeDocumentMatchHandler = func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		return func(d *bsearch.DocumentMatch) error {
			if d == nil || c.add(d.IndexInternalID) { // before next: d may go back to a pool
				return next(d)
			}
			sctx.DocumentMatchPool.Put(d)
			return nil
		}, loadID, nil
	}
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, make)
}

// values returns a facet's values by descending count, then value (Bleve's
// order), at most size of them, leaving out values no hit has.
func (c *facetCounter) values(name string, size int) []FacetValue {
	i := c.index(name)
	if i < 0 {
		return nil
	}
	var out []FacetValue
	for o, n := range c.counts[i] {
		if n > 0 {
			out = append(out, FacetValue{Value: c.cols[i].values[o], Count: n})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Count != out[b].Count {
			return out[a].Count > out[b].Count
		}
		return out[a].Value < out[b].Value
	})
	if len(out) > size {
		out = out[:size]
	}
	return out
}

// yearRanges returns the count of every fixed range of years.
func (c *facetCounter) yearRanges() []YearRange {
	out := emptyYearRanges()
	i := c.index(FacetYear)
	if i < 0 {
		return out
	}
	col := c.cols[i]
	for o, n := range c.counts[i] {
		y := col.years[o]
		if n == 0 || y == 0 {
			continue
		}
		for k, yr := range yearRanges {
			if (yr[0] == 0 || y >= yr[0]) && (yr[1] == 0 || y <= yr[1]) {
				out[k].Count += n
				break
			}
		}
	}
	return out
}

func (c *facetCounter) index(name string) int {
	for i, n := range c.names {
		if n == name {
			return i
		}
	}
	return -1
}
