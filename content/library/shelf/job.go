package shelf

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
	"handbook/content/library"
)

// process runs job j: an upload is read where it was staged (a file the
// loaders refuse is refused, and nothing changes), moved under UploadsDir,
// and the StateFile changed as j says; then the index is rebuilt and
// swapped in. When any step fails, the file and the StateFile are put back
// as they were.
func (l *Library) process(ctx context.Context, t *task) {
	l.update(t, func(j *library.Job) { j.State = library.StateIndexing })
	start := time.Now()
	err := l.run(ctx, t)
	l.update(t, func(j *library.Job) {
		j.Finished = time.Now().UTC()
		j.State = library.StateDone
		if err != nil {
			j.State = library.StateFailed
			var r *library.Refusal
			if !errors.As(err, &r) {
				r = &library.Refusal{Code: library.CodeIndexFailed, Detail: err.Error()}
			}
			j.Refusal = r
		}
	})
	j, _ := l.Job(t.job.ID)
	if l.opts.Done != nil {
		l.opts.Done(j)
	}
	if err != nil {
		l.opts.Logger.Warn("library_change_failed", "job", j.ID, "kind", j.Kind, "doc", j.DocID, "err", err)
		return
	}
	l.opts.Logger.Info("library_changed", "job", j.ID, "kind", j.Kind, "doc", j.DocID, "sections", j.Sections, "pages", j.Pages, "seconds", time.Since(start).Seconds())
}

func (l *Library) update(t *task, f func(*library.Job)) {
	l.mu.Lock()
	f(&t.job)
	done := t.job.Done()
	l.mu.Unlock()
	if done {
		close(t.done)
	}
}

func (l *Library) run(ctx context.Context, t *task) error {
	j := &t.job
	var placed string // the upload's folder under UploadsDir, once moved there
	change := t.change
	if t.dir != "" {
		defer os.RemoveAll(t.dir) // what is left of the staging folder
		if err := l.read(ctx, t); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(l.opts.Content, library.UploadsDir), 0o750); err != nil {
			return err
		}
		placed = filepath.Join(l.opts.Content, library.UploadsDir, t.folder)
		if err := os.Rename(t.dir, placed); err != nil {
			return err
		}
		id := j.DocID
		if j.Replaces != "" {
			old := j.Replaces
			change = func(st *library.State) {
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
			if _, err := l.changeState(func(st *library.State) { *st = prev }); err != nil {
				l.opts.Logger.Error("library_state_not_restored", "job", j.ID, "err", err)
			}
		}
	}
	report, err := l.opts.Rebuild(ctx)
	if err != nil {
		undo()
		return &library.Refusal{Code: library.CodeIndexFailed, Detail: err.Error()}
	}
	if placed == "" {
		return nil
	}
	for _, d := range report.Documents {
		if d.Document.ID == j.DocID {
			l.update(t, func(j *library.Job) { j.Sections, j.Pages = len(d.Sections), d.Document.Pages })
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
	return &library.Refusal{Code: library.CodeUnreadable, Detail: reason}
}

// read loads the staged upload of t as the index will and notes what the
// editor may want to correct.
func (l *Library) read(ctx context.Context, t *task) error {
	report, err := ingest.Load(ctx, ingest.DirFS(t.dir), ".", ingest.Options{MaxFileSize: l.opts.MaxBytes})
	if err != nil {
		return err
	}
	if len(report.Skipped) > 0 {
		return &library.Refusal{Code: library.CodeUnreadable, Detail: report.Skipped[0].Err.Error()}
	}
	if len(report.Documents) != 1 {
		return &library.Refusal{Code: library.CodeUnreadable, Detail: "no document found in the file"}
	}
	d := report.Documents[0]
	src := d.Document.Source
	var warns []library.Warning
	if t.given.Title == "" && d.Document.Title == strings.TrimSuffix(src, path.Ext(src)) {
		warns = append(warns, library.Warning{Code: library.WarnTitleFromName, Args: []any{d.Document.Title}})
	}
	if t.given.Language == "" {
		warns = append(warns, library.Warning{Code: library.WarnLanguageRead, Args: []any{d.Document.Language}})
	}
	if d.Document.Format == content.FormatPDF && d.Document.Pages == 0 {
		warns = append(warns, library.Warning{Code: library.WarnNoPages})
	}
	l.update(t, func(j *library.Job) {
		j.Title, j.Level, j.Warnings, j.Sections, j.Pages = d.Document.Title, d.Document.Level, warns, len(d.Sections), d.Document.Pages
	})
	return nil
}

// changeState applies change to the StateFile and returns it as it was.
func (l *Library) changeState(change func(*library.State)) (library.State, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev, err := library.ReadState(l.opts.Content)
	if err != nil {
		return prev, err
	}
	next, err := library.ReadState(l.opts.Content) // a copy to change
	if err != nil {
		return prev, err
	}
	change(&next)
	data, err := library.JSONIndent(next)
	if err != nil {
		return prev, err
	}
	tmp := filepath.Join(l.opts.Content, library.StateFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return prev, err
	}
	if err := os.Rename(tmp, filepath.Join(l.opts.Content, library.StateFile)); err != nil {
		return prev, fmt.Errorf("%s: %w", library.StateFile, err)
	}
	return prev, nil
}
