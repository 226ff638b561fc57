package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mattn/go-isatty"

	"handbook/content/ingest"
	"handbook/content/library"
	"handbook/content/sample"
	"handbook/content/store"
	"handbook/indexer"
	"handbook/search/engine"
)

// dataConfig is what every subcommand that touches the index needs.
type dataConfig struct {
	Data    string // index and user data
	Content string // documents to index; "" for the embedded sample
	// DB is the PostgreSQL database of the user data (a postgres:// URL);
	// "" keeps it in user.db in the data folder.
	DB string

	onLoad func() // when set, called at each load of the documents (tests count them)
}

func (c *dataConfig) validate() error {
	if c.Data == "" {
		return errors.New("--data must name a folder")
	}
	if err := c.validateDB(); err != nil {
		return err
	}
	if c.Content != "" {
		if err := checkFolder("--content", c.Content); err != nil {
			return err
		}
		abs, err := filepath.Abs(c.Content)
		if err != nil {
			return fmt.Errorf("--content: %w", err)
		}
		c.Content = abs
	}
	return nil
}

func (c dataConfig) source() string {
	if c.Content == "" {
		return indexer.SourceSample
	}
	return c.Content
}

// load reads the configured documents: the content folder (only the files
// that changed since the last run; the rest come from the parse cache in the
// data folder), or the embedded sample.
func (c dataConfig) load(ctx context.Context, progress func(ingest.Progress)) (*ingest.Incremental, error) {
	if c.onLoad != nil {
		c.onLoad()
	}
	if c.Content == "" {
		r, err := ingest.Load(ctx, sample.FS(), ".", ingest.Options{Progress: progress})
		return &ingest.Incremental{Report: r}, err
	}
	// What editors replaced or withdrew from the page (library.StateFile)
	// holds in every build, the index command's too.
	st, err := library.ReadState(c.Content)
	if err != nil {
		return nil, err
	}
	inc, err := ingest.LoadIncremental(ctx, c.Data, ingest.DirFS(c.Content), ingest.Options{Progress: progress})
	if inc != nil && inc.Report != nil {
		inc.Documents = st.Apply(inc.Documents)
	}
	return inc, err
}

// errSkipped means the index was built but some files could not be read;
// the command exits with a status of its own.
var errSkipped = errors.New("some files were skipped")

// build takes the data folder's build lock (waiting while another build
// holds it), loads the documents, reports every file it skipped, and builds
// a new index. With out, it prints progress and a summary there.
func (c dataConfig) build(ctx context.Context, log *slog.Logger, out io.Writer) (*indexer.Stats, *ingest.Report, error) {
	lock, err := c.lock(ctx, log, out)
	if err != nil {
		return nil, nil, err
	}
	defer c.unlock(lock, log)
	return c.buildLocked(ctx, lock, log, out)
}

// lock takes the build lock of the data folder: one process at a time
// writes there (the parse cache, index directories, CURRENT). While another
// holds it, it says so (on out, and in the log) and waits up to
// indexer.DefaultLockWait, then fails naming the holder's pid.
func (c dataConfig) lock(ctx context.Context, log *slog.Logger, out io.Writer) (*indexer.Lock, error) {
	return indexer.LockData(ctx, c.Data, indexer.LockOptions{Waiting: func(pid int) {
		log.Info("build_waiting", "pid", pid, "data", c.Data)
		if out != nil {
			fmt.Fprintf(out, "waiting for the build of pid %d in %s to finish (at most %s)\n", pid, c.Data, indexer.DefaultLockWait)
		}
	}})
}

func (c dataConfig) unlock(l *indexer.Lock, log *slog.Logger) {
	if err := l.Unlock(); err != nil {
		log.Warn("unlock_failed", "data", c.Data, "err", err)
	}
}

// loadedContent is the documents one load read, with the states (sizes and
// times) of the content folder's files taken just before: a build records
// an original only while its file is as it was when loaded.
type loadedContent struct {
	*ingest.Incremental
	before indexer.FileStates // nil for the embedded sample
}

