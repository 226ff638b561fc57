package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"

	"handbook/content/store"
)

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	var (
		c   dataConfig
		out string
	)
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder of the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.DB, "db", getenv("HANDBOOK_DB"), "PostgreSQL URL of the user data, as given to serve (env HANDBOOK_DB): the backup is then made by pg_dump")
	fs.StringVar(&out, "out", "", "file to write the backup to (must not exist)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook backup --out FILE [--data DIR | --db URL]\n\nWrites a consistent copy of the user data (course packs, audit log) to FILE, a SQLite database;\nsafe while the server runs. The search index is not backed up: \"handbook index\" rebuilds it.\nTo restore, stop the server and copy FILE to DIR/"+userDB+".\n\nWith --db (PostgreSQL) it runs pg_dump, which must be on PATH and at least as new as the server:\n  pg_dump --format=custom --file FILE URL\nFILE is then a pg_dump archive; restore it into an empty database with\n  pg_restore --no-owner --dbname URL FILE\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if out == "" {
		fs.Usage()
		return errUsage
	}
	if err := c.validateDB(); err != nil {
		return err
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("--out: %s already exists", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--out: %w", err)
	}
	if c.DB != "" {
		return pgDump(ctx, c.DB, out, stdout, stderr)
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

// pgDump backs up the PostgreSQL database dsn to out with pg_dump (custom
// format, consistent while replicas write: pg_dump reads one snapshot). The
// password, if the URL holds one, goes to pg_dump in PGPASSWORD, not on its
// command line, where any user of the machine could read it.
func pgDump(ctx context.Context, dsn, out string, stdout, stderr io.Writer) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("the user data is in PostgreSQL (--db), which pg_dump backs up, and pg_dump is not on PATH: install it (Debian: apt-get install postgresql-client) and run\n  pg_dump --format=custom --file %s '%s'", out, store.Redact(dsn))
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("--db: %w", err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		env = append(env, "PGPASSWORD="+q.Get("password"))
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	// Made here, readable by this user only (pg_dump would make it
	// world-readable), and only if it does not exist.
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	f.Close()
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--file", out, "--dbname", u.String())
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return fmt.Errorf("pg_dump %s: %w", store.Redact(dsn), err)
	}
	fmt.Fprintf(stdout, "backed up %s to %s with pg_dump; restore into an empty database with: pg_restore --no-owner --dbname URL %s\n", store.Redact(dsn), out, out)
	return nil
}
