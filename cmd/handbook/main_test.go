package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
	"handbook/search"
)

const testContent = "../../search/testdata/behaviour/docs"

func noEnv(string) string { return "" }

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "index", "search"} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{cmd, "--help"}, noEnv, &out, &errOut)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "Usage: handbook "+cmd) || !strings.Contains(errOut.String(), "-data") {
			t.Errorf("%s --help: err %v, output %q", cmd, err, errOut.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, noEnv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "handbook serve") {
		t.Errorf("--help: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, noEnv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Errorf("unknown command: %v", err)
	}
	if err := run(context.Background(), []string{"index", "--bogus"}, noEnv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestIndexThenSearch(t *testing.T) {
	data := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"index", "--data", data, "--content", testContent}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "indexed 6 documents") {
		t.Errorf("index summary: %q", out.String())
	}
	out.Reset()
	// The search command finds the index from the environment and prints the
	// JSON of /api/search.
	env := func(k string) string {
		if k == "HANDBOOK_DATA" {
			return data
		}
		return ""
	}
	if err := run(context.Background(), []string{"search", "--json", `"controlled delivery"`, "-cocaine"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var res search.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("search --json output: %v\n%s", err, out.String())
	}
	if res.Total != 1 || res.Hits[0].DocID != "wildlife" {
		t.Errorf("search result %+v", res)
	}
	// Queries are read forgivingly (an unclosed quote is text); one that is
	// not UTF-8 is still refused, with the reason.
	err := run(context.Background(), []string{"search", "--data", data, "port \xff"}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("bad query: %v", err)
	}
}

func TestIndexReportsBadFilesAndKeepsTheRest(t *testing.T) {
	data := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"index", "--data", data, "--content", "../../content/ingest/testdata/load"}, noEnv, &out, io.Discard)
	if !errors.Is(err, errSkipped) {
		t.Fatalf("index with bad files: %v, want errSkipped (exit status 3)", err)
	}
	for _, want := range []string{"indexed 2 documents", "skipped 2 files", `bad-year.md: field "year"`, `unknown-key.md: field "colour"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), []string{"index", "--data", data, "--content", "no/such/folder"}, noEnv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--content") {
		t.Errorf("missing content folder: %v", err)
	}
	// A file name cannot forge a line of the summary, nor send a terminal
	// an escape sequence.
	forged := t.TempDir()
	for name, text := range map[string]string{"ok.md": "# Port\n\nJoint checks at the port.\n", "x\nindexed 99 documents\n\x1b[2J.md": ""} {
		if err := os.WriteFile(filepath.Join(forged, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	_ = run(context.Background(), []string{"index", "--data", t.TempDir(), "--content", forged}, noEnv, &out, io.Discard)
	if strings.Contains(out.String(), "\nindexed 99") || strings.Contains(out.String(), "\x1b") || !strings.Contains(out.String(), `x\nindexed 99 documents\n\x1b[2J.md`) {
		t.Errorf("a file name forged the summary:\n%s", out.String())
	}
}

// TestServe starts the real server on a loopback port, searches it, and
// stops it as SIGINT would.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", testContent}, noEnv, io.Discard, io.Discard)
	}()
	var resp *http.Response
	for i := 0; i < 100; i++ {
		resp, err = http.Get("http://" + addr + "/api/search?q=ivory")
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server did not answer: %v", err)
	}
	var res search.Result
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || res.Total != 1 {
		t.Errorf("search over HTTP: %v %+v", err, res)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestBackup(t *testing.T) {
	data := t.TempDir()
	users, err := store.Open(filepath.Join(data, userDB))
	if err != nil {
		t.Fatal(err)
	}
	title := "Kept safe"
	p, err := users.Create(context.Background(), "ann", store.PackInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	// The store stays open, as in a running server.
	defer users.Close()
	out := filepath.Join(t.TempDir(), "backup.db")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--data", data, "--out", out}, noEnv, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	copy, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if got, err := copy.Get(context.Background(), "ann", p.ID); err != nil || got.Title != title {
		t.Errorf("backup holds %+v, %v", got, err)
	}
	if err := run(context.Background(), []string{"backup", "--data", data, "--out", out}, noEnv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}

// TestIncrementalIndex re-indexes a folder after one file changed, one was
// added and one deleted: only the changed and added files are read again, and
// the deleted one's sections are gone.
func TestIncrementalIndex(t *testing.T) {
	content, data := t.TempDir(), t.TempDir()
	write := func(name, title, text string) {
		doc := "---\ntitle: " + title + "\nlang: en\n---\n## 1 Part\n" + text + "\n"
		if err := os.WriteFile(filepath.Join(content, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "Alpha", "alpha text about ports")
	write("b.md", "Bravo", "bravo text about cash")
	write("c.md", "Charlie", "charlie text about ivory")
	index := func() string {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"index", "--data", data, "--content", content}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if out := index(); !strings.Contains(out, "indexed 3 documents (3 read, 0 unchanged") {
		t.Fatalf("first run: %s", out)
	}
	if out := index(); !strings.Contains(out, "indexed 3 documents (0 read, 3 unchanged") {
		t.Errorf("unchanged run: %s", out)
	}
	time.Sleep(10 * time.Millisecond) // a distinct modification time
	write("b.md", "Bravo", "bravo text about couriers now")
	write("d.md", "Delta", "delta text about timber")
	if err := os.Remove(filepath.Join(content, "c.md")); err != nil {
		t.Fatal(err)
	}
	if out := index(); !strings.Contains(out, "indexed 3 documents (2 read, 1 unchanged") {
		t.Errorf("after changes: %s", out)
	}
	search := func(q string) uint64 {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"search", "--data", data, "--json", q}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var res struct{ Total uint64 }
		_ = json.Unmarshal(out.Bytes(), &res)
		return res.Total
	}
	for q, want := range map[string]uint64{"couriers": 1, "cash": 0, "ivory": 0, "timber": 1, "ports": 1} {
		if got := search(q); got != want {
			t.Errorf("%s: %d hits, want %d", q, got, want)
		}
	}
}

// TestIndexSummaryListsIgnoredFiles: a file no loader reads is not an error
// (the index exits 0) but the summary names it, grouped by reason and
// extension, its name escaped like a skipped file's.
func TestIndexSummaryListsIgnoredFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"manual.md":            "# Port\n\nJoint checks at the port.\n",
		"a.css":                "body{}",
		"b.css":                "p{}",
		"sub/c.CSS":            "h1{}",
		"manual.info":          "Info",
		"manual.dvi":           "dvi",
		"README":               "no extension",
		".hidden.css":          "hidden files stay out",
		"catalog.yaml":         "",
		"x\n\x1b[2Jforged.gif": "GIF8",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"index", "--data", t.TempDir(), "--content", dir}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("index: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"ignored 7 files:",
		"  not a supported format: 3 × .css, 1 × (no extension), 1 × .dvi, 1 × .gif, 1 × .info\n",
		"    .css: a.css, b.css, sub/c.CSS\n",
		`x\n\x1b[2Jforged.gif`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), ".hidden") || strings.Contains(out.String(), "catalog.yaml") || strings.Contains(out.String(), "\x1b") {
		t.Errorf("summary lists a hidden or metadata file, or an unescaped name:\n%s", out.String())
	}
}
