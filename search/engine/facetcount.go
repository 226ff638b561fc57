package engine

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2/search/collector"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Facet counting. Bleve counts a facet by reading every matching section's
// doc values back from the index and looking each value up in a map, which
// dominated the time of a request that matches many sections. The index is
// opened read-only, so a section's internal number never changes while it is
// open: facetTable holds, for every section number, its profile, the
// combination of handling level and facet values it has (sections of one
// document share one), read once from the postings of those fields when the
// Service is made. A search goes through Bleve's per-hit hook
// (bsearch.MakeDocumentMatchHandlerKey): per hit, one array read, one level
// check and one increment; the facet values are summed per profile at the
// end. The counts and their order are those of Bleve's terms facets.

// facetTable maps section numbers to profiles.
type facetTable struct {
	values  map[string][]string // by facet name: the values, by ordinal
	years   []int               // the year facet's values as numbers
	levels  []string            // the handling levels, by ordinal
	section []uint32            // by section number: its profile, or noProfile
	// profiles lists each distinct combination of level and facet values.
	profiles []profile
	// ords holds the profiles' value ordinals, profile after profile and
	// facet after facet: those of profile p's facet i are
	// ords[start[p*len(Facets)+i]:start[p*len(Facets)+i+1]].
	start, ords []uint32
}

// profile is a combination of handling level and facet values.
type profile struct {
	level int        // ordinal in levels; -1 for none (seen by nobody)
	ords  [][]uint32 // per facet, in Facets order: the value ordinals
	copy  bool       // a copy of a section in another file (indexer.FieldCopy)
	// superseded: its document has status superseded (a later edition
	// replaces it).
	superseded bool
}

const noProfile = ^uint32(0)

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// langFacet is the lang facet's index in Facets.
var langFacet = slices.Index(search.Facets, search.FacetLang)

// inLanguage returns whether a section is in lang (or has no language), a
// test made once per re-ranked hit: lang's ordinal is found once.
func (t *facetTable) inLanguage(lang string) func(index.IndexInternalID) bool {
	ord, known := slices.BinarySearch(t.values[search.FacetLang], lang)
	return func(id index.IndexInternalID) bool {
		n, ok := indexer.SectionNumber(id)
		if !ok || int(n) >= len(t.section) || t.section[n] == noProfile {
			return true
		}
		ords := t.profiles[t.section[n]].ords[langFacet]
		return len(ords) == 0 || known && slices.Contains(ords, uint32(ord))
	}
}

// superseded reports whether section n's document is a superseded edition.
func (t *facetTable) superseded(id index.IndexInternalID) bool {
	n, ok := indexer.SectionNumber(id)
	if !ok || int(n) >= len(t.section) || t.section[n] == noProfile {
		return false
	}
	return t.profiles[t.section[n]].superseded
}

