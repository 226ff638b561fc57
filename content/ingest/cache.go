package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"handbook/content"
)

// loaderVersion changes when the loaders read files differently, so cached
// documents parsed by an older program are read again.
const loaderVersion = "3"

// maxMetaFile bounds what is hashed of a metadata file (a sidecar or
// catalog): they are small YAML files.
const maxMetaFile = 16 << 20

// cacheDir holds parsed documents and the manifest of the files they came
// from, under the data folder.
const cacheDir = "cache"

// manifestEntry remembers a file as last seen.
type manifestEntry struct {
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime_ns"`
	Meta  string `json:"meta"` // hash of its folder's metadata files
	Key   string `json:"key"`  // the parsed document's cache key
}

// Incremental is what LoadIncremental found.
type Incremental struct {
	*Report
	Reused int // documents taken from the cache, not read again
}

// LoadIncremental loads the documents of a content folder, reading only the
// files that changed since the last run in dataDir: an unchanged file (same
// size and time, else same content hash, and unchanged sidecar and catalog
// files in its folder) comes from the cache of parsed documents. Deleted
// files are simply absent. The cache is rewritten for the next run.
func LoadIncremental(ctx context.Context, dataDir string, fsys fs.FS, opts Options) (*Incremental, error) {
	dir := filepath.Join(dataDir, cacheDir)
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o750); err != nil {
		return nil, fmt.Errorf("document cache: %w", err)
	}
	old := map[string]manifestEntry{}
	if data, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		_ = json.Unmarshal(data, &old) // a damaged manifest only costs a full read
	}
	files, metaHash, err := scan(fsys)
	if err != nil {
		return nil, err
	}
	limit := opts.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	next := map[string]manifestEntry{}
	reuse := map[string]string{} // path -> cache key
	for p, info := range files {
		if info.Size() > limit {
			continue // not hashed: the loader reports it from its size
		}
		e := manifestEntry{Size: info.Size(), MTime: info.ModTime().UnixNano(), Meta: metaHash[path.Dir(p)]}
		if prev, ok := old[p]; ok && prev.Size == e.Size && prev.MTime == e.MTime && prev.Meta == e.Meta {
			e.Key = prev.Key
		} else {
			key, err := contentKey(fsys, p, e.Meta, limit)
			if err != nil {
				continue // the loader reports it
			}
			e.Key = key
		}
		next[p] = e
		if _, err := os.Stat(cachePath(dir, e.Key)); err == nil {
			reuse[p] = e.Key
		}
	}
	opts.Select = func(p string) bool { _, cached := reuse[p]; return !cached }
	report, err := Load(ctx, fsys, ".", opts)
	if err != nil {
		return nil, err
	}
	res := &Incremental{Report: report}
	for _, d := range report.Documents {
		if e, ok := next[d.Document.Source]; ok {
			if err := writeCache(dir, e.Key, d); err != nil {
				return nil, err
			}
		}
	}
	for p, key := range reuse {
		var d content.Loaded
		data, err := os.ReadFile(cachePath(dir, key))
		if err == nil {
			err = json.Unmarshal(data, &d)
		}
		if err != nil { // unreadable cache entry: read the file after all
			again, lerr := Load(ctx, fsys, ".", Options{Select: func(q string) bool { return q == p }})
			if lerr != nil {
				return nil, lerr
			}
			report.Documents = append(report.Documents, again.Documents...)
			report.Skipped = append(report.Skipped, again.Skipped...)
			continue
		}
		report.Documents = append(report.Documents, d)
		res.Reused++
	}
	sort.Slice(report.Documents, func(i, j int) bool { return report.Documents[i].Document.ID < report.Documents[j].Document.ID })
	keep := map[string]bool{}
	for _, e := range next {
		keep[e.Key] = true
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "docs")); err == nil {
		for _, f := range entries {
			if !keep[strings.TrimSuffix(f.Name(), ".json")] {
				_ = os.Remove(filepath.Join(dir, "docs", f.Name()))
			}
		}
	}
	data, _ := json.Marshal(next)
	if err := writeFileAtomic(filepath.Join(dir, "manifest.json"), data); err != nil {
		return nil, fmt.Errorf("document cache: %w", err)
	}
	return res, nil
}

// contentKey is the cache key of file p: a hash of the loader version, its
// folder's metadata hash and its content, read as a stream (never more than
// limit bytes: a larger file is an error).
func contentKey(fsys fs.FS, p, meta string, limit int64) (string, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	h.Write([]byte(loaderVersion + "\x00" + meta + "\x00"))
	n, err := io.Copy(h, io.LimitReader(f, limit+1))
	if err != nil {
		return "", err
	}
	if n > limit {
		return "", fmt.Errorf("%s: larger than %d bytes", p, limit)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// scan lists the regular files of fsys (hidden ones excluded), with those
// that symbolic links lead to as the loader reads them (Load
// reports the links it does not follow), and hashes each folder's metadata
// files (sidecars and catalog).
func scan(fsys fs.FS) (map[string]fs.FileInfo, map[string]string, error) {
	files := map[string]fs.FileInfo{}
	meta := map[string][]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // the loader reports unreadable folders
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, ok := RegularFile(fsys, p, d)
		if !ok {
			return nil // pipes, devices, sockets, links to them
		}
		if d.Name() == CatalogName || strings.HasSuffix(d.Name(), SidecarSuffix) {
			meta[path.Dir(p)] = append(meta[path.Dir(p)], p)
			return nil
		}
		files[p] = info
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("scan content: %w", err)
	}
	hashes := map[string]string{}
	for dir, ps := range meta {
		sort.Strings(ps)
		h := sha256.New()
		for _, p := range ps {
			// As "path size\n" then the content; the size from what was
			// read, hashed as a stream.
			var buf bytes.Buffer
			if f, err := fsys.Open(p); err == nil {
				_, _ = io.Copy(&buf, io.LimitReader(f, maxMetaFile))
				_ = f.Close()
			}
			fmt.Fprintf(h, "%s %d\n", p, buf.Len())
			h.Write(buf.Bytes())
		}
		hashes[dir] = hex.EncodeToString(h.Sum(nil))
	}
	return files, hashes, nil
}

func cachePath(dir, key string) string { return filepath.Join(dir, "docs", key+".json") }

func writeCache(dir, key string, d content.Loaded) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(cachePath(dir, key), data); err != nil {
		return fmt.Errorf("document cache: %w", err)
	}
	return nil
}

func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// HoldsContentCache reports whether dataDir holds the parse cache that only
// an index built from a content folder leaves, so that a missing index there
// is an index lost, not a folder never used.
func HoldsContentCache(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, cacheDir, "manifest.json"))
	return err == nil
}
