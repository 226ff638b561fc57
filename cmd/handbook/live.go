package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
	"handbook/web"
)

// live is the searcher the web server holds: the current index with its
// search service and suggester, replaced whole when a rebuild completes.
// Searches in flight finish on the index they started with, which stays open
// for a grace period after the swap.
type live struct {
	cur  atomic.Pointer[generation]
	make func(*indexer.Index) (*generation, error)
}

type generation struct {
	idx     *indexer.Index
	svc     *search.Service
	suggest *search.Suggester
}

func (l *live) get() *generation { return l.cur.Load() }

func (l *live) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return l.get().svc.Search(ctx, q)
}

func (l *live) Document(ctx context.Context, id string, levels []string) (*search.DocumentView, error) {
	return l.get().svc.Document(ctx, id, levels)
}

func (l *live) Related(ctx context.Context, docID, sectionID string, levels []string, n int) ([]search.Hit, error) {
	return l.get().svc.Related(ctx, docID, sectionID, levels, n)
}

func (l *live) Catalog(levels []string) []*content.Document { return l.get().svc.Catalog(levels) }

func (l *live) Ready() error { return l.get().svc.Ready() }

func (l *live) Suggest(q string, levels []string, n int) []search.Suggestion {
	return l.get().suggest.Suggest(q, levels, n)
}

// swap serves idx from now on and closes the previous index after grace.
func (l *live) swap(idx *indexer.Index, grace time.Duration) error {
	g, err := l.make(idx)
	if err != nil {
		return err
	}
	old := l.cur.Swap(g)
	if old != nil {
		time.AfterFunc(grace, func() { _ = old.idx.Close() })
	}
	return nil
}

// stats reports the served index's size on disk and its sections.
func (l *live) stats() (web.IndexStats, error) {
	g := l.get()
	var st web.IndexStats
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

func (l *live) close() {
	if g := l.get(); g != nil {
		_ = g.idx.Close()
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
		start := time.Now()
		stats, report, err := c.build(ctx, log, nil)
		if err != nil {
			log.Error("reindex_failed", "err", err)
			record(err)
			continue
		}
		idx, err := indexer.Open(c.Data)
		if err == nil {
			err = l.swap(idx, time.Minute)
		}
		record(err)
		if err != nil {
			log.Error("reindex_swap_failed", "err", err)
			continue
		}
		log.Info("reindexed", "documents", stats.Documents, "sections", stats.Sections, "skipped", len(report.Skipped), "seconds", time.Since(start).Seconds())
	}
}

// folderState summarises a folder's files (paths, sizes, modification
// times) so a change shows without reading them.
func folderState(dir string) string {
	h := sha256.New()
	_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
