package compare

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"handbook/content"
)

// Kind is what became of a section from one edition to the other.
type Kind string

// Kinds of pair.
const (
	Unchanged Kind = "unchanged" // the same number, heading and text
	Changed   Kind = "changed"   // paired, with another text or heading
	Moved     Kind = "moved"     // the same text under another number or out of order
	Added     Kind = "added"     // only in the new edition
	Removed   Kind = "removed"   // only in the old edition
)

// How a pair was found, as Pair.By.
const (
	ByText       = "text"       // the same words
	ByNumber     = "number"     // the same number and heading
	ByHeading    = "heading"    // the same heading
	BySimilarity = "similarity" // alike headings and texts
)

// Defaults of Options.
const (
	DefaultMaxSections   = 5000
	DefaultMaxBytes      = 16 << 20
	DefaultMaxPairs      = 4_000_000
	DefaultSimilarity    = 0.5
	DefaultLowSimilarity = 0.1
	DefaultMinWords      = 5
	DefaultDiffTimeout   = 250 * time.Millisecond
)

// Options bounds and tunes a comparison. Zero values take the defaults.
type Options struct {
	// MaxSections bounds the sections of each edition (default 5,000).
	MaxSections int
	// MaxBytes bounds the text of both editions together (default 16 MiB).
	MaxBytes int
	// MaxPairs bounds sections of one edition × sections of the other
	// (default 4,000,000): the similarity pass may weigh every such pair.
	MaxPairs int
	// Similarity is the word similarity (Jaccard, 0–1) from which two
	// sections are paired on their text alone (default 0.5).
	Similarity float64
	// LowSimilarity is the word similarity that suffices when the headings
	// agree too (default 0.1).
	LowSimilarity float64
	// MinWords is the fewest words a text needs to be paired on being
	// identical alone (default 5): empty and one-line sections are not.
	MinWords int
	// DiffTimeout bounds the word diff of one pair (default 250 ms); past
	// it the diff is coarser, never wrong.
	DiffTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.MaxSections <= 0 {
		o.MaxSections = DefaultMaxSections
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPairs <= 0 {
		o.MaxPairs = DefaultMaxPairs
	}
	if o.Similarity <= 0 {
		o.Similarity = DefaultSimilarity
	}
	if o.LowSimilarity <= 0 {
		o.LowSimilarity = DefaultLowSimilarity
	}
	if o.MinWords <= 0 {
		o.MinWords = DefaultMinWords
	}
	if o.DiffTimeout <= 0 {
		o.DiffTimeout = DefaultDiffTimeout
	}
	return o
}

// ErrTooLarge is wrapped by a LimitError.
var ErrTooLarge = errors.New("too large to compare")

// LimitError says which bound two editions pass.
type LimitError struct {
	What  string // "sections", "bytes" or "pairs"
	Value int
	Max   int
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("too large to compare: %d %s, at most %d", e.Value, e.What, e.Max)
}

func (e *LimitError) Unwrap() error { return ErrTooLarge }

// Pair is one section of either edition or both.
type Pair struct {
	Kind Kind `json:"kind"`
	// Old and New are the section in each edition; Old is nil for an
	// added section, New for a removed one.
	Old *content.Section `json:"old,omitempty"`
	New *content.Section `json:"new,omitempty"`
	// By says how the pair was found (ByText, ByNumber, ByHeading,
	// BySimilarity); empty for added and removed sections.
	By string `json:"by,omitempty"`
	// Similarity is the share of words the two texts have in common
	// (Jaccard, 0–1).
	Similarity float64 `json:"similarity"`
	// Renumbered is true when the number differs; Reordered when the pair
	// stands elsewhere among the others than it did.
	Renumbered bool `json:"renumbered,omitempty"`
	Reordered  bool `json:"reordered,omitempty"`
	// HeadingChanged is true when the heading differs.
	HeadingChanged bool `json:"heading_changed,omitempty"`
	// Diff is the word-level diff of Old's text to New's, for a changed pair.
	Diff []Op `json:"diff,omitempty"`
}

// Summary counts the pairs by kind.
type Summary struct {
	Changed   int `json:"changed"`
	Moved     int `json:"moved"`
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

// Result is a comparison: every section of both editions, once, in the new
// edition's order with each removed section after the one it followed.
type Result struct {
	Summary Summary `json:"summary"`
	Pairs   []Pair  `json:"pairs"`
}

// Check reports a LimitError when old and new pass the bounds of opts,
// before any work is done.
func Check(old, new []content.Section, opts Options) error {
	opts = opts.withDefaults()
	if n := max(len(old), len(new)); n > opts.MaxSections {
		return &LimitError{What: "sections", Value: n, Max: opts.MaxSections}
	}
	size := 0
	for _, list := range [][]content.Section{old, new} {
		for i := range list {
			size += len(list[i].Text) + len(list[i].Heading)
		}
	}
	if size > opts.MaxBytes {
		return &LimitError{What: "bytes", Value: size, Max: opts.MaxBytes}
	}
	if n := len(old) * len(new); n > opts.MaxPairs {
		return &LimitError{What: "pairs", Value: n, Max: opts.MaxPairs}
	}
	return nil
}

// Sections compares the sections of an old edition with those of a new one.
// It fails with a LimitError beyond the bounds of opts, and with the
// context's error when ctx ends.
func Sections(ctx context.Context, old, new []content.Section, opts Options) (*Result, error) {
	if err := Check(old, new, opts); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	a := newSide(old)
	b := newSide(new)
	m := &matcher{a: a, b: b, opts: opts, oldOf: fill(len(new)), newOf: fill(len(old))}
	m.byText()
	m.byNumber()
	m.byHeading()
	if err := m.bySimilarity(ctx); err != nil {
		return nil, err
	}
	return m.result(ctx)
}

func fill(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// side is one edition's sections with what the passes compare.
type side struct {
	secs    []content.Section
	text    []string   // whitespace-normalised text
	words   [][]string // content.Words of the text
	set     [][]int    // sorted distinct word ids, stop words left out
	number  []string   // canonical number
	heading []string   // the heading's words joined
	hwords  [][]string // the heading's distinct words, stop words left out
}

func newSide(secs []content.Section) *side {
	s := &side{secs: secs}
	for i := range secs {
		s.text = append(s.text, normText(secs[i].Text))
		s.words = append(s.words, content.Words(secs[i].Text))
		s.number = append(s.number, canonicalNumber(secs[i].Number))
		hw := content.Words(secs[i].Heading)
		s.heading = append(s.heading, strings.Join(hw, " "))
		s.hwords = append(s.hwords, distinct(hw))
	}
	return s
}

// matcher pairs a's sections with b's: oldOf[j] is the old section paired
// with new section j, newOf[i] the new section paired with old section i.
type matcher struct {
	a, b         *side
	opts         Options
	oldOf, newOf []int
	by           map[int]string // by new index
	vocab        map[string]int
}

func (m *matcher) pair(i, j int, by string) {
	m.newOf[i], m.oldOf[j] = j, i
	if m.by == nil {
		m.by = map[int]string{}
	}
	m.by[j] = by
}

// byText pairs sections whose texts are the same words, in order of
// occurrence when a text occurs more than once.
func (m *matcher) byText() {
	m.group(func(s *side, i int) string {
		if len(s.words[i]) < m.opts.MinWords {
			return ""
		}
		return s.text[i]
	}, ByText, nil)
}

// byNumber pairs sections with the same number and heading.
func (m *matcher) byNumber() {
	m.group(func(s *side, i int) string {
		if s.number[i] == "" {
			return ""
		}
		return s.number[i] + "\x00" + s.heading[i]
	}, ByNumber, nil)
}

// byHeading pairs sections with the same heading; under different numbers
// (one of them unnumbered included) only when their texts are alike as
// well, or one of them has (nearly) no text: "Introduction" heads many
// chapters.
func (m *matcher) byHeading() {
	m.group(func(s *side, i int) string { return s.heading[i] }, ByHeading, func(i, j int) bool {
		if m.a.number[i] == m.b.number[j] {
			return true
		}
		if min(len(m.a.words[i]), len(m.b.words[j])) < m.opts.MinWords {
			return true // a heading with no text (or a line) to weigh
		}
		return m.similarity(i, j) >= m.opts.LowSimilarity
	})
}

// group pairs the k-th unpaired old section of each key with the k-th
// unpaired new one of the same key; empty keys are never paired.
func (m *matcher) group(key func(*side, int) string, by string, accept func(i, j int) bool) {
	olds := map[string][]int{}
	for i := range m.a.secs {
		if m.newOf[i] < 0 {
			if k := key(m.a, i); k != "" {
				olds[k] = append(olds[k], i)
			}
		}
	}
	for j := range m.b.secs {
		if m.oldOf[j] >= 0 {
			continue
		}
		k := key(m.b, j)
		for n, i := range olds[k] {
			if accept == nil || accept(i, j) {
				m.pair(i, j, by)
				olds[k] = slices.Delete(olds[k], n, n+1)
				break
			}
		}
	}
}

// bySimilarity pairs the rest, the most alike first: sections whose texts
// share at least Similarity of their words; or, when their headings agree
// (half their words) or their numbers are the same, LowSimilarity, as long
// as each is the other's most alike text (a rewritten section shares few
// words with its old self, but more than with any other).
func (m *matcher) bySimilarity(ctx context.Context) error {
	var olds, news []int
	for i := range m.a.secs {
		if m.newOf[i] < 0 {
			olds = append(olds, i)
		}
	}
	for j := range m.b.secs {
		if m.oldOf[j] < 0 {
			news = append(news, j)
		}
	}
	if len(olds) == 0 || len(news) == 0 {
		return nil
	}
	sim := make([]float64, len(olds)*len(news))
	rowBest, colBest := make([]float64, len(olds)), make([]float64, len(news))
	for x, i := range olds {
		if err := ctx.Err(); err != nil {
			return err
		}
		for y, j := range news {
			t := m.similarity(i, j)
			if len(m.a.set[i]) == 0 && len(m.b.set[j]) == 0 {
				t = overlap(m.a.hwords[i], m.b.hwords[j]) // two empty sections: their headings are all they say
			}
			sim[x*len(news)+y] = t
			rowBest[x], colBest[y] = max(rowBest[x], t), max(colBest[y], t)
		}
	}
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	for x, i := range olds {
		for y, j := range news {
			t := sim[x*len(news)+y]
			h := overlap(m.a.hwords[i], m.b.hwords[j])
			same := m.a.number[i] != "" && m.a.number[i] == m.b.number[j]
			mutual := t == rowBest[x] && t == colBest[y]
			if t >= m.opts.Similarity || t >= m.opts.LowSimilarity && (h >= 0.5 || same) && mutual {
				score := t + h
				if same {
					score += 0.5
				}
				cands = append(cands, cand{i, j, score})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].score > cands[y].score })
	for _, c := range cands {
		if m.newOf[c.i] < 0 && m.oldOf[c.j] < 0 {
			m.pair(c.i, c.j, BySimilarity)
		}
	}
	return nil
}

// similarity is the Jaccard similarity of the two texts' distinct words
// (stop words left out).
func (m *matcher) similarity(i, j int) float64 {
	m.sets()
	return jaccard(m.a.set[i], m.b.set[j])
}

// sets gives every text its set of word ids, once.
func (m *matcher) sets() {
	if m.vocab != nil {
		return
	}
	m.vocab = map[string]int{}
	for _, s := range []*side{m.a, m.b} {
		s.set = make([][]int, len(s.secs))
		for i, ws := range s.words {
			var ids []int
			for _, w := range ws {
				if stopWords[w] {
					continue
				}
				id, ok := m.vocab[w]
				if !ok {
					id = len(m.vocab)
					m.vocab[w] = id
				}
				ids = append(ids, id)
			}
			slices.Sort(ids)
			s.set[i] = slices.Compact(ids)
		}
	}
}

func (m *matcher) result(ctx context.Context) (*Result, error) {
	m.sets()
	reordered := outOfOrder(m.newOf)
	r := &Result{}
	type placed struct {
		at, sub int
		p       Pair
	}
	var all []placed
	for j := range m.b.secs {
		p := Pair{New: &m.b.secs[j], Kind: Added}
		if i := m.oldOf[j]; i >= 0 {
			p.Old, p.By = &m.a.secs[i], m.by[j]
			p.Similarity = round(jaccard(m.a.set[i], m.b.set[j]))
			p.Renumbered = m.a.number[i] != m.b.number[j]
			p.Reordered = reordered[i]
			p.HeadingChanged = m.a.heading[i] != m.b.heading[j]
			sameText := m.a.text[i] == m.b.text[j]
			switch {
			case sameText && (p.Renumbered || p.Reordered):
				p.Kind = Moved
			case sameText && !p.HeadingChanged:
				p.Kind = Unchanged
			default:
				p.Kind = Changed
				if !sameText {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
					p.Diff = Words(m.a.secs[i].Text, m.b.secs[j].Text, m.opts.DiffTimeout)
				}
			}
		}
		all = append(all, placed{at: j, p: p})
	}
	// A removed section goes after the new place of the old section before
	// it that was paired, else first.
	for i := range m.a.secs {
		if m.newOf[i] >= 0 {
			continue
		}
		at := -1
		for k := i - 1; k >= 0; k-- {
			if m.newOf[k] >= 0 {
				at = m.newOf[k]
				break
			}
		}
		all = append(all, placed{at: at, sub: i + 1, p: Pair{Old: &m.a.secs[i], Kind: Removed}})
	}
	sort.SliceStable(all, func(x, y int) bool {
		if all[x].at != all[y].at {
			return all[x].at < all[y].at
		}
		return all[x].sub < all[y].sub
	})
	for _, pl := range all {
		r.Pairs = append(r.Pairs, pl.p)
		switch pl.p.Kind {
		case Changed:
			r.Summary.Changed++
		case Moved:
			r.Summary.Moved++
		case Added:
			r.Summary.Added++
		case Removed:
			r.Summary.Removed++
		case Unchanged:
			r.Summary.Unchanged++
		}
	}
	return r, nil
}

// outOfOrder marks the paired old sections that are not in a longest run of
// pairs whose new order follows their old order: those stand elsewhere.
func outOfOrder(newOf []int) []bool {
	var idx []int // old indexes of paired sections, in old order
	for i, j := range newOf {
		if j >= 0 {
			idx = append(idx, i)
		}
	}
	// Longest increasing subsequence of newOf over idx, by patience sorting.
	tails := []int{}              // positions in idx
	prev := make([]int, len(idx)) // predecessor positions
	for p, i := range idx {
		v := newOf[i]
		k := sort.Search(len(tails), func(t int) bool { return newOf[idx[tails[t]]] >= v })
		if k > 0 {
			prev[p] = tails[k-1]
		} else {
			prev[p] = -1
		}
		if k == len(tails) {
			tails = append(tails, p)
		} else {
			tails[k] = p
		}
	}
	out := make([]bool, len(newOf))
	for _, i := range idx {
		out[i] = true
	}
	if len(tails) > 0 {
		for p := tails[len(tails)-1]; p >= 0; p = prev[p] {
			out[idx[p]] = false
		}
	}
	return out
}

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

func jaccard(a, b []int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both, x, y := 0, 0, 0
	for x < len(a) && y < len(b) {
		switch {
		case a[x] == b[y]:
			both++
			x++
			y++
		case a[x] < b[y]:
			x++
		default:
			y++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// overlap is the share of the shorter list's words that the other has.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			both++
		}
	}
	return float64(both) / float64(min(len(a), len(b)))
}

func distinct(ws []string) []string {
	var out []string
	for _, w := range ws {
		if !stopWords[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// quotes are folded so that an edition typed with straight quotes and one
// with curly ones have the same text.
var quotes = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "«\u00a0", `"`, "\u00a0»", `"`, "–", "-", "—", "-")

// normText is the text as the passes compare it: words separated by single
// spaces, quotes and dashes folded.
func normText(s string) string {
	return strings.Join(strings.Fields(quotes.Replace(s)), " ")
}

// numberWords are the words of a section number that mean the same in
// another language or spelling.
var numberWords = map[string]string{
	"annexe": "annex", "anexo": "annex", "anhang": "annex", "chapitre": "chapter", "capitulo": "chapter", "kapitel": "chapter",
	"norme": "standard", "norma": "standard", "pilier": "pillar", "pilar": "pillar", "art": "article", "articulo": "article",
	"artikel": "article", "premier": "1", "premiere": "1", "1er": "1", "1re": "1", "partie": "part", "titre": "title",
}

// canonicalNumber is a section number as the passes compare it: its words,
// folded, with the words of numberWords replaced ("Annexe I" gives
// "annex i", "Article premier" gives "article 1").
func canonicalNumber(n string) string {
	ws := content.Words(n)
	for i, w := range ws {
		if r, ok := numberWords[w]; ok {
			ws[i] = r
		}
	}
	return strings.Join(ws, " ")
}

// stopWords are left out of the word sets: English and French function
// words that every section has.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be by for from has have in is it its of on or that the this to was were will with
		au aux ce ces dans de des du elle en est et il ils la le les leur leurs par pas pour qui que sa se ses son sur un une d l s n qu`) {
		m[w] = true
	}
	return m
}()
