package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"handbook/content"
	"handbook/content/ingest"
)

// FileStates is the size and modification time of every file of a content
// folder, taken before it is loaded (see StatFiles).
type FileStates map[string]fileState

type fileState struct {
	size  int64
	mtime int64
}

// StatFiles notes the size and modification time of every regular file of
// fsys. Taken before loading and compared by HashOriginals after it, it
// shows which files changed while they were read.
func StatFiles(fsys fs.FS) FileStates {
	out := FileStates{}
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, ok := ingest.RegularFile(fsys, p, d); ok {
			out[p] = fileState{info.Size(), info.ModTime().UnixNano()}
		}
		return nil
	})
	return out
}

// ErrOriginalChanged means a document's file changed while it was indexed or
// since: it is not the file whose text the index holds.
var ErrOriginalChanged = errors.New("the file changed since it was indexed; re-index it")

// HashOriginals records the size and SHA-256 of each document's file in
// fsys, by document id. A file whose size and time are those of its record in
// prev (the records of the index built before from the same folder) keeps
// that record without being read again, as the parse cache keeps its
// document: were it rewritten with its size and time kept, the server finds
// the old hash no longer matching and refuses it. A file that is gone,
// unreadable, or whose size or time differ from before (it changed while
// being loaded, so the bytes hashed may not be the bytes indexed) gets no
// record, and each such file is reported in the joined error; the records of
// the others are returned all the same.
func HashOriginals(ctx context.Context, fsys fs.FS, docs []content.Loaded, before FileStates, prev map[string]content.Original) (map[string]content.Original, error) {
	out := make(map[string]content.Original, len(docs))
	var errs []error
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := d.Document.Source
		if src == "" || !fs.ValidPath(src) {
			continue
		}
		o, err := hashOriginal(fsys, src, before[src], prev[d.Document.ID])
		if err != nil {
			errs = append(errs, fmt.Errorf("record original %s: %w", src, err))
			continue
		}
		out[d.Document.ID] = o
	}
	return out, errors.Join(errs...)
}

// RecordedOriginals returns the records of the files kept by the index
// served from dataDir, when it was built from source; nil when there is no
// such index.
func RecordedOriginals(dataDir, source string) map[string]content.Original {
	idx, err := Open(dataDir)
	if err != nil {
		return nil
	}
	defer idx.Close()
	if idx.Source != source {
		return nil
	}
	return idx.Originals
}

func hashOriginal(fsys fs.FS, src string, was fileState, prev content.Original) (content.Original, error) {
	// Stat first: a file that became a pipe or device is never opened.
	if st, err := fs.Stat(fsys, src); err != nil {
		return content.Original{}, err
	} else if !st.Mode().IsRegular() {
		return content.Original{}, errors.New("not a regular file")
	} else if now := (fileState{st.Size(), st.ModTime().UnixNano()}); now != was {
		return content.Original{}, ErrOriginalChanged
	} else if prev.Source == src && prev.SHA256 != "" && (fileState{prev.Size, prev.MTime}) == now {
		return prev, nil
	}
	f, err := fsys.Open(src)
	if err != nil {
		return content.Original{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return content.Original{}, err
	}
	if !st.Mode().IsRegular() {
		return content.Original{}, errors.New("not a regular file")
	}
	if (fileState{st.Size(), st.ModTime().UnixNano()}) != was {
		return content.Original{}, ErrOriginalChanged
	}
	sum, n, err := content.HashFile(io.LimitReader(f, st.Size()+1))
	if err != nil {
		return content.Original{}, err
	}
	if after, err := f.Stat(); err != nil || n != st.Size() || after.Size() != st.Size() || !after.ModTime().Equal(st.ModTime()) {
		return content.Original{}, ErrOriginalChanged
	}
	return content.Original{Source: src, Size: n, SHA256: sum, MTime: st.ModTime().UnixNano()}, nil
}

// Original returns what the build recorded of document id's file.
func (idx *Index) Original(id string) (content.Original, bool) {
	o, ok := idx.Originals[id]
	return o, ok
}
