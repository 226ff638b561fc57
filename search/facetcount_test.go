package search_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/content/sample"
	"handbook/search"
	"handbook/search/searchtest"
)

// The facet counts read from the table built at open must equal Bleve's own
// facets, value for value and in the same order, for queries that match
// everything, many, few and no sections.
func TestFacetCountsEqualBleve(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	match := func(field, text string) query.Query {
		q := bleve.NewMatchQuery(text)
		q.SetField(field)
		return q
	}
	for name, q := range map[string]query.Query{
		"all":       bleve.NewMatchAllQuery(),
		"customs":   match("body_en", "customs"),
		"french":    match("body_fr", "douane"),
		"rare":      match("body_en", "precursor"),
		"nothing":   match("body_en", "zzyzx"),
		"topic":     termQuery("topic", "risk management"),
		"two words": bleve.NewConjunctionQuery(match("body_en", "risk"), match("body_en", "container")),
	} {
		ours, bleves, ourYears, bleveYears, total, err := search.FacetsBothWays(context.Background(), svc, q)
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
