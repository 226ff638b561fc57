package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// bigDocuments are files of each format (but PDF, whose engine has its own
// timeout test) that take seconds to read.
func bigDocuments(t testing.TB, size int) map[string][]byte {
	t.Helper()
	var md, txt, html, docxBody strings.Builder
	md.WriteString("# Big\n\n")
	txt.WriteString("BIG\n===\n\n")
	html.WriteString("<html><body><h1>Big</h1>")
	for i := 0; md.Len() < size || txt.Len() < size || html.Len() < size || docxBody.Len() < size; i++ {
		line := fmt.Sprintf("Customs officers check container %d at the border crossing point.", i)
		if md.Len() < size {
			fmt.Fprintf(&md, "- %s\n  - *nested* %s\n\n", line, line)
		}
		if txt.Len() < size {
			fmt.Fprintf(&txt, "%s\n\n", line)
		}
		if html.Len() < size {
			fmt.Fprintf(&html, "<ul><li>%s</li><li><b>%s</b></li></ul>", line, line)
		}
		if docxBody.Len() < size {
			docxBody.WriteString(para("", line))
		}
	}
	return map[string][]byte{
		"big.md":   []byte(md.String()),
		"big.txt":  []byte(txt.String()),
		"big.html": []byte(html.String()),
		"big.docx": makeDOCX(t, docxBody.String(), "", ""),
	}
}

// TestTimeoutStopsTheLoaders gives each loader a file that takes about a
// second to read, first without a timeout, then with one of 50 ms: the file
// is then reported as a timeout, soon after the timeout rather than once
// read.
func TestTimeoutStopsTheLoaders(t *testing.T) {
	if testing.Short() {
		t.Skip("reads large files")
	}
	for name, data := range bigDocuments(t, 24<<20) {
		t.Run(name, func(t *testing.T) {
			files := fstest.MapFS{name: {Data: data}}
			start := time.Now()
			r, err := Load(context.Background(), files, ".", Options{})
			full := time.Since(start)
			if err != nil || len(r.Documents) != 1 {
				t.Fatalf("without a timeout: %v %v", err, r.Err())
			}
			start = time.Now()
			r, err = Load(context.Background(), files, ".", Options{Timeout: 50 * time.Millisecond})
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Skipped) != 1 || !errors.Is(r.Skipped[0], ErrTimeout) {
				t.Fatalf("%d documents, skipped %v; want a timeout", len(r.Documents), r.Err())
			}
			t.Logf("%d bytes: read in %v, stopped after %v: %v", len(data), full, took, r.Skipped[0])
			// Under the race detector everything runs several times slower:
			// the bound relative to the whole file still holds.
			if took > full/3 || !raceEnabled && took > time.Second {
				t.Errorf("stopped after %v with a timeout of 50ms; the whole file takes %v", took, full)
			}
		})
	}
}

// TestCancelStopsTheLoaders cancels the context of a run (as SIGTERM does)
// while a file is read: Load returns soon, the file reported as stopped.
func TestCancelStopsTheLoaders(t *testing.T) {
	if testing.Short() {
		t.Skip("reads large files")
	}
	files := fstest.MapFS{}
	for name, data := range bigDocuments(t, 24<<20) {
		files[name] = &fstest.MapFile{Data: data}
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	r, err := Load(ctx, files, ".", Options{})
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	for _, e := range r.Skipped {
		if !errors.Is(e, ErrTimeout) {
			t.Errorf("skipped %v, want a timeout", e)
		}
	}
	if len(r.Documents)+len(r.Skipped) == len(files) && len(r.Skipped) == 0 {
		t.Errorf("every file was read")
	}
	bound := 800 * time.Millisecond
	if raceEnabled { // several times slower; reading every file takes far longer still
		bound = 4 * time.Second
	}
	if took > bound {
		t.Errorf("the load took %v after a cancel at 200ms", took)
	}
}
