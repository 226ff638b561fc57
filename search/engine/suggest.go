package engine

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Suggester completes what a user is typing from document titles, section
// headings and glossary terms, held in memory.
//
// A completion's score is rank*1000 + 50*(the position of the word the first
// typed word begins) + len(text), lower first, then the text; rank is 0 for
// titles, 1 for glossary terms, 2 for headings. Its static part, rank*1000 +
// len(text), never exceeds the score, so the entries are sorted once by
// static part, then text, then the order they were read in (titles in catalog
// order, glossary terms in glossary order, headings by section key), and
// every list of entries below is in that order. A keystroke walks the list of
// the typed word with the fewest entries and stops at the first entry whose
// static part is above the score of the n-th best completion found: the cost
// follows the number of entries that could still win, not the corpus size.
// Each entry walked is first tested against the set of its words' beginnings
// (prefixSet, 16 bytes an entry, kept apart from the entries so the test
// reads little memory), and only then read.
//
// Two dictionaries give the lists: the words of all entries, for typed words
// of three letters and more (the lists of every word in the prefix's range of
// the sorted vocabulary, merged), and the first one or two letters of those
// words, for shorter typed words. The entries hold no pointers: their texts,
// folded words and section ids lie in one string, so a million headings cost
// the garbage collector nothing to scan. All told an entry costs 150 to 200
// bytes.
type Suggester struct {
	arena   string         // every entry's text, folded words and section id
	entries []suggestEntry // by static part, text, reading order
	bits    []prefixSet    // of each entry's words, a quick test before the full one
	// from[v] is the first entry whose static part is v or more, for v up
	// to staticRuns.
	from   []uint32
	docs   []suggestDoc        // the catalog
	gloss  []search.Suggestion // glossary entries
	levels []string            // access levels; levels[0] is "", seen by everyone
	vocab  suggestDict         // whole folded words
	starts suggestDict         // first one or two letters of the folded words
}

// Entry kinds, which are also their ranks.
const (
	kindTitle uint8 = iota
	kindGlossary
	kindHeading
)

type suggestEntry struct {
	off    uint32 // in the arena: the text, then the folded words, then the section id
	nText  uint32
	nWords uint32
	nID    uint32
	src    int32 // the document of a title or heading, the glossary entry of a term
	level  uint16
	kind   uint8
}

// static is the part of the score that does not depend on the query.
func (e *suggestEntry) static() int { return int(e.kind)*1000 + int(e.nText) }

type suggestDoc struct {
	id, title, orgs string
	level           uint16
}

// suggestDict maps sorted terms to lists of entries: the entries of terms[i]
// are ids[start[i]:start[i+1]], ascending.
type suggestDict struct {
	terms []string
	start []uint32
	ids   []uint32
}

// span returns the range of terms that begin with p.
func (d *suggestDict) span(p string) (lo, hi int) {
	lo = sort.SearchStrings(d.terms, p)
	hi = lo + sort.Search(len(d.terms)-lo, func(i int) bool { return !strings.HasPrefix(d.terms[lo+i], p) })
	return lo, hi
}

// NewSuggester reads every title and heading of idx and the glossary.
func NewSuggester(ctx context.Context, idx *indexer.Index, g *Glossary) (*Suggester, error) {
	b := newSuggestBuilder(idx.Catalog, g)
	if err := readHeadings(ctx, idx, runtime.GOMAXPROCS(0), b.headingAdder); err != nil {
		return nil, fmt.Errorf("read headings: %w", err)
	}
	s, err := b.build()
	if err != nil {
		return nil, fmt.Errorf("build suggestions: %w", err)
	}
	return s, nil
}

// headingFields are the stored fields a heading suggestion is made of, in
// the order readHeadings passes them.
var headingFields = []string{indexer.FieldDocID, indexer.FieldSectionID, indexer.FieldNumber, indexer.FieldHeading}

// readHeadings reads the document id, section id, number and heading of
// every section of idx, in no particular order, with up to workers
// goroutines: each first calls adder once and then passes its sections to
// the function it returned.
func readHeadings(ctx context.Context, idx *indexer.Index, workers int, adder func() func(docID, sectionID, number, heading []byte)) error {
	return idx.VisitStored(ctx, headingFields, workers, func() func(values [][]byte) {
		add := adder()
		return func(v [][]byte) { add(v[0], v[1], v[2], v[3]) }
	})
}