// newFacetTable reads the level and facet fields of r's snapshot.
func newFacetTable(ctx context.Context, r index.IndexReader) (*facetTable, error) {
	t := &facetTable{values: map[string][]string{}}
	level, err := readColumn(ctx, r, indexer.FieldLevel)
	if err != nil {
		return nil, fmt.Errorf("read handling levels: %w", err)
	}
	t.levels = level.values
	copies, err := readColumn(ctx, r, indexer.FieldCopy)
	if err != nil {
		return nil, fmt.Errorf("read copies: %w", err)
	}
	status, err := readColumn(ctx, r, indexer.FieldStatus)
	if err != nil {
		return nil, fmt.Errorf("read status: %w", err)
	}
	supOrd, hasSup := slices.BinarySearch(status.values, content.StatusSuperseded)
	cols := make([]*facetColumn, len(search.Facets))
	sections := len(level.start) - 1
	for i, f := range search.Facets {
		if cols[i], err = readColumn(ctx, r, facetField[f]); err != nil {
			return nil, fmt.Errorf("read facet %s: %w", f, err)
		}
		t.values[f] = cols[i].values
		sections = max(sections, len(cols[i].start)-1)
	}
	t.years = make([]int, len(t.values[search.FacetYear]))
	for i, v := range t.values[search.FacetYear] {
		t.years[i], _ = strconv.Atoi(v)
	}
	t.section = make([]uint32, max(sections, 0))
	ids := map[string]uint32{}
	var key []byte
	for n := range t.section {
		p := profile{level: -1, ords: make([][]uint32, len(search.Facets))}
		if lv := level.of(n); len(lv) == 1 {
			p.level = int(lv[0])
		}
		p.copy = len(copies.of(n)) > 0
		p.superseded = hasSup && slices.Contains(status.of(n), uint32(supOrd))
		key = binary.AppendVarint(key[:0], int64(p.level))
		key = append(key, boolByte(p.copy), boolByte(p.superseded))
		for i, col := range cols {
			p.ords[i] = col.of(n)
			key = binary.AppendUvarint(key, uint64(len(p.ords[i])))
			for _, o := range p.ords[i] {
				key = binary.AppendUvarint(key, uint64(o))
			}
		}
		id, ok := ids[string(key)]
		if !ok {
			id = uint32(len(t.profiles))
			ids[string(key)] = id
			t.profiles = append(t.profiles, p)
		}
		t.section[n] = id
	}
	// The profiles' ordinals side by side, so a count reads them in order.
	t.start = make([]uint32, 0, len(t.profiles)*len(search.Facets)+1)
	total := 0
	for _, p := range t.profiles {
		for _, ords := range p.ords {
			total += len(ords)
		}
	}
	t.ords = make([]uint32, 0, total) // never grown: the profiles keep slices of it
	for i := range t.profiles {
		for f, ords := range t.profiles[i].ords {
			t.start = append(t.start, uint32(len(t.ords)))
			t.ords = append(t.ords, ords...)
			t.profiles[i].ords[f] = t.ords[len(t.ords)-len(ords):]
		}
	}
	t.start = append(t.start, uint32(len(t.ords)))
	return t, nil
}

// facetColumn is one keyword field read from the index: its values and, per
// section number, the ordinals of the values the section has (CSR: the
// ordinals of section n are ords[start[n]:start[n+1]]).
type facetColumn struct {
	values []string
	start  []uint32
	ords   []uint32
}

// of returns the ordinals of section n's values.
func (c *facetColumn) of(n int) []uint32 {
	if n+1 >= len(c.start) {
		return nil
	}
	return c.ords[c.start[n]:c.start[n+1]]
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
			n, ok := indexer.SectionNumber(m.ID)
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
	// A counting sort by section number keeps each section's ordinals in
	// term order.
	var sections uint32
	for _, p := range pairs {
		sections = max(sections, p[0]+1)
	}
	col.start = make([]uint32, sections+1)
	for _, p := range pairs {
		col.start[p[0]+1]++
	}
	for n := range sections {
		col.start[n+1] += col.start[n]
	}
	col.ords = make([]uint32, len(pairs))
	next := slices.Clone(col.start[:sections])
	for _, p := range pairs {
		col.ords[next[p[0]]] = p[1]
		next[p[0]]++
	}
	return col, nil
}

// facetCounter counts facet values over the hits of one search that a
// caller entitled to some handling levels may see, with the selected facet
// values applied here rather than by Bleve: a hit with every selection
// counts for every facet and goes on to Bleve's collection; a hit that
// misses the selection of exactly one facet counts for that facet only (a
// facet is counted without its own selection, so its other values stay
// visible and can be added); any other hit is dropped. One search thus
// gives the page and every facet. Bleve's total counts the dropped hits
// too: hits() is the total to show.
type facetCounter struct {
	t       *facetTable
	allowed []bool   // by profile: the caller may see it
	misses  []int8   // by profile: the facet (index in Facets) whose selection it misses; -1 none, -2 several
	hitsBy  []int    // by profile
	touched []uint32 // the profiles with hits
	tally   [][]int  // by facet, then value ordinal: filled by count
	total   int      // the hits with every selection
	hooked  bool
}

