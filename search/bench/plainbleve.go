package bench

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content"
	"handbook/search"
)

// PlainBleve is the baseline of plain Bleve use: the default mapping (every
// field text, stored, with term vectors, in _all), the query string read as
// handbook reads a query (PlainSemantics), Bleve's own facets and
// highlighter.
type PlainBleve struct {
	idx    bleve.Index
	levels []string
}

type plainDoc struct {
	Title   string   `json:"title"`
	Heading string   `json:"heading"`
	Body    string   `json:"body"`
	Org     []string `json:"org"`
	Type    string   `json:"type"`
	Topic   []string `json:"topic"`
	Lang    string   `json:"lang"`
	Year    string   `json:"year"`
	Level   string   `json:"level"`
	// Filetype is the file's format, the sixth facet, as handbook's.
	Filetype string `json:"filetype"`
}

// plainFacets maps a facet to its field in the default mapping.
var plainFacets = map[string]string{
	search.FacetTopic: "topic", search.FacetOrg: "org", search.FacetType: "type", search.FacetLang: "lang", search.FacetYear: "year",
	search.FacetFileType: "filetype",
}

// BuildPlainBleve indexes docs into a new index in dir, in batches of
// 2,000 sections.
func BuildPlainBleve(ctx context.Context, dir string, docs []content.Loaded) (*PlainBleve, IndexReport, error) {
	desc := Describe(docs)
	ResetPeakRSS()
	start := time.Now()
	idx, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		return nil, IndexReport{}, fmt.Errorf("plain bleve: %w", err)
	}
	b := idx.NewBatch()
	for _, d := range docs {
		doc := d.Document
		for _, s := range d.Sections {
			err := b.Index(doc.ID+"#"+s.ID, plainDoc{
				Title: doc.Title, Heading: s.Path, Body: s.Text, Org: doc.Organizations, Type: doc.Type, Topic: doc.Topics,
				Lang: doc.Language, Year: strconv.Itoa(doc.Year), Level: doc.Level, Filetype: doc.Format,
			})
			if err != nil {
				idx.Close()
				return nil, IndexReport{}, err
			}
			if b.Size() >= 2000 {
				if err := ctx.Err(); err != nil {
					idx.Close()
					return nil, IndexReport{}, err
				}
				if err := idx.Batch(b); err != nil {
					idx.Close()
					return nil, IndexReport{}, err
				}
				b.Reset()
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, IndexReport{}, err
	}
	rep := indexReport(desc.Sections, desc.TextBytes, time.Since(start), DirBytes(dir))
	return &PlainBleve{idx: idx, levels: []string{content.LevelPublic}}, rep, nil
}

// Thresholds of widening, as search.find applies them (search's longQuery
// and fewResults): a plain query of longWords words or more that finds fewer
// than a page of sections with every word, or one of two or more words that
// finds fewer than fewSections, also shows the sections with any word.
const (
	longWords   = 4
	fewSections = 3
)

// PlainSemantics says how the plain Bleve baseline reads a query, and what
// handbook does that it does not; `handbook bench` prints it next to the
// ratios.
const PlainSemantics = "as handbook: every word and phrase required, and a plain query of 2+ words with few sections " +
	"that have every word (< 3; < 10 for 4+ words) run again with any word; word~ with handbook's edits (1 up to 6 " +
	"letters, 2 beyond). Unlike handbook: the standard analyzer (no stemming, no accent folding, English stop words), " +
	"words matched on _all (every field, metadata included), word* expanded to every term (handbook: at most its 64 " +
	"most frequent), no typo correction, no re-ranking"

// Search runs q as handbook reads it, with Bleve's query string: every word
// and phrase required (RequireAll), the filters and the caller's levels as
// match queries, ten hits with their stored fields, six facets and
// highlighting. A plain query of two or more words that finds few sections
// with every word is run again with any word, as search.Service widens it;
// the second search's total is returned then.
func (p *PlainBleve) Search(ctx context.Context, q Query) (Found, error) {
	res, err := p.search(ctx, q, RequireAll(q.Text))
	if err != nil {
		return Found{}, err
	}
	words := plainWords(q.Text)
	few := words >= longWords && res.Total < search.DefaultPageSize || words >= 2 && res.Total < fewSections
	if !few {
		return Found{Sections: res.Total, Requests: 1}, nil
	}
	anyRes, err := p.search(ctx, q, q.Text) // clauses without + are optional
	if err != nil {
		return Found{}, err
	}
	return Found{Sections: max(res.Total, anyRes.Total), Requests: 2}, nil
}

func (p *PlainBleve) search(ctx context.Context, q Query, text string) (*bleve.SearchResult, error) {
	qs := []query.Query{bleve.NewQueryStringQuery(text)}
	for f, vs := range q.Filters {
		var alt []query.Query
		for _, v := range vs {
			m := bleve.NewMatchPhraseQuery(v)
			m.SetField(plainFacets[f])
			alt = append(alt, m)
		}
		qs = append(qs, bleve.NewDisjunctionQuery(alt...))
	}
	var lv []query.Query
	for _, l := range p.levels {
		m := bleve.NewMatchPhraseQuery(l)
		m.SetField("level")
		lv = append(lv, m)
	}
	qs = append(qs, bleve.NewDisjunctionQuery(lv...))
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(qs...), search.DefaultPageSize, 0, false)
	req.Fields = []string{"title", "heading", "org", "type", "topic", "lang", "year"}
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	for _, f := range search.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(plainFacets[f], 30))
	}
	return p.idx.SearchInContext(ctx, req)
}

// clauses splits a query string into its top-level clauses: words, and
// quoted phrases with what is attached to them.
func clauses(text string) []string {
	var (
		out []string
		cur strings.Builder
		in  bool
	)
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == '"':
			in = !in
			cur.WriteRune(r)
		case unicode.IsSpace(r) && !in:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// RequireAll rewrites a Bleve query string to read as handbook reads it:
// every top-level clause required (+), as handbook requires every word and
// phrase (a clause already marked + or - is kept), and a fuzzy word~ given
// handbook's number of typing errors (search's autoFuzziness: none up to
// three letters, one up to six, two beyond), where Bleve's query string
// allows one. Bleve's query string leaves out a required clause that
// analysis empties (a stop word), as handbook does.
func RequireAll(text string) string {
	cs := clauses(text)
	for i, c := range cs {
		if w, ok := strings.CutSuffix(c, "~"); ok && !strings.ContainsAny(w, `"~`) {
			switch n := utf8.RuneCountInString(strings.TrimLeft(w, "+-")); {
			case n <= 3:
				c = w
			case n > 6:
				c = w + "~2"
			}
		}
		if !strings.HasPrefix(c, "+") && !strings.HasPrefix(c, "-") {
			c = "+" + c
		}
		cs[i] = c
	}
	return strings.Join(cs, " ")
}

// plainWords is the number of words of text when it is plain as handbook
// means it (words only: no phrase, operator, field, prefix or fuzzy word),
// else 0.
func plainWords(text string) int {
	cs := clauses(text)
	for _, c := range cs {
		if strings.ContainsAny(c, `"*~:()`) || strings.HasPrefix(c, "+") || strings.HasPrefix(c, "-") {
			return 0
		}
	}
	return len(cs)
}

// Close closes the index.
func (p *PlainBleve) Close() error { return p.idx.Close() }
