package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

func build(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, content := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(content))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

func TestNumberedListsAndHeadings(t *testing.T) {
	numbering := `<w:numbering ` + ns + `>
<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num></w:numbering>`
	p := func(style, num, lvl, text string) string {
		ppr := `<w:pPr>`
		if style != "" {
			ppr += `<w:pStyle w:val="` + style + `"/>`
		}
		if num != "" {
			ppr += `<w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr>`
		}
		return `<w:p>` + ppr + `</w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	body := p("Heading1", "1", "0", "Scope") + p("", "2", "0", "first") + p("", "2", "1", "sub") + p("", "2", "0", "second") +
		p("Heading1", "1", "0", "Definitions") + `<w:p><w:r><w:t>kept</w:t></w:r><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del></w:p>`
	data := build(t, map[string]string{
		"word/document.xml":  `<w:document ` + ns + `><w:body>` + body + `</w:body></w:document>`,
		"word/numbering.xml": numbering,
	})
	doc, err := Read(data, Limits{MaxUncompressed: 1 << 20, MaxEntries: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range doc.Blocks {
		got = append(got, strings.TrimSpace(b.Label+" "+b.Text))
	}
	want := "Article 1 Scope|(a) first|i. sub|(b) second|Article 2 Definitions|kept"
	if strings.Join(got, "|") != want {
		t.Errorf("blocks %q, want %q", strings.Join(got, "|"), want)
	}
	if doc.Blocks[0].Kind != Heading || doc.Blocks[1].Kind != ListItem || doc.Blocks[2].Level != 1 {
		t.Errorf("kinds %+v", doc.Blocks)
	}
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("<w:p/>", 100000)
	data := build(t, map[string]string{"word/document.xml": `<w:document ` + ns + `><w:body>` + big + `</w:body></w:document>`})
	if _, err := Read(data, Limits{MaxUncompressed: 1000, MaxEntries: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the size limit: %v", err)
	}
	if _, err := Read(data, Limits{MaxUncompressed: 1 << 20, MaxEntries: 0}); err != nil {
		t.Errorf("within limits: %v", err)
	}
	many := map[string]string{"word/document.xml": `<w:document ` + ns + `/>`}
	for i := range 20 {
		many[strings.Repeat("x", i+1)] = ""
	}
	if _, err := Read(build(t, many), Limits{MaxEntries: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many entries: %v", err)
	}
	if _, err := Read(build(t, map[string]string{"a.txt": "x"}), Limits{}); !errors.Is(err, ErrNotDOCX) {
		t.Errorf("not a docx: %v", err)
	}
}
