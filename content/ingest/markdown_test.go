package ingest

import (
	"errors"
	"handbook/content"
	"os"
	"strings"
	"testing"
)

func TestSplitHeading(t *testing.T) {
	tests := []struct{ in, number, rest string }{
		{"3.2 Joint operations", "3.2", "Joint operations"},
		{"3 Opportunities for cooperation", "3", "Opportunities for cooperation"},
		{"1. Purpose", "1", "Purpose"},
		{"Article 18 — Controlled delivery", "Article 18", "Controlled delivery"},
		{"Article 18", "Article 18", ""},
		{"Standard 1.2 — Advance electronic data", "Standard 1.2", "Advance electronic data"},
		{"Annex A — Self-assessment checklist", "Annex A", "Self-assessment checklist"},
		{"Part II: Estimation methods", "Part II", "Estimation methods"},
		{"Recital (12)", "Recital (12)", ""},
		{"Chapitre 2 — Rôles et responsabilités", "Chapitre 2", "Rôles et responsabilités"},
		{"Norme 1.3 – Données préalables", "Norme 1.3", "Données préalables"},
		{"Case 3.1 Shared scanning", "Case 3.1", "Shared scanning"},
		{"Practice example 4 — Air cargo", "Practice example 4", "Air cargo"},
		{"Introduction", "", "Introduction"},
		{"Key messages", "", "Key messages"},
		{"2025 edition highlights", "", "2025 edition highlights"},
		{"Articles of association", "", "Articles of association"},
	}
	for _, tc := range tests {
		number, rest := SplitHeading(tc.in)
		if number != tc.number || rest != tc.rest {
			t.Errorf("SplitHeading(%q) = %q, %q; want %q, %q", tc.in, number, rest, tc.number, tc.rest)
		}
	}
}

const sampleDoc = `---
title: Port Handbook
org: [WCO, INTERPOL]
type: handbook
topics: [risk management]
lang: en
year: 2023
edition: "2nd edition"
---
Opening words with **bold** text.

> Illustrative sample.

## 1 Purpose
Why this exists.

<!-- page 2 -->
## 2 Operations
Intro to operations.

### 2.1 Joint operations at ports
- first step
- second step
  - nested detail

<!-- page 3 -->
1. numbered
2. list

| Role | Task |
|---|---|
| Customs | Selection |

### 2.2 Joint operations at ports
Same heading again.

## Annex A — Checklist
Check <script>x</script> this.
`

