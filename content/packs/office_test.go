package packs_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handbook/content/packs"
	"handbook/content/store"
)

// libreOffice converts a DOCX with LibreOffice (--convert-to filter, to a
// file ending in ext) and returns what it wrote. It skips where LibreOffice
// is not installed, and fails so under CI, which installs it.
func libreOffice(t *testing.T, docx []byte, filter, ext string) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui")
		}
		t.Skip("LibreOffice is not installed (Debian package libreoffice-writer-nogui); skipping the check of the DOCX as it reads it")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "pack.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", filter, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice could not convert the DOCX: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(dir, "pack."+ext))
	if err != nil {
		t.Fatalf("LibreOffice wrote no %s: %v", ext, err)
	}
	return out
}

// TestDOCXOpensInLibreOffice converts the DOCX export with LibreOffice and
// reads the result back: the file a trainer hands out must open.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	p := examplePack(t)
	var buf bytes.Buffer
	if err := packs.Export(&buf, p, packs.FormatDOCX, packs.ExportOptions{Link: link, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, libreOffice(t, buf.Bytes(), "pdf", "pdf"))
	for _, want := range []string{"Contrôles douaniers", "Lire avant la séance.", "partager les canaux radio"} {
		if !bytes.Contains([]byte(text), []byte(want)) {
			t.Errorf("the DOCX as LibreOffice reads it lacks %q", want)
		}
	}
}

// TestDOCXListNumbersInLibreOffice reads the DOCX export as LibreOffice
// numbers it: each section's numbered list and the bibliography after them
// start at 1.
func TestDOCXListNumbersInLibreOffice(t *testing.T) {
	text := string(libreOffice(t, exportDOCX(t, numberedPack(t)), "txt:Text (encoded):UTF8", "txt"))
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	want := map[string][]string{
		"Steps:":       {"1. select", "2. inspect", "3. record", "4. report"},
		"Bibliography": {"1. WCO. Port Handbook.", "2. WCO. Airport Handbook.", "3. WCO. Border Handbook."},
	}
	found := map[string]int{}
	for i, l := range lines {
		items, ok := want[l]
		if !ok {
			continue
		}
		found[l]++
		for j, item := range items {
			if i+1+j >= len(lines) || !strings.HasPrefix(lines[i+1+j], item) {
				t.Errorf("after %q (number %d of them), line %d is not %q:\n%s", l, found[l], j+1, item, strings.Join(lines[i+1:min(len(lines), i+1+len(items))], "\n"))
				break
			}
		}
	}
	if found["Steps:"] != 3 || found["Bibliography"] != 1 {
		t.Errorf("LibreOffice's text has %d step lists and %d bibliographies, want 3 and 1:\n%s", found["Steps:"], found["Bibliography"], text)
	}
}

// BenchmarkExport50 measures exporting a 50-item pack in each format.
func BenchmarkExport50(b *testing.B) {
	p := &store.Pack{ID: "x", Title: "Fifty sections", Description: "Benchmark pack", Objectives: []string{"One", "Two"}}
	long := ""
	for range 12 {
		long += "Officers select containers with risk indicators such as a new consignee, an unusual route and a price far below the market. "
	}
	long += "\n\n- first step of the checklist\n- second step of the checklist\n\nRole | Task\nCustoms | Selection"
	for i := range 50 {
		s := section(i)
		s.Text = long
		p.Items = append(p.Items, store.Item{ID: "i", DocID: "port", SectionID: "s", Position: i + 1, Note: "Discuss.", Group: []string{"Day 1", "Day 2"}[i/25], Cited: s, Status: packs.StatusCurrent})
	}
	for _, format := range []string{packs.FormatMarkdown, packs.FormatHTML, packs.FormatDOCX, packs.FormatPDF} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := packs.Export(&buf, p, format, packs.ExportOptions{Link: link}); err != nil || buf.Len() < 10000 {
					b.Fatalf("%v, %d bytes", err, buf.Len())
				}
			}
		})
	}
}