// entryWriter appends entries and their text, folded words and section id
// to an arena of its own.
type entryWriter struct {
	arena   []byte
	entries []suggestEntry
	text    []byte // scratch
	err     error
}

func (w *entryWriter) add(kind uint8, text string, id []byte, src int32, level uint16) {
	off := len(w.arena)
	w.arena = append(w.arena, text...)
	w.arena = appendWords(w.arena, text)
	nWords := len(w.arena) - off - len(text)
	w.arena = append(w.arena, id...)
	if len(w.arena) > math.MaxUint32 {
		w.err = errors.New("too much text to suggest from")
		w.arena = w.arena[:off]
		return
	}
	w.entries = append(w.entries, suggestEntry{off: uint32(off), nText: uint32(len(text)), nWords: uint32(nWords), nID: uint32(len(id)), src: src, level: level, kind: kind})
}

// suggestBuilder collects entries, then sorts them and makes the
// dictionaries.
type suggestBuilder struct {
	entryWriter                // titles and glossary terms
	parts       []*entryWriter // headings, one per reader
	docs        []suggestDoc
	docNum      map[string]int32
	gloss       []search.Suggestion
	levels      []string
	level       map[string]uint16
}

// newSuggestBuilder starts a suggester with the titles of catalog and the
// terms of g (which may be nil).
func newSuggestBuilder(catalog []*content.Document, g *Glossary) *suggestBuilder {
	b := &suggestBuilder{docNum: make(map[string]int32, len(catalog)), levels: []string{""}, level: map[string]uint16{"": 0}}
	for _, d := range catalog {
		n := int32(len(b.docs))
		b.docs = append(b.docs, suggestDoc{id: d.ID, title: d.Title, orgs: strings.Join(d.Organizations, ", "), level: b.levelOf(d.Level)})
		b.docNum[d.ID] = n // the last of the same id, as the catalog's map has it
		b.add(kindTitle, d.Title, nil, n, b.docs[n].level)
	}
	if g != nil {
		for _, e := range g.Entries {
			b.addTerm(search.Suggestion{Text: e.Terms[0], Kind: search.SuggestGlossary, Query: e.Terms[0], Detail: strings.Join(e.Terms[1:], " · ")})
			for _, t := range e.Terms[1:] {
				b.addTerm(search.Suggestion{Text: t, Kind: search.SuggestGlossary, Query: `"` + t + `"`, Detail: e.Terms[0]})
			}
		}
	}
	return b
}

func (b *suggestBuilder) levelOf(l string) uint16 {
	if n, ok := b.level[l]; ok {
		return n
	}
	if len(b.levels) > math.MaxUint16 {
		b.err = errors.New("too many access levels")
		return 0
	}
	n := uint16(len(b.levels))
	b.levels = append(b.levels, l)
	b.level[l] = n
	return n
}

func (b *suggestBuilder) addTerm(s search.Suggestion) {
	b.add(kindGlossary, s.Text, nil, int32(len(b.gloss)), 0)
	b.gloss = append(b.gloss, s)
}

// headingAdder returns a function that adds a section's number and heading,
// unless it has neither, is an unnumbered "Introduction" or belongs to no
// document of the catalog. The functions of different calls may run at
// once.
func (b *suggestBuilder) headingAdder() func(docID, sectionID, number, heading []byte) {
	w := &entryWriter{}
	b.parts = append(b.parts, w)
	return func(docID, sectionID, number, heading []byte) {
		n, ok := b.docNum[string(docID)]
		w.text = append(append(append(w.text[:0], number...), ' '), heading...)
		text := bytes.TrimSpace(w.text)
		if !ok || len(text) == 0 || string(text) == "Introduction" || w.err != nil {
			return
		}
		w.add(kindHeading, string(text), sectionID, n, b.docs[n].level)
	}
}

