package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"handbook/indexer/snapshot"
	"handbook/indexer/snapshot/snapshottest"
)

// syncBuffer is a buffer that a server may write while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeSnapshots publishes with index --publish to a folder and serves
// with serve --snapshots: the replica is not ready before the first
// snapshot, swaps to the second while searches run with none failing,
// refuses a snapshot with a flipped byte and keeps serving the one it has,
// and keeps one local copy only.
func TestServeSnapshots(t *testing.T) {
	pub := t.TempDir()
	r := startReplica(t, "file://"+pub, noEnv)
	r.swapUnderLoad()

	// A third snapshot with a byte flipped: published elsewhere, damaged,
	// then laid into the store as a publisher would (files, manifest,
	// LATEST).
	r.write("ivory", "ivory seizures at the border")
	staging := t.TempDir()
	r.publish(staging)
	stagingStore, err := snapshot.OpenFolder(staging)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.Latest(context.Background(), stagingStore)
	if err != nil {
		t.Fatal(err)
	}
	big := m.Files[0]
	for _, f := range m.Files {
		if f.Size > big.Size {
			big = f
		}
	}
	damaged := filepath.Join(staging, "snapshots", m.ID, "files", filepath.FromSlash(big.Path))
	data, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(damaged, data, 0o644); err != nil {
		t.Fatal(err)
	}
	copyTree(t, filepath.Join(staging, "snapshots", m.ID, "files"), filepath.Join(pub, "snapshots", m.ID, "files"))
	copyTree(t, filepath.Join(staging, "snapshots", m.ID, "manifest.json"), filepath.Join(pub, "snapshots", m.ID, "manifest.json"))
	copyTree(t, filepath.Join(staging, "LATEST"), filepath.Join(pub, "LATEST"))
	r.waitFor("the damaged snapshot refused", func() bool {
		return strings.Contains(r.logs.String(), "snapshot_refused") && strings.Contains(r.logs.String(), "does not match its manifest")
	})
	if n, err := r.total("timber"); err != nil || n != 1 {
		t.Errorf("after the refused snapshot: timber %d %v, want the second snapshot serving", n, err)
	}
	if n, _ := r.total("ivory"); n != 0 {
		t.Errorf("the damaged snapshot's document is served: %d", n)
	}
	if got := r.status("/readyz"); got != http.StatusOK {
		t.Errorf("/readyz after a refused snapshot: %d", got)
	}
	// /metrics says which snapshot serves and how pulls went.
	resp, err := http.Get("http://" + r.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`handbook_snapshot_pulls_total{outcome="refused"} 1`, `handbook_snapshot_pulls_total{outcome="served"} 2`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if n := strings.Count(string(metrics), "handbook_snapshot_info{id="); n != 1 || strings.Contains(string(metrics), `handbook_snapshot_info{id="`+m.ID+`"}`) {
		t.Errorf("/metrics names %d serving snapshots, or the refused one:\n%s", n, metrics)
	}
	if left, _ := os.ReadDir(filepath.Join(r.data, replicaDir)); len(left) != 1 {
		t.Errorf("local copies after a refused pull: %v", left)
	}
	// Refused once, not pulled again at every poll.
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(r.logs.String(), "snapshot_refused"); n != 1 {
		t.Errorf("the damaged snapshot refused %d times, want once", n)
	}

	// The replica wrote nothing to the store.
	_ = filepath.WalkDir(pub, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left in the store: %s", p)
		}
		return err
	})
}

// TestServeSnapshotsS3 is the same publishing and swap through a real S3
// server.
func TestServeSnapshotsS3(t *testing.T) {
	s3 := snapshottest.Start(t)
	r := startReplica(t, "s3://"+s3.Bucket+"/handbook", s3.Env)
	r.swapUnderLoad()
	if _, err := os.Stat(filepath.Join(s3.Dir, s3.Bucket, "handbook", "LATEST")); err != nil {
		t.Errorf("LATEST is not in the bucket: %v", err)
	}
}

// replicaRun is a replica serving the snapshots of dest, and a content
// folder that publish builds and publishes there.
type replicaRun struct {
	t       *testing.T
	dest    string
	getenv  func(string) string
	content string
	data    string // the replica's data folder
	addr    string
	logs    *syncBuffer
}

// startReplica starts serve --snapshots dest and stops it when the test
// ends, checking it left no local copy behind.
func startReplica(t *testing.T, dest string, getenv func(string) string) *replicaRun {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	r := &replicaRun{t: t, dest: dest, getenv: getenv, content: t.TempDir(), data: t.TempDir(), addr: ln.Addr().String(), logs: &syncBuffer{}}
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", r.addr, "--data", r.data, "--snapshots", dest, "--poll", "100ms"}, getenv, io.Discard, r.logs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if left, _ := os.ReadDir(filepath.Join(r.data, replicaDir)); len(left) != 0 {
			t.Errorf("local snapshot copies left after shutdown: %v", left)
		}
	})
	return r
}

