package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"handbook/content/ingest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// indexBudgetMiB is the peak RSS that `handbook index` may reach on the
// hostile folder of TestIndexHostileFolder, with the default limits: bombs
// and nesting beyond the limits, which must cost nothing, beside large
// files under them (16 MB of text, 8 MB of nested lists, a DOCX that
// unpacks to 32 MiB), all held in memory together before they are indexed.
// The loaders' own figures at each limit are content's TestHostileContent
// and the README's. Measured: about 1,050 MiB (a file at the inflation
// limit costs up to that limit's worth of text before it is refused).
const indexBudgetMiB = 1536

// TestIndexHostileFolder runs the real `index` in a child process on a
// folder of hostile files beside normal ones: it finishes (exit status 3,
// files skipped), reports each hostile file with its reason, indexes the
// normal ones, and its peak RSS, read from the process's own accounting,
// stays under indexBudgetMiB.
func TestIndexHostileFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and indexes about 60 MB of hostile files")
	}
	if raceEnabled {
		t.Skip("under the race detector a peak-RSS budget means nothing (and the child runs for minutes); make test runs this test again without -race")
	}
	root := t.TempDir()
	dir, outside := filepath.Join(root, "content"), filepath.Join(root, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("guide.md", []byte("---\ntitle: Guide\nlang: en\n---\n## 1 Scope\n\nControlled delivery of cargo.\n"))
	write("notes.txt", []byte("NOTES\n=====\n\nPort checks of containers.\n"))
	write("page.html", []byte(`<html><head><title>Page</title></head><body><h1>Risk</h1><p>Risk indicators for couriers.</p></body></html>`))
	write("deep-list.md", []byte("# LI\n\n"+strings.Repeat("- ", 50000)+"deep item\n"))
	var lists bytes.Buffer
	lists.WriteString("# Lists\n\n")
	for lists.Len() < 8<<20 {
		lists.WriteString(strings.Repeat("  ", lists.Len()%40) + "- nested item of a long list\n")
	}
	write("lists.md", lists.Bytes())
	write("deep-div.html", []byte("<html><body><h1>Div</h1>"+strings.Repeat("<div>", 100000)+"deep div"))
	var big bytes.Buffer
	big.WriteString("BIG\n===\n\n")
	for i := 0; big.Len() < 16<<20; i++ {
		fmt.Fprintf(&big, "Customs officers check container %d at the border crossing point.\n", i)
		if i%7 == 6 {
			big.WriteString("\n")
		}
	}
	write("big.txt", big.Bytes())
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 * ingest.MaxFileSize); err != nil { // sparse: nothing on disk
		t.Fatal(err)
	}
	f.Close()
	write("bomb-under.docx", hostileDOCX(t, 32<<20, "Customs officers inspect the containers at the port of entry and record what they find."))
	write("bomb-over.docx", hostileDOCX(t, ingest.DefaultMaxUncompressed+(4<<20), strings.Repeat("a", 4000)))
	if err := os.WriteFile(filepath.Join(outside, "secret.md"), []byte("# Secret\n\nNot for the index.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("/etc/passwd", "passwd.txt")
	link(filepath.Join(outside, "secret.md"), "secret.md")
	link("loop.md", "loop.md")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	args, _ := json.Marshal([]string{"index", "--data", data, "--content", dir})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HANDBOOK_TEST_MAIN="+string(args))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("index exit status %d (%v), want 3 (files skipped):\n%s", code, err, tail(out.String(), 3000))
	}
	rssMiB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10
	t.Logf("index of the hostile folder: peak RSS %d MiB", rssMiB)
	if rssMiB > indexBudgetMiB {
		t.Errorf("peak RSS %d MiB, more than the budget of %d MiB", rssMiB, indexBudgetMiB)
	}
	for _, want := range []string{
		"indexed 7 documents",
		"deep-div.html: ", "nests elements more than 512 deep",
		"huge.txt: ", "larger than the limit",
		"bomb-over.docx: ",
		"passwd.txt: ", "secret.md: ", "outside the content folder",
		"loop.md: ", "pipe.txt: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, tail(out.String(), 3000))
		}
	}
	if strings.Contains(out.String(), "root:") {
		t.Error("/etc/passwd was read")
	}
}

// hostileDOCX is a .docx whose document.xml unpacks to about n bytes of
// paragraphs of text (compressing well: a small file).
func hostileDOCX(t *testing.T, n int, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	ct, _ := z.Create("[Content_Types].xml")
	ct.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	head := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	p := []byte(strings.Repeat(`<w:p><w:r><w:t>`+text+`</w:t></w:r></w:p>`, 64))
	written, _ := w.Write([]byte(head))
	for written+len(p) < n {
		k, err := w.Write(p)
		if err != nil {
			t.Fatal(err)
		}
		written += k
	}
	w.Write([]byte(`</w:body></w:document>`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }
