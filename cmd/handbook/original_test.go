package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeOriginalOnlyAsIndexed: serve --content records each file when it
// indexes, serves the original as it was, and refuses it once the file is
// rewritten (without --watch, so the index still holds the old text).
func TestServeOriginalOnlyAsIndexed(t *testing.T) {
	content := t.TempDir()
	doc := "---\ntitle: Ports\nlang: en\n---\n## 1 Part\njoint operations at ports\n"
	if err := os.WriteFile(filepath.Join(content, "ports.md"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", content}, noEnv, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	get := func() (int, string) {
		resp, err := http.Get("http://" + addr + "/docs/ports/original")
		if err != nil {
			return -1, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	deadline := time.Now().Add(10 * time.Second)
	code, body := get()
	for code < 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		code, body = get()
	}
	if code != http.StatusOK || body != doc {
		t.Fatalf("the original as indexed: %d %q", code, body)
	}
	if err := os.WriteFile(filepath.Join(content, "ports.md"), []byte(strings.Replace(doc, "ports", "codenames", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, body := get(); code != http.StatusConflict || strings.Contains(body, "codenames") {
		t.Errorf("the original rewritten since indexing: %d %q", code, body)
	}
}
