package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"handbook/content/sample"
	"handbook/search"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// TestRankAgreesWithSearch checks that Rank, which evaluation uses, lists
// exactly the sections that Search pages through, in the same order.
func TestRankAgreesWithSearch(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	ctx := context.Background()
	for _, q := range []search.Query{
		{Text: "joint operations port"},                              // all words
		{Text: "how to interview a cash courier"},                    // widened
		{Text: "ivory cocaine radioactive"},                          // relaxed
		{Text: `"controlled delivery" -wildlife`},                    // phrase and exclusion
		{Text: "valuation~"},                                         // fuzzy: Bleve's order
		{Text: "risk", Filters: map[string][]string{"lang": {"en"}}}, // filtered
		{Text: "org:WCO"},                                            // filters only
	} {
		t.Run(q.Text, func(t *testing.T) {
			q.Size = search.MaxPageSize
			res, err := svc.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			ranked, err := svc.Rank(ctx, q, search.MaxPageSize)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			if want := min(int(res.Total), search.MaxPageSize); len(res.Hits) != want || len(ranked) != want {
				t.Errorf("%d hits in Search and %d in Rank for a total of %d", len(res.Hits), len(ranked), res.Total)
			}
			var a, b []string
			for _, h := range res.Hits {
				a = append(a, h.DocID+"#"+h.SectionID)
			}
			for _, r := range ranked {
				b = append(b, r.DocID+"#"+r.SectionID)
			}
			if !slices.Equal(a, b) {
				t.Errorf("Search lists\n%v\nRank lists\n%v", a, b)
			}
			for i := range min(len(res.Hits), len(ranked)) {
				if res.Hits[i].Score != ranked[i].Score {
					t.Errorf("hit %d: score %v in Search, %v in Rank", i, res.Hits[i].Score, ranked[i].Score)
				}
				if i > 0 && q.Text != "valuation~" && q.Text != "org:WCO" && !res.Widened && res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("hit %d scores %v, above hit %d's %v", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
				}
			}
			// A deeper ranking starts with the same sections.
			deep, err := svc.Rank(ctx, q, search.MaxWindow)
			if err != nil {
				t.Fatal(err)
			}
			for i := range min(len(deep), len(ranked)) {
				if deep[i] != ranked[i] {
					t.Errorf("rank %d: %+v in a ranking of %d, %+v in one of %d", i+1, deep[i], len(deep), ranked[i], len(ranked))
					break
				}
			}
			// The second page of five is the ranking's sixth to tenth.
			q.Page, q.Size = 2, 5
			page2, err := svc.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range page2.Hits {
				if got := h.DocID + "#" + h.SectionID; 5+i >= len(b) || got != b[5+i] {
					t.Errorf("page 2 hit %d is %s", i, got)
				}
			}
		})
	}
}

func TestRankBounds(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	for _, n := range []int{0, search.MaxWindow + 1} {
		if _, err := svc.Rank(context.Background(), search.Query{Text: "risk"}, n); !errors.Is(err, search.ErrBadQuery) {
			t.Errorf("Rank(%d): %v, want a bad-query error", n, err)
		}
	}
}

func TestQueryLimitsAreOptions(t *testing.T) {
	long := strings.Repeat("customs risk ", 20) // 40 words
	svc := searchtest.Service(t, sample.FS())
	if _, err := svc.Search(context.Background(), search.Query{Text: long}); !errors.Is(err, search.ErrBadQuery) {
		t.Errorf("40 words with the default limit: %v", err)
	}
	idx := searchtest.Index(t, sample.FS())
	wide, err := engine.New(idx, engine.Options{MaxQueryTerms: 64})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := wide.Search(context.Background(), search.Query{Text: long}); err != nil || res.Total == 0 {
		t.Errorf("40 words with MaxQueryTerms 64: %v", err)
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0-dimensional biomaterials show inductive properties.", "0-dimensional biomaterials show inductive properties."},
		{"alpha (+)- thalassemia", "alpha + thalassemia"},
		{`"quoted" -not NOT OR AND ET OU SAUF x`, "quoted not not or and et ou sauf x"},
		{"title:rhino a|b c* d~2 «e»", "title rhino a b c d 2 e"},
		{"   ", ""},
	} {
		got := engine.PlainText(tc.in)
		if got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if p, err := engine.Parse(got); err != nil || (got != "" && p == nil) {
			t.Errorf("Parse(PlainText(%q)): %v", tc.in, err)
		}
	}
}
