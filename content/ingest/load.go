package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"handbook/content"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// MaxFileSize is the default bound on the size of one file the loaders
// read (Options.MaxFileSize).
const MaxFileSize = 64 << 20

// Report says what loading a folder found: the documents read, and every file
// that could not be read, with the reason. One bad file never stops the rest.
type Report struct {
	Documents []content.Loaded
	Skipped   []*FileError
	// Ignored lists the files that were not read because no loader reads
	// their format (stylesheets, images, GNU Info, DVI, …), in the order
	// met. Hidden files and the metadata files are not in it. An ignored
	// file is not an error: see IgnoredGroups for a summary.
	Ignored []Ignored
}

// ReasonUnsupported is the reason of a file ignored because no loader reads
// its format.
const ReasonUnsupported = "not a supported format"

// Ignored is a file that was not read, and why.
type Ignored struct {
	Path   string // relative to the root
	Ext    string // its extension, lower case ("" when it has none)
	Reason string // ReasonUnsupported
}

// IgnoredGroup counts the ignored files of one reason and extension.
type IgnoredGroup struct {
	Reason string
	Ext    string
	Paths  []string // in the order met
}

// IgnoredGroups groups the ignored files by reason, then by extension: the
// reasons in the order first met, the extensions of each by descending
// count (then by name).
func (r *Report) IgnoredGroups() []IgnoredGroup {
	var groups []IgnoredGroup
	at := map[[2]string]int{}
	for _, ig := range r.Ignored {
		k := [2]string{ig.Reason, ig.Ext}
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, IgnoredGroup{Reason: ig.Reason, Ext: ig.Ext})
		}
		groups[i].Paths = append(groups[i].Paths, ig.Path)
	}
	reason := map[string]int{}
	for _, g := range groups {
		if _, ok := reason[g.Reason]; !ok {
			reason[g.Reason] = len(reason)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if reason[a.Reason] != reason[b.Reason] {
			return reason[a.Reason] < reason[b.Reason]
		}
		if len(a.Paths) != len(b.Paths) {
			return len(a.Paths) > len(b.Paths)
		}
		return a.Ext < b.Ext
	})
	return groups
}

// FileError is a file that could not be loaded.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	// A metadata error names the file that holds the metadata.
	if me, ok := e.Err.(*content.MetaError); ok {
		return me.Error()
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

// Pages counts the printed pages of all loaded documents that have them.
func (r *Report) Pages() int {
	n := 0
	for _, d := range r.Documents {
		n += d.Document.Pages
	}
	return n
}

// LoadFS reads every supported document under root in fsys with the default
// Options. See Load.
func LoadFS(fsys fs.FS, root string) *Report {
	r, _ := Load(context.Background(), fsys, root, Options{})
	return r
}

// Load reads every supported document under root in fsys: Markdown, plain
// text, HTML, PDF, DOCX and EPUB, chosen by extension and checked against the
// content. Hidden files and folders are skipped, and the metadata files
// (sidecars and catalogs, see CatalogName and SidecarSuffix) are read as
// metadata. A file whose format no loader reads (a content folder may hold
// images and the like) is not read but listed in Report.Ignored. Every file
// that cannot be read is in Report.Skipped with the reason, and every other
// file is loaded. The error is ctx's, when it ends the run
// early; the report then holds what was read so far.
func Load(ctx context.Context, fsys fs.FS, root string, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	r := &Report{}
	var docs []string
	files := map[string]bool{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		if err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: p, Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if formatOf(d.Name()) == "" && !isMetaName(d.Name()) {
			r.Ignored = append(r.Ignored, Ignored{Path: rel, Ext: strings.ToLower(path.Ext(d.Name())), Reason: ReasonUnsupported})
			return nil
		}
		if !d.Type().IsRegular() {
			// Only what would be read is looked at: a document or a
			// metadata file. A link is followed only to a regular file
			// (DirFS also refuses one that leaves the folder); a pipe,
			// device or socket is never opened.
			if err := checkEntry(fsys, p, d); err != nil {
				r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: err})
				return nil
			}
		}
		if isMetaName(d.Name()) {
			// Metadata files are read whole: small YAML files.
			if info, err := fs.Stat(fsys, p); err == nil && info.Size() > maxMetaSize {
				r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: kindf(ErrTooLarge, "the metadata file is %s, larger than the limit of %s", byteSize(info.Size()), byteSize(maxMetaSize))})
				return nil
			}
		}
		files[rel] = true
		if formatOf(d.Name()) != "" {
			docs = append(docs, rel)
		}
		return nil
	})
	if err != nil {
		r.Skipped = append(r.Skipped, &FileError{Path: root, Err: err})
	}
	// The same document in two formats ("policy.pdf", "policy.txt") gets
	// ids with the extension ("policy-pdf", "policy-txt").
	stems := map[string]int{}
	for _, d := range docs {
		stems[content.DocumentID(d)]++
	}
	idOf := func(rel string) string {
		if stems[content.DocumentID(rel)] > 1 {
			return content.Slug(rel)
		}
		return content.DocumentID(rel)
	}
	meta := &metaSource{fsys: fsys, root: root, files: files, catalogs: map[string]*catalog{}}
	isDoc := map[string]bool{}
	for _, d := range docs {
		isDoc[d] = true
	}
	r.Skipped = append(r.Skipped, meta.problems(isDoc)...)
	if opts.Select != nil {
		selected := docs[:0:0]
		for _, d := range docs {
			if opts.Select(d) {
				selected = append(selected, d)
			}
		}
		docs = selected
	}

	type result struct {
		doc *content.Loaded
		err error
	}
	results := make([]result, len(docs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(opts.Workers, max(len(docs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				doc, err := loadFile(ctx, fsys, docs[i], idOf(docs[i]), meta, opts)
				results[i] = result{doc, err}
				if opts.Progress != nil {
					mu.Lock()
					done++
					pr := Progress{Done: done, Total: len(docs), Path: docs[i], Err: err}
					if doc != nil {
						pr.Pages = doc.Document.Pages
					}
					opts.Progress(pr)
					mu.Unlock()
				}
			}
		}()
	}
	sent := 0
	for i := range docs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
		sent++
	}
	close(jobs)
	wg.Wait()

	ids := map[string]string{}
	for i, res := range results[:sent] {
		rel := docs[i]
		if res.err != nil {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: res.err})
			continue
		}
		id := res.doc.Document.ID
		if prev, dup := ids[id]; dup {
			r.Skipped = append(r.Skipped, &FileError{Path: rel, Err: fmt.Errorf("document id %q is already used by %s", id, prev)})
			continue
		}
		ids[id] = rel
		r.Documents = append(r.Documents, *res.doc)
	}
	sort.Slice(r.Documents, func(i, j int) bool { return r.Documents[i].Document.ID < r.Documents[j].Document.ID })
	return r, ctx.Err()
}

