package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"handbook/content"
	"handbook/content/pdf"
)

// load runs Load over an in-memory folder.
func load(t *testing.T, files fstest.MapFS, opts Options) *Report {
	t.Helper()
	r, err := Load(context.Background(), files, ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func only(t *testing.T, r *Report) content.Loaded {
	t.Helper()
	for _, e := range r.Skipped {
		t.Errorf("skipped %v", e)
	}
	if len(r.Documents) != 1 {
		t.Fatalf("%d documents, want 1", len(r.Documents))
	}
	return r.Documents[0]
}

type wantSection struct {
	number, heading string
	page, pageEnd   int
}

func checkSections(t *testing.T, got []content.Section, want []wantSection) {
	t.Helper()
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("%q %q %d–%d %q", s.Number, s.Heading, s.Page, s.PageEnd, s.Text)
		}
		t.Fatalf("%d sections, want %d", len(got), len(want))
	}
	for i, w := range want {
		s := got[i]
		if g := (wantSection{s.Number, s.Heading, s.Page, s.PageEnd}); g != w {
			t.Errorf("section %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestLoadPDFHeadingsAndPages(t *testing.T) {
	data := makePDF(t, [][]pdfLine{
		{{text: "Port Controls Handbook", bold: true, size: 20}, {text: "Running header"}, {text: "This handbook describes joint controls at ports."}},
		{{text: "Running header"}, {text: "Article 1", bold: true}, {text: "Scope and purpose", bold: true}, {text: "Customs and police officers carry out joint"}, {text: "controls of containers at the port."}},
		{{text: "Running header"}, {text: "checks continue on this page and end here."}, {text: "Article 2", bold: true}, {text: "Definitions", bold: true}, {text: "A container is a box."}},
	}, false)
	l := only(t, load(t, fstest.MapFS{"guide.pdf": {Data: data}}, Options{}))
	if l.Document.Title != "Port Controls Handbook" || l.Document.Language != content.LanguageEnglish || l.Document.Pages != 3 || l.Document.Format != content.FormatPDF {
		t.Errorf("document = %+v", l.Document)
	}
	checkSections(t, l.Sections, []wantSection{
		{"", "Port Controls Handbook", 1, 1},
		{"Article 1", "Scope and purpose", 2, 3},
		{"Article 2", "Definitions", 3, 3},
	})
	a1 := l.Sections[1]
	if strings.Contains(a1.Text, "Running header") {
		t.Errorf("running header kept: %q", a1.Text)
	}
	i := strings.Index(a1.Text, "checks continue")
	if i < 0 || a1.PageAt(i) != 3 || a1.PageAt(0) != 2 {
		t.Errorf("text %q breaks %v: page at %d = %d", a1.Text, a1.PageBreaks, i, a1.PageAt(i))
	}
	if !strings.Contains(a1.Text, "joint controls of containers") {
		t.Errorf("lines of a paragraph not joined: %q", a1.Text)
	}
}

func TestBadInputs(t *testing.T) {
	good := makePDF(t, [][]pdfLine{{{text: "A good document about customs."}}}, false)
	big := make([]byte, 2<<20)
	files := fstest.MapFS{
		"good.pdf":                 {Data: good},
		"sub dir/ok\u00a0file.txt": {Data: []byte("Contrôles\n=========\n\nLes contrôles des douanes dans les ports.\n")},
		"encrypted.pdf":            {Data: makePDF(t, [][]pdfLine{{{text: "secret"}}}, true)},
		"truncated.pdf":            {Data: good[:len(good)/2]},
		"bomb.docx":                {Data: zipBomb(t, 4<<20)},
		"zip.docx":                 {Data: plainZip(t)},
		"big.txt":                  {Data: big},
	}
	for _, name := range []string{"empty.txt", "blank.md", "latin1.txt", "not-a.pdf", "broken.docx", "legacy.docx", "picture.txt", "corrupt.pdf"} {
		data, err := os.ReadFile(filepath.Join("testdata", "bad", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	r := load(t, files, Options{MaxFileSize: 1 << 20, MaxUncompressed: 1 << 20})
	var ids []string
	for _, d := range r.Documents {
		ids = append(ids, d.Document.ID)
	}
	if got := strings.Join(ids, ","); got != "good,sub-dir-ok-file" {
		t.Errorf("loaded %s, want good,sub-dir-ok-file", got)
	}
	want := map[string]struct {
		kind error
		msg  string
	}{
		"encrypted.pdf": {ErrEncrypted, "encrypted"},
		"truncated.pdf": {ErrCorrupt, "damaged"},
		"corrupt.pdf":   {ErrCorrupt, "damaged"},
		"bomb.docx":     {ErrTooLarge, "zip bomb"},
		"zip.docx":      {ErrWrongFormat, "not a Word document"},
		"big.txt":       {ErrTooLarge, "larger than the limit of 1.0 MiB"},
		"empty.txt":     {ErrEmpty, "empty"},
		"blank.md":      {ErrEmpty, "white space"},
		"latin1.txt":    {ErrNotUTF8, "not valid UTF-8 (first bad byte 0xe9 at line 1"},
		"not-a.pdf":     {ErrWrongFormat, "the file is text, not a PDF"},
		"broken.docx":   {ErrCorrupt, "damaged"},
		"legacy.docx":   {ErrEncrypted, "old-style .doc"},
		"picture.txt":   {ErrWrongFormat, "a PNG image, not plain text"},
	}
	got := map[string]error{}
	for _, e := range r.Skipped {
		got[e.Path] = e
	}
	for path, w := range want {
		err := got[path]
		if err == nil {
			t.Errorf("%s: not reported", path)
			continue
		}
		if !errors.Is(err, w.kind) || !strings.Contains(err.Error(), w.msg) || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("%s: %v (kind %v), want %v and %q", path, err, errors.Unwrap(err), w.kind, w.msg)
		}
	}
	if len(r.Skipped) != len(want) {
		t.Errorf("%d skipped, want %d: %v", len(r.Skipped), len(want), r.Err())
	}
	if !errors.Is(got["encrypted.pdf"], pdf.ErrEncrypted) {
		t.Errorf("encrypted PDF error %v is not pdf.ErrEncrypted", got["encrypted.pdf"])
	}
}

// zipBomb is a .docx whose document unpacks to n bytes of zeros.
func zipBomb(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 64<<10)
	for written := 0; written < n; written += len(zeros) {
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func plainZip(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("notes.txt")
	_, _ = w.Write([]byte("hello"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHugeFileIsNotRead makes a sparse 600 MB file: it is reported from its
// size without being read.
func TestHugeFileIsNotRead(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(600 << 20); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("Some text about customs controls.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := Load(context.Background(), os.DirFS(dir), ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Documents) != 1 || len(r.Skipped) != 1 || !errors.Is(r.Skipped[0], ErrTooLarge) || !strings.Contains(r.Skipped[0].Error(), "huge.pdf: the file is 600.0 MiB, larger than the limit of 64.0 MiB") {
		t.Errorf("report: %d documents, skipped %v", len(r.Documents), r.Err())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestPDFTimeout(t *testing.T) {
	pages := make([][]pdfLine, 200)
	for i := range pages {
		pages[i] = []pdfLine{{text: "Page of text about the customs code and its articles."}}
	}
	r := load(t, fstest.MapFS{"long.pdf": {Data: makePDF(t, pages, false)}}, Options{Timeout: time.Millisecond})
	if len(r.Skipped) != 1 || !errors.Is(r.Skipped[0], ErrTimeout) {
		t.Fatalf("skipped %v, want a timeout", r.Err())
	}
	// The engine still works after an instance was killed.
	r = load(t, fstest.MapFS{"short.pdf": {Data: makePDF(t, pages[:1], false)}}, Options{})
	only(t, r)
}

func TestLoadDOCX(t *testing.T) {
	styles := `<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="Titre 2"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ArticleHead"><w:name w:val="Article heading"/><w:basedOn w:val="Titre2"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Corps"><w:name w:val="Body Text"/></w:style>`
	body := para("Titre1", "Chapitre 1 — Dispositions générales") +
		para("Corps", "Le présent guide s'applique aux contrôles dans les ports.") +
		para("ArticleHead", "Article 3 Contrôles conjoints") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>premier point</w:t></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc>` + para("", "Service") + `</w:tc><w:tc>` + para("", "Rôle") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + para("", "Douane") + `</w:tc><w:tc>` + para("", "Sélection") + `</w:tc></w:tr></w:tbl>` +
		`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Annexe A</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> Liste</w:t></w:r></w:p>` +
		para("", "Texte de l'annexe, avec une suite qui se termine.# Article 4 - Titre glissé") +
		para("", "Texte de l'article 4.")
	core := `<dc:title>Guide des ports</dc:title><dc:language>fr-FR</dc:language><dc:description>Un guide.</dc:description>`
	l := only(t, load(t, fstest.MapFS{"guide.docx": {Data: makeDOCX(t, body, styles, core)}}, Options{}))
	if d := l.Document; d.Title != "Guide des ports" || d.Language != content.LanguageFrench || d.Summary != "Un guide." || d.Format != content.FormatDOCX {
		t.Errorf("document = %+v", d)
	}
	checkSections(t, l.Sections, []wantSection{
		{"Chapitre 1", "Dispositions générales", 0, 0},
		{"Article 3", "Contrôles conjoints", 0, 0},
		{"Annexe A", "Liste", 0, 0},
		{"Article 4", "Titre glissé", 0, 0},
	})
	if got, want := l.Sections[1].Text, "- premier point\n\nService | Rôle\nDouane | Sélection"; got != want {
		t.Errorf("list and table = %q, want %q", got, want)
	}
	if l.Sections[1].Path != "Chapitre 1 Dispositions générales › Article 3 Contrôles conjoints" {
		t.Errorf("path %q", l.Sections[1].Path)
	}
	if l.Sections[2].Text != "Texte de l'annexe, avec une suite qui se termine." {
		t.Errorf("annex text %q", l.Sections[2].Text)
	}
}

func TestLoadHTML(t *testing.T) {
	data, err := os.ReadFile("testdata/fuzz/good.html")
	if err != nil {
		t.Fatal(err)
	}
	l := only(t, load(t, fstest.MapFS{"guide.html": {Data: data}}, Options{}))
	if d := l.Document; d.Title != "Guide des contrôles" || d.Language != content.LanguageFrench {
		t.Errorf("document = %+v", d)
	}
	if len(l.Sections) != 2 || l.Sections[0].ID != "intro" || l.Sections[1].ID != "sec-2" || l.Sections[1].Number != "2" {
		t.Fatalf("sections %+v", l.Sections)
	}
	if got, want := l.Sections[1].Text, "- Ciblage\n\n- Scanner\n\nService | Rôle\nDouane | Sélection"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	for _, s := range l.Sections {
		for _, junk := range []string{"Accueil", "alert", "color", "©"} {
			if strings.Contains(s.Text, junk) {
				t.Errorf("section %s keeps %q", s.ID, junk)
			}
		}
	}
}

func TestTextSections(t *testing.T) {
	text := "Handbook\n========\n\nIntro text.\n\n1.1. Scope\n----------\n\nScope text\nwrapped.\n\nArticle 12\nControlled delivery\n\nThe article.\n\n3.2 million euros were seized\nlast year.\n\f\nCHAPTER IV\n\nOn page two.\n"
	got := TextSections("d", text)
	checkSections(t, got, []wantSection{
		{"", "Handbook", 1, 1},
		{"1.1", "Scope", 1, 1},
		{"Article 12", "Controlled delivery", 1, 1},
		{"CHAPTER IV", "", 2, 2},
	})
	if got[2].Text != "The article.\n\n3.2 million euros were seized\nlast year." {
		t.Errorf("text %q", got[2].Text)
	}
	if got[1].Path != "Handbook › 1.1 Scope" {
		t.Errorf("path %q", got[1].Path)
	}
}

func TestMarkdownWithoutFrontMatter(t *testing.T) {
	r := load(t, fstest.MapFS{"notes/Guide.md": {Data: []byte("# Guide des ports\n\nLes contrôles des conteneurs dans les ports.\n\n## Article 2\n\nLe texte.\n")}}, Options{})
	l := only(t, r)
	if d := l.Document; d.Title != "Guide des ports" || d.Language != content.LanguageFrench || d.ID != "notes-guide" {
		t.Errorf("document = %+v", d)
	}
}

func TestMetadataSources(t *testing.T) {
	text := []byte("Guidance\n\nThe officers of the customs and the police work together at the port.\n")
	files := fstest.MapFS{
		"a.txt":               {Data: text},
		"a.txt.meta.yaml":     {Data: []byte("title: Sidecar title\nlevel: restricted\ntype: handbook\nyear: 2024\n")},
		"b.txt":               {Data: text},
		"c.txt":               {Data: text},
		"catalog.yaml":        {Data: []byte("b.txt:\n  title: From the catalog\n  lang: fr\n  org: [WCO]\nmissing.pdf:\n  title: Nobody\n")},
		"d.txt":               {Data: text},
		"d.meta.yaml":         {Data: []byte("year: 20x4\n")},
		"orphan.meta.yaml":    {Data: []byte("title: Lost\n")},
		"sub/e.txt":           {Data: text},
		"sub/catalog.yaml":    {Data: []byte("e.txt: [not, a, map\n")},
		"sub/f.txt":           {Data: text},
		"sub/f.txt.meta.yaml": {Data: []byte("title: F\n")},
	}
	r := load(t, files, Options{})
	docs := map[string]content.Document{}
	for _, d := range r.Documents {
		docs[d.Document.Source] = d.Document
	}
	if d := docs["a.txt"]; d.Title != "Sidecar title" || d.Level != content.LevelRestricted || d.Year != 2024 || d.Language != content.LanguageEnglish {
		t.Errorf("sidecar: %+v", d)
	}
	if d := docs["b.txt"]; d.Title != "From the catalog" || d.Language != content.LanguageFrench || strings.Join(d.Organizations, ",") != "WCO" {
		t.Errorf("catalog: %+v", d)
	}
	if d := docs["c.txt"]; d.Title != "c" || d.Level != content.LevelPublic || d.Language != content.LanguageEnglish || d.Type != "" {
		t.Errorf("defaults: %+v", d)
	}
	if d := docs["sub/f.txt"]; d.Title != "F" {
		t.Errorf("sidecar beside a broken catalog: %+v", d)
	}
	msgs := r.Err().Error()
	for _, want := range []string{
		`d.meta.yaml: field "year": "20x4" is not a year`,
		`orphan.meta.yaml: sidecar metadata for orphan.*, but there is no such document beside it`,
		`catalog.yaml: entries for files that are not documents in this folder: missing.pdf`,
		`sub/catalog.yaml: not valid YAML`,
		`sub/e.txt: its metadata comes from sub/catalog.yaml, which cannot be read`,
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("report lacks %q:\n%s", want, msgs)
		}
	}
	if len(r.Documents) != 4 || len(r.Skipped) != 5 {
		t.Errorf("%d documents, %d skipped: %s", len(r.Documents), len(r.Skipped), msgs)
	}
}

func TestSameNameInTwoFormats(t *testing.T) {
	r := load(t, fstest.MapFS{
		"policy.txt":  {Data: []byte("Policy\n\nSome text of the policy.\n")},
		"policy.html": {Data: []byte("<title>Policy</title><p>Some text of the policy.</p>")},
	}, Options{})
	if len(r.Documents) != 2 || r.Documents[0].Document.ID != "policy-html" || r.Documents[1].Document.ID != "policy-txt" {
		t.Errorf("documents %v, skipped %v", r.Documents, r.Err())
	}
}

func TestSelect(t *testing.T) {
	files := fstest.MapFS{
		"a.txt": {Data: []byte("Alpha text.\n")},
		"b.txt": {Data: []byte("Beta text.\n")},
		"b.md":  {Data: []byte("# Beta\n\nMarkdown.\n")},
	}
	r := load(t, files, Options{Select: func(p string) bool { return p == "b.txt" }})
	if len(r.Documents) != 1 || r.Documents[0].Document.ID != "b-txt" || len(r.Skipped) != 0 {
		t.Errorf("documents %v, skipped %v", r.Documents, r.Err())
	}
}

func TestSectionBuilderPageBreaks(t *testing.T) {
	b := NewSectionBuilder("d", true)
	b.Heading(1, "1 Scope")
	b.Text("first")
	b.Page(2)
	b.Continue("second", " ")
	b.Page(4)
	b.Text("third")
	b.Heading(2, "1.1 Detail")
	b.Text("on four")
	got := b.Sections()
	want := []content.PageBreak{{Page: 2, Offset: 6}, {Page: 4, Offset: 14}}
	if s := got[0]; s.Text != "first second\n\nthird" || s.Page != 1 || s.PageEnd != 4 || len(s.PageBreaks) != 2 || s.PageBreaks[0] != want[0] || s.PageBreaks[1] != want[1] {
		t.Errorf("section = %+v", s)
	}
	if s := got[0]; s.PageAt(0) != 1 || s.PageAt(5) != 1 || s.PageAt(6) != 2 || s.PageAt(13) != 2 || s.PageAt(14) != 4 {
		t.Errorf("PageAt wrong for %v", s.PageBreaks)
	}
	if s := got[1]; s.Page != 4 || len(s.PageBreaks) != 0 {
		t.Errorf("second section = %+v", s)
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := map[string]string{
		"The officers of the customs service shall inspect the containers.": content.LanguageEnglish,
		"Les agents des douanes contrôlent les conteneurs dans le port.":    content.LanguageFrench,
		"": content.LanguageEnglish,
	}
	for text, want := range tests {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%q) = %s, want %s", text, got, want)
		}
	}
}

// fuzzSeeds adds every file of testdata/fuzz and testdata/bad.
func fuzzSeeds(f *testing.F) {
	for _, dir := range []string{"testdata/fuzz", "testdata/bad"} {
		_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(filepath.Join(dir, p)); err == nil {
					f.Add(data)
				}
			}
			return nil
		})
	}
}

// checkLoaded fails on a malformed result: every loader must give unique
// ids, orders and sane pages, whatever the input.
func checkLoaded(t *testing.T, p *parsed) {
	t.Helper()
	seen := map[string]bool{}
	for i, s := range p.sections {
		if s.ID == "" || seen[s.ID] || s.Order != i || s.PageEnd < s.Page {
			t.Fatalf("section %d: id %q order %d pages %d–%d", i, s.ID, s.Order, s.Page, s.PageEnd)
		}
		seen[s.ID] = true
		last := -1
		for _, b := range s.PageBreaks {
			if b.Offset < last || b.Offset > len(s.Text) {
				t.Fatalf("section %d: page breaks %v for %d bytes", i, s.PageBreaks, len(s.Text))
			}
			last = b.Offset
		}
	}
}

func FuzzParseText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := parseText("d", data); err == nil {
			checkLoaded(t, p)
		}
		if p, err := parseMarkdownFile("d", "d.md", data); err == nil {
			checkLoaded(t, p)
		}
	})
}

func FuzzParseHTML(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := parseHTML("d", data); err == nil {
			checkLoaded(t, p)
		}
	})
}

func FuzzParseDOCX(f *testing.F) {
	fuzzSeeds(f)
	f.Add(makeDOCX(f, para("Heading1", "Article 1 Scope")+para("", "Text.# Article 2 - Next"), "", "<dc:title>T</dc:title>"))
	f.Add(zipBomb(f, 1<<20))
	opts := Options{}.withDefaults()
	opts.MaxUncompressed = 4 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := parseDOCX("d", data, opts); err == nil {
			checkLoaded(t, p)
		}
	})
}

func FuzzParsePDF(f *testing.F) {
	fuzzSeeds(f)
	good := makePDF(f, [][]pdfLine{{{text: "Article 1", bold: true}, {text: "Text of the article."}}, {{text: "More text."}}}, false)
	f.Add(good)
	f.Add(good[:len(good)*2/3])
	opts := Options{Timeout: 10 * time.Second}.withDefaults()
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
		defer cancel()
		if p, err := parsePDF(ctx, "d", data, opts); err == nil {
			checkLoaded(t, p)
		}
	})
}
