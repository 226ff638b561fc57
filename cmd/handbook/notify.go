package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"handbook/content/store"
)

// snapshotChannel is the PostgreSQL channel on which "index --publish --db"
// announces a new snapshot. A notification only says "look again": replicas
// still poll, so one missed costs a poll interval, not a stale replica.
const snapshotChannel = "handbook_snapshots"

// notifyPublished tells the replicas listening on db that a snapshot was
// published. A failure is logged: the replicas' polling finds it anyway.
func notifyPublished(ctx context.Context, db, id string, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, db)
	if err == nil {
		_, err = conn.Exec(ctx, "SELECT pg_notify($1, $2)", snapshotChannel, id)
		_ = conn.Close(ctx)
	}
	if err != nil {
		log.Warn("snapshot_notify_failed", "db", store.Redact(db), "err", err)
	}
}

// listenForSnapshots sends on wake whenever a snapshot is announced on db,
// and once after every (re)connection, since notifications sent while it was
// away are lost. It reconnects after a second when the connection drops,
// until ctx ends.
func listenForSnapshots(ctx context.Context, db string, wake chan<- struct{}, log *slog.Logger) {
	poke := func() {
		select {
		case wake <- struct{}{}:
		default: // a look is already due
		}
	}
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, db)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+snapshotChannel)
		}
		if err == nil {
			poke()
			for {
				if _, err = conn.WaitForNotification(ctx); err != nil {
					break
				}
				poke()
			}
		}
		if conn != nil {
			_ = conn.Close(context.Background())
		}
		if ctx.Err() != nil {
			return
		}
		log.Warn("snapshot_listen_lost", "db", store.Redact(db), "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
