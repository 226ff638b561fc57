package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileEnv names the folder a child process of TestHostileContent loads.
const hostileEnv = "HANDBOOK_HOSTILE_DIR"

// TestMain lets TestHostileContent load a folder in a child process (the test
// binary re-executed with HANDBOOK_HOSTILE_DIR set), so that the child's own
// peak RSS can be measured.
func TestMain(m *testing.M) {
	if dir := os.Getenv(hostileEnv); dir != "" {
		os.Exit(hostileChild(dir))
	}
	os.Exit(m.Run())
}

// hostileDoc and hostileReport are what the child prints of a Load.
type hostileDoc struct {
	Sections, Bytes int
	Head, Tail      string
}

type hostileReport struct {
	Docs    map[string]hostileDoc
	Skipped map[string]string
	Seconds float64
}

func summarize(r *Report, d time.Duration) hostileReport {
	out := hostileReport{Docs: map[string]hostileDoc{}, Skipped: map[string]string{}, Seconds: d.Seconds()}
	for _, l := range r.Documents {
		h := hostileDoc{Sections: len(l.Sections)}
		for _, s := range l.Sections {
			h.Bytes += len(s.Text)
		}
		if n := len(l.Sections); n > 0 {
			first, last := l.Sections[0].Text, l.Sections[n-1].Text
			h.Head, h.Tail = first[:min(len(first), 100)], last[max(0, len(last)-100):]
		}
		out.Docs[l.Document.Source] = h
	}
	for _, e := range r.Skipped {
		out.Skipped[e.Path] = e.Error()
	}
	return out
}

// hostileChild loads dir twice, through DirFS and through os.DirFS (the
// latter only for the small files: it cannot see escapes, but must not hang
// or read what is not a regular file), and prints both reports as JSON.
func hostileChild(dir string) int {
	// A safety net, should the loaders regress: the child dies rather than
	// take the machine's memory.
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: 6 << 30, Max: 6 << 30})
	// A loader that hangs on hostile input fails here rather than hold the
	// run; the bound is generous, as a loaded machine (a CI runner beside
	// other jobs) is slow. How fast loading is belongs to the benchmarks.
	ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
	defer cancel()
	var reports []hostileReport
	start := time.Now()
	r, err := Load(ctx, DirFS(dir), ".", Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	reports = append(reports, summarize(r, time.Since(start)))
	start = time.Now()
	small := func(p string) bool { return !strings.HasPrefix(p, "big") && !strings.HasPrefix(p, "bomb") }
	r, err = Load(ctx, os.DirFS(dir), ".", Options{Select: small})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	reports = append(reports, summarize(r, time.Since(start)))
	if err := json.NewEncoder(os.Stdout).Encode(reports); err != nil {
		return 1
	}
	return 0
}

// hostileCase is a file of the hostile folder: loaded with probe in its
// text, or skipped with reason in the message.
type hostileCase struct {
	name          string
	probe, reason string
	escapes       bool // only DirFS can tell (os.DirFS follows the link)
}

