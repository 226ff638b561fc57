package bench

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"handbook/content"
	"handbook/search"
)

// Query classes, in the order a report lists them.
const (
	ClassRare     = "rare"     // one word found in few sections
	ClassMedium   = "medium"   // one word of middling frequency
	ClassCommon   = "common"   // one of the most frequent words
	ClassPhrase2  = "phrase2"  // a two-word phrase, often of two common words
	ClassPhrase3  = "phrase3"  // a three-word phrase
	ClassMulti    = "multi"    // three to five words, unquoted
	ClassFiltered = "filtered" // words with facet filters
	ClassPrefix   = "prefix"   // word* (also the suggest stage's prefixes)
	ClassFuzzy    = "fuzzy"    // word~ with a typing error
)

// Classes lists the query classes.
var Classes = []string{ClassRare, ClassMedium, ClassCommon, ClassPhrase2, ClassPhrase3, ClassMulti, ClassFiltered, ClassPrefix, ClassFuzzy}

// Query is one benchmark query: what a user types, with the filters the
// page sends as URL parameters.
type Query struct {
	Class   string
	Text    string
	Filters url.Values // facet name → values; nil without filters
}

// Search returns q as the full request the web page sends for levels.
func (q Query) Search(levels []string) search.Query {
	var f map[string][]string
	if len(q.Filters) > 0 {
		f = map[string][]string(q.Filters)
	}
	return search.Query{Text: q.Text, Filters: f, Page: 1, Size: search.DefaultPageSize, Levels: levels}
}

// URL returns the /api/search address of q.
func (q Query) URL() string {
	v := url.Values{"q": {q.Text}}
	for k, vs := range q.Filters {
		v[k] = vs
	}
	return "/api/search?" + v.Encode()
}

// Prefix is the text a user has typed when the suggest stage asks for
// completions: the prefix query without its star.
func (q Query) Prefix() string { return strings.TrimSuffix(q.Text, "*") }

//go:embed queries.tsv
var queriesFile string

// DefaultQueries returns the query set kept in queries.tsv.
func DefaultQueries() []Query {
	qs, err := ReadQueries(strings.NewReader(queriesFile))
	if err != nil {
		panic(err) // the embedded file is fixed at build time and tested
	}
	return qs
}

// ReadQueries reads a query file: one query a line, class TAB text [TAB
// filters as URL parameters]; # starts a comment.
func ReadQueries(r io.Reader) ([]Query, error) {
	var out []Query
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || len(f) > 3 || strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("line %d: want class, tab, query [, tab, filters]", n)
		}
		if !contains(Classes, f[0]) {
			return nil, fmt.Errorf("line %d: unknown class %q (one of %s)", n, f[0], strings.Join(Classes, ", "))
		}
		q := Query{Class: f[0], Text: f[1]}
		if len(f) == 3 && f[2] != "" {
			v, err := url.ParseQuery(f[2])
			if err != nil {
				return nil, fmt.Errorf("line %d: filters: %w", n, err)
			}
			q.Filters = v
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries")
	}
	return out, nil
}

