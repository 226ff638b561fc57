package library_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"handbook/content"
	"handbook/content/library"
)

func zipWith(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		f, _ := z.Create(n)
		if n == "mimetype" {
			_, _ = f.Write([]byte("application/epub+zip"))
		} else {
			_, _ = f.Write([]byte("<x/>"))
		}
	}
	_ = z.Close()
	return b.Bytes()
}

// TestDetect checks the type of an upload from its bytes: the name only
// chooses among the text formats, and a name that says another format than
// the content is a refusal.
func TestDetect(t *testing.T) {
	docx := zipWith(t, "[Content_Types].xml", "word/document.xml")
	tests := []struct {
		name, file string
		data       []byte
		want, code string
	}{
		{"pdf", "report.pdf", []byte("%PDF-1.7\n..."), "pdf", ""},
		{"pdf without a name's extension", "report", []byte("%PDF-1.4\n"), "pdf", ""},
		{"docx", "memo.docx", docx, "docx", ""},
		{"docx named .pdf", "memo.pdf", docx, "", library.CodeMislabelled},
		{"epub", "book.epub", zipWith(t, "mimetype", "content.opf"), "epub", ""},
		{"a zip named .pdf", "report.pdf", zipWith(t, "notes.txt"), "", library.CodeMislabelled},
		{"a zip named .docx", "report.docx", zipWith(t, "notes.txt"), "", library.CodeMislabelled},
		{"a zip without a name", "archive", zipWith(t, "notes.txt"), "", library.CodeWrongType},
		{"a PNG named .pdf", "scan.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "", library.CodeMislabelled},
		{"html", "page.htm", []byte("<!DOCTYPE html><html><title>T</title></html>"), "html", ""},
		{"html without a name", "page", []byte("<html><body>x</body></html>"), "html", ""},
		{"html named .md reads as Markdown", "page.md", []byte("<html><body>x</body></html>"), "markdown", ""},
		{"markdown", "notes.md", []byte("---\ntitle: x\n---\n# Hi\n"), "markdown", ""},
		{"markdown without a name", "notes", []byte("# Heading\ntext\n"), "markdown", ""},
		{"text", "notes.txt", []byte("Plain text, no headings.\n"), "text", ""},
		{"text named .pdf", "notes.pdf", []byte("Plain text.\n"), "", library.CodeMislabelled},
		{"latin-1 text", "notes.txt", []byte("caf\xe9 cr\xe8me\n"), "", library.CodeNotUTF8},
		{"empty", "notes.txt", nil, "", library.CodeEmpty},
		{"binary", "blob.bin", []byte{0, 1, 2, 3, 0xff, 0xfe}, "", library.CodeWrongType},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, string(rune('a'+i)))
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := library.Detect(p, tc.file)
			var r *library.Refusal
			switch {
			case tc.code == "" && (err != nil || got != tc.want):
				t.Errorf("Detect = %q, %v; want %q", got, err, tc.want)
			case tc.code != "" && (!errors.As(err, &r) || r.Code != tc.code):
				t.Errorf("Detect = %q, %v; want the refusal %s", got, err, tc.code)
			}
		})
	}
}

// FuzzDetect: any bytes under any name give a format or a refusal, never a
// panic; a format is one the loaders read.
func FuzzDetect(f *testing.F) {
	f.Add([]byte("%PDF-1.7"), "a.pdf")
	f.Add(zipWith(f, "word/document.xml"), "a.docx")
	f.Add([]byte("PK\x03\x04garbage"), "a.pdf")
	f.Add([]byte("<html>"), "a")
	f.Add([]byte("# x"), "a.md")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := library.Detect(p, name)
		var r *library.Refusal
		if err != nil && !errors.As(err, &r) {
			t.Fatalf("Detect(%q) = %v, not a refusal", name, err)
		}
		if err == nil && library.Extensions[got] == "" {
			t.Fatalf("Detect(%q) = %q, not a format", name, got)
		}
	})
}

func TestStateApply(t *testing.T) {
	docs := []content.Loaded{{Document: content.Document{ID: "old", Status: "current"}}, {Document: content.Document{ID: "gone"}}, {Document: content.Document{ID: "new", Status: "current"}}}
	st := library.State{Superseded: map[string]string{"old": "new"}, Withdrawn: map[string]library.Withdrawal{"gone": {}}}
	out := st.Apply(docs)
	if len(out) != 2 || out[0].Document.Status != content.StatusSuperseded || out[0].Document.SupersededBy != "new" || out[1].Document.ID != "new" || out[1].Document.Status != "current" {
		t.Errorf("Apply = %+v", out)
	}
	if docs[0].Document.Status != "current" || len(docs) != 3 {
		t.Errorf("Apply changed its input: %+v", docs)
	}
	dir := t.TempDir()
	st, err := library.ReadState(dir)
	if err != nil || len(st.Withdrawn) != 0 {
		t.Fatalf("no state file: %+v %v", st, err)
	}
	if err := os.WriteFile(filepath.Join(dir, library.StateFile), []byte("{not json"), 0o644); err == nil {
		if _, err := library.ReadState(dir); err == nil {
			t.Error("a broken state file was read")
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{50 << 20: "50 MB", 50_000_000: "50 MB", 64 << 10: "64 KB", 64_000: "64 KB", 1500: "1.5 KB", 12: "12 bytes"} {
		if got := library.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