// loadContent states the content folder's files, then loads the documents.
func (c dataConfig) loadContent(ctx context.Context, progress func(ingest.Progress)) (*loadedContent, error) {
	var before indexer.FileStates
	if originals := c.originals(); originals != nil {
		before = indexer.StatFiles(originals)
	}
	loaded, err := c.load(ctx, progress)
	if err != nil {
		return nil, err
	}
	return &loadedContent{Incremental: loaded, before: before}, nil
}

// buildLocked is build under a lock already held: it loads the documents
// and builds from them (see buildLoaded).
func (c dataConfig) buildLocked(ctx context.Context, lock *indexer.Lock, log *slog.Logger, out io.Writer) (*indexer.Stats, *ingest.Report, error) {
	start := time.Now()
	var progress func(ingest.Progress)
	if out != nil {
		progress = newProgress(out)
	}
	loaded, err := c.loadContent(ctx, progress)
	if err != nil {
		return nil, nil, err
	}
	return c.buildLoaded(ctx, lock, log, out, start, loaded)
}

// buildLoaded builds an index, under a lock already held, from documents
// already loaded, reporting every file the load skipped. With a content
// folder it also records each original file's size and SHA-256, so that the
// server serves a file only while it is the one indexed; a file that changed
// since it was stated before the load gets no record (its original is not
// served until the next build). With out, it prints a summary there, timed
// from start.
func (c dataConfig) buildLoaded(ctx context.Context, lock *indexer.Lock, log *slog.Logger, out io.Writer, start time.Time, loaded *loadedContent) (*indexer.Stats, *ingest.Report, error) {
	report := loaded.Report
	for _, e := range report.Skipped {
		log.Warn("file_skipped", "path", e.Path, "reason", e.Err.Error())
	}
	if len(report.Documents) == 0 {
		return nil, report, fmt.Errorf("no documents could be read from %s", c.source())
	}
	var opts indexer.BuildOptions
	if originals := c.originals(); originals != nil {
		var err error
		prev := indexer.RecordedOriginals(c.Data, c.source())
		opts.Originals, err = indexer.HashOriginals(ctx, originals, report.Documents, loaded.before, prev)
		if cerr := ctx.Err(); cerr != nil {
			return nil, report, cerr
		}
		if err != nil {
			log.Warn("originals_not_recorded", "err", err)
		}
	}
	stats, err := lock.Build(ctx, report.Documents, c.source(), opts)
	if err != nil {
		return nil, report, err
	}
	if out != nil {
		printSummary(out, loaded.Incremental, stats, time.Since(start))
	}
	return stats, report, nil
}

// open opens the index, building it first when there is none, when the
// content it was built from changed, or when --content names other content.
// Without --content, an index built from a content folder is served as it
// is (the "index" command keeps it current), and one that was expected but
// is missing or broken is an error: the sample is never served in its place.
// The check and the build hold the data folder's build lock.
func (c dataConfig) open(ctx context.Context, log *slog.Logger) (*indexer.Index, error) {
	idx, err := indexer.Open(c.Data)
	if err == nil && c.Content == "" && idx.Source != indexer.SourceSample {
		return idx, nil
	}
	if err == nil {
		_ = idx.Close()
	}
	lock, err := c.lock(ctx, log, nil)
	if err != nil {
		return nil, err
	}
	defer c.unlock(lock, log)
	// Again: a build that held the lock may have just swapped in an index.
	// The documents loaded to compare with it are those a rebuild indexes:
	// the folder is loaded once.
	var loaded *loadedContent
	idx, err = indexer.Open(c.Data)
	if err == nil {
		if c.Content == "" && idx.Source != indexer.SourceSample {
			return idx, nil
		}
		var lerr error
		if loaded, lerr = c.loadContent(ctx, nil); lerr == nil && idx.Source == c.source() && idx.Fingerprint == indexer.Fingerprint(loaded.Documents) &&
			(c.Content == "" || idx.Originals != nil) {
			return idx, nil
		}
		_ = idx.Close()
	} else {
		if rerr := c.mayRebuild(err); rerr != nil {
			return nil, rerr
		}
		if !errors.Is(err, indexer.ErrNoIndex) {
			log.Warn("index_unreadable_rebuilding", "source", c.source(), "err", err)
		}
	}
	log.Info("index_building", "source", c.source(), "data", c.Data)
	var stats *indexer.Stats
	var report *ingest.Report
	if loaded != nil {
		stats, report, err = c.buildLoaded(ctx, lock, log, nil, time.Now(), loaded)
	} else {
		stats, report, err = c.buildLocked(ctx, lock, log, nil)
	}
	if err != nil {
		return nil, err
	}
	log.Info("index_built", "documents", stats.Documents, "sections", stats.Sections, "skipped", len(report.Skipped), "seconds", stats.Duration.Seconds())
	return indexer.Open(c.Data)
}

