package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeWatch serves a content folder with --watch, adds a document and
// sees it become searchable without a restart, with searches answering all
// along.
func TestServeWatch(t *testing.T) {
	content := t.TempDir()
	write := func(name, text string) {
		doc := "---\ntitle: " + name + "\nlang: en\n---\n## 1 Part\n" + text + "\n"
		if err := os.WriteFile(filepath.Join(content, name+".md"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ports", "joint operations at ports")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", content, "--watch", "100ms"}, noEnv, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	total := func(q string) (int, error) {
		resp, err := http.Get("http://" + addr + "/api/search?q=" + q)
		if err != nil {
			return -1, err
		}
		defer resp.Body.Close()
		var res struct{ Total int }
		if resp.StatusCode != http.StatusOK {
			return -1, nil
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		return res.Total, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, err := total("ports"); err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n, _ := total("timber"); n != 0 {
		t.Fatalf("timber before it was written: %d", n)
	}
	write("timber", "timber species and permits")
	for {
		n, err := total("timber")
		if err != nil || n < 0 {
			t.Fatalf("a search failed during the re-index: %v", err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatal("the new document never became searchable")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n, _ := total("ports"); n != 1 {
		t.Errorf("the old document after the re-index: %d hits", n)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`handbook_indexing_runs_total{outcome="success"} `, "handbook_index_sections 2\n", "handbook_index_size_bytes "} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
	// A write may be seen half done and re-indexed twice; never zero times.
	if strings.Contains(string(metrics), `handbook_indexing_runs_total{outcome="success"} 0`) {
		t.Error("/metrics counts no successful re-index")
	}
}
