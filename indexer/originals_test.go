package indexer_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"handbook/content"
	"handbook/indexer"
)

// TestOriginalsRecordTheFilesAsLoaded: each document's file is recorded with
// its size and SHA-256 and kept with the index; a file that changed between
// the look before loading and the hashing gets no record.
func TestOriginalsRecordTheFilesAsLoaded(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\ntitle: A\nlang: en\n---\n## 1 One\nfirst text\n")
	write("b.md", "---\ntitle: B\nlang: en\n---\n## 1 One\nsecond text\n")
	fsys := os.DirFS(dir)
	before := indexer.StatFiles(fsys)
	r := content.LoadFS(fsys, ".")
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	// b.md changes after it was loaded.
	write("b.md", "---\ntitle: B\nlang: en\nlevel: restricted\n---\n## 1 One\nsecret text\n")
	future := time.Now().Add(time.Hour)
	_ = os.Chtimes(filepath.Join(dir, "b.md"), future, future)
	orig, err := indexer.HashOriginals(context.Background(), fsys, r.Documents, before)
	if !errors.Is(err, indexer.ErrOriginalChanged) {
		t.Errorf("HashOriginals: %v, want b.md reported as changed", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.md"))
	sum := sha256.Sum256(data)
	want := indexer.Original{Source: "a.md", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	if len(orig) != 1 || orig["a"] != want {
		t.Fatalf("records %+v, want only %+v", orig, want)
	}
	idxDir := t.TempDir()
	l, err := indexer.LockData(context.Background(), idxDir, indexer.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Build(context.Background(), r.Documents, dir, indexer.BuildOptions{Originals: orig}); err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	idx, err := indexer.Open(idxDir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if o, ok := idx.Original("a"); !ok || o != want {
		t.Errorf("the index holds %+v %v for a", o, ok)
	}
	if o, ok := idx.Original("b"); ok {
		t.Errorf("the index holds %+v for b, which changed", o)
	}
}
