package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/indexer"
	"handbook/search"
	"handbook/search/engine"
	"handbook/web"
)

// live is the searcher the web server holds: the current index with its
// search service and suggester, replaced whole when a rebuild completes.
// Every call holds a reference to the generation it runs on, so searches in
// flight finish on the index they started with; a generation swapped out is
// closed as soon as its last call returns.
type live struct {
	cur  atomic.Pointer[generation]
	make func(*indexer.Index) (*generation, error)
	// waiting, when set, answers calls while no index was swapped in yet
	// (a replica before its first snapshot); errClosed answers them
	// after close.
	waiting error
	closed  atomic.Bool
	// onPublish, when set, is told of each generation made current (the
	// server's IndexSwapped hook: saved searches are checked against it).
	onPublish atomic.Pointer[func(*generation)]
}

type generation struct {
	idx     *indexer.Index
	svc     *engine.Service
	suggest *engine.Suggester
	// refs counts the calls in flight, plus one while the generation is
	// the current one. At zero the index is closed, and it never rises again.
	refs atomic.Int64
	// cleanup, when set, runs after the index is closed (a replica deletes
	// its local copy of the snapshot).
	cleanup func()
}

// unavailable is the error of a call that found no current generation.
func (l *live) unavailable() error {
	if l.waiting != nil && !l.closed.Load() {
		return l.waiting
	}
	return errClosed
}

// errClosed answers a call that comes after close.
var errClosed = errors.New("the index is closed: the server is shutting down")

// acquire returns the current generation with a reference held; the caller
// releases it. It retries when the generation it loaded was swapped out and
// closed in between, and returns nil after close.
func (l *live) acquire() *generation {
	for {
		g := l.cur.Load()
		if g == nil {
			return nil
		}
		if g.tryAcquire() {
			return g
		}
	}
}

func (g *generation) tryAcquire() bool {
	for {
		n := g.refs.Load()
		if n <= 0 {
			return false
		}
		if g.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release drops a reference and closes the index with the last one.
func (g *generation) release() {
	if g.refs.Add(-1) == 0 {
		_ = g.idx.Close()
		if g.cleanup != nil {
			g.cleanup()
		}
	}
}

func (l *live) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	g := l.acquire()
	if g == nil {
		return nil, l.unavailable()
	}
	defer g.release()
	return g.svc.Search(ctx, q)
}

func (l *live) Document(ctx context.Context, id string, levels []string) (*search.DocumentView, error) {
	g := l.acquire()
	if g == nil {
		return nil, l.unavailable()
	}
	defer g.release()
	return g.svc.Document(ctx, id, levels)
}

func (l *live) Related(ctx context.Context, docID, sectionID string, levels []string, n int) ([]search.Hit, error) {
	g := l.acquire()
	if g == nil {
		return nil, l.unavailable()
	}
	defer g.release()
	return g.svc.Related(ctx, docID, sectionID, levels, n)
}

func (l *live) Catalog(levels []string) []*content.Document {
	g := l.acquire()
	if g == nil {
		return nil
	}
	defer g.release()
	return g.svc.Catalog(levels)
}

// Original returns document id as a caller at levels sees it and what the
// index recorded of its file, both from one generation (web.OriginalFiles).
func (l *live) Original(id string, levels []string) (*content.Document, content.Original, bool) {
	g := l.acquire()
	if g == nil {
		return nil, content.Original{}, false
	}
	defer g.release()
	return g.svc.Original(id, levels)
}

func (l *live) Ready() error {
	g := l.acquire()
	if g == nil {
		return l.unavailable()
	}
	defer g.release()
	return g.svc.Ready()
}

func (l *live) Suggest(q string, levels []string, n int) []search.Suggestion {
	g := l.acquire()
	if g == nil {
		return nil
	}
	defer g.release()
	return g.suggest.Suggest(q, levels, n)
}

// swap serves idx from now on; the previous index is closed when the last
// call still running on it returns (at once when there is none).
func (l *live) swap(idx *indexer.Index) error {
	g, err := l.make(idx)
	if err != nil {
		return err
	}
	l.publish(g)
	return nil
}

// publish makes g the current generation and releases the previous one.
func (l *live) publish(g *generation) {
	g.refs.Store(1)
	if old := l.cur.Swap(g); old != nil {
		old.release()
	}
	if f := l.onPublish.Load(); f != nil {
		(*f)(g)
	}
}

// errSwappedOut answers a call on a generation no longer served.
var errSwappedOut = errors.New("the index was swapped out")

// generationSearcher searches one generation, while it is served or has
// calls in flight: what a check after a swap runs on, so it sees the index
// it was told of even when another is swapped in meanwhile.
type generationSearcher struct{ g *generation }

func (s generationSearcher) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if !s.g.tryAcquire() {
		return nil, errSwappedOut
	}
	defer s.g.release()
	return s.g.svc.Search(ctx, q)
}

// stats reports the served index's size on disk and its sections.
func (l *live) stats() (web.IndexStats, error) {
	var st web.IndexStats
	g := l.acquire()
	if g == nil {
		return st, l.unavailable()
	}
	defer g.release()
	err := filepath.WalkDir(g.idx.Dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			st.Bytes += info.Size()
		}
		return err
	})
	if err != nil {
		return st, err
	}
	n, err := g.idx.DocCount()
	st.Sections = int(n)
	return st, err
}

// close stops serving; the index is closed when the last call on it
// returns.
func (l *live) close() {
	l.closed.Store(true)
	if g := l.cur.Swap(nil); g != nil {
		g.release()
	}
}

// watch re-indexes the content folder when its files change (polled every
// interval: names, sizes and times) and swaps the new index in. A failed
// rebuild is logged and the current index keeps serving. Each rebuild's
// outcome goes to record (nil for success).
func (c dataConfig) watch(ctx context.Context, l *live, interval time.Duration, log *slog.Logger, record func(error)) {
	last := folderState(c.Content)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := folderState(c.Content)
		if now == last {
			continue
		}
		last = now
		_, _, _ = c.rebuild(ctx, l, log, record)
	}
}

// rebuild builds the index from the content folder beside the served one
// (incremental: unchanged files come from the parse cache) and swaps it in.
// A failure is logged and the current index keeps serving. The outcome goes
// to record (nil for success), before the new index is served.
func (c dataConfig) rebuild(ctx context.Context, l *live, log *slog.Logger, record func(error)) (*indexer.Stats, *ingest.Report, error) {
	start := time.Now()
	stats, report, err := c.build(ctx, log, nil)
	if err != nil {
		log.Error("reindex_failed", "err", err)
		record(err)
		return nil, report, err
	}
	var g *generation
	idx, err := indexer.Open(c.Data)
	if err == nil {
		if g, err = l.make(idx); err != nil {
			_ = idx.Close()
		}
	}
	// Counted before it is served, so whoever sees the new index sees
	// the run counted too.
	record(err)
	if err != nil {
		log.Error("reindex_swap_failed", "err", err)
		return nil, report, err
	}
	l.publish(g)
	log.Info("reindexed", "documents", stats.Documents, "sections", stats.Sections, "skipped", len(report.Skipped), "seconds", time.Since(start).Seconds())
	return stats, report, nil
}

// folderState summarises a folder's files (paths, sizes, modification
// times) so a change shows without reading them.
func folderState(dir string) string {
	h := sha256.New()
	fsys := ingest.DirFS(dir)
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, ok := ingest.RegularFile(fsys, p, d); ok { // a link's target's: a changed target is a change
			fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
