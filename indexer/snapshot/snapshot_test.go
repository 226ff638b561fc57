package snapshot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"handbook/content"
	"handbook/indexer"
	"handbook/indexer/snapshot"
)

// buildIndex builds a real index of n documents in a data folder of its
// own and returns the index folder.
func buildIndex(t *testing.T, n int) string {
	t.Helper()
	var docs []content.Loaded
	for i := range n {
		id := fmt.Sprintf("doc-%d", i)
		docs = append(docs, content.Loaded{
			Document: content.Document{ID: id, Title: "Document " + id, Language: "en", Level: content.LevelPublic, Status: content.StatusCurrent},
			Sections: []content.Section{{DocID: id, ID: "s1", Path: "One", Heading: "One", Text: "controlled delivery of " + id}},
		})
	}
	st, err := indexer.Build(context.Background(), t.TempDir(), docs, "test")
	if err != nil {
		t.Fatal(err)
	}
	return st.Dir
}

func TestFolderStore(t *testing.T) {
	st, err := snapshot.Open("file://"+t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, st)
}

// testStore runs the publish and pull cases on a store, real and empty.
func testStore(t *testing.T, st snapshot.Store) {
	ctx := context.Background()
	if _, err := snapshot.Latest(ctx, st); !errors.Is(err, snapshot.ErrNoSnapshot) {
		t.Fatalf("Latest of an empty store: %v, want ErrNoSnapshot", err)
	}
	first, err := snapshot.Publish(ctx, st, buildIndex(t, 2), snapshot.PublishOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Documents != 2 || first.Sections < 2 || first.MappingVersion != indexer.MappingVersion || first.Fingerprint == "" || len(first.Files) == 0 {
		t.Errorf("manifest: %+v", first)
	}
	second, err := snapshot.Publish(ctx, st, buildIndex(t, 3), snapshot.PublishOptions{Now: func() time.Time { return first.Created.Add(time.Second) }})
	if err != nil {
		t.Fatal(err)
	}
	local := t.TempDir()
	t.Run("pull", func(t *testing.T) {
		m, err := snapshot.Latest(ctx, st)
		if err != nil || m.ID != second.ID {
			t.Fatalf("Latest: %v %v, want %s", m, err, second.ID)
		}
		dir, err := snapshot.Pull(ctx, st, m, local)
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		idx, err := indexer.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		if len(idx.Catalog) != 3 || idx.Fingerprint != m.Fingerprint {
			t.Errorf("pulled index: %d documents, fingerprint %s, manifest %s", len(idx.Catalog), idx.Fingerprint, m.Fingerprint)
		}
	})
	t.Run("corrupt file refused", func(t *testing.T) {
		m, err := snapshot.ReadManifest(ctx, st, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Files[len(m.Files)-1]
		for _, f2 := range m.Files {
			if f2.Size > f.Size {
				f = f2
			}
		}
		key := "snapshots/" + first.ID + "/files/" + f.Path
		orig := readKey(t, st, key)
		flipped := bytes.Clone(orig)
		flipped[len(flipped)/2] ^= 0x40
		putKey(t, st, key, flipped)
		defer putKey(t, st, key, orig)
		empty := t.TempDir()
		if _, err := snapshot.Pull(ctx, st, m, empty); !errors.Is(err, snapshot.ErrCorrupt) {
			t.Fatalf("pull of a flipped byte: %v, want ErrCorrupt", err)
		}
		if left, _ := os.ReadDir(empty); len(left) != 0 {
			t.Errorf("a refused pull left %v", left)
		}
	})
	t.Run("partial and missing LATEST ignored", func(t *testing.T) {
		partial := second.Created.Add(time.Minute).Format("20060102T150405.000Z") + "-0123456789ab"
		putKey(t, st, "snapshots/"+partial+"/files/index_meta.json", []byte("{}"))
		latest := readKey(t, st, "LATEST")
		defer putKey(t, st, "LATEST", latest)
		for name, set := range map[string]func(){
			"LATEST names the partial one": func() { putKey(t, st, "LATEST", []byte(partial+"\n")) },
			"LATEST missing":               func() { deleteKey(t, st, "LATEST") },
			"LATEST garbage":               func() { putKey(t, st, "LATEST", []byte("../../etc\n")) },
		} {
			set()
			m, err := snapshot.Latest(ctx, st)
			if err != nil || m.ID != second.ID {
				t.Errorf("%s: Latest %v %v, want %s", name, m, err, second.ID)
			}
		}
		deleteKey(t, st, "snapshots/"+partial+"/files/index_meta.json")
	})
	t.Run("prune", func(t *testing.T) {
		// Five more, an hour apart, the newest two hours before now.
		now := time.Now()
		var ids []string
		for i := range 5 {
			at := now.Add(-time.Duration(6-i) * time.Hour)
			m, err := snapshot.Publish(ctx, st, buildIndex(t, 1), snapshot.PublishOptions{Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		// LATEST names the oldest of them (as after a rollback): kept.
		putKey(t, st, "LATEST", []byte(ids[0]+"\n"))
		// The first two, published now, are young: kept whatever their rank.
		deleted, err := snapshot.Prune(ctx, st, snapshot.PruneOptions{Keep: 3, KeepFor: time.Hour, Now: now.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		// Newest three complete: first, second (young) and ids[4]; ids[0] is LATEST.
		if want := []string{ids[3], ids[2], ids[1]}; !slices.Equal(deleted, want) {
			t.Errorf("deleted %v, want %v", deleted, want)
		}
		keys, err := st.List(ctx, "snapshots/")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			for _, id := range deleted {
				if strings.Contains(k, id) {
					t.Errorf("%s left of a deleted snapshot", k)
				}
			}
		}
		for _, id := range []string{first.ID, second.ID, ids[0], ids[4]} {
			if _, err := snapshot.ReadManifest(ctx, st, id); err != nil {
				t.Errorf("kept snapshot %s: %v", id, err)
			}
		}
	})
}

func readKey(t *testing.T, st snapshot.Store, key string) []byte {
	t.Helper()
	r, err := st.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func putKey(t *testing.T, st snapshot.Store, key string, data []byte) {
	t.Helper()
	if err := st.Put(context.Background(), key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
}

func deleteKey(t *testing.T, st snapshot.Store, key string) {
	t.Helper()
	if err := st.Delete(context.Background(), key); err != nil {
		t.Fatal(err)
	}
}

func TestOpenStore(t *testing.T) {
	dir := t.TempDir()
	for _, dest := range []string{dir, "file://" + dir} {
		st, err := snapshot.Open(dest, nil)
		if err != nil || st.String() != dir {
			t.Errorf("Open(%q): %v %v", dest, st, err)
		}
	}
	for _, dest := range []string{"", "http://example.org/x"} {
		if _, err := snapshot.Open(dest, nil); err == nil {
			t.Errorf("Open(%q) accepted", dest)
		}
	}
}

// FuzzParseManifest feeds manifests as a shared store could hold them:
// never a panic, and one that is accepted names only clean relative paths
// and matches its checksum.
func FuzzParseManifest(f *testing.F) {
	seed, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		f.Fatal(err)
	}
	const id = "20261204T042012.345Z-917a5417b076"
	f.Add(id, seed)
	f.Add(id, []byte(`{"format":1,"id":"`+id+`","files":[{"path":"../x","size":1,"sha256":"00"}]}`))
	f.Add("../../etc", []byte(`{}`))
	f.Fuzz(func(t *testing.T, id string, data []byte) {
		m, err := snapshot.ParseManifest(id, data)
		if err != nil {
			if !errors.Is(err, snapshot.ErrCorrupt) {
				t.Fatalf("error not ErrCorrupt: %v", err)
			}
			return
		}
		if m.ID != id || len(m.Files) == 0 {
			t.Fatalf("accepted %+v", m)
		}
		for _, f := range m.Files {
			if !filepath.IsLocal(f.Path) {
				t.Fatalf("accepted path %q", f.Path)
			}
		}
	})
}

func TestParseManifestSeed(t *testing.T) {
	data, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.ParseManifest("20261204T042012.345Z-917a5417b076", data); err != nil {
		t.Errorf("the seed: %v", err)
	}
	bad := bytes.Replace(data, []byte(`"size": 42`), []byte(`"size": 43`), 1)
	if _, err := snapshot.ParseManifest("20261204T042012.345Z-917a5417b076", bad); !errors.Is(err, snapshot.ErrCorrupt) {
		t.Errorf("a size changed without the checksum: %v", err)
	}
}
