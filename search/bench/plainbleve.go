package bench

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content"
	"handbook/search"
)

// PlainBleve is the baseline of plain Bleve use: the default mapping (every
// field text, stored, with term vectors, in _all), the query string, Bleve's
// own facets and highlighter.
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

// Search runs q as a query string with the filters and the caller's levels
// as match queries, ten hits with their stored fields, six facets and
// highlighting.
func (p *PlainBleve) Search(ctx context.Context, q Query) error {
	qs := []query.Query{bleve.NewQueryStringQuery(q.Text)}
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
	_, err := p.idx.SearchInContext(ctx, req)
	return err
}

// Close closes the index.
func (p *PlainBleve) Close() error { return p.idx.Close() }