// WriteQueries writes qs in the format ReadQueries reads.
func WriteQueries(w io.Writer, qs []Query) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# Benchmark queries of `handbook bench`: class TAB query [TAB filters as URL parameters].")
	fmt.Fprintln(bw, "# Drawn from the frequency bands of the sample knowledge base's words by DrawQueries (seed 1);")
	fmt.Fprintln(bw, "# regenerate with: go test ./search/bench -run TestQueriesFile -update")
	for _, q := range qs {
		fmt.Fprintf(bw, "%s\t%s", q.Class, q.Text)
		if len(q.Filters) > 0 {
			fmt.Fprintf(bw, "\t%s", q.Filters.Encode())
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// stopWords are left out of drawn queries: the analyzers drop them.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be but by for from has have if in into is it its no not of on or
		such that the their then there these they this to was were which will with who whom may can should must been
		le la les de des du un une et en au aux ou par pour sur dans est sont que qui ne pas ce ces cette son sa ses
		leur leurs il elle ils elles se être a été avec lors entre doit doivent peut peuvent plus tout tous toute toutes`) {
		stopWords[w] = true
	}
}

// perClass is how many queries DrawQueries draws per class and language
// (English, French).
var perClass = [2]int{14, 6}

// DrawQueries draws a query set from the frequency bands of vocab: common
// words are among the 150 most frequent, medium ones ranked 400 to 2,000,
// rare ones seen two or three times; phrases are word pairs and triples the
// text holds most often.
func DrawQueries(vocab Vocabularies, seed uint64) []Query {
	rng := rand.New(rand.NewPCG(seed, 2))
	var out []Query
	for li, lang := range Languages {
		v := vocab[lang]
		good := func(i int) bool {
			w := v.Words[i]
			return !stopWords[w] && utf8.RuneCountInString(w) >= 4
		}
		band := func(lo, hi int) []int {
			var ids []int
			for i := lo; i < min(hi, len(v.Words)); i++ {
				if good(i) {
					ids = append(ids, i)
				}
			}
			return ids
		}
		var rare []int
		for i := range v.Words {
			if v.Count[i] >= 2 && v.Count[i] <= 3 && good(i) && utf8.RuneCountInString(v.Words[i]) >= 6 {
				rare = append(rare, i)
			}
		}
		common, medium := band(0, 150), band(400, 2000)
		pick := func(ids []int) string { return v.Words[ids[rng.IntN(len(ids))]] }
		n := perClass[li]
		add := func(class, text string, f url.Values) { out = append(out, Query{Class: class, Text: text, Filters: f}) }
		seen := map[string]bool{}
		uniq := func(class string, n int, draw func() string) {
			for tries := 0; n > 0 && tries < 1000; tries++ {
				t := draw()
				if t == "" || seen[class+t] {
					continue
				}
				seen[class+t] = true
				add(class, t, nil)
				n--
			}
		}
		uniq(ClassRare, n, func() string { return pick(rare) })
		uniq(ClassMedium, n, func() string { return pick(medium) })
		uniq(ClassCommon, n, func() string { return pick(common) })
		phrase := func(seqs [][]int32, k int, commonOnly bool) func() string {
			var ok [][]int32
			for _, s := range seqs {
				good1 := good(int(s[0])) && good(int(s[k-1]))
				if commonOnly && (s[0] >= 150 || s[k-1] >= 150) {
					good1 = false
				}
				if good1 {
					ok = append(ok, s)
				}
			}
			return func() string {
				if len(ok) == 0 {
					return ""
				}
				s := ok[rng.IntN(min(len(ok), 200))]
				ws := make([]string, k)
				for i := range k {
					ws[i] = v.Words[s[i]]
				}
				return `"` + strings.Join(ws, " ") + `"`
			}
		}
		uniq(ClassPhrase2, n/2, phrase(v.pairs, 2, true))
		uniq(ClassPhrase2, n-n/2, phrase(v.pairs, 2, false))
		uniq(ClassPhrase3, n, phrase(v.triples, 3, false))
		uniq(ClassMulti, n, func() string {
			k := 3 + rng.IntN(3)
			ws := make([]string, k)
			for i := range ws {
				if rng.IntN(2) == 0 {
					ws[i] = pick(common)
				} else {
					ws[i] = pick(medium)
				}
			}
			return strings.Join(ws, " ")
		})
		for range n {
			f := url.Values{}
			switch rng.IntN(4) {
			case 0:
				f.Set(search.FacetTopic, content.Topics[rng.IntN(6)])
			case 1:
				f.Set(search.FacetOrg, Orgs[rng.IntN(5)])
				f.Set(search.FacetLang, lang)
			case 2:
				f.Set(search.FacetType, content.Types[rng.IntN(6)])
			default:
				f.Set(search.FacetYear, fmt.Sprint(Years[rng.IntN(10)]))
				f.Add(search.FacetYear, fmt.Sprint(Years[rng.IntN(10)+10]))
			}
			t := pick(common)
			if rng.IntN(2) == 0 {
				t += " " + pick(medium)
			}
			add(ClassFiltered, t, f)
		}
		uniq(ClassPrefix, n, func() string {
			w := []rune(pick(append(common, medium...)))
			k := min(len(w), 3+rng.IntN(3))
			return string(w[:k]) + "*"
		})
		uniq(ClassFuzzy, n, func() string {
			w := []rune(pick(medium))
			if len(w) < 5 {
				return ""
			}
			i := 1 + rng.IntN(len(w)-2)
			w[i], w[i+1] = w[i+1], w[i]
			if v.Rank(string(w)) >= 0 {
				return "" // the swap made another real word
			}
			return string(w) + "~"
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return classOrder(out[i].Class) < classOrder(out[j].Class) })
	return out
}

func classOrder(c string) int {
	for i, x := range Classes {
		if x == c {
			return i
		}
	}
	return len(Classes)
}
