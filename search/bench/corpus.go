package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"handbook/content"
)

// Corpus limits.
const (
	MinSections = 1
	MaxSections = 1_000_000
)

// CorpusOptions configures Generate. Zero values take the documented
// defaults.
type CorpusOptions struct {
	Sections int    // number of sections (default 1,000; at most MaxSections)
	Seed     uint64 // the same seed gives the same corpus (default 1)
	// MinWords and MaxWords bound a section's body (defaults 50 and 400).
	MinWords, MaxWords int
	// French is the share of documents in French (default 0.3).
	French float64
}

func (o *CorpusOptions) defaults() {
	if o.Sections <= 0 {
		o.Sections = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.MinWords <= 0 {
		o.MinWords = 50
	}
	if o.MaxWords < o.MinWords {
		o.MaxWords = max(400, o.MinWords)
	}
	if o.French <= 0 || o.French >= 1 {
		o.French = 0.3
	}
}

// Metadata values the generator spreads over the facets, most frequent first
// (drawn with Zipf-like weights).
var (
	Orgs = []string{"WCO", "INTERPOL", "UNODC", "Europol", "OLAF", "FATF", "European Commission", "OSCE", "UNESCO",
		"CITES Secretariat", "Frontex", "EMCDDA", "UPU", "IMO", "ICAO", "OECD", "World Bank", "IOM", "UNEP", "Eurojust"}
	Years = func() []int {
		var ys []int
		for y := 2026; y >= 1990; y-- {
			ys = append(ys, y)
		}
		return ys
	}()
	levelWeights = []float64{0.85, 0.08, 0.05, 0.02} // content.Levels
)

// Languages are the languages of the generated corpus and of the queries:
// those of the sample knowledge base.
var Languages = []string{content.LanguageEnglish, content.LanguageFrench}

// Generate returns a corpus of opts.Sections sections in documents of 5 to
// 60 sections, drawn from vocab with the seed: the same options give the
// same corpus, byte for byte.
func Generate(vocab Vocabularies, opts CorpusOptions) ([]content.Loaded, error) {
	opts.defaults()
	if opts.Sections > MaxSections {
		return nil, fmt.Errorf("at most %d sections", MaxSections)
	}
	for _, l := range Languages {
		if v := vocab[l]; v == nil || len(v.Words) < 100 {
			return nil, fmt.Errorf("no vocabulary of %s words", l)
		}
	}
	g := &generator{rng: rand.New(rand.NewPCG(opts.Seed, 0x68616e64626f6f6b)), vocab: vocab, opts: opts}
	var docs []content.Loaded
	for n, left := 0, opts.Sections; left > 0; n++ {
		k := min(left, 5+g.rng.IntN(56))
		docs = append(docs, g.document(n, k))
		left -= k
	}
	return docs, nil
}

type generator struct {
	rng   *rand.Rand
	vocab Vocabularies
	opts  CorpusOptions
	sb    strings.Builder
}

// zipf draws an index in [0, n) with weight 1/(i+1).
func (g *generator) zipf(n int) int {
	h := 0.0
	for i := range n {
		h += 1 / float64(i+1)
	}
	u := g.rng.Float64() * h
	for i := range n {
		u -= 1 / float64(i+1)
		if u <= 0 {
			return i
		}
	}
	return n - 1
}

func (g *generator) weighted(w []float64) int {
	u := g.rng.Float64()
	for i, x := range w {
		if u -= x; u <= 0 {
			return i
		}
	}
	return len(w) - 1
}

func (g *generator) document(n, sections int) content.Loaded {
	lang := content.LanguageEnglish
	if g.rng.Float64() < g.opts.French {
		lang = content.LanguageFrench
	}
	v := g.vocab[lang]
	d := content.Document{
		ID:       fmt.Sprintf("gen-%06d", n),
		Title:    g.title(v, 3+g.rng.IntN(6)),
		Type:     content.Types[g.zipf(len(content.Types))],
		Language: lang,
		Year:     Years[g.zipf(len(Years))],
		Status:   content.Statuses[g.weighted([]float64{0.8, 0.15, 0.05})],
		Level:    content.Levels[g.weighted(levelWeights)],
		Source:   "generated",
		Format:   content.FormatMarkdown,
	}
	d.Edition = fmt.Sprintf("%d edition", d.Year)
	for range 1 + g.weighted([]float64{0.7, 0.25, 0.05}) {
		if o := Orgs[g.zipf(len(Orgs))]; !contains(d.Organizations, o) {
			d.Organizations = append(d.Organizations, o)
		}
	}
	for range 1 + g.weighted([]float64{0.5, 0.35, 0.15}) {
		if t := content.Topics[g.zipf(len(content.Topics))]; !contains(d.Topics, t) {
			d.Topics = append(d.Topics, t)
		}
	}
	sort.Strings(d.Topics)
	l := content.Loaded{Document: d, Sections: make([]content.Section, 0, sections)}
	chapter, sub, page := 0, 0, 1
	var top string
	for i := range sections {
		heading := g.title(v, 2+g.rng.IntN(5))
		level := 2
		if i == 0 || g.rng.IntN(5) == 0 {
			chapter, sub, level, top = chapter+1, 0, 1, ""
		} else {
			sub++
		}
		number := fmt.Sprintf("%d.%d", chapter, sub)
		if level == 1 {
			number = fmt.Sprint(chapter)
		}
		path := number + " " + heading
		if level == 2 {
			path = top + content.HeadingPathDivider + path
		} else {
			top = path
		}
		words := g.opts.MinWords + int(float64(g.opts.MaxWords-g.opts.MinWords)*math.Pow(g.rng.Float64(), 2))
		text := g.text(v, words)
		pages := 1 + len(text)/3000
		l.Sections = append(l.Sections, content.Section{
			DocID: d.ID, ID: content.Slug(number + " " + heading), Path: path, Heading: heading, Number: number,
			Level: level, Page: page, PageEnd: page + pages - 1, Text: text, Order: i,
		})
		page += pages
	}
	l.Document.Pages = page - 1
	return l
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// title returns n words as a heading: the first capitalised.
func (g *generator) title(v *Vocabulary, n int) string {
	t := g.words(v, n)
	return capitalize(t)
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// text returns about n words in sentences of 6 to 24 words.
func (g *generator) text(v *Vocabulary, n int) string {
	var out strings.Builder
	for n > 0 {
		k := min(n, 6+g.rng.IntN(19))
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(capitalize(g.words(v, k)))
		out.WriteByte('.')
		n -= k
	}
	return out.String()
}

// words draws n words: mostly following the previous word as the sample's
// text does, else by the words' own frequencies.
func (g *generator) words(v *Vocabulary, n int) string {
	g.sb.Reset()
	prev := -1
	for i := range n {
		w := -1
		if prev >= 0 && len(v.next[prev]) > 0 && g.rng.Float64() < 0.6 {
			w = int(v.next[prev][g.rng.IntN(len(v.next[prev]))])
		} else {
			w = v.draw(g.rng.Float64())
		}
		if i > 0 {
			g.sb.WriteByte(' ')
		}
		g.sb.WriteString(v.Words[w])
		prev = w
	}
	return g.sb.String()
}
