package ingest

import (
	"handbook/content"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTextNumberedListsAreNotHeadings: a numbered line standing alone is a
// heading only where it continues the numbering of the headings; the items
// of a numbered list are text.
func TestTextNumberedListsAreNotHeadings(t *testing.T) {
	text := strings.Join([]string{
		"1 Scope",
		"",
		"The editors are:",
		"",
		"1. Russ Allbery",
		"",
		"2. Sean Whitton",
		"",
		"1.1 Definitions",
		"",
		"The fields are:",
		"",
		"1. Minute",
		"",
		"2. Hour",
		"",
		"   Hours count from 0.",
		"",
		"3. Day",
		"",
		"1.2 Terms",
		"",
		"Text of the terms.",
		"",
		"1.2.1 Must",
		"",
		"Text of must.",
		"",
		"2 Archive",
		"",
		"Archive text.",
		"",
		"2.1 Areas",
		"",
		"Areas text.",
		"",
		"2.4 Priorities",
		"",
		"A gap of two: still a heading.",
		"",
		"7. Command to be run",
		"",
		"Not the next chapter.",
		"",
		"CHAPTER IV",
		"",
		"1. General",
		"",
		"Under a chapter the numbering starts again.",
	}, "\n")
	got := TextSections("d", text)
	var heads []string
	for _, s := range got {
		heads = append(heads, s.Path)
	}
	want := []string{
		"1 Scope",
		"1 Scope › 1.1 Definitions",
		"1 Scope › 1.2 Terms",
		"1 Scope › 1.2 Terms › 1.2.1 Must",
		"2 Archive",
		"2 Archive › 2.1 Areas",
		"2 Archive › 2.4 Priorities",
		"CHAPTER IV",
		"CHAPTER IV › 1 General",
	}
	if strings.Join(heads, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sections\n%s\nwant\n%s", strings.Join(heads, "\n"), strings.Join(want, "\n"))
	}
	for i, probe := range map[int]string{0: "2. Sean Whitton", 1: "3. Day", 6: "7. Command to be run"} {
		if !strings.Contains(got[i].Text, probe) {
			t.Errorf("%s lacks %q: %q", got[i].Path, probe, got[i].Text)
		}
	}
}

// TestCorporaPolicyTextHeadings: every numbered section of the plain-text
// Debian Policy has the number and heading of a section of its HTML
// version (before, 20 list items were sections, "7 Command to be run"
// among them).
func TestCorporaPolicyTextHeadings(t *testing.T) {
	dir := filepath.Join(corpora(t), "debian-policy")
	r := LoadFS(os.DirFS(dir), ".")
	html := map[string]int{}
	var txt *content.Loaded
	for i, d := range r.Documents {
		switch d.Document.Format {
		case content.FormatHTML:
			for _, s := range d.Sections {
				if s.Number != "" {
					html[s.Number+" "+content.Slug(s.Heading)]++
				}
			}
		case content.FormatText:
			txt = &r.Documents[i]
		}
	}
	if txt == nil || len(html) == 0 {
		t.Fatalf("policy.txt or the HTML not loaded: %v", r.Err())
	}
	numbered, stray := 0, 0
	for _, s := range txt.Sections {
		if s.Number == "" {
			continue
		}
		numbered++
		k := s.Number + " " + content.Slug(s.Heading)
		if html[k] == 0 {
			stray++
			t.Errorf("section %q %q is not in the HTML version", s.Number, s.Heading)
			continue
		}
		html[k]--
	}
	if numbered < 330 {
		t.Errorf("%d numbered sections, want the HTML's 338", numbered)
	}
	t.Logf("policy.txt: %d sections, %d numbered, %d not in the HTML", len(txt.Sections), numbered, stray)
}

// TestTextNumberingStartsAnywhere: an excerpt that begins at chapter 3
// keeps its headings, and a gap too wide to follow is caught up at the
// next heading of a higher level.
func TestTextNumberingStartsAnywhere(t *testing.T) {
	text := "3.2 Scope\n\nText.\n\n3.3 Seals\n\nText.\n\n3.3.9 Far ahead\n\nText.\n\n3.4 Ports\n\nText.\n\n4 Airports\n\nText.\n"
	var got []string
	for _, s := range TextSections("d", text) {
		got = append(got, s.Number)
	}
	if strings.Join(got, " ") != "3.2 3.3 3.4 4" {
		t.Errorf("numbers %v, want 3.2 3.3 3.4 4", got)
	}
}
