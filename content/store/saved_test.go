package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
)

func refs(ids ...string) []store.SectionRef {
	var out []store.SectionRef
	for _, id := range ids {
		doc, sec, _ := strings.Cut(id, "#")
		out = append(out, store.SectionRef{DocID: doc, SectionID: sec})
	}
	return out
}

func TestSavedSearchNews(t *testing.T) { eachBackend(t, testSavedSearchNews) }

func testSavedSearchNews(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	v, err := st.SaveSearch(ctx, "ann", "Ports", "q=port&topic=risk+management", []string{"public"}, "idx1", refs("port#a", "port#b"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSearch(ctx, "bob", "Bob's", "q=port", []string{"public"}, "idx1", nil); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(time.Second)
	check := func(index string, ids []store.SectionRef, want int) {
		t.Helper()
		n, err := st.Check(ctx, v.ID, index, ids, at)
		if err != nil || n != want {
			t.Fatalf("check against %s: %d new, %v; want %d", index, n, err, want)
		}
		at = at.Add(time.Second)
	}
	newCount := func() int {
		t.Helper()
		list, err := st.SavedSearches(ctx, "ann")
		if err != nil || len(list) != 1 {
			t.Fatalf("ann's saved searches %+v %v", list, err)
		}
		return list[0].New
	}
	check("idx2", refs("port#a", "port#b", "port#c"), 1)
	check("idx2", refs("port#a", "port#b", "port#c", "port#d"), 0) // that index was checked already
	check("idx3", refs("port#a", "port#c"), 0)
	check("idx4", refs("port#a", "port#b", "port#c", "ports#e"), 2) // b came back, e is new
	if n := newCount(); n != 3 {
		t.Errorf("new = %d, want 3", n)
	}
	news, err := st.News(ctx, v.ID, 10)
	if err != nil || len(news) != 3 || news[0].DocID+"#"+news[0].SectionID != "port#b" && news[0].DocID+"#"+news[0].SectionID != "ports#e" {
		t.Fatalf("news %+v %v", news, err)
	}
	if err := st.MarkSeen(ctx, "bob", v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob marks ann's seen: %v", err)
	}
	store.SetClock(st, func() time.Time { return at.Add(time.Hour) }) // the owner looks after the checks
	if err := st.MarkSeen(ctx, "ann", v.ID); err != nil {
		t.Fatal(err)
	}
	if n := newCount(); n != 0 {
		t.Errorf("after seen: new = %d", n)
	}
	// Bounded: a check never keeps more than MaxNews news.
	var many []string
	for i := range store.MaxNews + 30 {
		many = append(many, "big#s"+itoa(i))
	}
	check("idx5", refs(many...), store.MaxNews+30)
	if news, _ := st.News(ctx, v.ID, 0); len(news) != store.MaxNews {
		t.Errorf("%d news kept, want %d", len(news), store.MaxNews)
	}
	if err := st.DeleteSavedSearch(ctx, "bob", v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob deletes ann's: %v", err)
	}
	if err := st.DeleteSavedSearch(ctx, "ann", v.ID); err != nil {
		t.Fatal(err)
	}
	if rows, _ := store.Rows(ctx, st, "saved_search_news"); len(rows) != 0 {
		t.Errorf("news left after delete: %d", len(rows))
	}
}

func TestSavedSearchFeedToken(t *testing.T) { eachBackend(t, testSavedSearchFeedToken) }

func testSavedSearchFeedToken(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	v, err := st.SaveSearch(ctx, "ann", "Ports", "q=port", []string{"public"}, "idx1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.NewFeedToken(ctx, "bob", v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob makes a token for ann's: %v", err)
	}
	tok, err := st.NewFeedToken(ctx, "ann", v.ID)
	if err != nil || len(tok) < 32 {
		t.Fatalf("token %q %v", tok, err)
	}
	got, err := st.SavedSearchByFeed(ctx, tok)
	if err != nil || got.ID != v.ID || got.Owner != "ann" || !got.HasFeed {
		t.Fatalf("by feed: %+v %v", got, err)
	}
	rows, _ := store.Rows(ctx, st, "saved_searches")
	if len(rows) != 1 || strings.Contains(rows[0], tok) {
		t.Errorf("the token is stored as it is: %v", rows)
	}
	tok2, err := st.NewFeedToken(ctx, "ann", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SavedSearchByFeed(ctx, tok); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replaced token still works: %v", err)
	}
	if err := st.RevokeFeed(ctx, "ann", v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SavedSearchByFeed(ctx, tok2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked token works: %v", err)
	}
	if _, err := st.SavedSearchByFeed(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the empty token: %v", err)
	}
}

func TestSavedSearchLimits(t *testing.T) { eachBackend(t, testSavedSearchLimits) }

func testSavedSearchLimits(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	for name, params := range map[string]string{"": "q=a", strings.Repeat("n", store.MaxSavedName+1): "q=a", "ok": "", "long": "q=" + strings.Repeat("a", store.MaxSavedParams)} {
		if _, err := st.SaveSearch(ctx, "ann", name, params, nil, "", nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("name %.10q params %.10q: %v", name, params, err)
		}
	}
	for i := range store.MaxSavedPerUser {
		if _, err := st.SaveSearch(ctx, "ann", "s"+itoa(i), "q=a", nil, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SaveSearch(ctx, "ann", "one more", "q=a", nil, "", nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("over the limit: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
