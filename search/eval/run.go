package eval

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"handbook/content"
	"handbook/search"
)

// Depth is how many sections a ranking holds for evaluation (Anserini
// evaluates BEIR with 1,000 hits; the service pages that deep at most).
const Depth = search.MaxWindow

// SectionID is the id of the one section of a document made from a corpus
// document.
const SectionID = "1"

// Loaded turns a corpus document into a document of one English section:
// the title is the document's title and the section's heading, the text its
// body.
func Loaded(d Doc) content.Loaded {
	return content.Loaded{
		Document: content.Document{
			ID: d.ID, Title: d.Title, Language: content.LanguageEnglish,
			Level: content.LevelPublic, Status: content.StatusCurrent, Source: "corpus",
		},
		Sections: []content.Section{{
			DocID: d.ID, ID: SectionID, Path: d.Title, Heading: d.Title, Level: 1, Text: d.Text,
		}},
	}
}

// Ranker ranks sections for a query; *engine.Service is one.
type Ranker interface {
	Rank(ctx context.Context, q search.Query, n int) ([]search.Ranked, error)
}

// Key names a ranked section as the judgments do.
type Key func(search.Ranked) string

// ByDocument keys a section by its document id (corpus documents have one
// section each).
func ByDocument(r search.Ranked) string { return r.DocID }

// BySection keys a section as "document-id#section-id".
func BySection(r search.Ranked) string { return r.DocID + "#" + r.SectionID }

// RunQueries ranks depth sections for every query, a few queries at a time,
// and returns the run. A query the service rejects stops the run with an
// error naming it.
func RunQueries(ctx context.Context, r Ranker, queries []Query, depth int, key Key) (Run, map[string]error, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex
		run     = make(Run, len(queries))
		refused = map[string]error{}
		first   error
		wg      sync.WaitGroup
		next    = make(chan Query)
	)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for q := range next {
				ranked, err := r.Rank(ctx, search.Query{Text: q.Text}, depth)
				mu.Lock()
				if errors.Is(err, search.ErrBadQuery) {
					// A query the search refuses (too long, too many
					// terms) finds nothing, as it would for a user; the
					// others still count.
					refused[q.ID] = err
					run[q.ID] = []string{}
					err = nil
					ranked = nil
				}
				if err != nil && first == nil {
					first = fmt.Errorf("query %s %q: %w", q.ID, q.Text, err)
					cancel()
				}
				if err == nil {
					ids := make([]string, len(ranked))
					for i, h := range ranked {
						ids[i] = key(h)
					}
					run[q.ID] = ids
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, q := range queries {
		select {
		case next <- q:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return run, refused, nil
}