// mayRebuild says whether an index that failed to open with err may be
// rebuilt from what this command was given: always from a --content folder
// (that is what it is to hold); from the sample only when the index was the
// sample's or the data folder is new. Otherwise the error says what to run.
func (c dataConfig) mayRebuild(err error) error {
	var old *indexer.OutdatedError
	switch {
	case c.Content != "":
		return nil
	case errors.As(err, &old) && old.Source == indexer.SourceSample:
		return nil
	case errors.Is(err, indexer.ErrNoIndex) && !ingest.HoldsContentCache(c.Data):
		return nil
	case errors.Is(err, indexer.ErrNoIndex):
		return fmt.Errorf("data folder %s was indexed from a content folder but holds no index now; rebuild it with \"handbook index --data %s --content DIR\", or serve with --content DIR", c.Data, c.Data)
	case errors.As(err, &old):
		return fmt.Errorf("the index in %s was built from %s by an older version of this program; rebuild it with \"handbook index --data %s --content %s\"", c.Data, old.Source, c.Data, old.Source)
	}
	return fmt.Errorf("the index in %s cannot be opened, and without --content it is not replaced by the sample: %w; rebuild it with \"handbook index --data %s --content DIR\" (or without --content for the sample)", c.Data, err, c.Data)
}

func printSummary(out io.Writer, l *ingest.Incremental, s *indexer.Stats, took time.Duration) {
	r := l.Report
	fmt.Fprintf(out, "indexed %d documents (%d read, %d unchanged from the last run), %d sections, %d pages in %.2fs\n",
		s.Documents, len(r.Documents)-l.Reused, l.Reused, s.Sections, r.Pages(), took.Seconds())
	if len(r.Skipped) > 0 {
		fmt.Fprintf(out, "skipped %d files:\n", len(r.Skipped))
		for _, e := range r.Skipped {
			fmt.Fprintf(out, "  %s\n", printable(e.Error()))
		}
	}
	// Files no loader reads are not errors, but none is ignored in
	// silence: a line per reason with the count of each extension, then
	// the files of each extension (the first few of a large group).
	extName := func(ext string) string {
		if ext == "" {
			return "(no extension)"
		}
		return printable(ext)
	}
	if groups := r.IgnoredGroups(); len(groups) > 0 {
		fmt.Fprintf(out, "ignored %d files:\n", len(r.Ignored))
		const shown = 5
		for i := 0; i < len(groups); {
			j := i
			var counts []string
			for ; j < len(groups) && groups[j].Reason == groups[i].Reason; j++ {
				counts = append(counts, fmt.Sprintf("%d × %s", len(groups[j].Paths), extName(groups[j].Ext)))
			}
			fmt.Fprintf(out, "  %s: %s\n", groups[i].Reason, strings.Join(counts, ", "))
			for _, g := range groups[i:j] {
				names := make([]string, 0, shown)
				for _, p := range g.Paths[:min(len(g.Paths), shown)] {
					names = append(names, printable(p))
				}
				more := ""
				if len(g.Paths) > shown {
					more = fmt.Sprintf(", and %d more", len(g.Paths)-shown)
				}
				fmt.Fprintf(out, "    %s: %s%s\n", extName(g.Ext), strings.Join(names, ", "), more)
			}
			i = j
		}
	}
}

