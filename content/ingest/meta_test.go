package ingest

import (
	"handbook/content"
	"strings"
	"testing"
	"testing/fstest"
)

// TestConflictingMetadataNeverLowersTheLevel: a file with front matter and a
// sidecar or catalog entry too. The sidecar's level used to be ignored, so a
// document marked restricted beside its file went public.
func TestConflictingMetadataNeverLowersTheLevel(t *testing.T) {
	front := func(extra string) []byte {
		return []byte("---\ntitle: Border manual\nlang: en\n" + extra + "---\n## 1 Checks\nJoint checks at the border.\n")
	}
	r := load(t, fstest.MapFS{
		"a.md":         {Data: front("")},
		"a.meta.yaml":  {Data: []byte("level: restricted\n")},
		"b.md":         {Data: front("level: law-enforcement-sensitive\n")},
		"b.meta.yaml":  {Data: []byte("level: members-only\ntopics: [integrity]\n")},
		"c.md":         {Data: front("level: members-only\n")},
		"catalog.yaml": {Data: []byte("c.md:\n  level: restricted\nd.md:\n  title: Another title\n")},
		"d.md":         {Data: front("")},
		"e.md":         {Data: front("")},
		"e.meta.yaml":  {Data: []byte("level: top-secret\n")},
	}, Options{})
	docs := map[string]content.Document{}
	for _, d := range r.Documents {
		docs[d.Document.Source] = d.Document
	}
	if d, ok := docs["a.md"]; !ok || d.Level != content.LevelRestricted {
		t.Errorf("front matter without a level, sidecar restricted: %+v", d)
	}
	if d := docs["b.md"]; d.Level != content.LevelLESensitive || strings.Join(d.Topics, ",") != "integrity" {
		t.Errorf("the more restrictive front matter level and the sidecar's topics: %+v", d)
	}
	if d := docs["c.md"]; d.Level != content.LevelRestricted {
		t.Errorf("catalog restricted over front matter members-only: %+v", d)
	}
	skipped := map[string]string{}
	for _, e := range r.Skipped {
		skipped[e.Path] = e.Error()
	}
	if msg := skipped["d.md"]; !strings.Contains(msg, `"title"`) || !strings.Contains(msg, "catalog.yaml") || !strings.Contains(msg, "Border manual") {
		t.Errorf("a title set differently in two places: %q", msg)
	}
	if _, ok := docs["d.md"]; ok {
		t.Error("a document with conflicting metadata was indexed")
	}
	if msg := skipped["e.md"]; !strings.Contains(msg, "top-secret") {
		t.Errorf("a bad sidecar level beside front matter: %q (documents %v)", msg, docs["e.md"])
	}
}
