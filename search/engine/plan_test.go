package engine_test

import (
	"context"
	"os"
	"testing"

	"handbook/search"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// TestResultCarriesClassAndRequests: a result says which class its query is
// (as typed, before glossary expansion) and how many Bleve requests it cost,
// corrections and widening included, so metrics and the bench need not parse
// the query again. The caches are off here: a repeated query served from
// them costs no request at all (TestCacheChangesNothing counts that).
func TestResultCarriesClassAndRequests(t *testing.T) {
	idx := searchtest.Index(t, os.DirFS("../testdata/behaviour/docs"))
	svc, err := engine.New(idx, engine.Options{CacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q        search.Query
		class    string
		filtered bool
		atLeast  int
	}{
		{q: search.Query{Text: "joint"}, class: search.ClassWord, atLeast: 1},
		{q: search.Query{Text: "AEO"}, class: search.ClassWord, atLeast: 1}, // expanded, still one word as typed
		{q: search.Query{Text: `"joint checks"`}, class: search.ClassPhrase, atLeast: 1},
		{q: search.Query{Text: "joint", Filters: map[string][]string{search.FacetLang: {"en"}}}, class: search.ClassWord, filtered: true, atLeast: 1},
		{q: search.Query{Text: "codenme"}, class: search.ClassWord, atLeast: 2}, // nothing found: the correction runs more
		{q: search.Query{Text: ""}, class: search.ClassEmpty, atLeast: 1},
	} {
		res, err := svc.Search(context.Background(), tc.q)
		if err != nil {
			t.Fatalf("%+v: %v", tc.q, err)
		}
		if res.Class != tc.class || res.Filtered != tc.filtered || res.Requests < tc.atLeast {
			t.Errorf("%q: class %q filtered %v requests %d; want %q, %v, at least %d", tc.q.Text, res.Class, res.Filtered, res.Requests, tc.class, tc.filtered, tc.atLeast)
		}
	}
}