// writeHostile fills dir with hostile files and a few normal ones.
func writeHostile(t *testing.T, dir string) []hostileCase {
	t.Helper()
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
	outside := filepath.Join(filepath.Dir(dir), "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.md"), []byte("# Secret\n\nNot for the index.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(outside, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Normal documents.
	write("guide.md", []byte("---\ntitle: Guide\nlang: en\n---\n## 1 Scope\n\nControlled delivery of cargo.\n"))
	write("notes.txt", []byte("NOTES\n=====\n\nPort checks of containers.\n"))
	write("page.html", []byte(`<html><head><title>Page</title></head><body><h1>Risk</h1><p>Risk indicators for couriers.</p></body></html>`))
	write("letter.docx", makeDOCX(t, para("Heading1", "1 Scope")+para("", "Mutual assistance between customs."), "", ""))
	link("guide.md", "alias.md")

	// Deep nesting in every format.
	write("deep-list.md", []byte("# LI\n\n"+strings.Repeat("- ", 50000)+"deep item\n"))
	write("deep-ordered.md", []byte("# OL\n\n"+strings.Repeat("1. ", 30000)+"deep number\n"))
	write("deep-quote.md", []byte("# BQ\n\n"+strings.Repeat("> ", 50000)+"deep quote\n"+strings.Repeat("lazy\n", 20000)))
	write("deep-mixed.md", []byte("# MX\n\n"+strings.Repeat("- > ", 25000)+"deep mixed\n"))
	write("deep-div.html", []byte("<html><body><h1>Div</h1>"+strings.Repeat("<div>", 100000)+"deep div"))
	write("deep-list.html", []byte("<html><body><h1>UL</h1>"+strings.Repeat("<ul><li>", 50000)+"deep li"))
	write("nested-list.html", []byte("<html><body><h1>UL</h1>"+strings.Repeat("<ul><li>x", 250)+"nested li"))
	write("deep-table.docx", makeDOCX(t, strings.Repeat("<w:tbl><w:tr><w:tc>", 500)+para("", "deep cell")+strings.Repeat("</w:tc></w:tr></w:tbl>", 500), "", ""))
	numPr := `<w:p><w:pPr><w:numPr><w:ilvl w:val="100000000"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>deep level</w:t></w:r></w:p>`
	write("deep-level.docx", makeDOCX(t, para("Heading1", "Levels")+strings.Repeat(numPr, 20), "", ""))

	// Big and bombs: a text file under the size limit, a sparse file over
	// it, a DOCX that unpacks to just under the limit and one beyond it.
	var big bytes.Buffer
	big.WriteString("BIG\n===\n\n")
	for i := 0; big.Len() < 60<<20; i++ {
		fmt.Fprintf(&big, "Customs officers check container %d at the border crossing point.\n", i)
		if i%7 == 6 {
			big.WriteString("\n")
		}
	}
	big.WriteString("\nlast big line\n")
	write("big.txt", big.Bytes())
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 * MaxFileSize); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	write("bomb-under.docx", docxOfSize(t, DefaultMaxUncompressed-(8<<20)))
	write("bomb-over.docx", zipBomb(t, DefaultMaxUncompressed+(1<<20)))

	// Links out of the folder, loops, special files.
	link("/etc/passwd", "passwd.txt")
	link(filepath.Join(outside, "secret.md"), "secret.md")
	link("../outside/secret.md", "relative.md")
	link(filepath.Join(outside, "pipe.txt"), "outside-pipe.txt")
	link("loop.md", "loop.md")
	link("pong.md", "ping.md")
	link("ping.md", "pong.md")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("pipe.txt", "pipe-link.md")

	return []hostileCase{
		{name: "guide.md", probe: "Controlled delivery"},
		{name: "notes.txt", probe: "Port checks"},
		{name: "page.html", probe: "Risk indicators"},
		{name: "letter.docx", probe: "Mutual assistance"},
		{name: "alias.md", probe: "Controlled delivery"},
		{name: "deep-list.md", probe: "deep item"},
		{name: "deep-ordered.md", probe: "deep number"},
		{name: "deep-quote.md", probe: "lazy"},
		{name: "deep-mixed.md", probe: "deep mixed"},
		{name: "deep-div.html", reason: "nests elements more than 512 deep"},
		{name: "deep-list.html", reason: "nests elements more than 512 deep"},
		{name: "nested-list.html", probe: "nested li"},
		{name: "deep-table.docx", reason: "nested too deep"},
		{name: "deep-level.docx", probe: "deep level"},
		{name: "big.txt", probe: "last big line"},
		{name: "huge.txt", reason: "larger than the limit"},
		{name: "bomb-under.docx", probe: "port of entry"},
		{name: "bomb-over.docx", reason: "more than the limit"},
		{name: "passwd.txt", reason: "outside the content folder", escapes: true},
		{name: "secret.md", reason: "outside the content folder", escapes: true},
		{name: "relative.md", reason: "outside the content folder", escapes: true},
		{name: "outside-pipe.txt", reason: "outside the content folder", escapes: true},
		{name: "loop.md", reason: "symlink loop"},
		{name: "ping.md", reason: "symlink loop"},
		{name: "pong.md", reason: "symlink loop"},
		{name: "pipe.txt", reason: "named pipe"},
		{name: "pipe-link.md", reason: "named pipe"},
	}
}

