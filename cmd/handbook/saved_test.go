package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// TestWatchTellsSavedSearches serves a content folder with --watch and an
// auth file, saves a search, adds a matching document and sees the saved
// search count it: the re-index is announced to the server's hook.
func TestWatchTellsSavedSearches(t *testing.T) {
	content := t.TempDir()
	write := func(name, text string) {
		doc := "---\ntitle: " + name + "\nlang: en\n---\n## 1 Part\n" + text + "\n"
		if err := os.WriteFile(filepath.Join(content, name+".md"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ports", "joint operations at ports")
	sum := sha256.Sum256([]byte("tok-ann"))
	authFile := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(authFile, []byte("users:\n  - {name: ann, token_sha256: "+hex.EncodeToString(sum[:])+", roles: [reader], levels: [public]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", content, "--watch", "100ms", "--auth", authFile, "--analytics-retention", "4w"}, noEnv, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	call := func(method, path, body string) (*http.Response, error) {
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok-ann")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		return http.DefaultClient.Do(req)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := call("POST", "/api/saved-searches", `{"name":"Timber","params":"q=timber"}`)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("save: %d", resp.StatusCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	write("timber", "timber species and permits")
	for {
		resp, err := call("GET", "/api/saved-searches", "")
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Saved []struct{ New int } `json:"saved_searches"`
		}
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err != nil || len(list.Saved) != 1 {
			t.Fatalf("list: %v %+v", err, list)
		}
		if list.Saved[0].New == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the saved search never counted the new document: %+v", list)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAnalyticsFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--analytics-min-count", "2"},
		{"--analytics-retention", "0w"},
		{"--analytics-retention", "3d"},
		{"--analytics-retention", "600w"},
		{"--analytics-retention", "26 weeks"},
	} {
		err := run(context.Background(), append([]string{"serve", "--data", t.TempDir()}, args...), noEnv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("serve %v: %v, want an error naming the flag", args, err)
		}
	}
	for in, want := range map[string]time.Duration{"26w": 26 * 7 * 24 * time.Hour, "90d": 90 * 24 * time.Hour, "1w": 7 * 24 * time.Hour} {
		if got, err := parseRetention(in); err != nil || got != want {
			t.Errorf("parseRetention(%q) = %v, %v", in, got, err)
		}
	}
}