// printable escapes the control characters of s (a file name may hold a
// newline, which would forge a line of the summary, or a terminal's escape
// sequence) as Go does in a quoted string.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// newProgress reports loading progress: a bar redrawn in place on a
// terminal, else a line every tenth of the files.
func newProgress(out io.Writer) func(ingest.Progress) {
	f, ok := out.(*os.File)
	tty := ok && isatty.IsTerminal(f.Fd())
	last := -1
	return func(p ingest.Progress) {
		if p.Total == 0 {
			return
		}
		if tty {
			const width = 30
			n := p.Done * width / p.Total
			name := printable(p.Path)
			if len(name) > 40 {
				name = "…" + name[len(name)-39:]
			}
			fmt.Fprintf(out, "\r[%s%s] %d/%d %-40s", strings.Repeat("=", n), strings.Repeat(" ", width-n), p.Done, p.Total, name)
			if p.Done == p.Total {
				fmt.Fprintln(out)
			}
			return
		}
		if step := p.Done * 10 / p.Total; step != last || p.Done == p.Total {
			last = step
			fmt.Fprintf(out, "read %d/%d files\n", p.Done, p.Total)
		}
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// userDB names the SQLite file of user data (course packs and the audit
// log) in the data folder.
const userDB = "user.db"

// validateDB checks that --db, when given, is a PostgreSQL URL.
func (c dataConfig) validateDB() error {
	if c.DB != "" && !store.IsPostgres(c.DB) {
		return fmt.Errorf("--db must be a PostgreSQL URL (postgres://USER@HOST/DATABASE or postgresql://…), not %q; without --db the user data stays in %s in the data folder", store.Redact(c.DB), userDB)
	}
	return nil
}

// userData names where the user data lives, for messages and logs (a
// PostgreSQL URL without its password).
func (c dataConfig) userData() string {
	if c.DB != "" {
		return store.Redact(c.DB)
	}
	return filepath.Join(c.Data, userDB)
}

// openStore opens the user-data store: the PostgreSQL database of --db, or
// else user.db in the data folder.
func (c dataConfig) openStore() (*store.Store, error) {
	if c.DB != "" {
		return store.Open(c.DB)
	}
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	return store.Open(filepath.Join(c.Data, userDB))
}

// maxGlossary bounds the size of a content folder's glossary.yaml.
const maxGlossary = 4 << 20

// glossary returns the content folder's glossary.yaml when there is one,
// else the embedded default. A broken file is reported and the default used,
// so a typo never stops the server.
func (c dataConfig) glossary(log *slog.Logger) *engine.Glossary {
	if c.Content == "" {
		return engine.DefaultGlossary()
	}
	// Read inside the content folder only (no link out, no pipe), and
	// bounded.
	fsys := ingest.DirFS(c.Content)
	st, err := fs.Stat(fsys, engine.GlossaryFile)
	if errors.Is(err, fs.ErrNotExist) {
		return engine.DefaultGlossary()
	}
	var data []byte
	if err == nil && st.Size() > maxGlossary {
		err = fmt.Errorf("the file is %d bytes, more than the limit of %d", st.Size(), maxGlossary)
	} else if err == nil {
		data, err = fs.ReadFile(fsys, engine.GlossaryFile)
	}
	if err == nil {
		var g *engine.Glossary
		if g, err = engine.ParseGlossary(data); err == nil {
			return g
		}
	}
	log.Error("glossary_unreadable", "path", filepath.Join(c.Content, engine.GlossaryFile), "err", err, "using", "default glossary")
	return engine.DefaultGlossary()
}

// originals is the content folder as a file system, for serving original
// files; nil for the embedded sample.
func (c dataConfig) originals() fs.FS {
	if c.Content == "" {
		return nil
	}
	return ingest.DirFS(c.Content)
}

// checkFolder says, naming the flag, why path is not a readable folder.
func checkFolder(flag, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: %s is not a folder", flag, path)
	}
	return nil
}
