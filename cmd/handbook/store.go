package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"handbook/content"
	"handbook/content/packs"
	"handbook/content/sample"
	"handbook/indexer"
)

// dataConfig is what every subcommand that touches the index needs.
type dataConfig struct {
	Data    string // index and user data
	Content string // documents to index; "" for the embedded sample
}

func (c *dataConfig) validate() error {
	if c.Data == "" {
		return errors.New("--data must name a folder")
	}
	if c.Content != "" {
		st, err := os.Stat(c.Content)
		if err != nil {
			return fmt.Errorf("--content: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("--content: %s is not a folder", c.Content)
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

// load reads the configured documents: the content folder, or the sample.
func (c dataConfig) load() *content.Report {
	if c.Content == "" {
		return content.LoadFS(sample.FS(), ".")
	}
	return content.LoadFS(os.DirFS(c.Content), ".")
}

// build loads the documents, reports every file it skipped, and builds a new
// index.
func (c dataConfig) build(ctx context.Context, log *slog.Logger, out io.Writer) (*indexer.Stats, *content.Report, error) {
	report := c.load()
	for _, e := range report.Skipped {
		log.Warn("file_skipped", "path", e.Path, "reason", e.Err.Error())
	}
	if len(report.Documents) == 0 {
		return nil, report, fmt.Errorf("no documents could be read from %s", c.source())
	}
	stats, err := indexer.Build(ctx, c.Data, report.Documents, c.source())
	if err != nil {
		return nil, report, err
	}
	if out != nil {
		printSummary(out, report, stats)
	}
	return stats, report, nil
}

// open opens the index, building it first when there is none, when the
// content it was built from changed, or when --content names other content.
// Without --content, an index built from a content folder is served as it
// is (the "index" command keeps it current).
func (c dataConfig) open(ctx context.Context, log *slog.Logger) (*indexer.Index, error) {
	idx, err := indexer.Open(c.Data)
	if err != nil && !errors.Is(err, indexer.ErrNoIndex) {
		log.Warn("index_unreadable_rebuilding", "err", err)
	}
	if err == nil {
		if c.Content == "" && idx.Source != indexer.SourceSample {
			return idx, nil
		}
		if idx.Source == c.source() && idx.Fingerprint == indexer.Fingerprint(c.load().Documents) {
			return idx, nil
		}
		_ = idx.Close()
	}
	log.Info("index_building", "source", c.source(), "data", c.Data)
	stats, report, err := c.build(ctx, log, nil)
	if err != nil {
		return nil, err
	}
	log.Info("index_built", "documents", stats.Documents, "sections", stats.Sections, "skipped", len(report.Skipped), "seconds", stats.Duration.Seconds())
	return indexer.Open(c.Data)
}

func printSummary(out io.Writer, r *content.Report, s *indexer.Stats) {
	fmt.Fprintf(out, "indexed %d documents, %d sections in %.2fs\n", s.Documents, s.Sections, s.Duration.Seconds())
	if len(r.Skipped) > 0 {
		fmt.Fprintf(out, "skipped %d files:\n", len(r.Skipped))
		for _, e := range r.Skipped {
			fmt.Fprintf(out, "  %s\n", e.Error())
		}
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// userDB names the SQLite file of user data (course packs) in the data folder.
const userDB = "user.db"

// openPacks opens the course-pack store in the data folder.
func (c dataConfig) openPacks() (*packs.Store, error) {
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	return packs.Open(filepath.Join(c.Data, userDB))
}

// glossary returns the content folder's glossary.yaml when there is one,
// else the embedded default. A broken file is reported and the default used,
// so a typo never stops the server.
func (c dataConfig) glossary(log *slog.Logger) *indexer.Glossary {
	if c.Content == "" {
		return indexer.DefaultGlossary()
	}
	data, err := os.ReadFile(filepath.Join(c.Content, indexer.GlossaryFile))
	if errors.Is(err, os.ErrNotExist) {
		return indexer.DefaultGlossary()
	}
	if err == nil {
		var g *indexer.Glossary
		if g, err = indexer.ParseGlossary(data); err == nil {
			return g
		}
	}
	log.Error("glossary_unreadable", "path", filepath.Join(c.Content, indexer.GlossaryFile), "err", err, "using", "default glossary")
	return indexer.DefaultGlossary()
}
