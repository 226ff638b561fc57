package ingest

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// onlyExt shows only the files with one extension (and every folder).
type onlyExt struct {
	fs.FS
	ext string
}

func (o onlyExt) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, name)
	kept := entries[:0]
	for _, e := range entries {
		if e.IsDir() || strings.EqualFold(pathExt(e.Name()), o.ext) {
			kept = append(kept, e)
		}
	}
	return kept, err
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// BenchmarkLoadCorpora measures loading the shared corpora, one format at a
// time, in pages/s (PDF) or documents/s, and MB/s of extracted text:
//
//	go test ./content -run '^$' -bench LoadCorpora -benchtime 3x
func BenchmarkLoadCorpora(b *testing.B) {
	dir := corpora(b)
	for _, ext := range []string{".pdf", ".docx", ".html", ".txt", ".md"} {
		b.Run(strings.TrimPrefix(ext, "."), func(b *testing.B) {
			fsys := onlyExt{os.DirFS(dir), ext}
			var docs, pages, text int
			// One untimed run starts PDFium, as a long-running indexer would.
			if _, err := Load(context.Background(), fsys, ".", Options{}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				r, err := Load(context.Background(), fsys, ".", Options{})
				if err != nil || len(r.Skipped) > 0 || len(r.Documents) == 0 {
					b.Fatalf("err %v, skipped %v, %d documents", err, r.Err(), len(r.Documents))
				}
				docs, pages, text = len(r.Documents), r.Pages(), 0
				for _, d := range r.Documents {
					for _, s := range d.Sections {
						text += len(s.Text)
					}
				}
			}
			secs := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(docs)/secs, "docs/s")
			if ext == ".pdf" {
				b.ReportMetric(float64(pages)/secs, "pages/s")
			}
			b.ReportMetric(float64(text)/1e6/secs, "MB_text/s")
			b.ReportMetric(float64(text)/1e6, "MB_text")
		})
	}
}
