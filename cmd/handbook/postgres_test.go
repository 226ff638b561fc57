package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
