package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxFileSize bounds the size of one file the loaders read.
const MaxFileSize = 64 << 20

// Report says what loading a folder found: the documents read, and every file
// that could not be read, with the reason. One bad file never stops the rest.
type Report struct {
	Documents []Loaded
	Skipped   []*FileError
}

// FileError is a file that could not be loaded.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	var me *MetaError
	if errors.As(e.Err, &me) {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// Err joins the errors of every skipped file, or returns nil.
func (r *Report) Err() error {
	errs := make([]error, len(r.Skipped))
	for i, e := range r.Skipped {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// Sections counts the sections of all loaded documents.
func (r *Report) Sections() int {
	n := 0
	for _, d := range r.Documents {
		n += len(d.Sections)
	}
	return n
}

// LoadFS reads every supported document under root in fsys. Hidden files and
// folders are skipped; so are files whose format no loader reads (they are not
// reported, since a content folder may hold images and the like).
func LoadFS(fsys fs.FS, root string) *Report {
	r := &Report{}
	ids := map[string]string{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: p, Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isMarkdown(name) {
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		id := DocumentID(rel)
		if prev, dup := ids[id]; dup {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: fmt.Errorf("document id %q is already used by %s", id, prev)})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: err})
			return nil
		}
		if info.Size() > MaxFileSize {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: fmt.Errorf("file is %d bytes, larger than the %d-byte limit", info.Size(), MaxFileSize)})
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: err})
			return nil
		}
		doc, err := ParseMarkdown(id, rel, data)
		if err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: err})
			return nil
		}
		ids[id] = rel
		r.Documents = append(r.Documents, *doc)
		return nil
	})
	if err != nil {
		r.Skipped = append(r.Skipped, &FileError{Path: root, Err: err})
	}
	sort.Slice(r.Documents, func(i, j int) bool { return r.Documents[i].Document.ID < r.Documents[j].Document.ID })
	return r
}

func isMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// DocumentID derives a document id from a file's path relative to the content
// root: the path without extension, as a slug ("Guides/Port checks.md" gives
// "guides-port-checks").
func DocumentID(rel string) string {
	return Slug(strings.TrimSuffix(rel, path.Ext(rel)))
}

// Slug lowercases s, folds accents and keeps letters and digits, joined by
// single hyphens: "Article 18 — Contrôle" gives "article-18-controle". Dots
// between digits become hyphens too ("3.2" gives "3-2").
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return b.String()
}
