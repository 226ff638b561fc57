package packs_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handbook/content"
	"handbook/content/packs"
	"handbook/content/store"
)

func TestLevelAndMarking(t *testing.T) {
	item := func(level, status string) store.Item {
		return store.Item{Cited: store.Section{Level: level}, Status: status}
	}
	tests := []struct {
		name    string
		items   []store.Item
		level   string
		marking string
	}{
		{"empty pack", nil, content.LevelPublic, ""},
		{"public and unlevelled", []store.Item{item("public", ""), item("", "")}, content.LevelPublic, ""},
		{"members-only", []store.Item{item("public", ""), item("members-only", "")}, content.LevelMembersOnly, "MEMBERS ONLY"},
		{"highest wins, in any order", []store.Item{item("law-enforcement-sensitive", ""), item("restricted", ""), item("members-only", "")}, content.LevelRestricted, "RESTRICTED"},
		{"law-enforcement-sensitive", []store.Item{item("law-enforcement-sensitive", packs.StatusChanged), item("public", "")}, content.LevelLESensitive, "LAW ENFORCEMENT SENSITIVE"},
		{"unavailable text is not exported", []store.Item{item("public", ""), item("restricted", packs.StatusUnavailable)}, content.LevelPublic, ""},
		{"an unknown level is marked, not public", []store.Item{item("restricted", ""), item("eyes-only", "")}, "eyes-only", "EYES ONLY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			level := packs.Level(&store.Pack{Items: tc.items})
			if level != tc.level || packs.Marking(level) != tc.marking {
				t.Errorf("Level = %q, Marking = %q; want %q, %q", level, packs.Marking(level), tc.level, tc.marking)
			}
		})
	}
}