// build sorts the entries and makes the dictionaries.
func (b *suggestBuilder) build() (*Suggester, error) {
	size := len(b.arena)
	for _, p := range b.parts {
		size += len(p.arena)
		b.err = cmp.Or(b.err, p.err)
	}
	if size > math.MaxUint32 {
		b.err = cmp.Or(b.err, errors.New("too much text to suggest from"))
	}
	if b.err != nil {
		return nil, b.err
	}
	var arena strings.Builder
	arena.Grow(size)
	arena.Write(b.arena)
	for _, p := range b.parts {
		base := uint32(arena.Len())
		arena.Write(p.arena)
		for _, e := range p.entries {
			e.off += base
			b.entries = append(b.entries, e)
		}
		p.arena, p.entries = nil, nil
	}
	s := &Suggester{arena: arena.String(), entries: b.entries, docs: b.docs, gloss: b.gloss, levels: b.levels}
	b.arena, b.entries = nil, nil
	s.sortEntries(runtime.GOMAXPROCS(0))
	var (
		words, starts dictBuilder
		startOf       []int       // word number -> start number
		bitsOf        []prefixSet // word number -> its prefixes
	)
	s.bits = make([]prefixSet, len(s.entries))
	for i := range s.entries {
		e := &s.entries[i]
		for rest := s.words(e); rest != ""; {
			w := rest
			if k := strings.IndexByte(rest, ' '); k >= 0 {
				w, rest = rest[:k], rest[k+1:]
			} else {
				rest = ""
			}
			n := words.add(w, uint32(i))
			if n == len(startOf) {
				startOf = append(startOf, starts.num(startKey(w)))
				bitsOf = append(bitsOf, prefixesOf(w))
			}
			starts.addTo(startOf[n], uint32(i))
			s.bits[i].add(bitsOf[n])
		}
	}
	s.vocab, s.starts = words.dict(), starts.dict()
	return s, nil
}

// sortEntries sorts the entries by static part, text and reading order:
// by counting the static parts, then each run of the same static part by
// text, with up to workers goroutines.
func (s *Suggester) sortEntries(workers int) {
	const most = staticRuns
	key := func(e *suggestEntry) int { return min(e.static(), most) }
	start := make([]uint32, most+2)
	for i := range s.entries {
		start[key(&s.entries[i])+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	s.from = start[:most+1]
	sorted := make([]suggestEntry, len(s.entries))
	at := slices.Clone(start)
	for i := range s.entries {
		k := key(&s.entries[i])
		sorted[at[k]] = s.entries[i]
		at[k]++
	}
	s.entries = sorted
	compare := func(x, y suggestEntry) int {
		if c := cmp.Compare(x.static(), y.static()); c != 0 {
			return c
		}
		if c := strings.Compare(s.text(&x), s.text(&y)); c != 0 {
			return c
		}
		// The same text, hence the same kind: reading order.
		if x.kind == kindHeading {
			return strings.Compare(indexer.SectionKey(s.docs[x.src].id, s.sectionID(&x)), indexer.SectionKey(s.docs[y.src].id, s.sectionID(&y)))
		}
		return cmp.Compare(x.src, y.src)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k <= most; k = int(next.Add(1) - 1) {
				if start[k+1]-start[k] > 1 {
					slices.SortFunc(s.entries[start[k]:start[k+1]], compare)
				}
			}
		})
	}
	wg.Wait()
}

// staticRuns bounds the static parts the entries are counted by: those
// from here on share one run.
const staticRuns = 1 << 16

// firstAbove returns the number of the first entry whose static part is
// above v.
func (s *Suggester) firstAbove(v int) int {
	if v+1 < len(s.from) {
		return int(s.from[v+1])
	}
	lo := int(s.from[len(s.from)-1])
	return lo + sort.Search(len(s.entries)-lo, func(i int) bool { return s.entries[lo+i].static() > v })
}

// prefixSet is a set of word beginnings, 128 bits: one of 36 for each
// first letter or digit from a to z and 0 to 9, one of 28 for any other
// first letter, and one of 64 for each beginning of two and three letters.
// If a typed word begins a word of an entry, the entry's set has the typed
// word's.
type prefixSet [2]uint64

func (p *prefixSet) add(q prefixSet) { p[0], p[1] = p[0]|q[0], p[1]|q[1] }

