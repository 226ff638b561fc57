package ingest

import (
	"testing"
	"testing/fstest"
)

// TestLoadListsIgnoredFiles: a file of no supported format is neither
// skipped nor dropped in silence, but listed as ignored; hidden files and
// metadata files are not.
func TestLoadListsIgnoredFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"m.md":              {Data: []byte("# Port\n\nJoint checks.\n")},
		"style.css":         {Data: []byte("body{}")},
		"doc/style2.css":    {Data: []byte("p{}")},
		"manual.info":       {Data: []byte("Info")},
		"logo.PNG":          {Data: []byte("\x89PNG")},
		"Makefile":          {Data: []byte("all:")},
		".hidden.css":       {Data: []byte("x")},
		".git/config":       {Data: []byte("x")},
		"catalog.yaml":      {Data: []byte("")},
		"m" + SidecarSuffix: {Data: []byte("")},
	}
	r := LoadFS(fsys, ".")
	if len(r.Documents) != 1 {
		t.Fatalf("documents %d, skipped %v", len(r.Documents), r.Skipped)
	}
	got := map[string]string{}
	for _, ig := range r.Ignored {
		got[ig.Path] = ig.Ext + " " + ig.Reason
	}
	want := map[string]string{
		"style.css":      ".css " + ReasonUnsupported,
		"doc/style2.css": ".css " + ReasonUnsupported,
		"manual.info":    ".info " + ReasonUnsupported,
		"logo.PNG":       ".png " + ReasonUnsupported,
		"Makefile":       " " + ReasonUnsupported,
	}
	if len(got) != len(want) {
		t.Errorf("ignored %v, want %v", got, want)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("ignored %s: %q, want %q", p, got[p], w)
		}
	}
	groups := r.IgnoredGroups()
	if len(groups) != 4 || groups[0].Ext != ".css" || len(groups[0].Paths) != 2 {
		t.Errorf("groups %+v, want .css (2) first of 4", groups)
	}
}