func TestParseMarkdown(t *testing.T) {
	l, err := ParseMarkdown("port", "port.md", []byte(sampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	d := l.Document
	if d.Title != "Port Handbook" || d.Language != "en" || d.Year != 2023 || d.Level != content.LevelPublic || d.Status != content.StatusCurrent ||
		strings.Join(d.Organizations, ",") != "WCO,INTERPOL" || d.Edition != "2nd edition" || d.Source != "port.md" {
		t.Errorf("document = %+v", d)
	}
	type want struct {
		id, number, heading, path string
		page, pageEnd, level      int
	}
	wants := []want{
		{"introduction", "", "Introduction", "Introduction", 1, 1, 1},
		{"1-purpose", "1", "Purpose", "1 Purpose", 1, 1, 1},
		{"2-operations", "2", "Operations", "2 Operations", 2, 2, 1},
		{"2-1-joint-operations-at-ports", "2.1", "Joint operations at ports", "2 Operations › 2.1 Joint operations at ports", 2, 3, 2},
		{"2-2-joint-operations-at-ports", "2.2", "Joint operations at ports", "2 Operations › 2.2 Joint operations at ports", 3, 3, 2},
		{"annex-a-checklist", "Annex A", "Checklist", "Annex A Checklist", 3, 3, 1},
	}
	if len(l.Sections) != len(wants) {
		for _, s := range l.Sections {
			t.Logf("%+v", s)
		}
		t.Fatalf("%d sections, want %d", len(l.Sections), len(wants))
	}
	for i, w := range wants {
		s := l.Sections[i]
		got := want{s.ID, s.Number, s.Heading, s.Path, s.Page, s.PageEnd, s.Level}
		if got != w {
			t.Errorf("section %d = %+v, want %+v", i, got, w)
		}
		if s.Order != i || s.DocID != "port" {
			t.Errorf("section %d order %d doc %q", i, s.Order, s.DocID)
		}
	}
	if got := l.Sections[0].Text; got != "Opening words with bold text.\n\nIllustrative sample." {
		t.Errorf("intro text = %q", got)
	}
	if got, want := l.Sections[3].Text, "- first step\n- second step\n  - nested detail\n\n1. numbered\n2. list\n\nRole | Task\nCustoms | Selection"; got != want {
		t.Errorf("list and table text = %q, want %q", got, want)
	}
	if got := l.Sections[5].Text; strings.Contains(got, "script") {
		t.Errorf("raw HTML kept in text: %q", got)
	}
}

func TestParseMarkdownErrors(t *testing.T) {
	base := "title: T\nlang: en\n"
	tests := []struct{ name, doc, field, msg string }{
		{"no front matter", "# Title\ntext", "", "missing YAML front matter"},
		{"unclosed", "---\ntitle: T\n", "", "not closed"},
		{"bad yaml", "---\ntitle: [\n---\ntext", "", "not valid YAML"},
		{"unknown key", "---\n" + base + "colour: red\n---\ntext", "colour", "unknown key"},
		{"bad year", "---\n" + base + "year: 20x3\n---\ntext", "year", "not a year"},
		{"implausible year", "---\n" + base + "year: 3020\n---\ntext", "year", "not a plausible year"},
		{"bad language", "---\ntitle: T\nlang: xx\n---\ntext", "lang", "not a supported language"},
		{"no language", "---\ntitle: T\n---\ntext", "lang", "is required"},
		{"no title", "---\nlang: en\n---\ntext", "title", "is required"},
		{"bad type", "---\n" + base + "type: novel\n---\ntext", "type", "not a known document type"},
		{"bad level", "---\n" + base + "level: secret\n---\ntext", "level", "not a handling level"},
		{"bad status", "---\n" + base + "status: old\n---\ntext", "status", "not a status"},
		{"map as title", "---\ntitle: {a: b}\nlang: en\n---\ntext", "title", "single value"},
		{"empty body", "---\n" + base + "---\n", "", "no text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMarkdown("x", "dir/x.md", []byte(tc.doc))
			var me *content.MetaError
			if !errors.As(err, &me) {
				t.Fatalf("error = %v, want a MetaError", err)
			}
			if me.Path != "dir/x.md" || me.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error = %q (field %q), want field %q and %q", err, me.Field, tc.field, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "dir/x.md: ") {
				t.Errorf("error %q does not start with the file's path", err)
			}
		})
	}
}

func TestLoadFSKeepsGoodFilesAndReportsBadOnes(t *testing.T) {
	r := LoadFS(os.DirFS("testdata/load"), ".")
	var ids []string
	for _, d := range r.Documents {
		ids = append(ids, d.Document.ID)
	}
	if got := strings.Join(ids, ","); got != "good,nested-port-checks-a-b" {
		t.Errorf("loaded %s, want good,nested-port-checks-a-b", got)
	}
	if len(r.Skipped) != 2 {
		t.Fatalf("skipped %v, want 2 files", r.Skipped)
	}
	msgs := r.Err().Error()
	for _, want := range []string{`bad-year.md: field "year"`, `unknown-key.md: field "colour": unknown key`} {
		if !strings.Contains(msgs, want) {
			t.Errorf("report %q lacks %q", msgs, want)
		}
	}
}

// FuzzParseMarkdown checks that no document panics the loader and that
// every section it returns is well formed.
func FuzzParseMarkdown(f *testing.F) {
	f.Add([]byte(sampleDoc))
	entries, _ := os.ReadDir("testdata/fuzz")
	for _, e := range entries {
		if data, err := os.ReadFile("testdata/fuzz/" + e.Name()); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseMarkdown("doc", "doc.md", data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for i, s := range l.Sections {
			if s.ID == "" || seen[s.ID] {
				t.Fatalf("section %d has empty or repeated id %q", i, s.ID)
			}
			seen[s.ID] = true
			if s.Order != i || s.PageEnd < s.Page {
				t.Fatalf("section %d: order %d pages %d–%d", i, s.Order, s.Page, s.PageEnd)
			}
		}
	})
}
