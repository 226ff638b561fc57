package bench

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/content/sample"
)

// Vocabulary holds the words of one language with their natural
// frequencies and what follows them, counted from real text.
type Vocabulary struct {
	Lang  string
	Words []string // by descending frequency
	Count []int    // Count[i] is the number of occurrences of Words[i]
	// cum[i] is the sum of Count[:i+1], for drawing words by frequency.
	cum   []int
	total int
	// next[i] lists the words seen right after Words[i], with repetition,
	// so drawing from it follows the text's own word pairs.
	next [][]int32
	// pairs and triples are the word sequences seen most, most first.
	pairs, triples [][]int32
	rank           map[string]int
}

// Vocabularies holds one Vocabulary per language of content.Languages.
type Vocabularies map[string]*Vocabulary

// SampleVocabularies counts the words of the embedded sample knowledge base.
func SampleVocabularies(ctx context.Context) (Vocabularies, []content.Loaded, error) {
	r, err := ingest.Load(ctx, sample.FS(), ".", ingest.Options{})
	if err != nil {
		return nil, nil, err
	}
	return CountVocabularies(r.Documents), r.Documents, nil
}

// CountVocabularies counts the words of docs per language.
func CountVocabularies(docs []content.Loaded) Vocabularies {
	seqs := map[string][][]string{}
	for _, d := range docs {
		lang := d.Document.Language
		for _, s := range d.Sections {
			for _, sentence := range sentences(s.Heading + ". " + s.Text) {
				if len(sentence) > 0 {
					seqs[lang] = append(seqs[lang], sentence)
				}
			}
		}
	}
	out := Vocabularies{}
	for lang, ss := range seqs {
		out[lang] = newVocabulary(lang, ss)
	}
	return out
}

// sentences splits text into lower-cased words per sentence.
func sentences(text string) [][]string {
	var (
		out  [][]string
		cur  []string
		word strings.Builder
	)
	flush := func() {
		if word.Len() > 0 {
			w := word.String()
			if len([]rune(w)) > 1 || w == "a" || w == "à" {
				cur = append(cur, w)
			}
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			word.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’' || r == '-':
			flush()
		case r == '.' || r == ';' || r == ':' || r == '?' || r == '!' || r == '\n':
			flush()
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
		default:
			flush()
		}
	}
	flush()
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func newVocabulary(lang string, seqs [][]string) *Vocabulary {
	counts := map[string]int{}
	for _, s := range seqs {
		for _, w := range s {
			counts[w]++
		}
	}
	v := &Vocabulary{Lang: lang, rank: map[string]int{}}
	for w := range counts {
		v.Words = append(v.Words, w)
	}
	sort.Slice(v.Words, func(i, j int) bool {
		a, b := v.Words[i], v.Words[j]
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return a < b
	})
	v.Count = make([]int, len(v.Words))
	v.cum = make([]int, len(v.Words))
	for i, w := range v.Words {
		v.rank[w] = i
		v.Count[i] = counts[w]
		v.total += counts[w]
		v.cum[i] = v.total
	}
	v.next = make([][]int32, len(v.Words))
	pairs, triples := map[[2]int32]int{}, map[[3]int32]int{}
	for _, s := range seqs {
		for i := range s {
			a := int32(v.rank[s[i]])
			if i+1 < len(s) {
				b := int32(v.rank[s[i+1]])
				v.next[a] = append(v.next[a], b)
				pairs[[2]int32{a, b}]++
				if i+2 < len(s) {
					triples[[3]int32{a, b, int32(v.rank[s[i+2]])}]++
				}
			}
		}
	}
	for p, n := range pairs {
		if n >= 3 {
			v.pairs = append(v.pairs, []int32{p[0], p[1], int32(n)})
		}
	}
	for t, n := range triples {
		if n >= 3 {
			v.triples = append(v.triples, []int32{t[0], t[1], t[2], int32(n)})
		}
	}
	byCount := func(s [][]int32) {
		sort.Slice(s, func(i, j int) bool {
			a, b := s[i], s[j]
			if a[len(a)-1] != b[len(b)-1] {
				return a[len(a)-1] > b[len(b)-1]
			}
			for k := range a {
				if a[k] != b[k] {
					return a[k] < b[k]
				}
			}
			return false
		})
	}
	byCount(v.pairs)
	byCount(v.triples)
	return v
}

// draw returns a word index with probability proportional to its count; u
// is uniform in [0, 1).
func (v *Vocabulary) draw(u float64) int {
	return sort.SearchInts(v.cum, int(u*float64(v.total))+1)
}

// Rank returns the frequency rank of w (0 for the most frequent), or -1.
func (v *Vocabulary) Rank(w string) int {
	if r, ok := v.rank[w]; ok {
		return r
	}
	return -1
}
