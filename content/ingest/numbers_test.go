package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/content"
)

// shown is what the document page and the exports show of a section's
// text, block by block: a numbered list numbered from 1 as they number it,
// other blocks as their first line (a bullet list's items with "• ").
func shown(text string) []string {
	var out []string
	for _, b := range content.Blocks(text) {
		switch b.Kind {
		case content.NumberedList:
			n := 0
			for _, l := range b.Lines {
				if !strings.HasPrefix(l, "  ") {
					n++
					out = append(out, fmt.Sprintf("%d. %s", n, l))
				}
			}
		case content.BulletList:
			for _, l := range b.Lines {
				out = append(out, "• "+strings.TrimSpace(l))
			}
		case content.Paragraph:
			out = append(out, b.Lines[0])
		}
	}
	return out
}

// checkLabels checks that the blocks shown start with the given labels, in
// order, and that the section's text (what search sees) has each of them
// but the bullets "•".
func checkLabels(t *testing.T, s content.Section, labels ...string) {
	t.Helper()
	got := shown(s.Text)
	if len(got) != len(labels) {
		t.Fatalf("%s: %d blocks shown %q, want %d starting %q", s.Title(), len(got), got, len(labels), labels)
	}
	for i, l := range labels {
		if f := strings.Fields(got[i]); len(f) == 0 || f[0] != l {
			t.Errorf("%s: block %d shown as %q, want it to start %q", s.Title(), i, got[i], l)
		}
	}
	at := 0
	for _, l := range labels {
		if l == "•" {
			continue // a bullet the page draws
		}
		i := strings.Index(s.Text[at:], l)
		if i < 0 {
			t.Errorf("%s: text has no %q after offset %d: %q", s.Title(), l, at, s.Text)
			return
		}
		at += i + len(l)
	}
}

func TestPDFKeepsParagraphNumbers(t *testing.T) {
	gap := pdfLine{text: " "}
	data := makePDF(t, [][]pdfLine{{
		{text: "Article 3", bold: true}, {text: "Tasks of the authorities", bold: true},
		{text: "1. Member States shall take measures aiming, in particular, at:"}, gap,
		{text: "a) protecting the financial interests of the Union;"}, gap,
		{text: "b) protecting the Union from unfair and illegal trade; and"}, gap,
		{text: "c) ensuring the security and safety of the Union."}, gap,
		{text: "2. Member States shall inform the Commission."}, gap,
		{text: "3. The Commission shall publish a report."},
	}}, false)
	l := only(t, load(t, fstest.MapFS{"code.pdf": {Data: data}}, Options{}))
	checkLabels(t, firstSection(t, l, "Article 3"), "1.", "a)", "b)", "c)", "2.", "3.")
}

// withPart returns a copy of a zip archive with one more part.
func withPart(t *testing.T, archive []byte, name, text string) []byte {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range r.File {
		if err := z.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := z.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, text); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDOCXKeepsParagraphNumbers: Word numbers an article's paragraphs and
// points itself (numbering.xml); the labels it shows are computed, a list
// that goes on after a paragraph outside it (its own w:num with a
// w:startOverride) included.
func TestDOCXKeepsParagraphNumbers(t *testing.T) {
	const numbering = `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="4"/><w:lvlOverride w:ilvl="1"><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:lvlOverride></w:num>
</w:numbering>`
	item := func(num, lvl, text string) string {
		return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	styles := `<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>`
	body := para("Heading2", "Article 30") +
		item("1", "0", "Member States shall ensure that the information is accessible to:") +
		item("1", "1", "competent authorities;") +
		item("1", "1", "obliged entities, in accordance with:") +
		item("1", "2", "Chapter II;") +
		item("1", "0", "Member States shall require that the information is current.") +
		para("", "For the purposes of this paragraph, access shall be in accordance with data protection rules.") +
		item("2", "0", "The central register shall ensure timely access.") +
		item("3", "1", "a point in a list of its own.")
	data := withPart(t, makeDOCX(t, body, styles, ""), "word/numbering.xml", numbering)
	l := only(t, load(t, fstest.MapFS{"directive.docx": {Data: data}}, Options{}))
	checkLabels(t, firstSection(t, l, "Article 30"), "1.", "(a)", "(b)", "(i)", "2.", "For", "3.", "a)")
}

// TestHTMLKeepsListNumbers: an ordered list's items keep the numbers a
// browser shows: from <ol start>, in the style of <ol type>, from
// <li value>, and counting down in <ol reversed>.
func TestHTMLKeepsListNumbers(t *testing.T) {
	page := `<!doctype html><html lang="en"><head><title>Directive</title></head><body><main>
<h2>Article 30</h2>
<ol><li>Member States shall ensure that the information is accessible to:
<ol type="a"><li>competent authorities;</li><li>obliged entities.</li></ol></li>
<li>Member States shall require that the information is current.</li></ol>
<p>For the purposes of this paragraph, access shall be in accordance with data protection rules.</p>
<ol start="3"><li>The central register shall ensure timely access.</li><li value="7">Member States shall notify.</li><li>The Commission shall report.</li></ol>
<ol type="i"><li>first;</li><li>second.</li></ol>
<ol reversed><li>two left</li><li>one left</li></ol>
<ul><li>a bullet</li></ul>
</main></body></html>`
	l := only(t, load(t, fstest.MapFS{"directive.html": {Data: []byte(page)}}, Options{}))
	checkLabels(t, firstSection(t, l, "Article 30"), "1.", "a.", "b.", "2.", "For", "3.", "7.", "8.", "i.", "ii.", "2.", "1.", "•")
}

// TestCorporaArticlesKeepParagraphNumbers: in real EU texts, an article's
// paragraphs and points show their own numbers, in order: the Union
// Customs Code (PDF, French) and the 4th anti-money-laundering directive
// (DOCX, English: literal numbers in its articles, Word numbering in its
// table of contents).
func TestCorporaArticlesKeepParagraphNumbers(t *testing.T) {
	ucc := corpusDoc(t, "eu-ucc-fr-reglement-ue-952-2013-code-des-douanes-union-fr")
	checkLabels(t, firstSection(t, ucc, "Article 57"), "1.", "2.", "3.", "4.")
	// The last point, after "…; et", is a point of its own.
	checkLabels(t, firstSection(t, ucc, "Article 3"), "Les", "a)", "b)", "c)", "d)")

	en := corpusDoc(t, "eu-amld4-docx-directive-2015-849-en")
	checkLabels(t, firstSection(t, en, "Article 30"), "1.", "Member", "2.", "3.", "4.", "5.", "(a)", "(b)", "(c)", "The", "For", "6.", "7.", "8.", "9.", "10.", "%%%")
	var toc []string
	for _, s := range en.Sections {
		for _, l := range shown(s.Text) {
			if strings.Contains(l, " CHAPTER ") {
				toc = append(toc, l)
			}
		}
	}
	want := []string{"1. CHAPTER I -", "5. CHAPTER II -", "10. CHAPTER III -", "13. CHAPTER IV -", "16. CHAPTER V -", "22. CHAPTER VI -", "27. CHAPTER VII -"}
	if len(toc) != len(want) {
		t.Fatalf("contents list: chapters shown as %q, want %q", toc, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(toc[i], w) {
			t.Errorf("contents list: chapter %d shown as %q, want %q", i+1, toc[i], w)
		}
	}
}
