package web_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"handbook/content/ingest"
	"handbook/indexer"
	"handbook/search/engine"
	"handbook/web"
)

// indexOriginals builds a real index of the folder dir as "handbook index
// --content" does, recording each file's size and SHA-256.
func indexOriginals(t *testing.T, dir string) *engine.Service {
	t.Helper()
	ctx := context.Background()
	fsys := os.DirFS(dir)
	before := indexer.StatFiles(fsys)
	r := ingest.LoadFS(fsys, ".")
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	orig, err := indexer.HashOriginals(ctx, fsys, r.Documents, before, nil)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	l, err := indexer.LockData(ctx, data, indexer.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Build(ctx, r.Documents, dir, indexer.BuildOptions{Originals: orig}); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	svc, err := engine.New(idx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestOriginalFiles(t *testing.T) {
	e := newPackEnv(t)
	srv, err := web.New(indexOriginals(t, e.docs), web.Options{Originals: os.DirFS(e.docs)})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	rec := get(t, h, "/docs/port/original")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "command post") || !strings.Contains(rec.Header().Get("Content-Disposition"), "port.md") ||
		!strings.Contains(rec.Header().Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("original: %d %q %q", rec.Code, rec.Header().Get("Content-Disposition"), rec.Body.String()[:min(80, rec.Body.Len())])
	}
	if rec.Body.String() != portDoc {
		t.Errorf("original: not the file as written, %d bytes of %d", rec.Body.Len(), len(portDoc))
	}
	hidden, missing := get(t, h, "/docs/secret/original"), get(t, h, "/docs/nope/original")
	if hidden.Code != http.StatusNotFound || missing.Code != http.StatusNotFound || strings.Contains(hidden.Body.String(), "codename") {
		t.Errorf("restricted original: %d, missing: %d", hidden.Code, missing.Code)
	}
	if doc := get(t, h, "/docs/port").Body.String(); !strings.Contains(doc, `href="/docs/port/original"`) {
		t.Error("the document page does not link its original file")
	}
}

// TestOriginalRewrittenSinceIndexingIsNotServed: the original is served
// under the level read at index time, so once the file is rewritten (here a
// public document replaced by restricted text that claims to be public, of
// another size and of the same size) it is a 409 until it is re-indexed.
func TestOriginalRewrittenSinceIndexingIsNotServed(t *testing.T) {
	leak := strings.Replace(secretDoc, "level: restricted", "level: public", 1)
	sameSize := leak
	if len(sameSize) < len(portDoc) {
		sameSize += strings.Repeat(" ", len(portDoc)-len(sameSize))
	} else {
		sameSize = sameSize[:len(portDoc)]
	}
	for _, tc := range []struct{ name, text string }{
		{"other size", leak},
		{"same size", sameSize},
		{"grown", portDoc + "\nEvery informant receives a codename.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newPackEnv(t)
			srv, err := web.New(indexOriginals(t, e.docs), web.Options{Originals: os.DirFS(e.docs)})
			if err != nil {
				t.Fatal(err)
			}
			h := srv.Handler()
			if rec := get(t, h, "/docs/port/original"); rec.Code != http.StatusOK {
				t.Fatalf("before the rewrite: %d", rec.Code)
			}
			e.write("port.md", tc.text)
			rec := get(t, h, "/docs/port/original")
			if rec.Code != http.StatusConflict || strings.Contains(rec.Body.String(), "codename") || !strings.Contains(rec.Body.String(), "re-indexed") {
				t.Errorf("a rewritten original: %d %q", rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
			}
		})
	}
	// An index that recorded no originals serves none.
	e := newPackEnv(t)
	r := ingest.LoadFS(os.DirFS(e.docs), ".")
	data := t.TempDir()
	if _, err := indexer.Build(context.Background(), data, r.Documents, "test"); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	svc, err := engine.New(idx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, web.Options{Originals: os.DirFS(e.docs)})
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(t, srv.Handler(), "/docs/port/original"); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "not recorded") {
		t.Errorf("an original the index did not record: %d %q", rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
	}
}
