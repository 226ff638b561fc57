package packs_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"handbook/content/packs"
	"handbook/content/store"
)

// fixed answers Check from a map: the index as the viewer sees it.
type fixed map[string]store.Section

func (f fixed) Section(_ context.Context, docID, sectionID string) (store.Section, error) {
	if docID == "secret" {
		return store.Section{}, packs.ErrNoDocument
	}
	s, ok := f[docID+"#"+sectionID]
	if !ok {
		return store.Section{}, packs.ErrNoSection
	}
	return s, nil
}

func examplePack(t *testing.T) *store.Pack {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	p, err := s.Create(ctx, "ann", store.PackInput{Title: ptr("Contrôles douaniers — module 1"), Description: ptr("Reader for the port course."),
		Audience: ptr("frontline officers"), Objectives: ptr([]string{"Plan a joint operation"})})
	if err != nil {
		t.Fatal(err)
	}
	fr := store.Section{DocTitle: "Manuel de coopération douane-police", Org: []string{"WCO", "INTERPOL"}, Edition: "2e édition", Year: 2023, Lang: "fr", Level: "public",
		Number: "3.2", Heading: "Opérations conjointes dans les ports", Path: "3 Opportunités › 3.2 Opérations conjointes dans les ports", Page: 11, PageEnd: 12,
		Text: "Une opération conjointe « portuaire » réunit la douane et la police.\n\n- désigner un poste de commandement\n- partager les canaux radio\n\nRôle | Tâche\nDouane | Sélection"}
	en := section(1)
	gone := section(2)
	adds := []store.ItemInput{
		{DocID: "manuel", SectionID: "3-2", Note: "Lire avant la séance.", Group: "Day 1 — Ports", Cited: fr},
		{DocID: "port", SectionID: "s1", Note: "Compare with 3.2.", Group: "Day 1 — Ports", Cited: en},
		{DocID: "port", SectionID: "s2", Group: "Day 2", Cited: gone},
		{DocID: "secret", SectionID: "x", Group: "Day 2", Cited: store.Section{DocTitle: "Informant Handling Manual", Level: "restricted", Heading: "Codenames", Text: "BLUEHERON"}},
	}
	for _, in := range adds {
		if _, err := s.AddItem(ctx, "ann", p.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	changed := en
	changed.Text = "Text of step 1, revised."
	index := fixed{"manuel#3-2": fr, "port#s1": changed}
	p, _ = s.Get(ctx, "ann", p.ID)
	if err := packs.Check(ctx, p, index); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckMarksChangedRemovedUnavailable(t *testing.T) {
	p := examplePack(t)
	want := []string{packs.StatusCurrent, packs.StatusChanged, packs.StatusRemoved, packs.StatusUnavailable}
	for i, it := range p.Items {
		if it.Status != want[i] {
			t.Errorf("item %d status %q, want %q", i, it.Status, want[i])
		}
	}
	if p.Items[1].Cited.Text != "Text of step 1." || p.Items[1].Current == nil || p.Items[1].Current.Text != "Text of step 1, revised." {
		t.Errorf("changed item keeps the cited text and offers the current one: %+v", p.Items[1])
	}
	if p.Items[2].Cited.Text != "Text of step 2." {
		t.Errorf("removed item lost its text")
	}
	if p.Items[3].Cited.DocTitle != "" || p.Items[3].Cited.Text != "" {
		t.Errorf("unavailable item still carries its title or text: %+v", p.Items[3].Cited)
	}
}

// The texts and citations every export must carry.
var mustHave = []string{
	"Contrôles douaniers — module 1",
	"WCO, INTERPOL. Manuel de coopération douane-police. 2e édition, 2023. § 3.2 Opérations conjointes dans les ports, pp. 11–12. French. https://hb.example/docs/manuel#3-2",
	"WCO. Port Handbook. 2023. § 3.1 Step 1, p. 11. English. https://hb.example/docs/port#s1",
	"Une opération conjointe « portuaire » réunit la douane et la police.",
	"partager les canaux radio",
	"Lire avant la séance.",
	"Text of step 1.",
	"differs from the text cited here",
	"no longer in the current edition",
	"no longer available to you",
	"Bibliography",
	"Day 1 — Ports",
	"Plan a joint operation",
}

func exportText(t *testing.T, p *store.Pack, format string) string {
	t.Helper()
	var buf bytes.Buffer
	start := time.Now()
	if err := packs.Export(&buf, p, format, packs.ExportOptions{Link: link, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	t.Logf("%s: %d bytes in %v", format, buf.Len(), time.Since(start))
	switch format {
	case packs.FormatDOCX:
		return docxText(t, buf.Bytes())
	case packs.FormatPDF:
		return pdfText(t, buf.Bytes())
	}
	return buf.String()
}

func TestExportsCarryTextsAndCitations(t *testing.T) {
	p := examplePack(t)
	for _, format := range []string{packs.FormatMarkdown, packs.FormatHTML, packs.FormatDOCX, packs.FormatPDF} {
		t.Run(format, func(t *testing.T) {
			text := exportText(t, p, format)
			if format == packs.FormatHTML {
				text = htmlText(text)
			}
			flat := strings.Join(strings.Fields(text), " ")
			for _, want := range mustHave {
				if !strings.Contains(flat, want) {
					t.Errorf("%s export lacks %q", format, want)
				}
			}
			for _, leak := range []string{"BLUEHERON", "Informant Handling Manual"} {
				if strings.Contains(flat, leak) {
					t.Errorf("%s export shows %q from an unavailable document", format, leak)
				}
			}
		})
	}
}

// docxText reads the paragraphs' text back out of word/document.xml.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatalf("docx has no document: %v", err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			if el.Name.Local == "p" {
				b.WriteString("\n")
			}
			inText = false
		case xml.CharData:
			if inText {
				b.Write(el)
			}
		}
	}
	return b.String()
}

// pdfText extracts the text with poppler's pdftotext, a reader independent
// of the library that wrote the file.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is missing; .ci/run installs it")
		}
		t.Skip("pdftotext (Debian package poppler-utils) is not installed; install it to read the PDF export back")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func htmlText(s string) string {
	var b strings.Builder
	dec := xml.NewDecoder(strings.NewReader(strings.Replace(s, "<!doctype html>", "", 1)))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
			b.WriteString(" ")
		}
	}
	return b.String()
}