// counter returns a counter over the hits a caller entitled to levels may
// see (Allowed), with selected (facet name to canonical values; values of
// one facet are alternatives) applied.
func (t *facetTable) counter(selected map[string][]string, levels []string, copies bool) *facetCounter {
	c := &facetCounter{t: t, allowed: make([]bool, len(t.profiles)), misses: make([]int8, len(t.profiles)), hitsBy: make([]int, len(t.profiles))}
	want := make([]map[uint32]bool, len(search.Facets)) // by facet: the selected ordinals
	for i, f := range search.Facets {
		if vs, ok := selected[f]; ok {
			want[i] = map[uint32]bool{}
			for _, v := range vs {
				if o, ok := slices.BinarySearch(t.values[f], v); ok {
					want[i][uint32(o)] = true
				}
			}
		}
	}
	levelOK := make([]bool, len(t.levels))
	for i, l := range t.levels {
		levelOK[i] = Allowed(l, levels)
	}
	for p, pr := range t.profiles {
		c.allowed[p] = pr.level >= 0 && levelOK[pr.level] && (copies || !pr.copy)
		c.misses[p] = -1
		if len(selected) == 0 {
			continue
		}
		for i, w := range want {
			if w == nil || slices.ContainsFunc(pr.ords[i], func(o uint32) bool { return w[o] }) {
				continue
			}
			if c.misses[p] == -1 {
				c.misses[p] = int8(i)
			} else {
				c.misses[p] = -2
			}
		}
	}
	return c
}

// fork returns an empty counter with c's caller and selections, for one
// part of a search that c will absorb.
func (c *facetCounter) fork() *facetCounter {
	return &facetCounter{t: c.t, allowed: c.allowed, misses: c.misses, hitsBy: make([]int, len(c.hitsBy))}
}

// absorb adds the hits o counted (a fork of c) to c's.
func (c *facetCounter) absorb(o *facetCounter) {
	for _, p := range o.touched {
		if c.hitsBy[p] == 0 {
			c.touched = append(c.touched, p)
		}
		c.hitsBy[p] += o.hitsBy[p]
	}
	c.total += o.total
}

// add counts one hit and reports whether it has every selection and the
// caller may see it.
func (c *facetCounter) add(id index.IndexInternalID) bool {
	n, ok := indexer.SectionNumber(id)
	return ok && c.addNumber(n)
}

// addNumber is add by section number.
func (c *facetCounter) addNumber(n uint32) bool {
	if int(n) >= len(c.t.section) {
		return false
	}
	p := c.t.section[n]
	if p == noProfile || !c.allowed[p] || c.misses[p] == -2 {
		return false
	}
	if c.hitsBy[p] == 0 {
		c.touched = append(c.touched, p)
	}
	c.hitsBy[p]++
	if c.misses[p] >= 0 {
		return false
	}
	c.total++
	return true
}

// counts returns the hits per value ordinal of the named facet.
func (c *facetCounter) counts(name string) []int {
	i := slices.Index(search.Facets, name)
	if i < 0 {
		return nil
	}
	if c.tally == nil {
		c.count()
	}
	return c.tally[i]
}

// count sums the hits of the touched profiles into every facet's values,
// each facet without its own selection.
func (c *facetCounter) count() {
	nf := len(search.Facets)
	c.tally = make([][]int, nf)
	for i, f := range search.Facets {
		c.tally[i] = make([]int, len(c.t.values[f]))
	}
	for _, p := range c.touched {
		n, m := c.hitsBy[p], int(c.misses[p])
		base := int(p) * nf
		for i := range nf {
			if m != -1 && m != i {
				continue
			}
			for _, o := range c.t.ords[c.t.start[base+i]:c.t.start[base+i+1]] {
				c.tally[i][o] += n
			}
		}
	}
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
	return c.hookRecording(ctx, nil)
}

// hookRecording is hook that also appends every hit, seen or not, to rec
// (when not nil): its section number and score, in collection order.
func (c *facetCounter) hookRecording(ctx context.Context, rec *matchList) context.Context {
	c.hooked = true
	var make bsearch.MakeDocumentMatchHandler = func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		return func(d *bsearch.DocumentMatch) error {
			if rec != nil && d != nil && len(rec.nums) <= maxCachedMatches {
				if n, ok := indexer.SectionNumber(d.IndexInternalID); ok {
					rec.nums = append(rec.nums, n)
					rec.scores = append(rec.scores, d.Score)
				}
			}
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
// order), at most size of them, leaving out values no hit has and the empty
// value of documents without one (no type, no organization).
func (c *facetCounter) values(name string, size int) []search.FacetValue {
	var out []search.FacetValue
	for o, n := range c.counts(name) {
		if n > 0 && c.t.values[name][o] != "" {
			out = append(out, search.FacetValue{Value: c.t.values[name][o], Count: n})
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
func (c *facetCounter) yearRanges() []search.YearRange {
	out := emptyYearRanges()
	for o, n := range c.counts(search.FacetYear) {
		y := c.t.years[o]
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
