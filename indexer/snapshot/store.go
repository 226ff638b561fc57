package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Store is where snapshots are published and pulled from. Keys are
// slash-separated paths below the store's root ("LATEST",
// "snapshots/<id>/manifest.json"). A reader sees an object whole or not at
// all: Put replaces it atomically.
type Store interface {
	// Get opens the object at key; an error wrapping fs.ErrNotExist when
	// there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Put writes the object at key from r, which holds size bytes.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// List returns the keys below prefix (which ends with a slash), in
	// any order.
	List(ctx context.Context, prefix string) ([]string, error)
	// Delete removes the objects at keys; a key that is absent is no error.
	Delete(ctx context.Context, keys ...string) error
	// String names the store for messages (never with credentials).
	String() string
}

// Open returns the store dest names: "s3://bucket/prefix" for S3-compatible
// object storage (see OpenS3; its endpoint and keys come from the standard
// AWS environment variables, read through getenv), else a folder, as
// "file:///path" or a plain path.
func Open(dest string, getenv func(string) string) (Store, error) {
	switch {
	case dest == "":
		return nil, errors.New("no snapshot store named")
	case strings.HasPrefix(dest, "s3://"):
		s, err := OpenS3(dest, S3Options{Getenv: getenv})
		if err != nil {
			return nil, err
		}
		return s, nil
	case strings.Contains(dest, "://") && !strings.HasPrefix(dest, "file://"):
		return nil, fmt.Errorf("snapshot store %q: only s3:// and file:// addresses, or a plain path, are known", dest)
	}
	f, err := OpenFolder(strings.TrimPrefix(dest, "file://"))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Folder is a store in a local or shared folder. Objects are written to a
// temporary file beside their place, synced, then renamed into it.
type Folder struct {
	root string
}

// OpenFolder returns the folder store at dir. Nothing is written there
// before the first Put, which creates the folders it needs: a replica that
// only reads never writes.
func OpenFolder(dir string) (*Folder, error) {
	if dir == "" {
		return nil, errors.New("snapshot folder: empty path")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("snapshot folder %s: %w", dir, err)
	}
	return &Folder{root: abs}, nil
}

func (f *Folder) String() string { return f.root }

func (f *Folder) path(key string) (string, error) {
	if !fs.ValidPath(key) || key == "." {
		return "", fmt.Errorf("snapshot store: bad key %q", key)
	}
	return filepath.Join(f.root, filepath.FromSlash(key)), nil
}

// Get opens the file at key.
func (f *Folder) Get(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := f.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Put writes the file at key atomically (temporary file, sync, rename).
func (f *Folder) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	p, err := f.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		return err
	}
	n, err := io.Copy(tmp, ctxReader{ctx, r})
	if err == nil && n != size {
		err = fmt.Errorf("put %s: wrote %d bytes, expected %d", key, n, size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(filepath.Dir(p)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// List walks the folder below prefix; temporary files are left out.
func (f *Folder) List(_ context.Context, prefix string) ([]string, error) {
	p, err := f.path(strings.TrimSuffix(prefix, "/"))
	if err != nil {
		return nil, err
	}
	var keys []string
	err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.Contains(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(f.root, name)
		if err != nil {
			return err
		}
		keys = append(keys, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(keys)
	return keys, err
}

// Delete removes the files at keys, then the folders they leave empty.
func (f *Folder) Delete(_ context.Context, keys ...string) error {
	var errs []error
	dirs := map[string]bool{}
	for _, k := range keys {
		p, err := f.path(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		for d := path.Dir(k); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first, so a parent is tried after its children.
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool { return strings.Count(order[i], "/") > strings.Count(order[j], "/") })
	for _, d := range order {
		_ = os.Remove(filepath.Join(f.root, filepath.FromSlash(d))) // fails while not empty: fine
	}
	return errors.Join(errs...)
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
