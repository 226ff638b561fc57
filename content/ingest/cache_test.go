package ingest_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"handbook/content/ingest"
)

// TestIncrementalLoadWithinLimits checks what the incremental load reads
// before the loader does: a sparse file over the size limit is not read
// for hashing (it is reported from its size), a symbolic link to a document
// inside the folder is read and cached like the document, and a link to a
// named pipe neither hangs the run nor is read. It runs over both DirFS and
// os.DirFS.
func TestIncrementalLoadWithinLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("guide.md", "# Guide\n\nControlled delivery of cargo.\n")
	write("notes.txt", "NOTES\n=====\n\nPort checks of containers.\n")
	if err := os.Symlink("guide.md", filepath.Join(dir, "alias.md")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 * ingest.MaxFileSize); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("pipe.txt", filepath.Join(dir, "pipe-link.md")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"DirFS", ingest.DirFS(dir)}, {"os.DirFS", os.DirFS(dir)}} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			run := func() *ingest.Incremental {
				t.Helper()
				type result struct {
					l   *ingest.Incremental
					err error
				}
				done := make(chan result, 1)
				go func() {
					l, err := ingest.LoadIncremental(context.Background(), data, tc.fsys, ingest.Options{})
					done <- result{l, err}
				}()
				select {
				case r := <-done:
					if r.err != nil {
						t.Fatal(r.err)
					}
					return r.l
				case <-time.After(20 * time.Second):
					t.Fatal("the load hangs")
				}
				return nil
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			first := run()
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("the load allocated %d MiB for a few small files (and one over the limit, not to be read)", alloc>>20)
			}
			skipped := map[string]error{}
			for _, e := range first.Skipped {
				skipped[e.Path] = e.Err
			}
			if !errors.Is(skipped["huge.txt"], ingest.ErrTooLarge) {
				t.Errorf("huge.txt: %v, want ingest.ErrTooLarge", skipped["huge.txt"])
			}
			if !errors.Is(skipped["pipe.txt"], ingest.ErrNotRegular) || !errors.Is(skipped["pipe-link.md"], ingest.ErrNotRegular) {
				t.Errorf("pipe.txt: %v, pipe-link.md: %v, want ingest.ErrNotRegular", skipped["pipe.txt"], skipped["pipe-link.md"])
			}
			if len(first.Documents) != 3 || len(first.Skipped) != 3 {
				t.Errorf("%d documents, skipped %v; want 3 documents (guide, alias, notes) and 3 skipped", len(first.Documents), first.Err())
			}
			second := run()
			if second.Reused != 3 || len(second.Documents) != 3 {
				t.Errorf("second run: %d documents, %d reused; want all 3 reused (the link too)", len(second.Documents), second.Reused)
			}
		})
	}
}
