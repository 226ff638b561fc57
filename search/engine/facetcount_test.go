package engine_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content/sample"
	"handbook/search"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// The facet counts read from the table built at open must equal Bleve's own
// facets, value for value and in the same order, for queries that match
// everything, many, few and no sections.
func TestFacetCountsEqualBleve(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	for name, q := range map[string]query.Query{
		"all":       bleve.NewMatchAllQuery(),
		"customs":   match("body_en", "customs"),
		"french":    match("body_fr", "douane"),
		"rare":      match("body_en", "precursor"),
		"nothing":   match("body_en", "zzyzx"),
		"topic":     termQuery("topic", "risk management"),
		"two words": bleve.NewConjunctionQuery(match("body_en", "risk"), match("body_en", "container")),
	} {
		ours, bleves, ourYears, bleveYears, total, err := engine.FacetsBothWays(context.Background(), svc, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name != "nothing" && total == 0 {
			t.Errorf("%s: the hook did not see every hit", name)
		}
		for f, want := range bleves {
			if got := ours[f]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: facet %s\n got %v\nwant %v", name, f, got, want)
			}
		}
		if name != "nothing" && len(bleves) != len(search.Facets) {
			t.Errorf("%s: Bleve returned %d facets", name, len(bleves))
		}
		if !reflect.DeepEqual(ourYears, bleveYears) {
			t.Errorf("%s: year ranges\n got %v\nwant %v", name, ourYears, bleveYears)
		}
	}
}

func termQuery(field, v string) query.Query {
	q := bleve.NewTermQuery(v)
	q.SetField(field)
	return q
}

// With values selected, one pass counts each facet without its own
// selection and the others applied; Bleve needs one search per facet for
// the same counts.
func TestSelectedFacetCountsEqualBleve(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	for name, tc := range map[string]struct {
		q        query.Query
		selected map[string][]string
	}{
		"one facet":          {bleve.NewMatchAllQuery(), map[string][]string{"org": {"WCO"}}},
		"two facets":         {match("body_en", "customs"), map[string][]string{"org": {"WCO"}, "lang": {"en"}}},
		"alternatives":       {bleve.NewMatchAllQuery(), map[string][]string{"type": {"handbook", "guidelines"}, "year": {"2024", "2019", "2021"}}},
		"multi-valued topic": {match("body_en", "risk"), map[string][]string{"topic": {"risk management"}, "org": {"WCO", "UNODC"}}},
		"nothing selected":   {match("body_fr", "douane"), map[string][]string{}},
		"no such value":      {bleve.NewMatchAllQuery(), map[string][]string{"org": {"nobody"}}},
	} {
		ours, bleves, ourTotal, bleveTotal, err := engine.SelectedFacetsBothWays(context.Background(), svc, tc.q, tc.selected)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ourTotal != bleveTotal {
			t.Errorf("%s: total %d, Bleve %d", name, ourTotal, bleveTotal)
		}
		for _, f := range search.Facets {
			if !reflect.DeepEqual(ours[f], bleves[f]) {
				t.Errorf("%s: facet %s\n got %v\nwant %v", name, f, ours[f], bleves[f])
			}
		}
		if name == "two facets" && (bleveTotal == 0 || len(bleves["org"]) < 2) {
			t.Errorf("%s: pick a query with more hits (%d, %d orgs)", name, bleveTotal, len(bleves["org"]))
		}
	}
}

func match(field, text string) query.Query {
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	return q
}