func (r *replicaRun) write(name, text string) {
	doc := "---\ntitle: " + name + "\nlang: en\n---\n## 1 Part\n" + text + "\n"
	if err := os.WriteFile(filepath.Join(r.content, name+".md"), []byte(doc), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// publish runs index --publish dest on the content folder.
func (r *replicaRun) publish(dest string) {
	r.t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"index", "--data", filepath.Join(r.t.TempDir(), "build"), "--content", r.content, "--publish", dest}, r.getenv, &out, io.Discard); err != nil {
		r.t.Fatalf("index --publish: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "published snapshot ") {
		r.t.Fatalf("index --publish printed:\n%s", out.String())
	}
}

func (r *replicaRun) status(path string) int {
	resp, err := http.Get("http://" + r.addr + path)
	if err != nil {
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

// total is the number of hits of q; -1 when the search failed.
func (r *replicaRun) total(q string) (int, error) {
	resp, err := http.Get("http://" + r.addr + "/api/search?q=" + q)
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

func (r *replicaRun) waitFor(what string, ok func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s never happened; log:\n%s", what, tail(r.logs.String(), 3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// swapUnderLoad checks the replica is not ready before the first snapshot,
// serves it once published, then swaps to a second while two clients
// search without a failure, and deletes the first one's copy.
func (r *replicaRun) swapUnderLoad() {
	t := r.t
	t.Helper()
	r.waitFor("the server answering", func() bool { return r.status("/healthz") == http.StatusOK })
	if got := r.status("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz before the first snapshot: %d, want 503", got)
	}
	if got := r.status("/api/search?q=timber"); got != http.StatusServiceUnavailable {
		t.Errorf("a search before the first snapshot: %d, want 503 (try again)", got)
	}
	r.write("ports", "joint operations at ports")
	r.publish(r.dest)
	r.waitFor("the first snapshot served", func() bool { n, _ := r.total("ports"); return n == 1 })
	if got := r.status("/readyz"); got != http.StatusOK {
		t.Errorf("/readyz with a snapshot open: %d", got)
	}
	if logs := r.logs.String(); strings.Count(logs, "snapshot_waiting") != 1 || strings.Contains(logs, "snapshot_pull_failed") {
		t.Errorf("waiting for the first snapshot should be said once, and no pull failed:\n%s", tail(logs, 3000))
	}
	var searches, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				searches.Add(1)
				if n, err := r.total("ports"); err != nil || n != 1 {
					failed.Add(1)
				}
			}
		})
	}
	r.write("timber", "timber species and permits")
	r.publish(r.dest)
	r.waitFor("the second snapshot served", func() bool { n, _ := r.total("timber"); return n == 1 })
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if failed.Load() != 0 || searches.Load() < 10 {
		t.Errorf("%d of %d searches failed during the swap", failed.Load(), searches.Load())
	}
	r.waitFor("one local copy left", func() bool {
		left, _ := os.ReadDir(filepath.Join(r.data, replicaDir))
		return len(left) == 1
	})
}

// copyTree copies a file or a folder tree from src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotFlags(t *testing.T) {
	shared := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--snapshots", t.TempDir(), "--content", t.TempDir()},
		{"serve", "--snapshots", t.TempDir(), "--poll", "0s"},
		{"serve", "--snapshots", "ftp://host/x", "--data", t.TempDir(), "--addr", "127.0.0.1:0"},
		{"serve", "--snapshots", shared, "--data", shared, "--addr", "127.0.0.1:0"},
		{"serve", "--snapshots", shared, "--data", filepath.Join(shared, "replica"), "--addr", "127.0.0.1:0"},
		{"serve", "--snapshots", filepath.Join(shared, "pub"), "--data", shared, "--addr", "127.0.0.1:0"},
		{"index", "--publish", t.TempDir(), "--keep", "0"},
		{"index", "--publish", "ftp://host/x"},
	} {
		if err := run(context.Background(), args, noEnv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if left, _ := os.ReadDir(shared); len(left) != 0 {
		t.Errorf("a refused replica wrote to the shared folder: %v", left)
	}
}

// TestIndexPublishPrunes runs index --publish three times: an unchanged
// index is not published again, and with --keep 1 --keep-for 1ms only the
// snapshot LATEST names is left.
func TestIndexPublishPrunes(t *testing.T) {
	content, pub, data := t.TempDir(), t.TempDir(), t.TempDir()
	index := func(text string, extra ...string) string {
		t.Helper()
		if text != "" {
			doc := "---\ntitle: ports\nlang: en\n---\n## 1 Part\n" + text + "\n"
			if err := os.WriteFile(filepath.Join(content, "ports.md"), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		args := append([]string{"index", "--data", data, "--content", content, "--publish", pub}, extra...)
		if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	index("joint operations at ports")
	if out := index(""); !strings.Contains(out, "holds this index already") {
		t.Errorf("an unchanged index published again:\n%s", out)
	}
	index("joint operations at airports")
	time.Sleep(5 * time.Millisecond)
	out := index("joint operations at seaports", "--keep", "1", "--keep-for", "1ms")
	if n := strings.Count(out, "deleted snapshot "); n != 2 {
		t.Errorf("deleted %d snapshots, want 2:\n%s", n, out)
	}
	st, err := snapshot.OpenFolder(pub)
	if err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.Latest(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(filepath.Join(pub, "snapshots"))
	if len(left) != 1 || left[0].Name() != m.ID {
		t.Errorf("left %v, want only %s", left, m.ID)
	}
}
