package engine

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/content/sample"
	"handbook/indexer"
	"handbook/search"
)

// suggestCorpus is a generated set of documents and headings, given to the
// suggester without a Bleve index.
type suggestCorpus struct {
	docs     []*content.Document
	headings []suggestHeading // in no particular order
	glossary *Glossary
}

type suggestHeading struct{ docID, sectionID, number, heading string }

var (
	sampleWordsOnce sync.Once
	sampleWords     []string
)

// sampleTokens returns every word of the sample knowledge base's sections as
// it comes, so drawing from it uniformly draws words by their frequency
// (English and French, accents and all).
func sampleTokens(t testing.TB) []string {
	t.Helper()
	sampleWordsOnce.Do(func() {
		for _, d := range ingest.LoadFS(sample.FS(), ".").Documents {
			for _, s := range d.Sections {
				sampleWords = append(sampleWords, strings.FieldsFunc(s.Heading+" "+s.Text, func(r rune) bool {
					return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '’'
				})...)
			}
		}
	})
	if len(sampleWords) == 0 {
		t.Fatal("no words in the sample")
	}
	return sampleWords
}

// genSuggestCorpus makes about sections headings in documents of about 33
// sections, at every level, numbered like the bench corpus; some headings
// repeat across documents ("1 Scope") to exercise deduplication.
func genSuggestCorpus(t testing.TB, sections int, seed uint64) *suggestCorpus {
	t.Helper()
	words := sampleTokens(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	phrase := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:]
	}
	c := &suggestCorpus{glossary: DefaultGlossary()}
	common := []string{"Scope", "Introduction", "Definitions", "Annex", "Purpose and scope"}
	for len(c.headings) < sections {
		d := &content.Document{ID: fmt.Sprintf("gen-%06d", len(c.docs)), Title: phrase(3 + rng.IntN(6)), Level: content.Levels[rng.IntN(len(content.Levels))]}
		if len(c.docs) > 0 && rng.IntN(20) == 0 {
			d.Title = c.docs[rng.IntN(len(c.docs))].Title // another edition
		}
		if rng.IntN(3) == 0 {
			d.Organizations = []string{"WCO", "UNODC"}[:1+rng.IntN(2)]
		}
		c.docs = append(c.docs, d)
		chapter, sub := 0, 0
		for i := range 1 + rng.IntN(65) {
			heading := phrase(2 + rng.IntN(5))
			if rng.IntN(20) == 0 {
				heading = common[rng.IntN(len(common))]
			}
			if i == 0 || rng.IntN(5) == 0 {
				chapter, sub = chapter+1, 0
			} else {
				sub++
			}
			number := fmt.Sprintf("%d.%d", chapter, sub)
			if sub == 0 {
				number = fmt.Sprint(chapter)
			}
			if rng.IntN(10) == 0 || slices.Contains(common, heading) && rng.IntN(2) == 0 {
				number = "" // unnumbered, so "Introduction" alone is left out
			}
			c.headings = append(c.headings, suggestHeading{d.ID, fmt.Sprintf("s%d", i), number, heading})
		}
	}
	slices.SortFunc(c.docs, func(a, b *content.Document) int { return strings.Compare(a.ID, b.ID) })
	rng.Shuffle(len(c.headings), func(i, j int) { c.headings[i], c.headings[j] = c.headings[j], c.headings[i] })
	return c
}

