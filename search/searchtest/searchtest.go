// Package searchtest builds real on-disk indexes for tests of the search
// service and of the layers above it.
package searchtest

import (
	"context"
	"io/fs"
	"testing"

	"handbook/content/ingest"
	"handbook/indexer"
	"handbook/search/engine"
)

// Service loads every document in fsys, builds an index in a temporary
// folder, and returns a search service over it with the default options. Any
// file that fails to load fails the test.
func Service(t testing.TB, fsys fs.FS) *engine.Service {
	t.Helper()
	svc, _ := Open(t, fsys)
	return svc
}

// Open is Service that also returns the opened index, for what else is built
// from it (suggestions).
func Open(t testing.TB, fsys fs.FS) (*engine.Service, *indexer.Index) {
	t.Helper()
	idx := Index(t, fsys)
	svc, err := engine.New(idx, engine.Options{})
	if err != nil {
		t.Fatalf("search service: %v", err)
	}
	return svc, idx
}

// Index loads every document in fsys, builds an index in a temporary folder
// and opens it; it is closed when the test ends. Any file that fails to load
// fails the test.
func Index(t testing.TB, fsys fs.FS) *indexer.Index {
	t.Helper()
	r := ingest.LoadFS(fsys, ".")
	if err := r.Err(); err != nil {
		t.Fatalf("load test documents: %v", err)
	}
	if len(r.Documents) == 0 {
		t.Fatal("no test documents")
	}
	// As a build from a content folder does, the files are recorded, so
	// that their originals can be served.
	ctx := context.Background()
	originals, err := indexer.HashOriginals(ctx, fsys, r.Documents, indexer.StatFiles(fsys), nil)
	if err != nil {
		t.Fatalf("record originals: %v", err)
	}
	dir := t.TempDir()
	l, err := indexer.LockData(ctx, dir, indexer.LockOptions{})
	if err != nil {
		t.Fatalf("lock data folder: %v", err)
	}
	_, err = l.Build(ctx, r.Documents, "test", indexer.BuildOptions{Originals: originals})
	_ = l.Unlock()
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	return idx
}
