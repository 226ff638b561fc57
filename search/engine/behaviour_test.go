package engine_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"handbook/search"
	"handbook/search/searchtest"
)

// behaviourCase is one entry of testdata/behaviour/queries.yaml.
type behaviourCase struct {
	Name    string                    `yaml:"name"`
	Q       string                    `yaml:"q"`
	Filters map[string][]string       `yaml:"filters"`
	Total   *int                      `yaml:"total"`
	Hits    []string                  `yaml:"hits"`
	First   string                    `yaml:"first"`
	Absent  []string                  `yaml:"absent"`
	Facets  map[string]map[string]int `yaml:"facets"`
	Error   string                    `yaml:"error"`
	Relaxed bool                      `yaml:"relaxed"`
	Widened bool                      `yaml:"widened"`
	// Complete is, when widened, the number of sections with every word.
	Complete *int `yaml:"complete"`
	// NoExpand turns glossary expansion off; Expansions are the terms
	// expanded; Corrected, DidYouMean and Citation the result's fields.
	NoExpand   bool     `yaml:"no_expand"`
	Expansions []string `yaml:"expansions"`
	Corrected  string   `yaml:"corrected"`
	DidYouMean string   `yaml:"did_you_mean"`
	Citation   string   `yaml:"citation"`
	// Notes are texts the result's notes must contain, one each; SameAs is
	// a query that must give the same hits in the same order.
	Notes  []string `yaml:"notes"`
	SameAs string   `yaml:"same_as"`
}

func TestBehaviour(t *testing.T) {
	svc := searchtest.Service(t, os.DirFS("../testdata/behaviour/docs"))
	data, err := os.ReadFile("../testdata/behaviour/queries.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []behaviourCase
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("queries.yaml: %v", err)
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases read from queries.yaml", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			res, err := svc.Search(context.Background(), search.Query{Text: tc.Q, Filters: tc.Filters, Size: search.MaxPageSize, NoExpand: tc.NoExpand})
			if tc.Error != "" {
				if !errors.Is(err, search.ErrBadQuery) || !strings.Contains(err.Error(), tc.Error) {
					t.Fatalf("Search(%q) error = %v, want a bad-query error containing %q", tc.Q, err, tc.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.Q, err)
			}
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.DocID+"#"+h.SectionID)
			}
			if tc.Complete != nil && int(res.Complete) != *tc.Complete {
				t.Errorf("complete = %d, want %d (hits %v)", res.Complete, *tc.Complete, ids)
			}
			for _, want := range tc.Notes {
				if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, want) }) {
					t.Errorf("notes %q lack %q", res.Notes, want)
				}
			}
			if tc.SameAs != "" {
				same, err := svc.Search(context.Background(), search.Query{Text: tc.SameAs, Filters: tc.Filters, Size: search.MaxPageSize, NoExpand: tc.NoExpand})
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, h := range same.Hits {
					want = append(want, h.DocID+"#"+h.SectionID)
				}
				if len(want) == 0 || !slices.Equal(ids, want) {
					t.Errorf("hits %v, want those of %q: %v", ids, tc.SameAs, want)
				}
			}
			if tc.Total != nil && int(res.Total) != *tc.Total {
				t.Errorf("total = %d, want %d (hits %v)", res.Total, *tc.Total, ids)
			}
			for _, want := range tc.Hits {
				if !slices.Contains(ids, want) {
					t.Errorf("hits %v lack %s", ids, want)
				}
			}
			for _, no := range tc.Absent {
				if slices.Contains(ids, no) {
					t.Errorf("hits %v include %s", ids, no)
				}
			}
			if tc.First != "" && (len(ids) == 0 || ids[0] != tc.First) {
				t.Errorf("first hit of %v, want %s", ids, tc.First)
			}
			if res.Relaxed != tc.Relaxed {
				t.Errorf("relaxed = %v, want %v", res.Relaxed, tc.Relaxed)
			}
			if res.Widened != tc.Widened {
				t.Errorf("widened = %v, want %v", res.Widened, tc.Widened)
			}
			var expanded []string
			for _, e := range res.Expansions {
				expanded = append(expanded, e.Term)
			}
			if !slices.Equal(expanded, tc.Expansions) {
				t.Errorf("expansions = %v, want %v", expanded, tc.Expansions)
			}
			if res.Corrected != tc.Corrected || res.DidYouMean != tc.DidYouMean {
				t.Errorf("corrected %q, did you mean %q; want %q, %q", res.Corrected, res.DidYouMean, tc.Corrected, tc.DidYouMean)
			}
			if res.Citation != tc.Citation {
				t.Errorf("citation = %q, want %q", res.Citation, tc.Citation)
			}
			for facet, want := range tc.Facets {
				got := map[string]int{}
				for _, v := range res.Facets[facet] {
					got[v.Value] = v.Count
				}
				for value, n := range want {
					if got[value] != n {
						t.Errorf("facet %s[%s] = %d, want %d (all: %v)", facet, value, got[value], n, got)
					}
				}
			}
		})
	}
}
