package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"handbook/indexer"
	"handbook/indexer/snapshot"
	"handbook/search"

	"github.com/prometheus/client_golang/prometheus"
)

// errNoSnapshotYet answers searches on a replica before its first snapshot
// is open; /readyz says not ready meanwhile.
var errNoSnapshotYet = fmt.Errorf("no index snapshot is open yet: %w", search.ErrNotReady)

// replicaDir is the folder in the data folder where a replica keeps its
// local copies of snapshots.
const replicaDir = "snapshots"

// replica serves the newest complete snapshot of a store: it polls the
// store, pulls a new snapshot to local disk, checks it, opens it and swaps
// it in. A snapshot that fails any step is refused and the one serving
// keeps serving. It never writes to the store, and never opens an index
// anywhere but on local disk.
type replica struct {
	store snapshot.Store
	dir   string // local copies, DATA/snapshots
	live  *live
	log   *slog.Logger
	// current is the id of the snapshot serving; only the polling
	// goroutine touches it.
	current string
	// refused is the id of the last snapshot that did not match its
	// manifest: it is not pulled again (a new publish has a new id).
	refused string
	// serving is 1 for the id of the snapshot serving
	// (handbook_snapshot_info); pulls counts pulls by outcome.
	serving *prometheus.GaugeVec
	pulls   *prometheus.CounterVec
}

// newReplica returns a replica of store with its metrics.
func newReplica(store snapshot.Store, dir string, l *live, log *slog.Logger) *replica {
	r := &replica{store: store, dir: dir, live: l, log: log,
		serving: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "handbook_snapshot_info", Help: "1 for the id of the index snapshot this replica serves."}, []string{"id"}),
		pulls:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "handbook_snapshot_pulls_total", Help: "Snapshots pulled, by outcome (served, refused: a file did not match the manifest, failed: tried again at the next poll)."}, []string{"outcome"}),
	}
	for _, o := range []string{"served", "refused", "failed"} {
		r.pulls.WithLabelValues(o)
	}
	return r
}

// collectorsOrNil are the replica's metrics, for /metrics; none when r is
// nil (a server of its own index).
func (r *replica) collectorsOrNil() []prometheus.Collector {
	if r == nil {
		return nil
	}
	return []prometheus.Collector{r.serving, r.pulls}
}

// clean removes the local copies a previous run left behind: none is in
// use, as the caller holds the data folder's lock.
func (r *replica) clean() error {
	if err := os.RemoveAll(r.dir); err != nil {
		return fmt.Errorf("remove old snapshot copies: %w", err)
	}
	return os.MkdirAll(r.dir, 0o750)
}

// run polls at once, then every interval and whenever wake says a snapshot
// was announced (nil: polling only), until ctx ends.
func (r *replica) run(ctx context.Context, interval time.Duration, wake <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	told := false
	for {
		err := r.poll(ctx)
		switch {
		case err == nil, ctx.Err() != nil:
		case errors.Is(err, snapshot.ErrNoSnapshot) && r.current == "":
			// Nothing published yet: said once, not at every poll.
			if !told {
				r.log.Warn("snapshot_waiting", "store", r.store.String(), "err", err)
				told = true
			}
		default:
			r.pulls.WithLabelValues("failed").Inc()
			r.log.Error("snapshot_pull_failed", "store", r.store.String(), "serving", r.current, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// poll swaps in the store's newest complete snapshot when it is not the one
// serving.
func (r *replica) poll(ctx context.Context) error {
	m, err := snapshot.Latest(ctx, r.store)
	if err != nil {
		return err
	}
	if m.ID == r.current || m.ID == r.refused {
		return nil
	}
	start := time.Now()
	dir, err := snapshot.Pull(ctx, r.store, m, r.dir)
	if errors.Is(err, snapshot.ErrCorrupt) {
		r.refused = m.ID
		r.pulls.WithLabelValues("refused").Inc()
		r.log.Error("snapshot_refused", "id", m.ID, "serving", r.current, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	idx, err := indexer.OpenDir(dir)
	if err == nil && idx.Fingerprint != m.Fingerprint {
		_ = idx.Close()
		err = fmt.Errorf("snapshot %s: the index's fingerprint is not the manifest's", m.ID)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return err
	}
	g, err := r.live.make(idx)
	if err != nil {
		_ = idx.Close()
		_ = os.RemoveAll(dir)
		return err
	}
	g.cleanup = func() { _ = os.RemoveAll(dir) }
	// The previous snapshot is closed, and its copy deleted, when its last
	// search ends.
	r.live.publish(g)
	prev := r.current
	r.current = m.ID
	r.pulls.WithLabelValues("served").Inc()
	if prev != "" {
		r.serving.DeleteLabelValues(prev)
	}
	r.serving.WithLabelValues(m.ID).Set(1)
	r.log.Info("snapshot_serving", "id", m.ID, "previous", prev, "documents", m.Documents, "sections", m.Sections,
		"dir", filepath.Base(dir), "seconds", time.Since(start).Seconds())
	return nil
}

// apart refuses a snapshot folder that holds the replica's data folder or
// lies inside it: the replica deletes its old copies at start.
func apart(st snapshot.Store, data string) error {
	f, ok := st.(*snapshot.Folder)
	if !ok {
		return nil
	}
	abs, err := filepath.Abs(data)
	if err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	for _, pair := range [][2]string{{f.String(), abs}, {abs, f.String()}} {
		if rel, err := filepath.Rel(pair[0], pair[1]); err == nil && filepath.IsLocal(rel) {
			return fmt.Errorf("--snapshots %s and --data %s overlap: give the replica a data folder of its own, on local disk", f, abs)
		}
	}
	return nil
}
