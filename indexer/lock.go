package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockFile is the file in a data folder that the one process building there
// holds locked (flock), with its pid as the content. The kernel releases the
// lock when the holder exits, killed or not, so a crashed build never blocks
// the next one. The holder removes the file when it is done.
const lockFile = "LOCK"

// DefaultLockWait is how long LockData waits for another build by default.
const DefaultLockWait = 10 * time.Minute

// lockPoll is how often a waiting LockData tries the lock again.
const lockPoll = 100 * time.Millisecond

// LockOptions configures LockData. The zero value waits DefaultLockWait,
// silently.
type LockOptions struct {
	// Wait bounds how long to wait for another build to finish: 0 means
	// DefaultLockWait, a negative value not to wait at all.
	Wait time.Duration
	// Waiting, when set, is called once, with the holder's pid (0 if it
	// could not be read), when another process holds the lock.
	Waiting func(pid int)
}

// BusyError means another process builds in the data folder and did not
// finish within the wait.
type BusyError struct {
	Dir string
	PID int // 0 when the holder's pid could not be read
}

func (e *BusyError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("data folder %s is being built by %s (it holds %s); wait for it to finish, or stop it, and try again",
		e.Dir, who, filepath.Join(e.Dir, lockFile))
}

// Lock is the exclusive right to build in one data folder: to write the
// parse cache, create index directories, swap CURRENT and remove stale
// builds. Release it with Unlock.
type Lock struct {
	dir string
	f   *os.File
}

// LockData takes the build lock of dataDir (creating the folder if needed),
// waiting as opts say while another process holds it. It fails with a
// *BusyError when the wait runs out, and with the context's error when ctx
// ends first.
func LockData(ctx context.Context, dataDir string, opts LockOptions) (*Lock, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	wait := opts.Wait
	if wait == 0 {
		wait = DefaultLockWait
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		l, err := tryLock(dataDir)
		if l != nil || err != nil {
			return l, err
		}
		pid := holder(dataDir)
		if !told && opts.Waiting != nil && wait > 0 {
			opts.Waiting(pid)
			told = true
		}
		if wait < 0 || time.Now().After(deadline) {
			return nil, &BusyError{Dir: dataDir, PID: pid}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// tryLock takes the lock if it is free: nil, nil when another process
// holds it.
func tryLock(dataDir string) (*Lock, error) {
	name := filepath.Join(dataDir, lockFile)
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o640)
		if err != nil {
			return nil, fmt.Errorf("lock data folder: %w", err)
		}
		if err := flock(f); err != nil {
			_ = f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, nil
			}
			return nil, fmt.Errorf("lock data folder: %w", err)
		}
		// The previous holder removes the file before it lets go, so the
		// file locked may no longer be the one at the path: then try the
		// one that is there now.
		held, err1 := f.Stat()
		now, err2 := os.Stat(name)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			if err := writePID(f); err != nil {
				_ = f.Close()
				return nil, fmt.Errorf("lock data folder: %w", err)
			}
			return &Lock{dir: dataDir, f: f}, nil
		}
		_ = f.Close()
	}
}

func flock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// holder reads the pid of the process that holds the lock of dataDir; 0
// when there is none to read (the holder may not have written it yet).
func holder(dataDir string) int {
	for range 5 {
		data, err := os.ReadFile(filepath.Join(dataDir, lockFile))
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && perr == nil && pid > 0 {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0
}

// Dir is the data folder the lock is of.
func (l *Lock) Dir() string { return l.dir }

// Unlock removes the lock file and releases the lock.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := os.Remove(filepath.Join(l.dir, lockFile))
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	if err != nil {
		return fmt.Errorf("unlock data folder: %w", err)
	}
	return nil
}
