package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"handbook/content"
	"handbook/content/sample"
	"handbook/search"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// TestCacheChangesNothing replays sessions (a query, facet clicks, further
// pages, another caller's levels) on one index through a service with the
// caches of repeated work and one without: every result is the same, hits,
// order, scores, snippets and counts, and a repeated request runs fewer
// Bleve requests than its first run did.
func TestCacheChangesNothing(t *testing.T) {
	idx := searchtest.Index(t, sample.FS())
	cached, err := engine.New(idx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := engine.New(idx, engine.Options{CacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	texts := []string{
		"AEO", "controlled delivery", `"controlled delivery"`, "risk indicators container port", "cash OR currency courier",
		"what is an authorized economic operator?", "contrôles douaniers", "ivory cocaine", "customs", "Standard 2.8",
		"risk -cocaine", "livraison surveillée", "launder*",
	}
	facetClicks := []map[string][]string{
		nil,
		{search.FacetLang: {"en"}},
		{search.FacetLang: {"fr"}},
		{search.FacetType: {"handbook"}, search.FacetLang: {"en"}},
		{search.FacetYear: {"2021"}},
	}
	levelSets := [][]string{content.Levels, {content.LevelPublic}}
	type request struct {
		name string
		q    search.Query
		want string
	}
	var session []request
	fewer := 0
	for _, text := range texts {
		for _, levels := range levelSets {
			for _, filters := range facetClicks {
				for _, page := range []int{1, 2, 1} {
					q := search.Query{Text: text, Filters: filters, Page: page, Size: 5, Levels: levels}
					name := fmt.Sprintf("%q %v levels %v page %d", text, filters, levels, page)
					want, err := plain.Search(ctx, q)
					if err != nil {
						t.Fatalf("%s, without cache: %v", name, err)
					}
					got, err := cached.Search(ctx, q)
					if err != nil {
						t.Fatalf("%s, with cache: %v", name, err)
					}
					if got.Requests < want.Requests {
						fewer++
					}
					if a, b := comparable(t, got), comparable(t, want); a != b {
						t.Fatalf("%s: the cached service answers\n%s\nwithout cache:\n%s", name, a, b)
					}
					session = append(session, request{name, q, comparable(t, want)})
				}
			}
		}
	}
	// Every request after a session's first can save its Bleve search.
	if fewer == 0 {
		t.Error("no request ran fewer Bleve requests with the cache")
	}
	t.Logf("%d of %d requests ran fewer Bleve requests with the cache", fewer, len(session))

	// The same sessions from four callers at once, from empty caches: the
	// cached lists and counters are shared, and only read (the race
	// detector watches).
	cached.ClearCaches()
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := range session {
				r := session[(i*7+w*13)%len(session)]
				got, err := cached.Search(ctx, r.q)
				if err != nil {
					errs <- fmt.Sprintf("%s: %v", r.name, err)
					return
				}
				if comparable(t, got) != r.want {
					errs <- r.name + ": a concurrent cached answer differs"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// comparable is a result without what differs between runs.
func comparable(t *testing.T, r *search.Result) string {
	t.Helper()
	c := *r
	c.TookMS, c.Requests = 0, 0
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSplitChangesNothing runs the same requests through a service that
// searches whole and services that split every counted search over two to
// four id ranges at once, and score re-ranked candidates on two cores:
// every result is the same, hits, order, scores, snippets, counts and
// engine requests, also with four callers at once.
func TestSplitChangesNothing(t *testing.T) {
	idx := searchtest.Index(t, sample.FS())
	whole, err := engine.New(idx, engine.Options{CacheBytes: -1, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	texts := []string{
		"AEO", "controlled delivery", `"controlled delivery"`, "risk indicators container port", "cash OR currency courier",
		"what is an authorized economic operator?", "contrôles douaniers", "customs", "Standard 2.8", "risk -cocaine",
		"launder*", "", "org:WCO", "laison oficer", "zzzzqqq",
	}
	filters := []map[string][]string{nil, {search.FacetLang: {"fr"}}, {search.FacetType: {"handbook"}, search.FacetLang: {"en"}}}
	var qs []search.Query
	for _, text := range texts {
		for _, f := range filters {
			for _, page := range []int{1, 3} {
				qs = append(qs, search.Query{Text: text, Filters: f, Page: page, Size: 4, Levels: content.Levels})
			}
		}
	}
	want := make([]string, len(qs))
	requests := make([]int, len(qs))
	for i, q := range qs {
		r, err := whole.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		want[i], requests[i] = comparable(t, r), r.Requests
	}
	for _, parts := range []int{2, 3, 4} {
		cache := int64(-1)
		if parts == 3 { // and with the caches, which record the ranges' matches
			cache = 0
		}
		split, err := engine.New(idx, engine.Options{CacheBytes: cache, Partitions: parts, SplitSections: 1})
		if err != nil {
			t.Fatal(err)
		}
		split.SplitScoresFrom(8)
		for i, q := range qs {
			r, err := split.Search(ctx, q)
			if err != nil {
				t.Fatalf("%d ranges, %+v: %v", parts, q, err)
			}
			if got := comparable(t, r); got != want[i] || cache < 0 && r.Requests != requests[i] {
				t.Fatalf("%d ranges, %q %v page %d: %d requests\n%s\nwhole: %d requests\n%s", parts, q.Text, q.Filters, q.Page, r.Requests, got, requests[i], want[i])
			}
		}
		if searches, rerankings := split.Splits(); searches == 0 || rerankings == 0 {
			t.Fatalf("%d ranges: %d searches and %d re-rankings split", parts, searches, rerankings)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 4)
		for w := range 4 {
			wg.Go(func() {
				for k := range qs {
					i := (k*7 + w*5) % len(qs)
					r, err := split.Search(ctx, qs[i])
					if err != nil || comparable(t, r) != want[i] {
						errs <- fmt.Sprintf("%d ranges, concurrent %q: %v, or a different answer", parts, qs[i].Text, err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}
