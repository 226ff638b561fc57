package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"handbook/indexer"
)

// generated writes n Markdown documents into a new folder, enough to keep a
// build busy for a few seconds.
func generated(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		doc := fmt.Sprintf("---\ntitle: Generated %d\nlang: en\n---\n## 1 Part\n%s\n\n## 2 More\n%s\n", i,
			strings.Repeat(fmt.Sprintf("word%d text about ports and cargo ", i), 40), strings.Repeat("more text ", 60))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc-%04d.md", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// child runs this package's main in a child process (see TestMain).
func child(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HANDBOOK_TEST_MAIN="+string(a))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// TestConcurrentIndexRunsOnOneDataFolder starts a second index run on a data
// folder while the first still builds: the second waits for the first,
// saying so, then builds itself; both succeed and the folder ends with one
// index that CURRENT names, that opens and answers.
func TestConcurrentIndexRunsOnOneDataFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two child processes; skipped in -short mode")
	}
	const n = 1500
	content, data := generated(t, n), t.TempDir()
	first, out1 := child(t, "index", "--data", data, "--content", content)
	// The first run is loading once its parse cache exists.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(data, "cache")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = first.Process.Kill()
			t.Fatalf("the first run never started: %s", out1)
		}
		time.Sleep(5 * time.Millisecond)
	}
	second, out2 := child(t, "index", "--data", data, "--content", content)
	err1, err2 := first.Wait(), second.Wait()
	if err1 != nil || err2 != nil {
		t.Fatalf("first run: %v\n%s\nsecond run: %v\n%s", err1, out1, err2, out2)
	}
	if want := "waiting for the build of pid " + strconv.Itoa(first.Process.Pid); !strings.Contains(out2.String(), want) {
		t.Errorf("the second run does not say %q:\n%s", want, out2)
	}
	cur, err := os.ReadFile(filepath.Join(data, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, strings.TrimSpace(string(cur)))); err != nil {
		t.Fatalf("CURRENT names %q: %v", cur, err)
	}
	idx, err := indexer.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	got := len(idx.Catalog)
	idx.Close()
	if got != n {
		t.Errorf("the index has %d documents, want %d", got, n)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"search", "--data", data, "--json", "word77"}, noEnv, &out, io.Discard); err != nil || !strings.Contains(out.String(), `"total": 1`) {
		t.Errorf("search: %v %s", err, out.String())
	}
	entries, _ := os.ReadDir(data)
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "index-") || e.Name() == "LOCK" {
			names = append(names, e.Name())
		}
	}
	if len(names) != 1 {
		t.Errorf("the data folder holds %v, want one index and no lock", names)
	}
}

// TestServeNeverFallsBackToTheSample: a data folder that was indexed from a
// content folder, then lost its index, is an error for serve without
// --content, never the sample served in its place.
func TestServeNeverFallsBackToTheSample(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, data, current string)
	}{
		{"CURRENT names a deleted index", func(t *testing.T, data, current string) {
			if err := os.RemoveAll(filepath.Join(data, current)); err != nil {
				t.Fatal(err)
			}
		}},
		{"CURRENT names a damaged index", func(t *testing.T, data, current string) {
			if err := os.RemoveAll(filepath.Join(data, current)); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(data, current, "store"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"CURRENT is gone", func(t *testing.T, data, current string) {
			if err := os.Remove(filepath.Join(data, "CURRENT")); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			if err := run(context.Background(), []string{"index", "--data", data, "--content", testContent}, noEnv, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			cur, err := os.ReadFile(filepath.Join(data, "CURRENT"))
			if err != nil {
				t.Fatal(err)
			}
			tc.damage(t, data, strings.TrimSpace(string(cur)))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout bytes.Buffer
			err = run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, noEnv, &stdout, io.Discard)
			if err == nil || ctx.Err() != nil || strings.Contains(stdout.String(), "serving") {
				t.Fatalf("serve: %v (%v) %q, want an error at once", err, ctx.Err(), stdout.String())
			}
			if !strings.Contains(err.Error(), "handbook index") {
				t.Errorf("the error does not say how to rebuild: %v", err)
			}
			if idx, err := indexer.Open(data); err == nil {
				src := idx.Source
				idx.Close()
				t.Errorf("the data folder now holds an index of %q", src)
			}
		})
	}
}
