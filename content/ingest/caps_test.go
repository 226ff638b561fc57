package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMarkdownNestingIsCapped: a line of 5,000 list markers nests 5,000
// items, each indented one step more (25 MB of indentation before the cap);
// quotes and mixed containers as deep are read too.
func TestMarkdownNestingIsCapped(t *testing.T) {
	for _, tc := range []struct{ name, body, probe string }{
		{"list", strings.Repeat("- ", 5000) + "deep item\n", "deep item"},
		{"ordered", strings.Repeat("1. ", 5000) + "deep number\n", "deep number"},
		{"quote", strings.Repeat("> ", 5000) + "deep quote\n", "deep quote"},
		{"no spaces", strings.Repeat(">", 5000) + "deep quote\n", "deep quote"},
		{"mixed", strings.Repeat("- > ", 2500) + "deep mixed\n", "deep mixed"},
		{"lines", strings.Repeat(strings.Repeat("- ", 100)+"item\n", 100), "item"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sections := MarkdownSections("d", []byte("# Deep\n\n"+tc.body))
			n := 0
			var text strings.Builder
			for _, s := range sections {
				n += len(s.Text)
				text.WriteString(s.Text)
			}
			if !strings.Contains(text.String(), tc.probe) {
				t.Errorf("%q not in the text", tc.probe)
			}
			if limit := 64 << 10; n > limit {
				t.Errorf("%d bytes of text from %d of Markdown", n, len(tc.body))
			}
			for _, l := range strings.Split(text.String(), "\n") {
				if ind := len(l) - len(strings.TrimLeft(l, " ")); ind > 2*maxIndent {
					t.Fatalf("a line indented by %d: %.60q", ind, l)
				}
			}
		})
	}
}

// TestNormalNestingIsKept: the caps leave ordinary nesting as it was.
func TestNormalNestingIsKept(t *testing.T) {
	got := MarkdownSections("d", []byte("# L\n\n- a\n  - b\n    - c\n\n> quoted\n> > twice\n"))
	if len(got) != 1 || got[0].Text != "- a\n  - b\n    - c\n\nquoted\n\ntwice" {
		t.Fatalf("%d sections: %+v", len(got), got)
	}
}

// TestDOCXListLevelIsBounded: a list item claiming level 10,000,000 was
// indented by 20 MB before being trimmed.
func TestDOCXListLevelIsBounded(t *testing.T) {
	item := `<w:p><w:pPr><w:numPr><w:ilvl w:val="10000000"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>deep level</w:t></w:r></w:p>`
	data := makeDOCX(t, strings.Repeat(item, 30), "", "")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := load(t, fstest.MapFS{"levels.docx": {Data: data}}, Options{})
	runtime.ReadMemStats(&after)
	d := only(t, r)
	if !strings.Contains(d.Sections[0].Text, "deep level") {
		t.Errorf("text %q", d.Sections[0].Text)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("reading 30 list items allocated %d MiB", alloc>>20)
	}
}

// TestLongSectionsContinue: a section longer than MaxSectionSize (in
// paragraphs, or in one paragraph without a break) goes on in continuation
// sections with the same heading, none over the cap, no text lost.
func TestLongSectionsContinue(t *testing.T) {
	var paras, oneLine strings.Builder
	words := 0
	for i := 0; paras.Len() < 3*MaxSectionSize; i++ {
		fmt.Fprintf(&paras, "Customs officers check container%d at the border.\n\n", i)
		fmt.Fprintf(&oneLine, "Customs officers check container%d at the border. ", i)
		words++
	}
	md := "# 1 Scope\n\n" + paras.String() + "# 2 Next\n\nShort.\n"
	txt := "1 Scope\n\n" + oneLine.String() + "\n\n2 Next\n\nShort.\n"
	var body strings.Builder
	body.WriteString(para("Heading1", "1 Scope"))
	for p := range strings.SplitSeq(strings.TrimSpace(paras.String()), "\n\n") {
		body.WriteString(para("", p))
	}
	body.WriteString(para("Heading1", "2 Next") + para("", "Short."))
	for name, data := range map[string][]byte{"long.md": []byte(md), "long.txt": []byte(txt), "long.docx": makeDOCX(t, body.String(), "", "")} {
		t.Run(name, func(t *testing.T) {
			d := only(t, load(t, fstest.MapFS{name: {Data: data}}, Options{}))
			count, scope := 0, 0
			ids := map[string]bool{}
			for _, s := range d.Sections {
				if len(s.Text) > MaxSectionSize {
					t.Errorf("section %s: %d bytes, more than %d", s.ID, len(s.Text), MaxSectionSize)
				}
				if ids[s.ID] {
					t.Errorf("id %s twice", s.ID)
				}
				ids[s.ID] = true
				if s.Heading == "Scope" {
					scope++
					if s.Number != "1" || s.Path != "1 Scope" {
						t.Errorf("continuation %s: number %q path %q", s.ID, s.Number, s.Path)
					}
				}
				count += strings.Count(s.Text, "container") // a cut falls between words
			}
			if count != words {
				t.Errorf("%d paragraphs in the sections, want %d", count, words)
			}
			if scope < 3 || d.Sections[len(d.Sections)-1].Heading != "Next" {
				t.Errorf("%d sections for Scope, last %q", scope, d.Sections[len(d.Sections)-1].Heading)
			}
		})
	}
}

