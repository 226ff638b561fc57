package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	var (
		c   dataConfig
		out string
	)
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder of the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&out, "out", "", "file to write the backup to (must not exist)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook backup --out FILE [--data DIR]\n\nWrites a consistent copy of the user data (course packs) to FILE, a SQLite database;\nsafe while the server runs. The search index is not backed up: \"handbook index\" rebuilds it.\nTo restore, stop the server and copy FILE to DIR/"+userDB+".\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if out == "" {
		fs.Usage()
		return errUsage
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("--out: %s already exists", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--out: %w", err)
	}
	users, err := c.openStore()
	if err != nil {
		return err
	}
	defer users.Close()
	if err := users.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", c.Data, out)
	return nil
}