func (p prefixSet) has(q prefixSet) bool { return p[0]&q[0] == q[0] && p[1]&q[1] == q[1] }

// prefixesOf returns the set of w's first one, two and three letters (fewer
// if w is shorter).
func prefixesOf(w string) prefixSet {
	var p prefixSet
	r, n := utf8.DecodeRuneInString(w)
	switch {
	case w == "":
		return p
	case '0' <= r && r <= '9':
		p[0] = 1 << (r - '0')
	case 'a' <= r && r <= 'z':
		p[0] = 1 << (10 + r - 'a')
	default:
		p[0] = 1 << (36 + fnv(w[:n])%28)
	}
	for k := 2; k <= 3 && n < len(w); k++ {
		_, m := utf8.DecodeRuneInString(w[n:])
		n += m
		p[1] |= 1 << (fnv(w[:n]) % 64)
	}
	return p
}

// fnv is FNV-1a.
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(s) {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// startKey is the first one or two letters of a word.
func startKey(w string) string {
	_, n := utf8.DecodeRuneInString(w)
	if n < len(w) {
		_, m := utf8.DecodeRuneInString(w[n:])
		n += m
	}
	return w[:n]
}

// dictBuilder collects the lists of a dictionary, fed entry by entry in
// order.
type dictBuilder struct {
	nums  map[string]int
	terms []string
	lists [][]uint32
}

// num returns the number of term, new if need be.
func (d *dictBuilder) num(term string) int {
	n, ok := d.nums[term]
	if !ok {
		if d.nums == nil {
			d.nums = map[string]int{}
		}
		n = len(d.terms)
		d.nums[term] = n
		d.terms = append(d.terms, term)
		d.lists = append(d.lists, nil)
	}
	return n
}

// add adds entry to the list of term and returns the term's number.
func (d *dictBuilder) add(term string, entry uint32) int {
	n := d.num(term)
	d.addTo(n, entry)
	return n
}

func (d *dictBuilder) addTo(n int, entry uint32) {
	if l := d.lists[n]; len(l) == 0 || l[len(l)-1] != entry { // once per entry
		d.lists[n] = append(l, entry)
	}
}

func (d *dictBuilder) dict() suggestDict {
	order := make([]int, len(d.terms))
	total := 0
	for i := range order {
		order[i] = i
		total += len(d.lists[i])
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(d.terms[a], d.terms[b]) })
	out := suggestDict{terms: make([]string, len(order)), start: make([]uint32, 1, len(order)+1), ids: make([]uint32, 0, total)}
	for i, n := range order {
		out.terms[i] = d.terms[n]
		out.ids = append(out.ids, d.lists[n]...)
		out.start = append(out.start, uint32(len(out.ids)))
		d.lists[n] = nil
	}
	return out
}

func (s *Suggester) text(e *suggestEntry) string { return s.arena[e.off : e.off+e.nText] }

func (s *Suggester) words(e *suggestEntry) string {
	o := e.off + e.nText
	return s.arena[o : o+e.nWords]
}

func (s *Suggester) sectionID(e *suggestEntry) string {
	o := e.off + e.nText + e.nWords
	return s.arena[o : o+e.nID]
}

func (s *Suggester) suggestion(e *suggestEntry) search.Suggestion {
	switch e.kind {
	case kindTitle:
		d := &s.docs[e.src]
		return search.Suggestion{Text: s.text(e), Kind: search.SuggestTitle, DocID: d.id, Detail: d.orgs}
	case kindGlossary:
		return s.gloss[e.src]
	default:
		d := &s.docs[e.src]
		return search.Suggestion{Text: s.text(e), Kind: search.SuggestHeading, DocID: d.id, SectionID: s.sectionID(e), Detail: d.title}
	}
}

