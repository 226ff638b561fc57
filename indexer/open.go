package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"handbook/content"
)

// Index is an opened, read-only index with the catalog of its documents.
type Index struct {
	bleve.Index
	Dir         string
	Fingerprint string
	Source      string // SourceSample or the content folder it was built from
	// Documents maps a document id to its metadata; Catalog lists them in
	// id order.
	Documents map[string]*content.Document
	Catalog   []*content.Document
	// RankStats are the collection statistics counted at build time.
	RankStats RankStats
	// Originals holds, by document id, what the build recorded of each
	// document's file (see content.Original); nil for an index built without them.
	Originals map[string]content.Original
}

// OutdatedError means the index was built by a program with another mapping
// version; Source says what it was built from, so the caller can rebuild it
// from the same documents.
type OutdatedError struct {
	Source     string
	Have, Want string
}

func (e *OutdatedError) Error() string {
	return fmt.Sprintf("built with mapping version %q, this program uses %q: rebuild it", e.Have, e.Want)
}

// Open opens the index currently served from dataDir, read-only, so several
// processes (a server and the search command) can read it at once.
func Open(dataDir string) (*Index, error) {
	cur, err := os.ReadFile(filepath.Join(dataDir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoIndex
	}
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	name := strings.TrimSpace(string(cur))
	if !strings.HasPrefix(name, indexDirPrefix) || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("open index: %s names %q, not an index directory", currentFile, name)
	}
	return OpenDir(filepath.Join(dataDir, name))
}

// OpenDir opens the index in dir, read-only: an index folder as a build
// writes it, wherever it lies (a snapshot pulled to local disk). It never
// writes there.
func OpenDir(dir string) (*Index, error) {
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": "5s"})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	idx := &Index{Index: bi, Dir: dir, Documents: map[string]*content.Document{}}
	if err := idx.loadMeta(); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return idx, nil
}

func (idx *Index) loadMeta() error {
	src, err := idx.GetInternal(keySource)
	if err != nil {
		return err
	}
	idx.Source = string(src)
	v, err := idx.GetInternal(keyMapping)
	if err != nil {
		return err
	}
	if string(v) != MappingVersion {
		return &OutdatedError{Source: idx.Source, Have: string(v), Want: MappingVersion}
	}
	fp, err := idx.GetInternal(keyFingerprint)
	if err != nil {
		return err
	}
	idx.Fingerprint = string(fp)
	orig, err := idx.GetInternal(keyOriginals)
	if err != nil {
		return err
	}
	if len(orig) > 0 {
		if err := json.Unmarshal(orig, &idx.Originals); err != nil {
			return fmt.Errorf("read originals: %w", err)
		}
	}
	cat, err := idx.GetInternal(keyCatalog)
	if err != nil {
		return err
	}
	var docs []*content.Document
	if err := json.Unmarshal(cat, &docs); err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	idx.Catalog = docs
	for _, d := range docs {
		idx.Documents[d.ID] = d
	}
	return idx.loadRankStats()
}
