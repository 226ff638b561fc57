package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
)

func TestNormalizeQuery(t *testing.T) {
	for in, want := range map[string]string{
		"  Contrôle   AEO ":      "controle aeo",
		"CONTROLE aeo":           "controle aeo",
		"Œuvre\tvolée\n":         "oeuvre volee",
		strings.Repeat("a", 500): strings.Repeat("a", store.MaxQueryRunes),
		"   ":                    "",
	} {
		if got := store.NormalizeQuery(in); got != want {
			t.Errorf("NormalizeQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWeek(t *testing.T) {
	// 2027-01-01 is a Friday: ISO week 53 of 2026.
	if got := store.Week(time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)); got != "2026-W53" {
		t.Errorf("Week = %s", got)
	}
	if got := store.Week(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)); got != "2026-W10" {
		t.Errorf("Week = %s", got)
	}
}

func TestAnalyticsMinimumCount(t *testing.T) { eachBackend(t, testAnalyticsMinimumCount) }

func testAnalyticsMinimumCount(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	a := st.Analytics(26 * 7 * 24 * time.Hour)
	now := time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)
	search := func(lang, q string, zero bool, n int) {
		t.Helper()
		for range n {
			if err := a.Search(ctx, now, lang, q, zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Spelt three ways, one query: counted 3 times.
	search("en", "Contrôle AEO", false, 1)
	search("en", "controle  aeo", false, 1)
	search("en", "CONTROLE AEO", false, 1)
	search("en", "plate AB-123-CD", true, 2) // a rare query: never shown
	search("en", "ghost guidance", true, 4)
	search("fr", "livraison surveillée", false, 5)
	search("en", "", true, 3) // not counted
	week := store.Week(now)
	// One of the three AEO searches had a result opened, the zero-result
	// ones cannot be, and openings never exceed the searches.
	for range 5 {
		if err := a.Opened(ctx, week, "fr", "Livraison surveillée"); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Opened(ctx, week, "en", "controle aeo"); err != nil {
		t.Fatal(err)
	}
	if err := a.Opened(ctx, week, "en", "ghost guidance"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 1, 2, 3} { // below 3 is raised to 3
		r, err := a.Report(ctx, store.ReportQuery{MinCount: k}, now)
		if err != nil {
			t.Fatal(err)
		}
		if r.MinCount != 3 {
			t.Errorf("k=%d: min count %d", k, r.MinCount)
		}
		if got := queries(r.Top); !slices.Equal(got, []string{"livraison surveillee", "ghost guidance", "controle aeo"}) {
			t.Errorf("k=%d: top %v", k, got)
		}
		if got := queries(r.Zero); !slices.Equal(got, []string{"ghost guidance"}) {
			t.Errorf("k=%d: zero results %v", k, got)
		}
		// 2 of the 3 AEO searches had nothing opened: below k, not shown.
		if got := queries(r.Unopened); len(got) != 0 {
			t.Errorf("k=%d: unopened %v", k, got)
		}
		if len(r.Weeks) != 1 || r.Weeks[0].Week != week || r.Weeks[0].Searches != 14 || r.Weeks[0].ZeroResults != 6 || r.Weeks[0].Unopened != 2 {
			t.Errorf("k=%d: weeks %+v", k, r.Weeks)
		}
		if !slices.Equal(r.Langs, []string{"en", "fr"}) {
			t.Errorf("langs %v", r.Langs)
		}
	}
	search("en", "controle aeo", false, 2)
	r, err := a.Report(ctx, store.ReportQuery{Lang: "en", Week: week, MinCount: 4}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := queries(r.Top); !slices.Equal(got, []string{"controle aeo", "ghost guidance"}) {
		t.Errorf("k=4, en: top %v", got)
	}
	if got := queries(r.Unopened); !slices.Equal(got, []string{"controle aeo"}) || r.Unopened[0].Unopened != 4 {
		t.Errorf("k=4: unopened %+v", r.Unopened)
	}
	if got := queries(r.Zero); !slices.Equal(got, []string{"ghost guidance"}) {
		t.Errorf("k=4: zero %+v", r.Zero)
	}
	for _, row := range append(append(r.Top, r.Zero...), r.Unopened...) {
		if strings.Contains(row.Query, "ab-123") {
			t.Errorf("a query seen twice is shown: %+v", row)
		}
	}
}

func queries(rows []store.QueryRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Query)
	}
	return out
}

// TestAnalyticsHoldNoIdentity reads the analytics table as the database
// describes it: counters by week, language and query, nothing that names a
// user, a session or an address, nor a finer time.
func TestAnalyticsHoldNoIdentity(t *testing.T) { eachBackend(t, testAnalyticsHoldNoIdentity) }

func testAnalyticsHoldNoIdentity(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	cols, err := store.Columns(ctx, st, "analytics_queries")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lang", "opened", "query", "searches", "week", "zero_results"}; !slices.Equal(cols, want) {
		t.Errorf("analytics_queries has columns %v, want exactly %v", cols, want)
	}
}

func TestAnalyticsRetention(t *testing.T) { eachBackend(t, testAnalyticsRetention) }

func testAnalyticsRetention(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	week := 7 * 24 * time.Hour
	now := time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)
	a := st.Analytics(26 * week)
	for _, ago := range []int{0, 25, 27, 40} { // newest first: each prunes only before its own time
		for range 3 {
			if err := a.Search(ctx, now.Add(-time.Duration(ago)*week), "en", "customs", false); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The weeks past the retention are not reported, even before pruning.
	fresh := st.Analytics(26 * week)
	r, err := fresh.Report(ctx, store.ReportQuery{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Weeks) != 2 || r.Top[0].Searches != 6 {
		t.Errorf("before pruning: weeks %+v, top %+v", r.Weeks, r.Top)
	}
	n, err := fresh.Prune(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d rows, %v; want the 2 old weeks", n, err)
	}
	rows, err := store.Rows(ctx, st, "analytics_queries")
	if err != nil || len(rows) != 2 {
		t.Fatalf("left %v %v", rows, err)
	}
	// Recording prunes too: a search 30 weeks on deletes the weeks before
	// its retention.
	later := now.Add(30 * week)
	if err := st.Analytics(26*week).Search(ctx, later, "en", "customs", false); err != nil {
		t.Fatal(err)
	}
	if rows, _ := store.Rows(ctx, st, "analytics_queries"); len(rows) != 1 || !strings.HasPrefix(rows[0], store.Week(later)) {
		t.Errorf("after a search 30 weeks later: %v", rows)
	}
}