// TestMarkdownInPieces: a long body parsed in pieces gives the sections,
// headings and words of the body parsed whole, whatever it holds at the
// cuts: fenced code with blank lines and unindented lines, HTML comments
// over blank lines, lists tight and loose, quotes, tables, page markers.
func TestMarkdownInPieces(t *testing.T) {
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, "## %d Part\n\nParagraph %d with *emphasis*\nand a second line.\n\n", i+1, i)
		fmt.Fprintf(&b, "```\ncode %d\n\n# not a heading %d\n\n- not an item\n```\n\n", i, i)
		fmt.Fprintf(&b, "<!-- a comment\n\n# not a heading either %d\n\n-->\n\n", i)
		fmt.Fprintf(&b, "- item %d\n- item %d b\n  continued\n\n- loose %d\n\n1. first %d\n2. second %d\n\n", i, i, i, i, i)
		fmt.Fprintf(&b, "> quoted %d\n> more\n\n| a | b |\n|---|---|\n| %d | x |\n\n<!-- page %d -->\n\nAfter the page.\n\n", i, i, i+2)
	}
	body := []byte(b.String())
	whole := markdownPieces(context.Background(), "d", body, len(body))
	pieces := markdownPieces(context.Background(), "d", body, 64)
	if n := len(markdownChunks(body, 64)); n < 40 {
		t.Fatalf("%d pieces", n)
	}
	if len(whole) != len(pieces) {
		t.Fatalf("%d sections whole, %d in pieces", len(whole), len(pieces))
	}
	for i := range whole {
		w, p := whole[i], pieces[i]
		if w.Path != p.Path || w.ID != p.ID || w.Page != p.Page || w.PageEnd != p.PageEnd || strings.Join(strings.Fields(w.Text), " ") != strings.Join(strings.Fields(p.Text), " ") {
			t.Fatalf("section %d:\nwhole  %q %d–%d %q\npieces %q %d–%d %q", i, w.Path, w.Page, w.PageEnd, w.Text, p.Path, p.Page, p.PageEnd, p.Text)
		}
	}
}

// TestHugeMetadataIsNotRead: a catalog of 1 GiB (sparse) is reported, not
// read, and the documents of its folder load with the metadata they have.
func TestHugeMetadataIsNotRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Port checks of containers.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := Load(context.Background(), DirFS(dir), ".", Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Documents) != 1 || len(r.Skipped) != 1 || !errors.Is(r.Skipped[0], ErrTooLarge) || r.Skipped[0].Path != CatalogName {
		t.Errorf("%d documents, skipped %v", len(r.Documents), r.Err())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("the load allocated %d MiB", alloc>>20)
	}
}

// FuzzMarkdownPieces checks that Markdown parsed in pieces as small as
// markdownChunks makes them gives the headings and words of the body parsed
// whole (but reference links, which a cut may part from their definitions).
func FuzzMarkdownPieces(f *testing.F) {
	f.Add([]byte("# A\n\ntext\n\n- a\n- b\n\n```\nx\n\ny\n```\n\n> q\n\npara\n"))
	f.Add([]byte("- a\n\n  b\n\n- c\n\n1. x\n2. y\n\n<!-- c\n\nd -->\n\ne\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if strings.Contains(string(body), "[") || strings.Contains(string(body), "\r") {
			return // reference links may be cut from their definitions
		}
		whole := markdownPieces(context.Background(), "d", body, len(body)+1)
		pieces := markdownPieces(context.Background(), "d", body, 1)
		var w, p []string
		for _, s := range whole {
			w = append(w, s.Path)
			w = append(w, strings.Fields(s.Text)...)
		}
		for _, s := range pieces {
			p = append(p, s.Path)
			p = append(p, strings.Fields(s.Text)...)
		}
		if strings.Join(w, " ") != strings.Join(p, " ") {
			t.Fatalf("whole %q\npieces %q\nchunks %q", w, p, markdownChunks(body, 1))
		}
	})
}
