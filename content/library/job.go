package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"handbook/content"
	"handbook/content/ingest"
)

// process runs job j: an upload is read where it was staged (a file the
// loaders refuse is refused, and nothing changes), moved under UploadsDir,
// and the StateFile changed as j says; then the index is rebuilt and
// swapped in. When any step fails, the file and the StateFile are put back
// as they were.
func (l *Library) process(ctx context.Context, j *Job) {
	l.update(j, func(j *Job) { j.State = StateIndexing })
	start := time.Now()
	err := l.run(ctx, j)
	l.update(j, func(j *Job) {
		j.Finished = time.Now().UTC()
		j.State = StateDone
		if err != nil {
			j.State = StateFailed
			var r *Refusal
			if !errors.As(err, &r) {
				r = &Refusal{Code: CodeIndexFailed, Detail: err.Error()}
			}
			j.Refusal = r
		}
	})
	if err != nil {
		l.opts.Logger.Warn("library_change_failed", "job", j.ID, "kind", j.Kind, "doc", j.DocID, "err", err)
		return
	}
	l.opts.Logger.Info("library_changed", "job", j.ID, "kind", j.Kind, "doc", j.DocID, "sections", j.Sections, "pages", j.Pages, "seconds", time.Since(start).Seconds())
}

func (l *Library) update(j *Job, f func(*Job)) {
	l.mu.Lock()
	f(j)
	done := j.Done()
	l.mu.Unlock()
	if done {
		close(j.done)
	}
}

func (l *Library) run(ctx context.Context, j *Job) error {
	var placed string // the upload's folder under UploadsDir, once moved there
	change := j.change
	if j.dir != "" {
		defer os.RemoveAll(j.dir) // what is left of the staging folder
		doc, err := l.read(ctx, j)
		if err != nil {
			return err
		}
		stamp := time.Now().UTC().Format("20060102") + "-" + j.ID[:6]
		if err := os.MkdirAll(filepath.Join(l.opts.Content, UploadsDir), 0o750); err != nil {
			return err
		}
		placed = filepath.Join(l.opts.Content, UploadsDir, stamp)
		if err := os.Rename(j.dir, placed); err != nil {
			return err
		}
		id := content.DocumentID(path.Join(UploadsDir, stamp, doc))
		l.update(j, func(j *Job) { j.DocID = id })
		if j.Replaces != "" {
			old := j.Replaces
			change = func(st *State) {
				if st.Superseded == nil {
					st.Superseded = map[string]string{}
				}
				st.Superseded[old] = id
			}
		}
	}
	undo := func() {
		if placed != "" {
			_ = os.RemoveAll(placed)
		}
	}
	if change != nil {
		prev, err := l.changeState(change)
		if err != nil {
			undo()
			return err
		}
		undo = func() {
			if placed != "" {
				_ = os.RemoveAll(placed)
			}
			if _, err := l.changeState(func(st *State) { *st = prev }); err != nil {
				l.opts.Logger.Error("library_state_not_restored", "job", j.ID, "err", err)
			}
		}
	}
	report, err := l.opts.Rebuild(ctx)
	if err != nil {
		undo()
		return &Refusal{Code: CodeIndexFailed, Detail: err.Error()}
	}
	if placed == "" {
		return nil
	}
	for _, d := range report.Documents {
		if d.Document.ID == j.DocID {
			l.update(j, func(j *Job) { j.Sections, j.Pages = len(d.Sections), d.Document.Pages })
			return nil
		}
	}
	// Read where it was staged but not in the folder: put everything back
	// and serve the index without it.
	reason := "the document is not in the rebuilt index"
	rel, _ := filepath.Rel(l.opts.Content, placed)
	for _, e := range report.Skipped {
		if strings.HasPrefix(e.Path, filepath.ToSlash(rel)+"/") {
			reason = e.Err.Error()
		}
	}
	undo()
	if _, err := l.opts.Rebuild(ctx); err != nil {
		l.opts.Logger.Error("library_rebuild_after_undo_failed", "job", j.ID, "err", err)
	}
	return &Refusal{Code: CodeUnreadable, Detail: reason}
}

// read loads the staged upload of j as the index will, names its file after
// its title, and notes what the editor may want to correct. It returns the
// file's name in its folder.
func (l *Library) read(ctx context.Context, j *Job) (string, error) {
	report, err := ingest.Load(ctx, ingest.DirFS(j.dir), ".", ingest.Options{MaxFileSize: l.opts.MaxBytes})
	if err != nil {
		return "", err
	}
	if len(report.Skipped) > 0 {
		return "", &Refusal{Code: CodeUnreadable, Detail: unprefixed(report.Skipped[0])}
	}
	if len(report.Documents) != 1 {
		return "", &Refusal{Code: CodeUnreadable, Detail: "no document found in the file"}
	}
	d := report.Documents[0]
	src := d.Document.Source
	ext := path.Ext(src)
	var warns []Warning
	if j.given.Title == "" && d.Document.Title == strings.TrimSuffix(src, ext) {
		warns = append(warns, Warning{Code: WarnTitleFromName, Args: []any{d.Document.Title}})
	}
	if j.given.Language == "" {
		warns = append(warns, Warning{Code: WarnLanguageRead, Args: []any{d.Document.Language}})
	}
	if d.Document.Format == content.FormatPDF && d.Document.Pages == 0 {
		warns = append(warns, Warning{Code: WarnNoPages})
	}
	name := src
	if slug := clip(content.Slug(d.Document.Title)); slug != "" && slug+ext != src {
		name = slug + ext
		if err := os.Rename(filepath.Join(j.dir, src), filepath.Join(j.dir, name)); err != nil {
			return "", err
		}
		if err := os.Rename(filepath.Join(j.dir, src+ingest.SidecarSuffix), filepath.Join(j.dir, name+ingest.SidecarSuffix)); err != nil {
			return "", err
		}
	}
	l.update(j, func(j *Job) {
		j.Title, j.Level, j.Warnings, j.Sections, j.Pages = d.Document.Title, d.Document.Level, warns, len(d.Sections), d.Document.Pages
	})
	return name, nil
}

// unprefixed is a loader's reason without the staged file's name.
func unprefixed(e *ingest.FileError) string {
	return e.Err.Error()
}

// changeState applies change to the StateFile and returns it as it was.
func (l *Library) changeState(change func(*State)) (State, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev, err := ReadState(l.opts.Content)
	if err != nil {
		return prev, err
	}
	next, err := ReadState(l.opts.Content) // a copy to change
	if err != nil {
		return prev, err
	}
	change(&next)
	data, err := jsonIndent(next)
	if err != nil {
		return prev, err
	}
	tmp := filepath.Join(l.opts.Content, StateFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return prev, err
	}
	if err := os.Rename(tmp, filepath.Join(l.opts.Content, StateFile)); err != nil {
		return prev, fmt.Errorf("%s: %w", StateFile, err)
	}
	return prev, nil
}
