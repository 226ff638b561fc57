package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
const loaderVersion = "1"

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

// Loaded is what LoadIncremental found.
type Loaded struct {
	*content.Report
	Reused int // documents taken from the cache, not read again
}

// LoadIncremental loads the documents of a content folder, reading only the
// files that changed since the last run in dataDir: an unchanged file (same
// size and time, else same content hash, and unchanged sidecar and catalog
// files in its folder) comes from the cache of parsed documents. Deleted
// files are simply absent. The cache is rewritten for the next run.
func LoadIncremental(ctx context.Context, dataDir string, fsys fs.FS, opts content.Options) (*Loaded, error) {
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
	next := map[string]manifestEntry{}
	reuse := map[string]string{} // path -> cache key
	for p, info := range files {
		e := manifestEntry{Size: info.Size(), MTime: info.ModTime().UnixNano(), Meta: metaHash[path.Dir(p)]}
		if prev, ok := old[p]; ok && prev.Size == e.Size && prev.MTime == e.MTime && prev.Meta == e.Meta {
			e.Key = prev.Key
		} else {
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				continue // the loader reports it
			}
			sum := sha256.Sum256(append([]byte(loaderVersion+"\x00"+e.Meta+"\x00"), data...))
			e.Key = hex.EncodeToString(sum[:])
		}
		next[p] = e
		if _, err := os.Stat(cachePath(dir, e.Key)); err == nil {
			reuse[p] = e.Key
		}
	}
	opts.Select = func(p string) bool { _, cached := reuse[p]; return !cached }
	report, err := content.Load(ctx, fsys, ".", opts)
	if err != nil {
		return nil, err
	}
	res := &Loaded{Report: report}
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
			again, lerr := content.Load(ctx, fsys, ".", content.Options{Select: func(q string) bool { return q == p }})
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

// scan lists the regular files of fsys (hidden ones excluded) and hashes each
// folder's metadata files (sidecars and catalog).
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
		if !d.Type().IsRegular() {
			return nil
		}
		if d.Name() == content.CatalogName || strings.HasSuffix(d.Name(), content.SidecarSuffix) {
			meta[path.Dir(p)] = append(meta[path.Dir(p)], p)
			return nil
		}
		info, err := d.Info()
		if err == nil {
			files[p] = info
		}
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
			data, _ := fs.ReadFile(fsys, p)
			fmt.Fprintf(h, "%s %d\n", p, len(data))
			h.Write(data)
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
