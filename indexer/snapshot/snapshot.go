package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"handbook/indexer"
)

// Keys of a store.
const (
	latestKey    = "LATEST"
	snapshotsDir = "snapshots/"
	manifestName = "manifest.json"
	filesDir     = "files/"
)

// Format is the version of the manifest's layout.
const Format = 1

// Bounds of what is read from a store before it is checked.
const (
	maxLatest   = 1 << 10
	maxManifest = 16 << 20
)

// ErrNoSnapshot means the store holds no complete snapshot.
var ErrNoSnapshot = errors.New("no complete snapshot in the store")

// ErrCorrupt means a snapshot's manifest or one of its files is not what it
// should be: the snapshot is refused.
var ErrCorrupt = errors.New("snapshot does not match its manifest")

// Manifest describes one published snapshot. It is written after every
// file of the snapshot, so a snapshot with a manifest is complete.
type Manifest struct {
	Format  int       `json:"format"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// MappingVersion is indexer.MappingVersion of the program that built
	// the index; a replica with another one cannot open it.
	MappingVersion string `json:"mapping_version"`
	// Fingerprint identifies the documents indexed (indexer.Fingerprint).
	Fingerprint string `json:"fingerprint"`
	// Source is what the index was built from: "sample" or a content folder.
	Source    string `json:"source"`
	Documents int    `json:"documents"`
	Sections  int    `json:"sections"`
	// Checksum is the SHA-256 of the file list (path, size and SHA-256 of
	// each, in path order); its first 12 digits end the id.
	Checksum string `json:"checksum"`
	Files    []File `json:"files"`
}

// File is one file of a snapshot: its path inside the index folder
// (slash-separated), size and SHA-256.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// idLayout is the time part of an id: ids sort by the time they were
// published.
const idLayout = "20060102T150405.000Z"

var idPattern = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-[0-9a-f]{12}$`)

// validID says whether id has the form Publish gives ids (a timestamp, then
// the start of the content checksum), which also keeps it a safe file name.
func validID(id string) bool { return idPattern.MatchString(id) }

// idTime is the time an id was published.
func idTime(id string) (time.Time, bool) {
	if !validID(id) {
		return time.Time{}, false
	}
	t, err := time.Parse(idLayout, id[:len(idLayout)])
	return t, err == nil
}

// PublishOptions are the optional parts of Publish.
type PublishOptions struct {
	// Now gives the time of the snapshot (default time.Now).
	Now func() time.Time
}

// Publish copies the index folder indexDir (finished, and not written to
// while it runs: the caller holds the data folder's build lock) to st as a
// new snapshot: every file, then the manifest, then LATEST naming it.
func Publish(ctx context.Context, st Store, indexDir string, opts PublishOptions) (*Manifest, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	idx, err := indexer.OpenDir(indexDir)
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", indexDir, err)
	}
	sections, err := idx.DocCount()
	m := &Manifest{
		Format: Format, MappingVersion: indexer.MappingVersion, Fingerprint: idx.Fingerprint, Source: idx.Source,
		Documents: len(idx.Catalog), Sections: int(sections),
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", indexDir, err)
	}
	if m.Files, err = hashFolder(ctx, indexDir); err != nil {
		return nil, fmt.Errorf("publish %s: %w", indexDir, err)
	}
	m.Checksum = checksum(m.Files)
	m.Created = now().UTC()
	m.ID = m.Created.Format(idLayout) + "-" + m.Checksum[:12]
	prefix := snapshotsDir + m.ID + "/"
	for _, f := range m.Files {
		if err := putFile(ctx, st, prefix+filesDir+f.Path, filepath.Join(indexDir, filepath.FromSlash(f.Path)), f); err != nil {
			return nil, fmt.Errorf("publish %s to %s: %w", f.Path, st, err)
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := st.Put(ctx, prefix+manifestName, bytes.NewReader(data), int64(len(data))); err != nil {
		return nil, fmt.Errorf("publish manifest to %s: %w", st, err)
	}
	latest := []byte(m.ID + "\n")
	if err := st.Put(ctx, latestKey, bytes.NewReader(latest), int64(len(latest))); err != nil {
		return nil, fmt.Errorf("publish %s to %s: %w", latestKey, st, err)
	}
	return m, nil
}

// putFile uploads one file, checking that it is still the one hashed.
func putFile(ctx context.Context, st Store, key, name string, want File) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if err := st.Put(ctx, key, io.TeeReader(io.LimitReader(f, want.Size), h), want.Size); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fmt.Errorf("%s changed while it was published", name)
	}
	return nil
}

