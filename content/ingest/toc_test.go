package ingest

import (
	"context"
	"handbook/content"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTextTableOfContents: a table of contents in the first section is
// dropped when its entries are the document's own headings (with dot
// leaders or without), and the text around it is kept.
func TestTextTableOfContents(t *testing.T) {
	text := strings.Join([]string{
		"Port Handbook",
		"",
		"Issued by the customs administration.",
		"",
		"Table of contents",
		"",
		"1 Scope ........ 3",
		"2 Container checks .... 5",
		"2.1 Seals ..... 6",
		"3 Cooperation with the police ..... 9",
		"",
		"Read this handbook before a joint operation.",
		"",
		"1 Scope",
		"",
		"The handbook covers the port.",
		"",
		"2 Container checks",
		"",
		"Officers open containers.",
		"",
		"2.1 Seals",
		"",
		"Check every seal.",
		"",
		"3 Cooperation with the police",
		"",
		"Joint teams.",
	}, "\n")
	got := TextSections("d", text)
	if len(got) != 5 {
		t.Fatalf("%d sections: %+v", len(got), got)
	}
	intro := got[0].Text
	for _, gone := range []string{"Table of contents", "Container checks", "....", "Seals"} {
		if strings.Contains(intro, gone) {
			t.Errorf("first section keeps %q: %q", gone, intro)
		}
	}
	for _, kept := range []string{"Port Handbook", "Issued by the customs administration.", "Read this handbook before a joint operation."} {
		if !strings.Contains(intro, kept) {
			t.Errorf("first section lost %q: %q", kept, intro)
		}
	}
	for i, s := range got {
		if s.Order != i {
			t.Errorf("section %d has order %d", i, s.Order)
		}
	}

	// Bulleted entries without leaders, wrapped over two lines.
	text = "Guide\n=====\n\nAbout this guide.\n\n* 1. Scope of the\n  guide\n\n  * 1.1. Ports\n\n* 2. Airports\n\n1. Scope of the guide\n---------------------\n\nScope.\n\n1.1. Ports\n----------\n\nPorts.\n\n2. Airports\n-----------\n\nAirports.\n"
	got = TextSections("d", text)
	if len(got) != 4 || got[0].Text != "About this guide." {
		t.Errorf("bulleted contents: %d sections, first %q", len(got), got[0].Text)
	}
}

// TestTextContentsOfOtherFiles: a block headed "Contents" whose entries
// are not this document's headings is the document's content; it moves
// out of the introduction into a section of its own.
func TestTextContentsOfOtherFiles(t *testing.T) {
	text := "TABLE OF CONTENTS\n\nGeneral Rules of Interpretation General Note 1 Tariff Treatment General Note 2 Customs Territory\n\nSECTION I\n\nLive animals.\n"
	got := TextSections("d", text)
	if len(got) != 2 || got[0].Heading != "TABLE OF CONTENTS" || !strings.Contains(got[0].Text, "General Note 2 Customs Territory") || got[0].ID != "table-of-contents" {
		t.Fatalf("sections %+v", got)
	}
	// Prose under a title that happens to read "Index" stays where it is.
	text = "Index\n\nthe index of a container is the number painted on its door, and officers read it first.\n\n1 Scope\n\nText.\n"
	got = TextSections("d", text)
	if got[0].Heading != "Introduction" || !strings.Contains(got[0].Text, "painted on its door") {
		t.Errorf("prose moved: %+v", got)
	}
}

// TestCutTextPageBreaks: dropping text moves the page breaks after it back
// and keeps the page of what follows.
func TestCutTextPageBreaks(t *testing.T) {
	s := content.Section{Page: 1, PageEnd: 4, Text: "aaaa\n\nTOC1\n\nTOC2\n\nbbbb", PageBreaks: []content.PageBreak{{Page: 2, Offset: 6}, {Page: 3, Offset: 12}, {Page: 4, Offset: 18}}}
	got := cutText(s, 6, 18)
	if got.Text != "aaaa\n\nbbbb" || len(got.PageBreaks) != 1 || got.PageBreaks[0] != (content.PageBreak{Page: 4, Offset: 6}) || got.PageAt(6) != 4 || got.PageEnd != 4 {
		t.Errorf("cut %q %+v end %d", got.Text, got.PageBreaks, got.PageEnd)
	}
	got = cutText(s, 6, len(s.Text))
	if got.Text != "aaaa" || got.PageBreaks != nil || got.PageEnd != 1 {
		t.Errorf("cut to the end %q %+v end %d", got.Text, got.PageBreaks, got.PageEnd)
	}
}

// TestCorporaTablesOfContents: the tables of contents of real files are no
// longer in their first sections.
func TestCorporaTablesOfContents(t *testing.T) {
	dir := corpora(t)
	read := func(rel string) []content.Section {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		var p *parsed
		if strings.HasSuffix(rel, ".pdf") {
			p, err = parsePDF(context.Background(), "d", data, Options{})
		} else {
			p, err = parseText("d", data)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p.sections
	}
	for _, tc := range []struct {
		file       string
		first      string   // the first section's heading
		gone, kept []string // in the first section
	}{
		{"debian-policy/policy.txt", "Debian Policy Manual", []string{"* 1. About this manual", "1.1. Scope", "5.6.10. Package interrelationship", "Built-\n    Using"}, []string{"This is Debian Policy version 4.6.2.0"}},
		{"debian-policy/policy.pdf", "Introduction", []string{"CONTENTS", "1.1 Scope … 3", "1 About this manual 3", "Index 183"}, []string{"Release 4.6.2.0", "This is Debian Policy version 4.6.2.0"}},
		{"usitc-hts/Table_of_Contents.pdf", "TABLE OF CONTENTS", []string{"TABLE OF CONTENTS"}, []string{"General Note 25 United States-Singapore Free Trade Agreement"}},
		{"eu-ucc-fr/reglement-ue-952-2013-code-des-douanes-union_fr.pdf", "Introduction", nil, []string{"(Actes législatifs)"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			secs := read(tc.file)
			s := secs[0]
			if s.Heading != tc.first {
				t.Errorf("first section %q, want %q", s.Heading, tc.first)
			}
			for _, g := range tc.gone {
				if strings.Contains(s.Text, g) {
					t.Errorf("first section keeps %q", g)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(s.Text, k) {
					t.Errorf("first section lost %q", k)
				}
			}
			for i, s := range secs {
				if s.Order != i || s.ID == "" {
					t.Errorf("section %d: order %d, id %q", i, s.Order, s.ID)
				}
			}
		})
	}
	// The Appendices section of policy.txt holds the appendices' contents.
	for _, s := range read("debian-policy/policy.txt")[:3] {
		if strings.Contains(s.Text, "dpkg-buildpackage\" - overall") {
			t.Errorf("section %q keeps the appendices' contents", s.Heading)
		}
	}
	// The correspondence table at the end of the customs code is content.
	secs := read("eu-ucc-fr/reglement-ue-952-2013-code-des-douanes-union_fr.pdf")
	if last := secs[len(secs)-1]; last.Heading != "TABLEAU DE CORRESPONDANCE" || !strings.Contains(last.Text, "Article 1er, paragraphes 1 et 2") {
		t.Errorf("last section %q", last.Heading)
	}
}