func (c *suggestCorpus) suggester(t testing.TB) *Suggester {
	t.Helper()
	b := newSuggestBuilder(c.docs, c.glossary)
	// Two readers, as NewSuggester has on two cores.
	adders := []func(docID, sectionID, number, heading []byte){b.headingAdder(), b.headingAdder()}
	for i, h := range c.headings {
		adders[i%2]([]byte(h.docID), []byte(h.sectionID), []byte(h.number), []byte(h.heading))
	}
	s, err := b.build()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// refSuggester is the plain algorithm, entry by entry in reading order,
// against which the suggester is checked.
type refSuggester []refEntry

type refEntry struct {
	search.Suggestion
	level string
	words []string
	rank  int
}

func (c *suggestCorpus) reference() refSuggester {
	var r refSuggester
	add := func(s search.Suggestion, level string, rank int) {
		r = append(r, refEntry{s, level, content.Words(s.Text), rank})
	}
	for _, d := range c.docs {
		add(search.Suggestion{Text: d.Title, Kind: search.SuggestTitle, DocID: d.ID, Detail: strings.Join(d.Organizations, ", ")}, d.Level, 0)
	}
	var terms []GlossaryEntry
	if c.glossary != nil {
		terms = c.glossary.Entries
	}
	for _, e := range terms {
		add(search.Suggestion{Text: e.Terms[0], Kind: search.SuggestGlossary, Query: e.Terms[0], Detail: strings.Join(e.Terms[1:], " · ")}, "", 1)
		for _, t := range e.Terms[1:] {
			add(search.Suggestion{Text: t, Kind: search.SuggestGlossary, Query: `"` + t + `"`, Detail: e.Terms[0]}, "", 1)
		}
	}
	hs := slices.Clone(c.headings)
	slices.SortFunc(hs, func(a, b suggestHeading) int {
		return strings.Compare(indexer.SectionKey(a.docID, a.sectionID), indexer.SectionKey(b.docID, b.sectionID))
	})
	byID := map[string]*content.Document{}
	for _, d := range c.docs {
		byID[d.ID] = d
	}
	for _, h := range hs {
		d := byID[h.docID]
		text := strings.TrimSpace(h.number + " " + h.heading)
		if d == nil || text == "" || text == "Introduction" {
			continue
		}
		add(search.Suggestion{Text: text, Kind: search.SuggestHeading, DocID: d.ID, SectionID: h.sectionID, Detail: d.Title}, d.Level, 2)
	}
	return r
}

func (r refSuggester) suggest(q string, levels []string, n int) []search.Suggestion {
	typed := content.Words(q)
	if len(typed) == 0 || len(q) > 200 {
		return []search.Suggestion{}
	}
	if n <= 0 || n > search.MaxSuggestions {
		n = search.MaxSuggestions
	}
	type scored struct {
		e     *refEntry
		score int
	}
	var found []scored
	seen := map[string]bool{}
	for i := range r {
		e := &r[i]
		if e.level != "" && !Allowed(e.level, levels) {
			continue
		}
		first := -1
		for k, t := range typed {
			pos := slices.IndexFunc(e.words, func(w string) bool { return strings.HasPrefix(w, t) })
			if pos < 0 {
				first = -1
				break
			}
			if k == 0 {
				first = pos
			}
		}
		if first < 0 || seen[e.Kind+"\x00"+e.Text] {
			continue
		}
		seen[e.Kind+"\x00"+e.Text] = true
		found = append(found, scored{e, e.rank*1000 + first*50 + len(e.Text)})
	}
	sort.SliceStable(found, func(a, b int) bool {
		if found[a].score != found[b].score {
			return found[a].score < found[b].score
		}
		return found[a].e.Text < found[b].e.Text
	})
	out := []search.Suggestion{}
	for _, f := range found[:min(n, len(found))] {
		out = append(out, f.e.Suggestion)
	}
	return out
}

// typedPrefixes returns what users type: one to three words of an entry
// (not always from its start), letter by letter, so single letters and
// common starts come often; and some words no entry has.
func typedPrefixes(r refSuggester, rng *rand.Rand, phrases int) []string {
	var out []string
	for range phrases {
		e := &r[rng.IntN(len(r))]
		if len(e.words) == 0 {
			continue
		}
		i := rng.IntN(len(e.words))
		k := min(len(e.words)-i, 1+rng.IntN(3))
		phrase := []rune(strings.Join(e.words[i:i+k], " "))
		if rng.IntN(4) == 0 {
			phrase = []rune(e.Text) // as written: capitals, accents, punctuation
		}
		for j := 1; j <= len(phrase); j++ {
			out = append(out, string(phrase[:j]))
		}
	}
	return append(out, "c", "con", "t", "e", "a", "s", "zzzqqq", "con zzz", "the of", "1", "2.1", "é", "a b c", "scope", "sc", "defin", "annex", "purpose and", "introduction")
}

func TestSuggestMatchesReference(t *testing.T) {
	c := genSuggestCorpus(t, 15_000, 1)
	s, ref := c.suggester(t), c.reference()
	rng := rand.New(rand.NewPCG(2, 3))
	typed := typedPrefixes(ref, rng, 120)
	callers := [][]string{nil, {content.LevelPublic}, content.Levels, {content.LevelRestricted}}
	bad := 0
	for i, q := range typed {
		levels := callers[i%len(callers)]
		n := []int{1, 8, 10, 20, 0}[i%5]
		got, want := s.Suggest(q, levels, n), ref.suggest(q, levels, n)
		if !slices.Equal(got, want) {
			if bad++; bad <= 5 {
				t.Errorf("Suggest(%q, %v, %d):\n got %v\nwant %v", q, levels, n, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d queries differ from the reference", bad, len(typed))
	}
}

// TestReadHeadings reads the sample's headings back from its index, both
// ways, and checks that the suggester made from them answers as the
// reference made from the documents does.
func TestReadHeadings(t *testing.T) {
	ctx := context.Background()
	docs := ingest.LoadFS(sample.FS(), ".").Documents
	dir := t.TempDir()
	if _, err := indexer.Build(ctx, dir, docs, indexer.SourceSample); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var want []suggestHeading
	for _, d := range docs {
		for _, s := range d.Sections {
			want = append(want, suggestHeading{d.Document.ID, s.ID, s.Number, s.Heading})
		}
	}
	var (
		mu  sync.Mutex
		got []suggestHeading
	)
	collect := func() func(docID, sectionID, number, heading []byte) {
		return func(docID, sectionID, number, heading []byte) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, suggestHeading{string(docID), string(sectionID), string(number), string(heading)})
		}
	}
	order := func(a, b suggestHeading) int {
		return cmp.Or(strings.Compare(a.docID, b.docID), strings.Compare(a.sectionID, b.sectionID))
	}
	slices.SortFunc(want, order)
	if err := readHeadings(ctx, idx, 3, collect); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, order)
	if !slices.Equal(got, want) {
		t.Errorf("readHeadings read %d headings, the documents have %d", len(got), len(want))
	}

	s, err := NewSuggester(ctx, idx, DefaultGlossary())
	if err != nil {
		t.Fatal(err)
	}
	c := &suggestCorpus{docs: idx.Catalog, headings: want, glossary: DefaultGlossary()}
	ref := c.reference()
	for _, q := range typedPrefixes(ref, rand.New(rand.NewPCG(1, 1)), 100) {
		for _, levels := range [][]string{nil, content.Levels} {
			if got, want := s.Suggest(q, levels, 10), ref.suggest(q, levels, 10); !slices.Equal(got, want) {
				t.Fatalf("Suggest(%q, %v):\n got %v\nwant %v", q, levels, got, want)
			}
		}
	}
}

// TestSuggestEdges checks cases the random corpus seldom makes.
func TestSuggestEdges(t *testing.T) {
	public, restricted := content.LevelPublic, content.LevelRestricted
	docs := []*content.Document{{ID: "a", Title: "Alpha", Level: public}, {ID: "b", Title: "Beta", Level: public}, {ID: "a-hidden", Title: "Gamma", Level: restricted}}
	long := func(head string, n int) string { return head + strings.Repeat("z", n-len(head)) }
	tests := []struct {
		name     string
		headings []suggestHeading
		q        string
		n        int
		want     []string // URLs
	}{
		{"a later entry ties the n-th on score and wins on text", []suggestHeading{
			{"a", "1", "", "zz xx"},        // 2000 + 5 + 50*1
			{"a", "2", "", long("xx", 55)}, // 2000 + 55
		}, "xx", 1, []string{"/docs/a#2"}},
		{"scores past the counted static parts", []suggestHeading{
			{"a", "1", "", long("aa bb xx ", staticRuns+10)},
			{"a", "2", "", long("xx ", staticRuns+20)},
		}, "xx", 1, []string{"/docs/a#2"}},
		{"of the same heading, the first section by key", []suggestHeading{
			{"b", "s2", "", "Scope"}, {"b", "s10", "", "Scope"}, {"a", "x", "", "Scope"},
		}, "scope", 5, []string{"/docs/a#x"}},
		{"of the same heading, the first visible", []suggestHeading{
			{"b", "s9", "", "Scope"}, {"a-hidden", "s1", "", "Scope"}, {"b", "s10", "", "Scope"},
		}, "scope", 5, []string{"/docs/b#s10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &suggestCorpus{docs: docs, headings: tc.headings}
			var got []string
			for _, sg := range c.suggester(t).Suggest(tc.q, []string{public}, tc.n) {
				got = append(got, link(sg))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Suggest(%q) = %v, want %v", tc.q, got, tc.want)
			}
			if ref := c.reference().suggest(tc.q, []string{public}, tc.n); len(ref) != len(got) || len(ref) > 0 && link(ref[0]) != got[0] {
				t.Errorf("the reference gives %v", ref)
			}
		})
	}
}

func TestSuggestNeverShowsHiddenLevels(t *testing.T) {
	c := genSuggestCorpus(t, 5_000, 4)
	s := c.suggester(t)
	level := map[string]string{}
	for _, d := range c.docs {
		level[d.Title] = d.Level
		level["/docs/"+d.ID] = d.Level
	}
	for _, q := range typedPrefixes(c.reference(), rand.New(rand.NewPCG(5, 6)), 200) {
		for _, got := range s.Suggest(q, []string{content.LevelPublic}, search.MaxSuggestions) {
			u, _, _ := strings.Cut(link(got), "#")
			if got.Kind != search.SuggestGlossary && level[u] != content.LevelPublic {
				t.Fatalf("Suggest(%q) for the public gives %+v, of level %q", q, got, level[u])
			}
		}
	}
}

func TestAppendWords(t *testing.T) {
	for _, s := range []string{"", "   ", "Joint operations at ports", "3.2 Joint-ops", "Contrôles douaniers", "Œuvre d’art", "a--b  c", "x1 Y2;Z3.", "Customs–Police", "straße", "日本 語"} {
		if got, want := string(appendWords([]byte("x"), s)), "x"+strings.Join(content.Words(s), " "); got != want {
			t.Errorf("appendWords(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestAppendWordsRandom checks the rune by rune folding against
// content.Words on random text of Latin letters, punctuation, combining marks
// and other scripts.
func TestAppendWordsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	spans := [][2]rune{{0x20, 0x7e}, {foldLatinFrom, foldLatinTo}, {foldPunctFrom, foldPunctTo}, {0x300, 0x36f}, {0x370, 0x3ff}, {0xac00, 0xac20}, {0x1100, 0x1175}}
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			sp := spans[rng.IntN(len(spans))]
			if rng.IntN(3) > 0 {
				sp = spans[rng.IntN(3)] // mostly foldable
			}
			b.WriteRune(sp[0] + rune(rng.IntN(int(sp[1]-sp[0]+1))))
		}
		s := b.String()
		if got, want := string(appendWords(nil, s)), strings.Join(content.Words(s), " "); got != want {
			t.Fatalf("appendWords(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendWords(f *testing.F) {
	for _, s := range []string{"Contrôles douaniers", "Œuvre d’art", "3.2 Joint-ops", "e\u0301te\u0301", "한국어"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendWords(nil, s)), strings.Join(content.Words(s), " "); got != want {
			t.Errorf("appendWords(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzSuggest checks any typed text against the reference.
func FuzzSuggest(f *testing.F) {
	c := genSuggestCorpus(f, 2_000, 8)
	s, ref := c.suggester(f), c.reference()
	for _, q := range []string{"c", "con", "joint op", "contrôles doua", "1 sc", "the of", "a b c", "zz", "é", "aeo"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, want := s.Suggest(q, content.Levels, 10), ref.suggest(q, content.Levels, 10)
		if !slices.Equal(got, want) {
			t.Errorf("Suggest(%q):\n got %v\nwant %v", q, got, want)
		}
	})
}

// BenchmarkSuggestLarge builds suggesters over generated headings and
// reports the latency of typed prefixes (p50, p99), the build time and the
// memory per entry.
func BenchmarkSuggestLarge(b *testing.B) {
	for _, size := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			c := genSuggestCorpus(b, size, 1)
			typed := typedPrefixes(c.reference(), rand.New(rand.NewPCG(9, 9)), 300)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			s := c.suggester(b)
			build := time.Since(start)
			runtime.GC()
			runtime.ReadMemStats(&after)
			levels := []string{content.LevelPublic}
			lat := make([]time.Duration, 0, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				q := typed[i%len(typed)]
				t0 := time.Now()
				res := s.Suggest(q, levels, 8)
				lat = append(lat, time.Since(t0))
				if res == nil || len(res) > 8 {
					b.Fatalf("Suggest(%q) = %v", q, res)
				}
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
			b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds())/1e3, "max-µs")
			b.ReportMetric(build.Seconds()*1e3, "build-ms")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(s.entries)), "B/entry")
			runtime.KeepAlive(s)
			runtime.KeepAlive(c)
		})
	}
}

// link is the address the web layer gives a suggestion (web/urls.go), as the
// reference implementation writes it.
func link(sg search.Suggestion) string {
	switch {
	case sg.Query != "":
		return "/search?" + url.Values{"q": {sg.Query}}.Encode()
	case sg.SectionID != "":
		return "/docs/" + sg.DocID + "#" + sg.SectionID
	}
	return "/docs/" + url.PathEscape(sg.DocID)
}
