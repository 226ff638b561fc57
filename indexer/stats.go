package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"handbook/content"
)

// keyRankStats is where RankStats is kept in the index's internal storage.
var keyRankStats = []byte("handbook:rankstats")

// FieldStats are the statistics of one analyzed text field that exact BM25
// needs and Bleve does not keep.
type FieldStats struct {
	// Sections is the number of sections whose field is not empty.
	Sections uint64 `json:"sections"`
	// Terms is the number of terms in the field over all sections, after
	// analysis (stop words removed), as the field lengths Bleve stores.
	Terms uint64 `json:"terms"`
}

// RankStats are the collection statistics that ranking needs, counted when
// the index is built.
type RankStats struct {
	// Sections is the number of sections per language.
	Sections map[string]uint64 `json:"sections"`
	// Fields holds the statistics per analyzed text field, for example
	// TextField(FieldBodyText, "en").
	Fields map[string]FieldStats `json:"fields"`
}

// AverageLength is the mean number of terms of field over the sections that
// have it, or 0.
func (r RankStats) AverageLength(field string) float64 {
	f := r.Fields[field]
	if f.Sections == 0 {
		return 0
	}
	return float64(f.Terms) / float64(f.Sections)
}

// count adds a section to the statistics; the term counts are filled later
// from the index.
func (r *RankStats) count(lang string, fields map[string]any) {
	if r.Sections == nil {
		r.Sections, r.Fields = map[string]uint64{}, map[string]FieldStats{}
	}
	r.Sections[lang]++
	for _, prefix := range []string{FieldTitleText, FieldHeadingText, FieldBodyText} {
		name := TextField(prefix, lang)
		if v, _ := fields[name].(string); strings.TrimSpace(v) != "" {
			f := r.Fields[name]
			f.Sections++
			r.Fields[name] = f
		}
	}
}

// countTerms sums the term frequencies of every posting of the text fields:
// the total length of each field.
func (r *RankStats) countTerms(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	rd, err := adv.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	for _, lang := range content.Languages {
		for _, prefix := range []string{FieldTitleText, FieldHeadingText, FieldBodyText} {
			name := TextField(prefix, lang)
			n, err := fieldTerms(ctx, rd, name)
			if err != nil {
				return fmt.Errorf("count terms of %s: %w", name, err)
			}
			if n > 0 {
				if r.Fields == nil {
					r.Fields = map[string]FieldStats{}
				}
				f := r.Fields[name]
				f.Terms = n
				r.Fields[name] = f
			}
		}
	}
	return nil
}

func fieldTerms(ctx context.Context, rd index.IndexReader, field string) (uint64, error) {
	dict, err := rd.FieldDict(field)
	if err != nil {
		return 0, err
	}
	defer dict.Close()
	var (
		total uint64
		tfd   index.TermFieldDoc
	)
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return total, err
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		tfr, err := rd.TermFieldReader(ctx, []byte(e.Term), field, true, false, false)
		if err != nil {
			return 0, err
		}
		for {
			d, err := tfr.Next(tfd.Reset())
			if err != nil {
				_ = tfr.Close()
				return 0, err
			}
			if d == nil {
				break
			}
			total += d.Freq
		}
		if err := tfr.Close(); err != nil {
			return 0, err
		}
	}
}

func (r RankStats) marshal() ([]byte, error) { return json.Marshal(r) }

func (idx *Index) loadRankStats() error {
	v, err := idx.GetInternal(keyRankStats)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(v, &idx.RankStats); err != nil {
		return fmt.Errorf("read ranking statistics: %w", err)
	}
	return nil
}
