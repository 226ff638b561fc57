package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// fileLocker is goose's lock for SQLite, which has no advisory locks: an
// exclusive flock on a file beside the database (user.db-lock, next to
// SQLite's own user.db-wal and user.db-shm), held while migrating, so that
// processes opening a new user.db at once migrate one after the other
// instead of racing to create the same tables. The kernel drops the lock
// when the process ends; the file stays.
type fileLocker struct {
	path string
	f    *os.File
}

// lockPoll is how often a waiting migration tries the lock again.
const lockPoll = 20 * time.Millisecond

func (l *fileLocker) Lock(ctx context.Context, _ *sql.DB) error {
	if err := PrivateFile(l.path); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			l.f = f
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return fmt.Errorf("migration lock %s: %w", l.path, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}

func (l *fileLocker) Unlock(context.Context, *sql.DB) error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close() // releases the flock
	l.f = nil
	return err
}
