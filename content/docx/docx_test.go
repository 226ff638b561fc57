package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"runtime"
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

// TestLyingSizes: an entry whose header claims a few bytes but that
// inflates to 64 MiB is refused within the budget, not unpacked.
func TestLyingSizes(t *testing.T) {
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(`<w:document ` + ns + `><w:body>`))
	chunk := bytes.Repeat([]byte(`<w:p><w:r><w:t>bomb</w:t></w:r></w:p>`), 1000)
	for n := 0; n < 64<<20; n += len(chunk) {
		_, _ = fw.Write(chunk)
	}
	_ = fw.Close()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(raw.Len()), UncompressedSize64: 100, CRC32: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(raw.Bytes())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Read(b.Bytes(), Limits{MaxUncompressed: 1 << 20})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %v, want ErrTooLarge or ErrCorrupt", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}

// TestLongParagraphInPieces: a paragraph of 3 MiB at the top of the body
// comes in blocks of about maxText, its text whole; one in a table cell is
// cut at maxText.
func TestLongParagraphInPieces(t *testing.T) {
	run := `<w:r><w:t xml:space="preserve">word word word word word word word. </w:t></w:r>`
	n := 3 * maxText / (len(run) - 40)
	long := `<w:p>` + strings.Repeat(run, n) + `</w:p>`
	table := `<w:tbl><w:tr><w:tc>` + long + `</w:tc></w:tr></w:tbl>`
	data := build(t, map[string]string{"word/document.xml": `<w:document ` + ns + `><w:body>` + long + table + `</w:body></w:document>`})
	var paras, tables []Block
	if _, err := Stream(context.Background(), data, Limits{}, func(b Block) {
		if b.Kind == Table {
			tables = append(tables, b)
		} else {
			paras = append(paras, b)
		}
	}); err != nil {
		t.Fatal(err)
	}
	words := 0
	for _, b := range paras {
		if len(b.Text) > maxText+len(run) {
			t.Errorf("a block of %d bytes", len(b.Text))
		}
		words += strings.Count(b.Text, "word")
	}
	if len(paras) < 3 || words != 7*n {
		t.Errorf("%d blocks, %d words, want %d", len(paras), words, 7*n)
	}
	if len(tables) != 1 || len(tables[0].Text) > maxText+len(run) {
		t.Errorf("%d tables", len(tables))
	}
}

// TestStreamStopsWithContext: a cancelled context stops the reading.
func TestStreamStopsWithContext(t *testing.T) {
	big := strings.Repeat(`<w:p><w:r><w:t>text</w:t></w:r></w:p>`, 200000)
	data := build(t, map[string]string{"word/document.xml": `<w:document ` + ns + `><w:body>` + big + `</w:body></w:document>`})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	blocks := 0
	if _, err := Stream(ctx, data, Limits{}, func(Block) { blocks++ }); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if blocks > 0 {
		t.Errorf("%d blocks read after the cancel", blocks)
	}
}