// hashFolder lists the regular files below dir with their sizes and hashes,
// in path order.
func hashFolder(ctx context.Context, dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", name)
		}
		rel, err := filepath.Rel(dir, name)
		if err != nil {
			return err
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		files = append(files, File{Path: filepath.ToSlash(rel), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err == nil && len(files) == 0 {
		err = errors.New("no files")
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// checksum hashes a file list, in the order given (path order).
func checksum(files []File) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s\n", f.Path, f.Size, f.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Latest returns the manifest of the newest complete snapshot: the one
// LATEST names; when LATEST is missing or names a snapshot without a valid
// manifest, the newest snapshot that has one. ErrNoSnapshot when there is
// none.
func Latest(ctx context.Context, st Store) (*Manifest, error) {
	id, err := readLatest(ctx, st)
	if err == nil {
		m, merr := ReadManifest(ctx, st, id)
		if merr == nil {
			return m, nil
		}
		if !errors.Is(merr, fs.ErrNotExist) && !errors.Is(merr, ErrCorrupt) {
			return nil, merr
		}
	} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, ErrCorrupt) {
		return nil, err
	}
	snaps, err := list(ctx, st)
	if err != nil {
		return nil, err
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		if !snaps[i].complete {
			continue
		}
		if m, err := ReadManifest(ctx, st, snaps[i].id); err == nil {
			return m, nil
		} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, ErrCorrupt) {
			return nil, err
		}
	}
	return nil, ErrNoSnapshot
}

func readLatest(ctx context.Context, st Store) (string, error) {
	data, err := get(ctx, st, latestKey, maxLatest)
	if err != nil {
		return "", err
	}
	id := strings.TrimSpace(string(data))
	if !validID(id) {
		return "", fmt.Errorf("%w: %s names %q, not a snapshot id", ErrCorrupt, latestKey, id)
	}
	return id, nil
}

// get reads a small object whole, refusing one over limit bytes.
func get(ctx context.Context, st Store, key string, limit int64) ([]byte, error) {
	r, err := st.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrCorrupt, key, limit)
	}
	return data, nil
}

// ReadManifest reads and checks the manifest of snapshot id.
func ReadManifest(ctx context.Context, st Store, id string) (*Manifest, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w: %q is not a snapshot id", ErrCorrupt, id)
	}
	data, err := get(ctx, st, snapshotsDir+id+"/"+manifestName, maxManifest)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", id, err)
	}
	return ParseManifest(id, data)
}

// ParseManifest reads and checks the manifest of snapshot id from data: an
// error wrapping ErrCorrupt when it is not one this program can pull.
func ParseManifest(id string, data []byte) (*Manifest, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w: %q is not a snapshot id", ErrCorrupt, id)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: snapshot %s: manifest: %v", ErrCorrupt, id, err)
	}
	if err := m.check(id); err != nil {
		return nil, fmt.Errorf("%w: snapshot %s: manifest: %v", ErrCorrupt, id, err)
	}
	return &m, nil
}

func (m *Manifest) check(id string) error {
	switch {
	case m.Format != Format:
		return fmt.Errorf("format %d, this program reads %d", m.Format, Format)
	case m.ID != id:
		return fmt.Errorf("names itself %q", m.ID)
	case len(m.Files) == 0:
		return errors.New("no files")
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		if !fs.ValidPath(f.Path) || f.Path == "." || seen[f.Path] || i > 0 && m.Files[i-1].Path >= f.Path {
			return fmt.Errorf("bad or repeated path %q (paths are relative, clean and sorted)", f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 || len(f.SHA256) != sha256.Size*2 {
			return fmt.Errorf("%s: bad size or hash", f.Path)
		}
	}
	if sum := checksum(m.Files); sum != m.Checksum || !strings.HasSuffix(id, "-"+sum[:12]) {
		return errors.New("checksum does not match the file list")
	}
	return nil
}

// Pull copies snapshot m from st into a new folder below localDir (on local
// disk) and checks every file's size and SHA-256 against the manifest. Only
// a snapshot that passed is there: it returns the folder, named after the
// snapshot id and unique, ready for indexer.OpenDir. On any failure nothing
// is left behind. A snapshot built with another mapping version is refused,
// as this program could not open it.
func Pull(ctx context.Context, st Store, m *Manifest, localDir string) (string, error) {
	if m.MappingVersion != indexer.MappingVersion {
		return "", fmt.Errorf("snapshot %s was built with mapping version %q, this program uses %q: publish it again with this version", m.ID, m.MappingVersion, indexer.MappingVersion)
	}
	if err := os.MkdirAll(localDir, 0o750); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(localDir, ".pull-"+m.ID+"-")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(tmp)
		}
	}()
	prefix := snapshotsDir + m.ID + "/" + filesDir
	for _, f := range m.Files {
		if err := pullFile(ctx, st, prefix+f.Path, filepath.Join(tmp, filepath.FromSlash(f.Path)), f); err != nil {
			return "", fmt.Errorf("pull snapshot %s from %s: %s: %w", m.ID, st, f.Path, err)
		}
	}
	final := filepath.Join(localDir, m.ID+"."+strings.TrimPrefix(filepath.Base(tmp), ".pull-"+m.ID+"-"))
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	ok = true
	return final, nil
}

