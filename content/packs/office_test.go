package packs_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"handbook/content/packs"
)

// TestDOCXOpensInLibreOffice converts the DOCX export with LibreOffice and
// reads the result back: the file a trainer hands out must open.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui")
		}
		t.Skip("LibreOffice is not installed (Debian package libreoffice-writer-nogui); skipping the check that the DOCX opens")
	}
	p := examplePack(t)
	var buf bytes.Buffer
	if err := packs.Export(&buf, p, packs.FormatDOCX, packs.ExportOptions{BaseURL: "https://hb.example/", Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "pack.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice could not convert the DOCX: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "pack.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Contrôles douaniers", "Lire avant la séance.", "partager les canaux radio"} {
		if !bytes.Contains([]byte(text), []byte(want)) {
			t.Errorf("the DOCX as LibreOffice reads it lacks %q", want)
		}
	}
}

// BenchmarkExport50 measures exporting a 50-item pack in each format.
func BenchmarkExport50(b *testing.B) {
	p := &packs.Pack{ID: "x", Title: "Fifty sections", Description: "Benchmark pack", Objectives: []string{"One", "Two"}}
	long := ""
	for range 12 {
		long += "Officers select containers with risk indicators such as a new consignee, an unusual route and a price far below the market. "
	}
	long += "\n\n- first step of the checklist\n- second step of the checklist\n\nRole | Task\nCustoms | Selection"
	for i := range 50 {
		s := section(i)
		s.Text = long
		p.Items = append(p.Items, packs.Item{ID: "i", DocID: "port", SectionID: "s", Position: i + 1, Note: "Discuss.", Group: []string{"Day 1", "Day 2"}[i/25], Cited: s, Status: packs.StatusCurrent})
	}
	for _, format := range []string{packs.FormatMarkdown, packs.FormatHTML, packs.FormatDOCX, packs.FormatPDF} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := packs.Export(&buf, p, format, packs.ExportOptions{BaseURL: "https://hb.example"}); err != nil || buf.Len() < 10000 {
					b.Fatalf("%v, %d bytes", err, buf.Len())
				}
			}
		})
	}
}
