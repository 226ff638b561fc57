package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
	"handbook/content/store/pgtest"
)

// TestBackupPostgres: with --db, backup runs pg_dump while the store is
// open, and the archive restores into an empty database that a store opens
// with the pack in it.
func TestBackupPostgres(t *testing.T) {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not on PATH", tool)
			}
			t.Skipf("%s is not on PATH", tool)
		}
	}
	c := pgtest.Temp(t)
	ctx := context.Background()
	dsn, err := c.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer users.Close()
	title := "Kept safe"
	p, err := users.Create(ctx, "ann", store.PackInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "user.dump")
	var stdout bytes.Buffer
	getenv := func(k string) string {
		if k == "HANDBOOK_DB" {
			return dsn
		}
		return ""
	}
	if err := run(ctx, []string{"backup", "--out", out}, getenv, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "pg_dump") {
		t.Errorf("backup says %q", stdout.String())
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the archive: %v, %v", st, err)
	}
	restored, err := c.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("pg_restore", "--no-owner", "--dbname", restored, out).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, msg)
	}
	copy, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if got, err := copy.Get(ctx, "ann", p.ID); err != nil || got.Title != title {
		t.Errorf("the restored database holds %+v, %v", got, err)
	}
	if err := run(ctx, []string{"backup", "--out", out}, getenv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}

// TestDBMustBeAPostgresURL: --db takes only a PostgreSQL URL, and says so.
func TestDBMustBeAPostgresURL(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--data", t.TempDir(), "--db", "/srv/user.db"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b"), "--db", "mysql://x"},
	} {
		err := run(context.Background(), args, noEnv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--db must be a PostgreSQL URL") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// TestServeWithPostgres serves with the user data in PostgreSQL: a pack
// made through the API is in the database, where another replica's store
// reads it, and nothing is written to user.db.
func TestServeWithPostgres(t *testing.T) {
	c := pgtest.Temp(t)
	ctx := context.Background()
	dsn, err := c.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	data := t.TempDir()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--addr", addr, "--data", data, "--content", testContent, "--db", dsn}, noEnv, io.Discard, io.Discard)
	}()
	var resp *http.Response
	for range 200 {
		resp, err = http.Post("http://"+addr+"/api/packs", "application/json", strings.NewReader(`{"title":"Shared by replicas"}`))
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server did not answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /api/packs: %s", resp.Status)
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
	other, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if packs, err := other.List(ctx, "anonymous"); err != nil || len(packs) != 1 || packs[0].Title != "Shared by replicas" {
		t.Errorf("the database holds %+v, %v", packs, err)
	}
	if _, err := os.Stat(filepath.Join(data, userDB)); err == nil {
		t.Errorf("serve --db made %s too", userDB)
	}
}
