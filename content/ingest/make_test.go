package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// pdfLine is a line of text placed on a page of a generated PDF.
type pdfLine struct {
	text string
	bold bool
	size float64
}

// makePDF writes a small valid PDF: one page per element of pages, each line
// in Helvetica (or Helvetica-Bold) from the top down. encrypt adds an
// encryption dictionary whose password nobody knows.
func makePDF(t testing.TB, pages [][]pdfLine, encrypt bool) []byte {
	t.Helper()
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	bold := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	var kids []string
	for _, lines := range pages {
		var cs strings.Builder
		y := 760.0
		for _, l := range lines {
			size := l.size
			if size == 0 {
				size = 11
			}
			f := "F1"
			if l.bold {
				f = "F2"
			}
			esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l.text)
			fmt.Fprintf(&cs, "BT /%s %.1f Tf 72 %.1f Td (%s) Tj ET\n", f, size, y, latin1(esc))
			y -= size * 1.5
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.String()))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, font, bold, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	enc := 0
	if encrypt {
		enc = add("<< /Filter /Standard /V 1 /R 2 /O <" + strings.Repeat("4f", 32) + "> /U <" + strings.Repeat("75", 32) + "> /P -44 >>")
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	trailer := fmt.Sprintf("/Size %d /Root %d 0 R", len(objs)+1, catalog)
	if encrypt {
		trailer += fmt.Sprintf(" /Encrypt %d 0 R /ID [<%s> <%s>]", enc, strings.Repeat("ab", 16), strings.Repeat("ab", 16))
	}
	fmt.Fprintf(&b, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xref)
	return b.Bytes()
}

// latin1 encodes text for WinAnsiEncoding (as octal escapes above ASCII).
func latin1(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			sb.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&sb, `\%03o`, r)
		default:
			sb.WriteByte('?')
		}
	}
	return sb.String()
}

// makeDOCX writes a minimal .docx whose body is the given XML (paragraphs
// and tables), with a styles part and core properties.
func makeDOCX(t testing.TB, body, styles, core string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	write := func(name, content string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	write("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	write("word/document.xml", `<?xml version="1.0"?><w:document `+ns+`><w:body>`+body+`</w:body></w:document>`)
	if styles != "" {
		write("word/styles.xml", `<?xml version="1.0"?><w:styles `+ns+`>`+styles+`</w:styles>`)
	}
	if core != "" {
		write("docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">`+core+`</cp:coreProperties>`)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// para is a w:p with an optional style and its text.
func para(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}