// docxOfSize is a .docx whose document.xml unpacks to about n bytes of
// ordinary paragraphs (a few hundred KiB compressed).
func docxOfSize(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	const head = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	const tail = `</w:body></w:document>`
	p := []byte(strings.Repeat(para("", "Customs officers inspect the containers at the port of entry and record what they find."), 64))
	written, _ := w.Write([]byte(head))
	for written+len(p)+len(tail) < n {
		k, err := w.Write(p)
		if err != nil {
			t.Fatal(err)
		}
		written += k
	}
	if _, err := w.Write([]byte(tail)); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileContent loads a folder of hostile files (deep nesting in every
// format, decompression bombs, a file over the size limit, links out of the
// folder, link loops, named pipes) beside normal documents, in a child
// process: the load finishes, every hostile file is reported with its
// reason, the normal ones are indexed, and the child's peak RSS stays under
// the budget.
func TestHostileContent(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 330 MB of hostile files and loads them in a child process")
	}
	if raceEnabled {
		t.Skip("under the race detector a peak-RSS budget means nothing (and the child runs for minutes); make test runs this test again without -race")
	}
	const budgetKiB = 1 << 20 // 1 GiB, with the default Options
	dir := filepath.Join(t.TempDir(), "kb")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := writeHostile(t, dir)

	ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), hostileEnv+"="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	var rssKiB int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rssKiB = ru.Maxrss
		}
	}
	t.Logf("child: %v, peak RSS %d MiB", elapsed.Round(time.Millisecond), rssKiB>>10)
	if err != nil {
		t.Fatalf("child: %v\n%s", err, tail(stderr.String(), 4000))
	}
	var reports []hostileReport
	if err := json.Unmarshal(stdout.Bytes(), &reports); err != nil || len(reports) != 2 {
		t.Fatalf("child output %q: %v", tail(stdout.String(), 2000), err)
	}
	if rssKiB > budgetKiB {
		t.Errorf("peak RSS %d MiB, more than the budget of %d MiB", rssKiB>>10, budgetKiB>>10)
	}

	for i, name := range []string{"DirFS", "os.DirFS"} {
		r := reports[i]
		t.Run(name, func(t *testing.T) {
			t.Logf("load took %.1fs", r.Seconds)
			known := map[string]bool{}
			for _, c := range cases {
				known[c.name] = true
				if i == 1 && (strings.HasPrefix(c.name, "big") || strings.HasPrefix(c.name, "bomb")) {
					continue
				}
				doc, loaded := r.Docs[c.name]
				msg, skipped := r.Skipped[c.name]
				switch {
				case c.escapes && i == 1:
					// os.DirFS follows the link; only its kind is checked.
					if strings.Contains(c.name, "pipe") && !skipped {
						t.Errorf("%s: not skipped", c.name)
					}
				case c.probe != "":
					if !loaded {
						t.Errorf("%s: not loaded (%s)", c.name, msg)
					} else if !strings.Contains(doc.Head+doc.Tail, c.probe) {
						t.Errorf("%s: %q not in its text (%d sections, %d bytes: %q … %q)", c.name, c.probe, doc.Sections, doc.Bytes, doc.Head, doc.Tail)
					}
				default:
					if !skipped {
						t.Errorf("%s: not skipped (loaded: %v)", c.name, loaded)
					} else if !strings.Contains(msg, c.reason) {
						t.Errorf("%s: skipped with %q, want a reason with %q", c.name, msg, c.reason)
					}
				}
			}
			var extra []string
			for p, msg := range r.Skipped {
				if !known[p] {
					extra = append(extra, p+": "+msg)
				}
			}
			sort.Strings(extra)
			for _, e := range extra {
				t.Errorf("unexpected: %s", e)
			}
			if i == 0 {
				for p, d := range r.Docs {
					if d.Bytes > 0 && d.Sections > 0 && d.Bytes/d.Sections > 2*MaxSectionSize {
						t.Errorf("%s: %d bytes in %d sections, more than the section cap of %d", p, d.Bytes, d.Sections, MaxSectionSize)
					}
				}
			}
		})
	}
}

// hostileDeadline bounds the child's loading of the hostile folder.
const hostileDeadline = 3 * time.Minute

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

var _ interface {
	fs.FS
	fs.StatFS
} = dirFS("")
