package main

import (
	"context"
	"flag"
	"io"
)

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	var c dataConfig
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents to index; the embedded sample when empty (env HANDBOOK_CONTENT)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook index [--data DIR] [--content DIR]\n\nBuilds a new index beside the served one and swaps it in when complete;\nfiles that cannot be read are listed with the reason, and the rest are indexed.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	_, _, err := c.build(ctx, newLogger(stderr), stdout)
	return err
}
