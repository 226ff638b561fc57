package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	var c dataConfig
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents to index; the embedded sample when empty (env HANDBOOK_CONTENT)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook index [--data DIR] [--content DIR]\n\nBuilds a new index beside the served one and swaps it in when complete;\nfiles that cannot be read are listed with the reason, and the rest are indexed.\nOnly files changed since the last run are read again. Exit status: 0 when every\nfile was read, 3 when some were skipped, 1 on failure.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	_, report, err := c.build(ctx, newLogger(stderr), stdout)
	if err == nil && len(report.Skipped) > 0 {
		return fmt.Errorf("%w: %d (listed above); the rest are indexed", errSkipped, len(report.Skipped))
	}
	return err
}
