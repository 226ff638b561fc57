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
	"strings"
	"testing"
	"time"

	"handbook/indexer"
)

// TestMain lets a test run this package's main in a child process (the
// test binary re-executed with HANDBOOK_TEST_MAIN set to the arguments as
// JSON), so a test can kill a real index run.
func TestMain(m *testing.M) {
	if args := os.Getenv("HANDBOOK_TEST_MAIN"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		os.Args = append([]string{"handbook"}, a...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilledIndexRunKeepsTheOldIndex kills an index run (SIGKILL) while it
// builds, then checks that the previous index still opens and answers, and
// that the next run clears what the killed one left.
func TestKilledIndexRunKeepsTheOldIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process; skipped in -short mode")
	}
	data := t.TempDir()
	if err := run(context.Background(), []string{"index", "--data", data, "--content", testContent}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	before, err := indexer.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	want := len(before.Catalog)
	before.Close()

	big := t.TempDir()
	for i := range 4000 {
		doc := fmt.Sprintf("---\ntitle: Generated %d\nlang: en\n---\n## 1 Part\n%s\n\n## 2 More\n%s\n", i,
			strings.Repeat(fmt.Sprintf("word%d text about ports and cargo ", i), 40), strings.Repeat("more text ", 60))
		if err := os.WriteFile(filepath.Join(big, fmt.Sprintf("doc-%04d.md", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args, _ := json.Marshal([]string{"index", "--data", data, "--content", big})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HANDBOOK_TEST_MAIN="+string(args))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once the new index directory exists, mid-build. Loading 4,000
	// files under the race detector on a busy machine can take minutes, so
	// the wait ends when the run does, not at a fixed time.
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.After(10 * time.Minute)
	killed, done := false, false
	for !killed && !done {
		entries, _ := os.ReadDir(data)
		n := 0
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), "index-") {
				n++
			}
		}
		if n >= 2 {
			time.Sleep(50 * time.Millisecond)
			_ = cmd.Process.Kill()
			killed = true
			break
		}
		select {
		case <-exited:
			done = true
		case <-deadline:
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("the index run built no new index in 10 minutes: %s", stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	<-exited
	if !killed {
		t.Fatalf("the index run ended without building a new index: %s", stderr.String())
	}
	if cmd.ProcessState.Success() {
		t.Skip("the index run finished before it could be killed")
	}

	after, err := indexer.Open(data)
	if err != nil {
		t.Fatalf("after the kill the index does not open: %v", err)
	}
	got := len(after.Catalog)
	after.Close()
	if got != want {
		t.Errorf("after the kill the served index has %d documents, want the previous %d", got, want)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"search", "--data", data, "--json", "ivory"}, noEnv, &out, io.Discard); err != nil || !strings.Contains(out.String(), `"total": 1`) {
		t.Errorf("search after the kill: %v %s", err, out.String())
	}
	// The next run finishes and removes the killed run's directory.
	if err := run(context.Background(), []string{"index", "--data", data, "--content", testContent}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(data)
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "index-") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d index directories after a clean run, want 1", n)
	}
}
