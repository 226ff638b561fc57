package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// TestDirFS checks that DirFS reads regular files and folders inside the
// folder, through links too, and refuses links out of it, link loops and
// named pipes without blocking on them.
func TestDirFS(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "kb")
	for _, d := range []string{dir, filepath.Join(dir, "sub")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "a.md"), "# A\n")
	write(filepath.Join(dir, "sub", "b.txt"), "B\n")
	write(filepath.Join(base, "secret.txt"), "secret\n")
	if err := fstest.TestFS(DirFS(dir), "a.md", "sub/b.txt"); err != nil {
		t.Fatal(err)
	}

	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	link("a.md", "alias.md")
	link("sub/b.txt", "alias.txt")
	link("sub", "subdir")
	link(filepath.Join(base, "secret.txt"), "abs.txt")
	link("../secret.txt", "rel.txt")
	link("/etc/passwd", "passwd.txt")
	link("loop.md", "loop.md")
	link("b.md", "a-loop.md")
	link("a-loop.md", "b.md")
	link("missing.md", "broken.md")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("pipe.txt", "pipe-link.md")
	fsys := DirFS(dir)
	for _, tc := range []struct {
		name string
		want error // nil: readable
	}{
		{"a.md", nil},
		{"alias.md", nil},
		{"alias.txt", nil},
		{"subdir/b.txt", nil},
		{"abs.txt", ErrOutside},
		{"rel.txt", ErrOutside},
		{"passwd.txt", ErrOutside},
		{"loop.md", ErrLinkLoop},
		{"a-loop.md", ErrLinkLoop},
		{"broken.md", fs.ErrNotExist},
		{"pipe.txt", ErrNotRegular},
		{"pipe-link.md", ErrNotRegular},
		{"../secret.txt", fs.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := fs.ReadFile(fsys, tc.name)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("reading blocks")
			}
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("read: %v, want %v", err, tc.want)
			}
			if tc.want != ErrNotRegular && tc.want != fs.ErrInvalid {
				// Stat says the same (a pipe has a stat: it is only not opened).
				if _, err := fs.Stat(fsys, tc.name); tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
					t.Errorf("stat: %v, want %v", err, tc.want)
				}
			}
		})
	}
	if _, err := DirFS(filepath.Join(base, "none")).Open("a.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing folder: %v, want fs.ErrNotExist", err)
	}
}