func pullFile(ctx context.Context, st Store, key, name string, want File) error {
	r, err := st.Get(ctx, key)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		return err
	}
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), ctxReader{ctx, io.LimitReader(r, want.Size+1)})
	if err == nil {
		err = verify(n, h, want)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func verify(n int64, h hash.Hash, want File) error {
	if n != want.Size {
		return fmt.Errorf("%w: %d bytes, the manifest says %d", ErrCorrupt, n, want.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fmt.Errorf("%w: SHA-256 %s, the manifest says %s", ErrCorrupt, got, want.SHA256)
	}
	return nil
}

// snap is one snapshot found in a store.
type snap struct {
	id       string
	complete bool // has a manifest
	keys     []string
}

// list returns the store's snapshots in id order (oldest first); keys under
// snapshots/ that are no snapshot's are left out.
func list(ctx context.Context, st Store) ([]*snap, error) {
	keys, err := st.List(ctx, snapshotsDir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", st, err)
	}
	byID := map[string]*snap{}
	for _, k := range keys {
		id, rest, ok := strings.Cut(strings.TrimPrefix(k, snapshotsDir), "/")
		if !ok || !validID(id) {
			continue
		}
		s := byID[id]
		if s == nil {
			s = &snap{id: id}
			byID[id] = s
		}
		s.keys = append(s.keys, k)
		if rest == manifestName {
			s.complete = true
		}
	}
	snaps := make([]*snap, 0, len(byID))
	for _, s := range byID {
		snaps = append(snaps, s)
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].id < snaps[j].id })
	return snaps, nil
}

// PruneOptions say which snapshots Prune keeps.
type PruneOptions struct {
	// Keep is how many of the newest complete snapshots are kept whatever
	// their age (default 3).
	Keep int
	// KeepFor is the grace period: no snapshot younger is deleted, so a
	// replica that began to pull one finishes (default 1h).
	KeepFor time.Duration
	// Now is the time ages are counted from (default time.Now()).
	Now time.Time
}

// Prune deletes the snapshots that are both older than the newest Keep
// complete ones and older than KeepFor, and never the one LATEST names. An
// incomplete snapshot (no manifest) older than KeepFor is deleted too: its
// writer died. A snapshot's manifest is deleted before its files, so no
// replica starts to pull it half deleted. It returns the ids deleted.
func Prune(ctx context.Context, st Store, opts PruneOptions) ([]string, error) {
	if opts.Keep <= 0 {
		opts.Keep = 3
	}
	if opts.KeepFor <= 0 {
		opts.KeepFor = time.Hour
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	latest, err := readLatest(ctx, st)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	snaps, err := list(ctx, st)
	if err != nil {
		return nil, err
	}
	var deleted []string
	var errs []error
	complete := 0
	for i := len(snaps) - 1; i >= 0; i-- {
		s := snaps[i]
		if s.complete {
			complete++
			if complete <= opts.Keep {
				continue
			}
		}
		t, _ := idTime(s.id)
		if s.id == latest || opts.Now.Sub(t) < opts.KeepFor {
			continue
		}
		var files []string
		for _, k := range s.keys {
			if !strings.HasSuffix(k, "/"+manifestName) {
				files = append(files, k)
			}
		}
		if s.complete {
			if err := st.Delete(ctx, snapshotsDir+s.id+"/"+manifestName); err != nil {
				errs = append(errs, fmt.Errorf("delete snapshot %s: %w", s.id, err))
				continue
			}
		}
		if err := st.Delete(ctx, files...); err != nil {
			errs = append(errs, fmt.Errorf("delete snapshot %s: %w", s.id, err))
			continue
		}
		deleted = append(deleted, s.id)
	}
	return deleted, errors.Join(errs...)
}
