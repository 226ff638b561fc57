package indexer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handbook/content"
	"handbook/indexer"
)

func docs(t *testing.T, n int) []content.Loaded {
	t.Helper()
	var out []content.Loaded
	for i := range n {
		id := "doc-" + string(rune('a'+i))
		out = append(out, content.Loaded{
			Document: content.Document{ID: id, Title: "Document " + id, Language: "en", Level: content.LevelPublic, Status: content.StatusCurrent},
			Sections: []content.Section{{DocID: id, ID: "s1", Path: "One", Heading: "One", Text: "text of " + id}},
		})
	}
	return out
}

func TestBuildSwapsOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	if _, err := indexer.Open(dir); !errors.Is(err, indexer.ErrNoIndex) {
		t.Fatalf("Open on an empty folder: %v, want ErrNoIndex", err)
	}
	first := docs(t, 2)
	if _, err := indexer.Build(context.Background(), dir, first, "test"); err != nil {
		t.Fatal(err)
	}
	// A build that is cancelled part-way leaves the first index served and
	// no half-built directory behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := indexer.Build(ctx, dir, docs(t, 3), "test"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: %v", err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := idx.DocCount()
	if len(idx.Catalog) != 2 || n != 2 || idx.Fingerprint != indexer.Fingerprint(first) || idx.Source != "test" {
		t.Errorf("after a cancelled build: %d documents, %d sections, fingerprint match %v", len(idx.Catalog), n, idx.Fingerprint == indexer.Fingerprint(first))
	}
	// A crashed build leaves a directory that the next build removes; the
	// open index stays readable while a new one is swapped in.
	stale := filepath.Join(dir, "index-crashed")
	if err := os.Mkdir(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Build(context.Background(), dir, docs(t, 3), "test"); err != nil {
		t.Fatal(err)
	}
	if n, err := idx.DocCount(); err != nil || n != 2 {
		t.Errorf("the index opened before the swap: %d, %v", n, err)
	}
	idx.Close()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale build directory left: %v", err)
	}
	idx, err = indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if len(idx.Catalog) != 3 {
		t.Errorf("after the second build: %d documents", len(idx.Catalog))
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(entries) != 2 {
		t.Errorf("data folder holds %s, want CURRENT and one index", strings.Join(names, ", "))
	}
}

func TestOpenRejectsABadPointer(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "CURRENT"), []byte("../../etc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Open(dir); err == nil || !strings.Contains(err.Error(), "not an index directory") {
		t.Errorf("Open with a bad CURRENT: %v", err)
	}
}

func TestFingerprintChangesWithContent(t *testing.T) {
	a, b := docs(t, 2), docs(t, 2)
	if indexer.Fingerprint(a) != indexer.Fingerprint(b) {
		t.Error("equal documents, different fingerprints")
	}
	b[1].Sections[0].Text += " changed"
	if indexer.Fingerprint(a) == indexer.Fingerprint(b) {
		t.Error("changed text, same fingerprint")
	}
}