// appendWords appends content.Words(s) joined by single spaces to dst:
// quickly, rune by rune, when s is ASCII, Latin letters and punctuation
// (see foldable), else through content.Words.
func appendWords(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(dst, c)
			case len(dst) > start && dst[len(dst)-1] != ' ':
				dst = append(dst, ' ')
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f, ok := foldRune(r)
		if !ok {
			dst = dst[:start]
			for k, w := range content.Words(s) {
				if k > 0 {
					dst = append(dst, ' ')
				}
				dst = append(dst, w...)
			}
			return dst
		}
		i += n
		if f != "" {
			dst = append(dst, f...)
		} else if len(dst) > start && dst[len(dst)-1] != ' ' {
			dst = append(dst, ' ')
		}
	}
	if len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// Folding runs of these runes rune by rune gives what content.Words gives:
// precomposed Latin letters decompose into a letter and nonspacing marks
// only, which folding removes, and nothing left composes again.
const (
	foldLatinFrom, foldLatinTo = 0x80, 0x24f    // Latin-1 Supplement to Latin Extended-B
	foldPunctFrom, foldPunctTo = 0x2000, 0x206f // General Punctuation
)

// foldTable holds each foldable rune's folded letters, "" for a separator.
var foldTable = sync.OnceValue(func() map[rune]string {
	t := map[rune]string{}
	for _, span := range [][2]rune{{foldLatinFrom, foldLatinTo}, {foldPunctFrom, foldPunctTo}} {
		for r := span[0]; r <= span[1]; r++ {
			if w := content.Words(string(r)); len(w) <= 1 && unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cf) {
				t[r] = strings.Join(w, "")
			}
		}
	}
	return t
})

// foldRune returns the folded letters of a foldable rune.
func foldRune(r rune) (string, bool) {
	f, ok := foldTable()[r]
	return f, ok
}

// Suggest returns up to n completions of q that a caller entitled to levels
// may see. Every word typed must begin a word of the completion; the last
// may be unfinished.
//
// When nothing completes what was typed, a word of four letters or more
// that begins no word of the suggestions is read with one typing error
// (a letter left out, added, changed or two swapped): "secuirty" completes
// as "security".
func (s *Suggester) Suggest(q string, levels []string, n int) []search.Suggestion {
	typed := content.Words(q)
	if len(typed) == 0 || len(q) > 200 {
		return []search.Suggestion{}
	}
	if n <= 0 || n > search.MaxSuggestions {
		n = search.MaxSuggestions
	}
	out := s.complete(typed, levels, n)
	if len(out) > 0 {
		return out
	}
	// Each word that begins nothing, read with one typing error: its
	// variants that begin the most words first, the first that completes
	// with the other words kept.
	fixed := slices.Clone(typed)
	for i, t := range typed {
		for _, v := range s.oneTypo(t) {
			fixed[i] = v
			if out = s.complete(fixed, levels, n); len(out) > 0 {
				break
			}
		}
		if len(out) > 0 {
			return out
		}
		if vs := s.oneTypo(t); len(vs) > 0 {
			fixed[i] = vs[0]
		}
	}
	return out
}

// maxTypoVariants bounds the readings of one mistyped word that Suggest
// tries.
const maxTypoVariants = 5

