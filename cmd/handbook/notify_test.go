package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handbook/content/store/pgtest"
)

// TestSnapshotNotify: with PostgreSQL, "index --publish --db" tells the
// replicas listening there, and a replica that would poll only once an hour
// serves the new snapshot within seconds; the notification only says "look
// again", so what it pulls is what the store says.
func TestSnapshotNotify(t *testing.T) {
	c := pgtest.Temp(t)
	db, err := c.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pub := t.TempDir()
	content, data := t.TempDir(), t.TempDir()
	addr := freeAddr(t)
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", data, "--snapshots", pub, "--poll", "1h", "--db", db}, noEnv, io.Discard, logs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	r := &replicaRun{t: t, dest: pub, getenv: noEnv, content: content, data: data, addr: addr, logs: logs}
	r.waitFor("the replica listening", func() bool { return r.status("/healthz") == 200 })
	time.Sleep(500 * time.Millisecond) // the first poll (nothing published) and the LISTEN are done

	for i, word := range []string{"timber", "ivory"} {
		r.write(word, word+" seizures at the border")
		var out strings.Builder
		if err := run(context.Background(), []string{"index", "--data", filepath.Join(t.TempDir(), "build"), "--content", content, "--publish", pub, "--db", db}, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("index --publish --db: %v\n%s", err, out.String())
		}
		start := time.Now()
		r.waitFor("the announced snapshot served", func() bool {
			n, _ := r.total(word)
			return n == 1
		})
		t.Logf("snapshot %d served %.2f s after it was announced (poll 1h)", i+1, time.Since(start).Seconds())
	}
	if left, _ := os.ReadDir(filepath.Join(data, replicaDir)); len(left) != 1 {
		t.Errorf("local copies: %v, want the one serving", left)
	}
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
