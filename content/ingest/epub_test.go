package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"handbook/content"
	"strings"
	"testing"
	"testing/fstest"
)

// makeEPUB builds an EPUB from its parts; container and opf may be "" to
// leave them out.
func makeEPUB(t testing.TB, container, opf string, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, text string, method uint16) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	add("mimetype", "application/epub+zip", zip.Store)
	if container != "" {
		add("META-INF/container.xml", container, zip.Deflate)
	}
	if opf != "" {
		add("OEBPS/content.opf", opf, zip.Deflate)
	}
	for name, text := range parts {
		add(name, text, zip.Deflate)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const epubContainer = `<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>`

const epubOPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1</dc:identifier>
    <dc:title>Manuel des contrôles portuaires</dc:title>
    <dc:language>fr-FR</dc:language>
    <dc:creator>Direction générale des douanes</dc:creator>
    <dc:publisher>DGDDI</dc:publisher>
    <dc:date>2021-06-01</dc:date>
    <dc:description>Les contrôles au port.</dc:description>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
    <item id="c1" href="text/ch%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="toc" href="toc.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="img" href="cover.png" media-type="image/png"/>
  </manifest>
  <spine><itemref idref="nav"/><itemref idref="toc"/><itemref idref="c1"/><itemref idref="img"/><itemref idref="c2"/></spine>
  <guide><reference type="toc" title="Table des matières" href="toc.xhtml"/></guide>
</package>`

func xhtml(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>x</title></head><body>` + body + `</body></html>`
}

// TestEPUB: the spine's documents in spine order (not manifest order), one
// document, sections from h1–h6 with their anchors, metadata from the OPF.
func TestEPUB(t *testing.T) {
	data := makeEPUB(t, epubContainer, epubOPF, map[string]string{
		"OEBPS/text/ch 1.xhtml": xhtml(`<h1 id="ch1">1 Contrôles au port</h1><p>Les agents contrôlent les conteneurs.</p><h2 id="s11">1.1 Scellés</h2><ul><li>vérifier le scellé</li></ul>`),
		"OEBPS/text/ch2.xhtml":  xhtml(`<h1 id="ch2">2 Coopération</h1><p>Échange d'informations avec la police.</p>`),
		"OEBPS/nav.xhtml":       xhtml(`<h1>Sommaire</h1><ol><li>not read: the navigation document</li></ol>`),
		"OEBPS/toc.xhtml":       xhtml(`<h1>Table des matières</h1><p>not read: the guide's table of contents</p>`),
		"OEBPS/style.css":       "body{}",
	})
	r := LoadFS(fstest.MapFS{"manuel.epub": {Data: data}}, ".")
	if len(r.Skipped) > 0 || len(r.Documents) != 1 {
		t.Fatalf("documents %d, skipped %v", len(r.Documents), r.Err())
	}
	d := r.Documents[0]
	if d.Document.Format != content.FormatEPUB || d.Document.Title != "Manuel des contrôles portuaires" || d.Document.Language != content.LanguageFrench || d.Document.Summary != "Les contrôles au port." {
		t.Errorf("document %+v", d.Document)
	}
	var got []string
	for _, s := range d.Sections {
		got = append(got, s.ID+"|"+s.Number+"|"+s.Path)
	}
	want := []string{"ch1|1|1 Contrôles au port", "s11|1.1|1 Contrôles au port › 1.1 Scellés", "ch2|2|2 Coopération"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sections\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Sections) == 3 && (!strings.Contains(d.Sections[1].Text, "vérifier le scellé") || strings.Contains(d.Sections[2].Text, "not read")) {
		t.Errorf("texts %q, %q", d.Sections[1].Text, d.Sections[2].Text)
	}
}

// TestEPUBBad: a corrupt or hostile EPUB is reported with its path and why.
func TestEPUBBad(t *testing.T) {
	ch := map[string]string{"OEBPS/text/ch 1.xhtml": xhtml(`<h1>1 A</h1><p>a</p>`), "OEBPS/text/ch2.xhtml": xhtml(`<p>b</p>`)}
	bomb := map[string]string{"OEBPS/text/ch 1.xhtml": xhtml(`<p>` + strings.Repeat("a", 3<<20) + `</p>`), "OEBPS/text/ch2.xhtml": xhtml(`<p>b</p>`)}
	good := makeEPUB(t, epubContainer, epubOPF, ch)
	for _, tc := range []struct {
		name string
		data []byte
		opts Options
		kind error
		says string
	}{
		{"truncated", good[:len(good)/2], Options{}, ErrCorrupt, "zip"},
		{"no container", makeEPUB(t, "", epubOPF, ch), Options{}, ErrWrongFormat, "not an EPUB"},
		{"bad opf", makeEPUB(t, epubContainer, "<package><manifest>", ch), Options{}, ErrCorrupt, "content.opf"},
		{"missing part", makeEPUB(t, epubContainer, epubOPF, map[string]string{"OEBPS/text/ch2.xhtml": xhtml(`<p>b</p>`)}), Options{}, ErrCorrupt, "ch 1.xhtml is missing"},
		{"bomb", makeEPUB(t, epubContainer, epubOPF, bomb), Options{MaxUncompressed: 1 << 20}, ErrTooLarge, "limit"},
		{"part too large", makeEPUB(t, epubContainer, epubOPF, bomb), Options{MaxFileSize: 2 << 20}, ErrTooLarge, "one part"},
		{"too many entries", good, Options{MaxZipEntries: 3}, ErrTooLarge, "entries"},
		{"not a zip", []byte("plain text"), Options{}, ErrWrongFormat, "not an EPUB as its extension says"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := Load(t.Context(), fstest.MapFS{"dir/book.epub": {Data: tc.data}}, ".", tc.opts)
			if len(r.Skipped) != 1 || len(r.Documents) != 0 {
				t.Fatalf("documents %d, skipped %v", len(r.Documents), r.Skipped)
			}
			e := r.Skipped[0]
			if e.Path != "dir/book.epub" || !errors.Is(e, tc.kind) || !strings.Contains(e.Error(), tc.says) {
				t.Errorf("%v (path %s), want %v saying %q", e, e.Path, tc.kind, tc.says)
			}
		})
	}
}

func FuzzEPUB(f *testing.F) {
	f.Add(makeEPUB(f, epubContainer, epubOPF, map[string]string{"OEBPS/text/ch 1.xhtml": xhtml(`<h1>1 A</h1><p>a</p>`), "OEBPS/text/ch2.xhtml": xhtml(`<p>b</p>`)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseEPUB("fuzz", data, Options{MaxUncompressed: 8 << 20, MaxFileSize: 1 << 20})
	})
}