// oneTypo returns, when t (four letters or more) begins no word of the
// suggestions, the prefixes one typing error away (a letter too many, two
// swapped, one changed, one left out) that begin some, those that begin the
// most first, at most maxTypoVariants.
func (s *Suggester) oneTypo(t string) []string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	if len(t) < 4 || !isASCII(t) {
		return nil
	}
	if lo, hi := s.vocab.span(t); lo < hi {
		return nil
	}
	count := map[string]uint32{}
	try := func(v string) {
		if _, seen := count[v]; seen {
			return
		}
		if lo, hi := s.vocab.span(v); lo < hi {
			count[v] = s.vocab.start[hi] - s.vocab.start[lo]
		}
	}
	for k := range len(t) {
		try(t[:k] + t[k+1:])
		if k+1 < len(t) {
			try(t[:k] + string(t[k+1]) + string(t[k]) + t[k+2:])
		}
		for _, c := range letters {
			if byte(c) != t[k] {
				try(t[:k] + string(c) + t[k+1:])
			}
		}
	}
	for k := range len(t) + 1 {
		for _, c := range letters {
			try(t[:k] + string(c) + t[k:])
		}
	}
	out := slices.Collect(maps.Keys(count))
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b)) })
	return out[:min(len(out), maxTypoVariants)]
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// complete is Suggest for the words typed, as typed.
func (s *Suggester) complete(typed []string, levels []string, n int) []search.Suggestion {
	// Walk the entries of the typed word that has the fewest.
	var lists [][]uint32
	fewest := -1
	for _, t := range typed {
		d := &s.vocab
		if utf8.RuneCountInString(t) <= 2 {
			d = &s.starts
		}
		lo, hi := d.span(t)
		if c := int(d.start[hi] - d.start[lo]); fewest < 0 || c < fewest {
			fewest = c
			lists = lists[:0]
			for k := lo; k < hi; k++ {
				lists = append(lists, d.ids[d.start[k]:d.start[k+1]])
			}
		}
	}
	if fewest == 0 {
		return []search.Suggestion{}
	}
	var need prefixSet
	for _, t := range typed {
		need.add(prefixesOf(t))
	}
	allowed := make([]bool, len(s.levels))
	for i, l := range s.levels {
		allowed[i] = l == "" || Allowed(l, levels)
	}
	type scored struct {
		e     *suggestEntry
		score int
	}
	less := func(a, b scored) bool {
		return a.score < b.score || a.score == b.score && s.text(a.e) < s.text(b.e)
	}
	top := make([]scored, 0, n)
	var last *suggestEntry        // the last completion found
	end := uint32(len(s.entries)) // no entry from here on scores better than the n-th found
	m := newMerge(lists)
	for {
		i, ok := m.next()
		if !ok || i >= end {
			break
		}
		if !s.bits[i].has(need) {
			continue
		}
		e := &s.entries[i]
		if !allowed[e.level] {
			continue
		}
		first, ok := matchesAll(s.words(e), typed)
		if !ok {
			continue
		}
		// Entries of the same kind and text are next to each other: keep
		// the first.
		if last != nil && last.kind == e.kind && s.text(last) == s.text(e) {
			continue
		}
		last = e
		c := scored{e, e.static() + 50*first}
		if len(top) == n && !less(c, top[n-1]) {
			continue
		}
		k := sort.Search(len(top), func(k int) bool { return less(c, top[k]) })
		if len(top) < n {
			top = append(top, scored{})
		}
		copy(top[k+1:], top[k:])
		top[k] = c
		if len(top) == n {
			end = uint32(s.firstAbove(top[n-1].score))
		}
	}
	out := make([]search.Suggestion, 0, len(top))
	for _, c := range top {
		out = append(out, s.suggestion(c.e))
	}
	return out
}

// matchesAll reports whether every typed word begins some word of words
// (folded words separated by spaces), and the position of the first one's
// match.
func matchesAll(words string, typed []string) (int, bool) {
	first := -1
	for k, t := range typed {
		pos := -1
		rest := words
		for j := 0; ; j++ {
			w, more, found := strings.Cut(rest, " ")
			if strings.HasPrefix(w, t) {
				pos = j
				break
			}
			if !found {
				break
			}
			rest = more
		}
		if pos < 0 {
			return 0, false
		}
		if k == 0 {
			first = pos
		}
	}
	return first, true
}

// merge walks sorted lists of entries as one sorted list without repeats.
type merge struct {
	h       [][]uint32 // a heap of the lists left, by first entry
	last    uint32
	started bool
}

func newMerge(lists [][]uint32) *merge {
	m := &merge{h: make([][]uint32, 0, len(lists))}
	for _, l := range lists {
		if len(l) > 0 {
			m.h = append(m.h, l)
		}
	}
	for i := len(m.h)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m
}

func (m *merge) next() (uint32, bool) {
	for len(m.h) > 0 {
		v := m.h[0][0]
		if m.h[0] = m.h[0][1:]; len(m.h[0]) == 0 {
			m.h[0] = m.h[len(m.h)-1]
			m.h = m.h[:len(m.h)-1]
		}
		if len(m.h) > 1 {
			m.down(0)
		}
		if m.started && v == m.last {
			continue
		}
		m.last, m.started = v, true
		return v, true
	}
	return 0, false
}

func (m *merge) down(i int) {
	h := m.h
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1][0] < h[c][0] {
			c++
		}
		if h[i][0] <= h[c][0] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
