package store_test

import (
	"context"
	"errors"
	"fmt"
	"handbook/content/store"
	"path/filepath"
	"sync"
	"testing"
)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ptr[T any](v T) *T { return &v }

func section(n int) store.Section {
	return store.Section{DocTitle: "Port Handbook", Org: []string{"WCO"}, Year: 2023, Lang: "en", Level: "public",
		Number: fmt.Sprintf("3.%d", n), Heading: fmt.Sprintf("Step %d", n), Path: fmt.Sprintf("3 Ports › 3.%d Step %d", n, n), Page: 10 + n, Text: fmt.Sprintf("Text of step %d.", n)}
}

func addN(t *testing.T, s *store.Store, owner, packID string, n int) []*store.Item {
	t.Helper()
	var out []*store.Item
	for i := 1; i <= n; i++ {
		it, err := s.AddItem(context.Background(), owner, packID, store.ItemInput{DocID: "port", SectionID: fmt.Sprintf("s%d", i), Note: fmt.Sprintf("note %d", i), Cited: section(i)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

func order(t *testing.T, s *store.Store, owner, id string) string {
	t.Helper()
	p, err := s.Get(context.Background(), owner, id)
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for i, it := range p.Items {
		if it.Position != i+1 {
			t.Errorf("item %s at index %d has position %d", it.SectionID, i, it.Position)
		}
		out += it.SectionID + " "
	}
	return out
}

func TestPackLifecycleSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "user.db")
	s := open(t, path)
	p, err := s.Create(ctx, "ann", store.PackInput{Title: ptr("Port operations"), Description: ptr("For new officers"), Objectives: ptr([]string{"Plan a joint operation", " ", "Cite the handbook"})})
	if err != nil {
		t.Fatal(err)
	}
	items := addN(t, s, "ann", p.ID, 4)
	if got := order(t, s, "ann", p.ID); got != "s1 s2 s3 s4 " {
		t.Fatalf("order %q", got)
	}
	// Move the last item to the top, then the first down one place.
	if _, err := s.UpdateItem(ctx, "ann", p.ID, items[3].ID, store.ItemPatch{Position: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(ctx, "ann", p.ID, items[3].ID, store.ItemPatch{Position: ptr(2)}); err != nil {
		t.Fatal(err)
	}
	if got := order(t, s, "ann", p.ID); got != "s1 s4 s2 s3 " {
		t.Fatalf("after moves: %q", got)
	}
	if _, err := s.UpdateItem(ctx, "ann", p.ID, items[1].ID, store.ItemPatch{Note: ptr("Discuss in class"), Group: ptr("Day 1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveItem(ctx, "ann", p.ID, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := order(t, s, "ann", p.ID); got != "s4 s2 s3 " {
		t.Fatalf("after remove: %q", got)
	}
	// Another trainer sees nothing of it.
	if _, err := s.Get(ctx, "bob", p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another owner's Get: %v", err)
	}
	if err := s.RemoveItem(ctx, "bob", p.ID, items[1].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another owner's RemoveItem: %v", err)
	}
	s.Close()

	s = open(t, path)
	got, err := s.Get(ctx, "ann", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Port operations" || len(got.Objectives) != 2 || len(got.Items) != 3 || got.Items[1].Note != "Discuss in class" ||
		got.Items[1].Group != "Day 1" || got.Items[1].Cited.Text != "Text of step 2." || got.Items[0].Cited.Page != 14 {
		t.Errorf("after restart: %+v", got)
	}
	dup, err := s.Duplicate(ctx, "ann", p.ID, "")
	if err != nil || dup.Title != "Port operations (copy)" || len(dup.Items) != 3 || dup.Items[0].ID == got.Items[0].ID {
		t.Fatalf("duplicate: %+v, %v", dup, err)
	}
	if err := s.Delete(ctx, "ann", p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "ann", p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted pack: %v", err)
	}
	list, _ := s.List(ctx, "ann")
	if len(list) != 1 || list[0].ID != dup.ID || list[0].ItemCount != 3 {
		t.Errorf("list after delete: %+v", list)
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "user.db"))
	if _, err := s.Create(ctx, "ann", store.PackInput{Title: ptr("  ")}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty title: %v", err)
	}
	p, _ := s.Create(ctx, "ann", store.PackInput{Title: ptr("T")})
	if _, err := s.AddItem(ctx, "ann", p.ID, store.ItemInput{DocID: "d"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("missing section id: %v", err)
	}
	if _, err := s.UpdateItem(ctx, "ann", p.ID, "nope", store.ItemPatch{Note: ptr("x")}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
}

// TestConcurrentEditsLoseNothing runs two "tabs" at once: both add items, and
// both edit the same note from the same version. Every added item is kept,
// and exactly one of the two edits wins while the other is told to reload.
func TestConcurrentEditsLoseNothing(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "user.db"))
	p, _ := s.Create(ctx, "ann", store.PackInput{Title: ptr("Shared")})
	first := addN(t, s, "ann", p.ID, 1)[0]

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for tab := range 2 {
		wg.Go(func() {
			for i := range 25 {
				_, err := s.AddItem(ctx, "ann", p.ID, store.ItemInput{DocID: "port", SectionID: fmt.Sprintf("tab%d-%d", tab, i), Cited: section(i)})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := s.Get(ctx, "ann", p.ID)
	if len(got.Items) != 51 {
		t.Fatalf("%d items after 50 concurrent adds, want 51", len(got.Items))
	}
	seen := map[int]bool{}
	for _, it := range got.Items {
		if seen[it.Position] {
			t.Errorf("position %d used twice", it.Position)
		}
		seen[it.Position] = true
	}

	results := make(chan error, 2)
	var start sync.WaitGroup
	start.Add(1)
	for _, note := range []string{"tab A", "tab B"} {
		wg.Go(func() {
			start.Wait()
			_, err := s.UpdateItem(ctx, "ann", p.ID, first.ID, store.ItemPatch{Note: ptr(note), Version: first.Version})
			results <- err
		})
	}
	start.Done()
	wg.Wait()
	close(results)
	var ok, conflicts int
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict):
			conflicts++
		default:
			t.Error(err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Errorf("%d edits succeeded and %d conflicted, want 1 and 1", ok, conflicts)
	}
	// A stale pack version is refused too.
	if _, err := s.Update(ctx, "ann", p.ID, 1, store.PackInput{Title: ptr("Renamed")}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale pack update: %v", err)
	}
}

func TestBackupIsAUsableDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, filepath.Join(dir, "user.db"))
	p, _ := s.Create(ctx, "ann", store.PackInput{Title: ptr("Backed up")})
	addN(t, s, "ann", p.ID, 2)
	out := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	b := open(t, out)
	got, err := b.Get(ctx, "ann", p.ID)
	if err != nil || len(got.Items) != 2 {
		t.Errorf("backup: %+v, %v", got, err)
	}
}
