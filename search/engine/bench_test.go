package engine_test

import (
	"context"
	"testing"

	"handbook/content/ingest"
	"handbook/content/sample"
	"handbook/indexer"
	"handbook/search"
	"handbook/search/searchtest"
)

// sampleQueries are what officers type, with the request the search page
// sends (six facets and highlighting are always on).
var sampleQueries = []search.Query{
	{Text: "joint operations port"},
	{Text: `"controlled delivery"`},
	{Text: "AEO -mutual"},
	{Text: "cash OR currency courier"},
	{Text: "contrôles douaniers"},
	{Text: "red flags trade invoicing"},
	{Text: "risk", Filters: map[string][]string{search.FacetOrg: {"WCO"}, search.FacetLang: {"en"}}},
	{Text: "valuation~"},
}

// BenchmarkSearchSample measures one full search request (query, five
// facets, highlighting) over the embedded sample knowledge base, cycling
// through sampleQueries.
func BenchmarkSearchSample(b *testing.B) {
	svc := searchtest.Service(b, sample.FS())
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := sampleQueries[i%len(sampleQueries)]
		res, err := svc.Search(ctx, q)
		if err != nil || res.Total == 0 {
			b.Fatalf("%q: %v, %d hits", q.Text, err, res.Total)
		}
		i++
	}
}

// BenchmarkBuildSample measures loading and indexing the sample knowledge
// base from scratch, as the first "serve" does.
func BenchmarkBuildSample(b *testing.B) {
	for b.Loop() {
		r := ingest.LoadFS(sample.FS(), ".")
		st, err := indexer.Build(context.Background(), b.TempDir(), r.Documents, indexer.SourceSample)
		if err != nil || st.Sections < 300 {
			b.Fatalf("%v, %+v", err, st)
		}
	}
}