// loadFile reads one document: size and content checks, the format's loader,
// then its metadata.
func loadFile(ctx context.Context, fsys fs.FS, rel, id string, meta *metaSource, opts Options) (doc *content.Loaded, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, kindf(ErrCorrupt, "the loader failed on this file: %v", p)
			if ctx.Err() != nil { // a loader stopped early may fail so
				err = kindf(ErrTimeout, "reading the file took longer than %s", opts.Timeout)
			}
		}
	}()
	full := meta.full(rel)
	info, err := fs.Stat(fsys, full)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(info.Mode())
	}
	if info.Size() > opts.MaxFileSize {
		return nil, kindf(ErrTooLarge, "the file is %s, larger than the limit of %s", byteSize(info.Size()), byteSize(opts.MaxFileSize))
	}
	f, err := fsys.Open(full)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		if err == nil {
			err = notRegular(fi.Mode())
		}
		return nil, err
	}
	data, err := readLimited(f, info.Size(), opts.MaxFileSize)
	_ = f.Close()
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > opts.MaxFileSize {
		return nil, kindf(ErrTooLarge, "the file is larger than the limit of %s", byteSize(opts.MaxFileSize))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if len(data) == 0 {
			return nil, kindf(ErrEmpty, "the file is empty")
		}
		return nil, kindf(ErrEmpty, "the file holds only white space")
	}
	format := formatOf(rel)
	if err := checkKind(format, data); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	var p *parsed
	switch format {
	case content.FormatMarkdown:
		p, err = readMarkdownFile(ctx, id, rel, data)
	case content.FormatText:
		p, err = readText(ctx, id, data)
	case content.FormatHTML:
		p, err = readHTML(ctx, id, data)
	case content.FormatPDF:
		p, err = parsePDF(ctx, id, data, opts)
	case content.FormatDOCX:
		p, err = readDOCX(ctx, id, data, opts)
	case content.FormatEPUB:
		p, err = readEPUB(ctx, id, data, opts)
	}
	// A loader stopped by ctx may return an error of its own, or what it
	// read so far: either way the file is a timeout.
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, kindf(ErrTimeout, "reading the file took longer than %s", opts.Timeout)
		}
		return nil, kindf(ErrTimeout, "reading the file was stopped: %v", context.Cause(ctx))
	}
	if err != nil {
		return nil, err
	}
	return meta.resolve(rel, id, p)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// parseMarkdownFile reads Markdown: with front matter exactly as
// ParseMarkdown; without, its headings, with metadata from elsewhere.
func parseMarkdownFile(id, rel string, data []byte) (*parsed, error) {
	return readMarkdownFile(context.Background(), id, rel, data)
}

// readMarkdownFile is parseMarkdownFile, stopped early when ctx ends.
func readMarkdownFile(ctx context.Context, id, rel string, data []byte) (*parsed, error) {
	data, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("---")) {
		l, err := parseMarkdown(ctx, id, rel, data)
		if err != nil {
			return nil, err
		}
		meta := l.Document
		return &parsed{format: content.FormatMarkdown, sections: l.Sections, meta: &meta, pages: lastPage(l.Sections)}, nil
	}
	sections := markdownSections(ctx, id, data)
	p := &parsed{format: content.FormatMarkdown, sections: sections, pages: lastPage(sections)}
	for _, s := range sections {
		if s.Level == 1 && s.Heading != "Introduction" || s.Number != "" {
			p.title = s.Title()
			break
		}
	}
	return p, nil
}

func parseText(id string, data []byte) (*parsed, error) {
	return readText(context.Background(), id, data)
}

// readText is parseText, stopped early when ctx ends.
func readText(ctx context.Context, id string, data []byte) (*parsed, error) {
	data, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	sections := textSections(ctx, id, string(data))
	p := &parsed{format: content.FormatText, sections: sections, pages: lastPage(sections)}
	if len(sections) > 0 && sections[0].Heading != "Introduction" {
		p.title = sections[0].Title()
	}
	return p, nil
}

func lastPage(sections []content.Section) int {
	n := 0
	for _, s := range sections {
		n = max(n, s.PageEnd)
	}
	return n
}
