package indexer_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"handbook/indexer"
)

// TestLockDataRefusesWhenHeld: with no wait, a second build on a locked
// data folder fails with the holder's pid; once released it proceeds.
func TestLockDataRefusesWhenHeld(t *testing.T) {
	data := t.TempDir()
	l, err := indexer.LockData(context.Background(), data, indexer.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = indexer.LockData(context.Background(), data, indexer.LockOptions{Wait: -1})
	if err == nil || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: %v, want a refusal naming pid %d", err, os.Getpid())
	}
	var told []int
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := indexer.LockData(ctx, data, indexer.LockOptions{Waiting: func(pid int) { told = append(told, pid) }}); err != context.DeadlineExceeded {
		t.Errorf("waiting lock: %v, want the context's deadline", err)
	}
	if len(told) != 1 || told[0] != os.Getpid() {
		t.Errorf("told %v, want once with pid %d", told, os.Getpid())
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := indexer.LockData(context.Background(), data, indexer.LockOptions{Wait: -1})
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	l2.Unlock()
}