// markedPack is a pack of a public section and, from the fourth item on,
// law-enforcement-sensitive ones, long enough for several printed pages.
func markedPack(t *testing.T) *store.Pack {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	p, err := s.Create(ctx, "ann", store.PackInput{Title: ptr("Controlled deliveries")})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Officers agree on the route, the hand-over points and who keeps the consignment in sight. ", 25)
	for i := range 8 {
		sec := section(i + 1)
		sec.Text = long
		if i >= 3 {
			sec.DocTitle, sec.Level = "Controlled Delivery Manual", content.LevelLESensitive
		}
		if _, err := s.AddItem(ctx, "ann", p.ID, store.ItemInput{DocID: fmt.Sprint("doc", i), SectionID: "s", Cited: sec}); err != nil {
			t.Fatal(err)
		}
	}
	p, err = s.Get(ctx, "ann", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func export(t *testing.T, p *store.Pack, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := packs.Export(&buf, p, format, packs.ExportOptions{Link: link, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	return buf.Bytes()
}

// lines returns the non-empty lines of s, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

const lesMarking = "LAW ENFORCEMENT SENSITIVE"

// TestExportsAreMarked reads the marking back from each format: at the top
// and bottom of the Markdown and HTML, in the DOCX's header and footer, and
// at the top and bottom of every page of the PDF.
func TestExportsAreMarked(t *testing.T) {
	p := markedPack(t)
	t.Run("md", func(t *testing.T) {
		l := lines(string(export(t, p, packs.FormatMarkdown)))
		if l[0] != "**"+lesMarking+"**" || l[len(l)-1] != "**"+lesMarking+"**" {
			t.Errorf("Markdown begins %q and ends %q, want the marking", l[0], l[len(l)-1])
		}
	})
	t.Run("html", func(t *testing.T) {
		page := string(export(t, p, packs.FormatHTML))
		text := strings.Fields(htmlText(page[strings.Index(page, "<body>"):]))
		flat := strings.Join(text, " ")
		if !strings.HasPrefix(flat, lesMarking+" Controlled deliveries") || !strings.HasSuffix(flat, lesMarking) {
			t.Errorf("HTML body begins %q and ends %q, want the marking", flat[:60], flat[len(flat)-60:])
		}
		// Printed, every page carries it in its margins.
		for _, box := range []string{"@top-center", "@bottom-center"} {
			i := strings.Index(page, box)
			if i < 0 || !strings.Contains(cssUnescape(page[i:min(len(page), i+200)]), `content: "`+lesMarking+`"`) {
				t.Errorf("print style lacks %s with the marking:\n%s", box, page[:strings.Index(page, "</style>")])
			}
		}
	})
	t.Run("html printed", func(t *testing.T) {
		everyPage(t, pdfText(t, chromiumPDF(t, export(t, p, packs.FormatHTML))))
	})
	t.Run("docx", func(t *testing.T) {
		data := export(t, p, packs.FormatDOCX)
		parts := docxParts(t, data)
		rels := parts["word/_rels/document.xml.rels"]
		for _, part := range []struct{ file, ref, rel string }{
			{"header1.xml", "headerReference", "relationships/header"},
			{"footer1.xml", "footerReference", "relationships/footer"},
		} {
			if got := xmlText(t, parts["word/"+part.file]); got != lesMarking {
				t.Errorf("word/%s says %q, want %q", part.file, got, lesMarking)
			}
			id := refID(t, parts["word/document.xml"], part.ref)
			if id == "" || !strings.Contains(rels, `Id="`+id+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/`+part.rel+`" Target="`+part.file+`"`) {
				t.Errorf("sectPr %s %q does not lead to %s:\n%s", part.ref, id, part.file, rels)
			}
			if !strings.Contains(parts["[Content_Types].xml"], `PartName="/word/`+part.file+`"`) {
				t.Errorf("[Content_Types].xml has no override for %s", part.file)
			}
		}
		// As LibreOffice lays it out: the marking at the top and bottom of
		// every page.
		everyPage(t, pdfText(t, libreOffice(t, data, "pdf", "pdf")))
	})
	t.Run("pdf", func(t *testing.T) {
		everyPage(t, pdfText(t, export(t, p, packs.FormatPDF)))
	})
}

// chromiumPDF prints an HTML page to PDF with headless chromium, as a
// browser's print does. It skips where chromium is not installed, and fails
// so under CI, which installs it.
func chromiumPDF(t *testing.T, page []byte) []byte {
	t.Helper()
	var bin string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is missing; .ci/run installs the Debian package chromium")
		}
		t.Skip("chromium is not installed (Debian package chromium); skipping the check of the HTML export as printed")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pack.html"), filepath.Join(dir, "pack.pdf")
	if err := os.WriteFile(in, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium could not print the HTML: %v\n%s", err, msg)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("chromium wrote no PDF: %v", err)
	}
	return pdf
}

// everyPage checks that each page of pdftotext's text (pages end in a form
// feed) begins and ends with the marking, and that there are several.
func everyPage(t *testing.T, text string) {
	t.Helper()
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages) < 2 {
		t.Fatalf("%d page, want a multi-page export", len(pages))
	}
	for i, page := range pages {
		l := lines(page)
		if len(l) < 2 || l[0] != lesMarking || l[len(l)-1] != lesMarking {
			t.Errorf("page %d of %d is not marked at its top and bottom:\n%s", i+1, len(pages), page)
		}
	}
}

// TestPublicExportsAreNotMarked: a pack of public text (its unavailable
// restricted item left out) carries no marking in any format.
func TestPublicExportsAreNotMarked(t *testing.T) {
	p := examplePack(t)
	for _, format := range []string{packs.FormatMarkdown, packs.FormatHTML, packs.FormatDOCX, packs.FormatPDF} {
		t.Run(format, func(t *testing.T) {
			data := export(t, p, format)
			text := string(data)
			switch format {
			case packs.FormatDOCX:
				parts := docxParts(t, data)
				for name := range parts {
					if strings.Contains(name, "header") || strings.Contains(name, "footer") {
						t.Errorf("public DOCX has a %s", name)
					}
				}
				text = parts["word/document.xml"]
			case packs.FormatPDF:
				text = pdfText(t, data)
			}
			for _, m := range []string{"RESTRICTED", "SENSITIVE", "MEMBERS ONLY", `class="marking`, "@top-center"} {
				if strings.Contains(text, m) {
					t.Errorf("public %s export carries %q", format, m)
				}
			}
		})
	}
}

// TestCheckRaisesTheCitedLevel: a section cited as public whose document is
// now law-enforcement-sensitive is exported as such, even though its text is
// unchanged.
func TestCheckRaisesTheCitedLevel(t *testing.T) {
	ctx := context.Background()
	cited := section(1)
	now := cited
	now.Level = content.LevelLESensitive
	p := &store.Pack{Items: []store.Item{{DocID: "port", SectionID: "s1", Cited: cited}}}
	if err := packs.Check(ctx, p, fixed{"port#s1": now}); err != nil {
		t.Fatal(err)
	}
	if it := p.Items[0]; it.Status != packs.StatusCurrent || it.Cited.Level != content.LevelLESensitive {
		t.Errorf("item %s at level %q, want current at %q", it.Status, it.Cited.Level, content.LevelLESensitive)
	}
	// A level lowered since is not: the cited copy keeps its marking.
	p.Items[0].Cited.Level = content.LevelRestricted
	if err := packs.Check(ctx, p, fixed{"port#s1": now}); err != nil {
		t.Fatal(err)
	}
	if got := p.Items[0].Cited.Level; got != content.LevelRestricted {
		t.Errorf("cited level lowered to %q", got)
	}
}

func docxParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}

// xmlText is the text of the w:t elements of a part.
func xmlText(t *testing.T, part string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(part))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatalf("%v in %s", err, part)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				b.Write(el)
			}
		}
	}
}

// refID is the relationship id of the body's sectPr reference (a
// headerReference or footerReference).
func refID(t *testing.T, document, ref string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(document))
	inSect := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if el.Name.Local == "sectPr" {
			inSect = true
		}
		if inSect && el.Name.Local == ref {
			for _, a := range el.Attr {
				if a.Name.Local == "id" {
					return a.Value
				}
			}
		}
	}
}

// cssUnescape undoes html/template's escapes of a CSS string (\20 for a
// space).
func cssUnescape(s string) string {
	return strings.NewReplacer(`\20 `, " ", `\20`, " ").Replace(s)
}
