package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"handbook/content/store"
	"handbook/content/store/pgtest"
)

// pg is the PostgreSQL cluster of this test binary, started by the first
// test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// backends are the databases every store test runs against: each returns
// what Open takes for a new, empty store.
var backends = []struct {
	name  string
	fresh func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "user.db") }},
	{"postgres", func(t *testing.T) string { return pg.Database(t) }},
}

// eachBackend runs test once per backend, on a new empty store's address.
func eachBackend(t *testing.T, test func(t *testing.T, dsn string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.fresh(t)) })
	}
}

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

func TestPackLifecycleSurvivesRestart(t *testing.T) { eachBackend(t, testPackLifecycleSurvivesRestart) }

func testPackLifecycleSurvivesRestart(t *testing.T, path string) {
	ctx := context.Background()
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

func TestValidation(t *testing.T) { eachBackend(t, testValidation) }

func testValidation(t *testing.T, dsn string) {
	ctx := context.Background()
	s := open(t, dsn)
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

// TestConcurrentEditsLoseNothing runs two "tabs" at once, each on a store of
// its own over the same database (two replicas of the server): both add
// items, and both edit the same note from the same version. Every added item
// is kept, and exactly one of the two edits wins while the other is told to
// reload.
func TestConcurrentEditsLoseNothing(t *testing.T) { eachBackend(t, testConcurrentEditsLoseNothing) }

func testConcurrentEditsLoseNothing(t *testing.T, dsn string) {
	ctx := context.Background()
	replicas := []*store.Store{open(t, dsn), open(t, dsn)}
	s := replicas[0]
	p, _ := s.Create(ctx, "ann", store.PackInput{Title: ptr("Shared")})
	first := addN(t, s, "ann", p.ID, 1)[0]

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for tab := range 2 {
		wg.Go(func() {
			for i := range 25 {
				_, err := replicas[tab].AddItem(ctx, "ann", p.ID, store.ItemInput{DocID: "port", SectionID: fmt.Sprintf("tab%d-%d", tab, i), Cited: section(i)})
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
	for tab, note := range []string{"tab A", "tab B"} {
		wg.Go(func() {
			start.Wait()
			_, err := replicas[tab].UpdateItem(ctx, "ann", p.ID, first.ID, store.ItemPatch{Note: ptr(note), Version: first.Version})
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
	// Two replicas rename the pack from the version both read: one wins,
	// the other is refused, whichever comes second.
	cur, err := replicas[1].Get(ctx, "ann", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	results = make(chan error, 2)
	start.Add(1)
	for tab, title := range []string{"Renamed by A", "Renamed by B"} {
		wg.Go(func() {
			start.Wait()
			_, err := replicas[tab].Update(ctx, "ann", p.ID, cur.Version, store.PackInput{Title: ptr(title)})
			results <- err
		})
	}
	start.Done()
	wg.Wait()
	close(results)
	ok, conflicts = 0, 0
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
		t.Errorf("pack renames: %d succeeded and %d conflicted, want 1 and 1", ok, conflicts)
	}
}

// TestConcurrentMovesKeepTheOrder moves items of one pack from two replicas
// at once: whatever order the moves run in, the positions stay 1…n, each
// used once (in PostgreSQL the pack's row lock orders them).
func TestConcurrentMovesKeepTheOrder(t *testing.T) { eachBackend(t, testConcurrentMovesKeepTheOrder) }

func testConcurrentMovesKeepTheOrder(t *testing.T, dsn string) {
	ctx := context.Background()
	replicas := []*store.Store{open(t, dsn), open(t, dsn)}
	p, _ := replicas[0].Create(ctx, "ann", store.PackInput{Title: ptr("Moves")})
	items := addN(t, replicas[0], "ann", p.ID, 8)
	var wg sync.WaitGroup
	for tab := range 2 {
		wg.Go(func() {
			for i := range 20 {
				it := items[(i*3+tab)%len(items)]
				if _, err := replicas[tab].UpdateItem(ctx, "ann", p.ID, it.ID, store.ItemPatch{Position: ptr((i*5+tab)%len(items) + 1)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	order(t, replicas[1], "ann", p.ID) // checks the positions
}

func TestBackupIsAUsableDatabase(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		s := open(t, pg.Database(t))
		if err := s.Backup(context.Background(), filepath.Join(t.TempDir(), "backup.db")); !errors.Is(err, store.ErrBackupWithPgDump) {
			t.Errorf("Backup of PostgreSQL: %v, want ErrBackupWithPgDump", err)
		}
	})
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
