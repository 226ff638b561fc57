package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"handbook/content/store"
	"handbook/indexer"
	"handbook/indexer/snapshot"
)

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	var c dataConfig
	var p publishConfig
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents to index; the embedded sample when empty (env HANDBOOK_CONTENT)")
	fs.StringVar(&p.Dest, "publish", getenv("HANDBOOK_PUBLISH"), "after the build, publish the index as a snapshot to this folder or s3://bucket/prefix, for \"handbook serve --snapshots\" (env HANDBOOK_PUBLISH)")
	fs.IntVar(&p.Keep, "keep", 3, "with --publish: the newest snapshots kept whatever their age")
	fs.StringVar(&p.DB, "db", getenv("HANDBOOK_DB"), "with --publish: the replicas' PostgreSQL (postgres://…), told of the new snapshot by NOTIFY so they pull it at once (env HANDBOOK_DB)")
	fs.DurationVar(&p.KeepFor, "keep-for", time.Hour, "with --publish: no snapshot younger than this is deleted (replicas may still be pulling it)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook index [--data DIR] [--content DIR] [--publish DEST [--keep 3] [--keep-for 1h] [--db URL]]\n\nBuilds a new index beside the served one and swaps it in when complete;\nfiles that cannot be read are listed with the reason, and the rest are indexed.\nOnly files changed since the last run are read again. With --publish, the\nindex is then published as a snapshot, and snapshots older than the newest\n--keep and older than --keep-for are deleted. Exit status: 0 when every\nfile was read, 3 when some were skipped, 1 on failure.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	var st snapshot.Store
	if p.Dest != "" && p.DB != "" && !store.IsPostgres(p.DB) {
		return errors.New("--db with index --publish: a PostgreSQL URL (postgres://…), to tell the replicas listening there")
	}
	if p.Dest != "" {
		if p.Keep < 1 || p.KeepFor <= 0 {
			return errors.New("--keep must be at least 1 and --keep-for positive")
		}
		var err error
		if st, err = snapshot.Open(p.Dest, getenv); err != nil {
			return fmt.Errorf("--publish: %w", err)
		}
	}
	log := newLogger(stderr)
	lock, err := c.lock(ctx, log, stdout)
	if err != nil {
		return err
	}
	defer c.unlock(lock, log)
	stats, report, err := c.buildLocked(ctx, lock, log, stdout)
	if err != nil {
		return err
	}
	if st != nil {
		// Under the lock: no other build removes the index folder while
		// it is copied.
		if err := p.publish(ctx, st, stats.Dir, log, stdout); err != nil {
			return err
		}
	}
	if len(report.Skipped) > 0 {
		return fmt.Errorf("%w: %d (listed above); the rest are indexed", errSkipped, len(report.Skipped))
	}
	return nil
}

// publishConfig is what index --publish needs.
type publishConfig struct {
	Dest    string
	Keep    int
	KeepFor time.Duration
	DB      string // PostgreSQL to NOTIFY, or ""
}

// publish publishes the index folder dir to st, unless the newest snapshot
// there already holds the same documents built the same way, then prunes
// old snapshots.
func (p publishConfig) publish(ctx context.Context, st snapshot.Store, dir string, log *slog.Logger, out io.Writer) error {
	idx, err := indexer.OpenDir(dir)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	fingerprint := idx.Fingerprint
	_ = idx.Close()
	latest, err := snapshot.Latest(ctx, st)
	switch {
	case err == nil && latest.Fingerprint == fingerprint && latest.MappingVersion == indexer.MappingVersion:
		fmt.Fprintf(out, "snapshot %s in %s holds this index already: not published again\n", latest.ID, st)
	case err != nil && !errors.Is(err, snapshot.ErrNoSnapshot):
		return fmt.Errorf("publish: %w", err)
	default:
		start := time.Now()
		m, err := snapshot.Publish(ctx, st, dir, snapshot.PublishOptions{})
		if err != nil {
			return err
		}
		log.Info("snapshot_published", "id", m.ID, "store", st.String(), "files", len(m.Files), "seconds", time.Since(start).Seconds())
		fmt.Fprintf(out, "published snapshot %s to %s (%d documents, %d sections, %d files)\n", m.ID, st, m.Documents, m.Sections, len(m.Files))
		if p.DB != "" {
			notifyPublished(ctx, p.DB, m.ID, log)
		}
	}
	deleted, err := snapshot.Prune(ctx, st, snapshot.PruneOptions{Keep: p.Keep, KeepFor: p.KeepFor})
	for _, id := range deleted {
		fmt.Fprintf(out, "deleted snapshot %s\n", id)
	}
	if err != nil {
		return fmt.Errorf("delete old snapshots: %w", err)
	}
	return nil
}