// TestExportInFrench: with Lang "fr" an export's own words are French (the
// labels, the date, page ranges, the cited documents' languages), the
// pack's and sections' text and the marking stay as written; without it
// they are English.
func TestExportInFrench(t *testing.T) {
	p := examplePack(t)
	for _, tc := range []struct {
		lang string
		day  time.Time
		want []string
		not  []string
	}{
		{"fr", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			[]string{"Bibliographie", "Préparé le 27 novembre 2026.", "Note du formateur\u202f:", "Source\u202f:", "p. 11–12. français.", "p. 11. anglais.", "Lire avant la séance.", "Text of step 1."},
			[]string{"Bibliography", "Prepared", "Trainer's note", "pp. ", "English", "French"}},
		{"fr", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), []string{"Préparé le 1er décembre 2026."}, nil},
		{"", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			[]string{"Bibliography", "Prepared 27 November 2026.", "Trainer's note:", "Source:", "pp. 11–12. French.", "p. 11. English."},
			[]string{"Bibliographie", "Préparé"}},
	} {
		for _, format := range []string{packs.FormatMarkdown, packs.FormatHTML, packs.FormatDOCX} {
			var buf bytes.Buffer
			if err := packs.Export(&buf, p, format, packs.ExportOptions{Link: link, Now: tc.day, Lang: tc.lang}); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			switch format {
			case packs.FormatHTML:
				text = htmlText(text)
			case packs.FormatDOCX:
				text = docxText(t, buf.Bytes())
			}
			text = strings.Join(strings.Fields(text), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("%s export (%q, %s) lacks %q:\n%s", format, tc.lang, tc.day.Format("2006-01-02"), w, text)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(text, w) {
					t.Errorf("%s export (%q) has %q", format, tc.lang, w)
				}
			}
		}
	}
}
