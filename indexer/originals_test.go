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
	"handbook/content/ingest"
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
	r := ingest.LoadFS(fsys, ".")
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	// b.md changes after it was loaded.
	write("b.md", "---\ntitle: B\nlang: en\nlevel: restricted\n---\n## 1 One\nsecret text\n")
	future := time.Now().Add(time.Hour)
	_ = os.Chtimes(filepath.Join(dir, "b.md"), future, future)
	orig, err := indexer.HashOriginals(context.Background(), fsys, r.Documents, before, nil)
	if !errors.Is(err, indexer.ErrOriginalChanged) {
		t.Errorf("HashOriginals: %v, want b.md reported as changed", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.md"))
	sum := sha256.Sum256(data)
	st, _ := os.Stat(filepath.Join(dir, "a.md"))
	want := content.Original{Source: "a.md", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), MTime: st.ModTime().UnixNano()}
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

// TestOriginalsKeepTheRecordOfAnUnchangedFile: a file whose size and time
// are those of the previous record keeps it unread, like the parse cache
// keeps its document; so a file rewritten with its size and time restored
// keeps the old hash (and the server refuses it), never the new bytes'
// hash paired with the old parse.
func TestOriginalsKeepTheRecordOfAnUnchangedFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.md")
	if err := os.WriteFile(name, []byte("---\ntitle: A\nlang: en\n---\n## 1 One\npublic text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)
	r := ingest.LoadFS(fsys, ".")
	first, err := indexer.HashOriginals(context.Background(), fsys, r.Documents, indexer.StatFiles(fsys), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(name)
	if err := os.WriteFile(name, []byte("---\ntitle: A\nlang: en\n---\n## 1 One\nsecret text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	again, err := indexer.HashOriginals(context.Background(), fsys, r.Documents, indexer.StatFiles(fsys), first)
	if err != nil || again["a"] != first["a"] {
		t.Errorf("with size and time kept: %+v %v, want the previous record %+v", again["a"], err, first["a"])
	}
	// With the time changed the file is read and hashed anew.
	later := st.ModTime().Add(time.Second)
	_ = os.Chtimes(name, later, later)
	again, err = indexer.HashOriginals(context.Background(), fsys, r.Documents, indexer.StatFiles(fsys), first)
	if err != nil || again["a"].SHA256 == first["a"].SHA256 || again["a"].MTime != later.UnixNano() {
		t.Errorf("with the time changed: %+v %v", again["a"], err)
	}
}
