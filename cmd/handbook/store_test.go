package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenLoadsContentOnce: serve --content opens the index through open,
// which loads the folder to see whether the index is current. After a
// change, the rebuild indexes (and records the originals of) the documents
// that load read, instead of loading and hashing the folder a second time.
func TestOpenLoadsContentOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ports.md", "---\ntitle: Ports\nlang: en\n---\n## 1 Part\njoint operations at ports\n")
	write("borders.md", "---\ntitle: Borders\nlang: en\n---\n## 1 Part\npatrols along the border\n")
	c := dataConfig{Data: t.TempDir(), Content: dir}
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	loads := 0
	c.onLoad = func() { loads++ }
	log := newLogger(io.Discard)
	steps := []struct {
		name   string
		change func()
	}{
		{"no index yet", func() {}},
		{"unchanged", func() {}},
		{"a file changed", func() {
			write("ports.md", "---\ntitle: Ports\nlang: en\n---\n## 1 Part\njoint operations at ports and airports\n")
		}},
		{"a file added", func() { write("coasts.md", "---\ntitle: Coasts\nlang: en\n---\n## 1 Part\nsea patrols\n") }},
	}
	for _, s := range steps {
		s.change()
		loads = 0
		idx, err := c.open(context.Background(), log)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if loads != 1 {
			t.Errorf("%s: the content folder was loaded %d times, want once", s.name, loads)
		}
		// The one load served both the check and the build: the index
		// holds every file, each with its original recorded as it is now.
		for _, name := range []string{"ports.md", "borders.md", "coasts.md"} {
			st, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			var found bool
			for _, o := range idx.Originals {
				if o.Source == name {
					found = true
					if o.Size != st.Size() || o.MTime != st.ModTime().UnixNano() {
						t.Errorf("%s: %s recorded as %d bytes at %d, is %d bytes at %d", s.name, name, o.Size, o.MTime, st.Size(), st.ModTime().UnixNano())
					}
				}
			}
			if !found {
				t.Errorf("%s: no original recorded for %s: %+v", s.name, name, idx.Originals)
			}
		}
		if err := idx.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
