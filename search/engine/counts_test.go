package engine_test

import (
	"context"
	"testing"

	"handbook/content"
	"handbook/content/sample"
	"handbook/search"
	"handbook/search/searchtest"
)

// TestCountsAddUp walks every page of queries of every class over the
// sample knowledge base: the total is the number of distinct hits seen, no
// hit comes twice, every page but the last is full, and the language
// facet (one value per section) sums to the total. A citation query used
// to count its page twice ("1–4 of 8 sections").
func TestCountsAddUp(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	queries := []struct {
		q       string
		filters map[string][]string
	}{
		{"Standard 2.8", nil}, {"Article 3", nil}, {"art. 18", nil}, {"Norme 2.8", nil},
		{"AEO", nil}, {"controlled delivery", nil}, {`"controlled delivery"`, nil}, {"cash OR currency courier", nil},
		{"launder*", nil}, {"valuation~", nil}, {"risk indicators container port", nil}, {"ivory cocaine", nil},
		{"what is an authorized economic operator?", nil}, {"contrôles douaniers", nil},
		{"AEO", map[string][]string{search.FacetLang: {"fr"}}}, {"", map[string][]string{search.FacetLang: {"en"}}},
		{"survelliance", nil},
	}
	for _, tc := range queries {
		t.Run(tc.q, func(t *testing.T) {
			seen := map[string]bool{}
			var total uint64
			for page := 1; ; page++ {
				res, err := svc.Search(context.Background(), search.Query{Text: tc.q, Filters: tc.filters, Page: page, Size: 5, Levels: content.Levels})
				if err != nil {
					t.Fatal(err)
				}
				if page == 1 {
					total = res.Total
					sum := 0
					for _, v := range res.Facets[search.FacetLang] {
						sum += v.Count
					}
					if uint64(sum) != total && len(tc.filters) == 0 {
						t.Errorf("lang facet sums to %d, total %d", sum, total)
					}
				} else if res.Total != total {
					t.Errorf("page %d: total %d, page 1 said %d", page, res.Total, total)
				}
				for _, h := range res.Hits {
					key := h.DocID + "#" + h.SectionID
					if seen[key] {
						t.Errorf("page %d: %s again", page, key)
					}
					seen[key] = true
				}
				if page < res.Pages && len(res.Hits) != 5 {
					t.Errorf("page %d of %d holds %d hits", page, res.Pages, len(res.Hits))
				}
				if page >= res.Pages || len(res.Hits) == 0 {
					break
				}
			}
			if uint64(len(seen)) != min(total, search.MaxWindow) {
				t.Errorf("total %d, hits seen over every page %d", total, len(seen))
			}
		})
	}
}
