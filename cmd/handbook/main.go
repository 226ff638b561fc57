// Command handbook indexes guidance documents and serves faceted full-text
// search over them.
//
//	handbook serve  [--addr HOST:PORT] [--data DIR] [--content DIR]
//	handbook index  [--data DIR] [--content DIR]
//	handbook search [--data DIR] [--content DIR] [--json] QUERY
//	handbook eval   --corpus FILE --queries FILE --qrels FILE [--per-query] [--json]
//	handbook backup --out FILE [--data DIR]
//	handbook bench  [--sections N] [--content DIR] [--json] [--short]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errSkipped):
		fmt.Fprintln(os.Stderr, "handbook:", err)
		os.Exit(3)
	default:
		fmt.Fprintln(os.Stderr, "handbook:", err)
		os.Exit(1)
	}
}

// errUsage means the command line was wrong and usage was printed.
var errUsage = errors.New("usage")

const usage = `handbook: search engine for customs and police guidance

Usage:
  handbook serve  [--addr HOST:PORT] [--data DIR] [--content DIR]   index if needed, then serve the web page and API
  handbook serve  --snapshots SRC [--poll 10s] [--data DIR]         serve the newest snapshot published to SRC (a replica)
  handbook index  [--data DIR] [--content DIR]                      (re)build the index and report what was read
                  [--publish DEST]                                  then publish it as a snapshot (a folder or s3://)
  handbook search [--data DIR] [--json] [--page N] [--size N] QUERY search from the command line
  handbook eval   --corpus F --queries F --qrels F [--per-query] [--json]
                  (or --content DIR --judgments F)                  measure ranking: nDCG@10, MAP, recall@100, MRR@10
  handbook backup --out FILE [--data DIR | --db URL]                copy the user data (course packs, audit log), safe while serving
  handbook bench  [--sections N] [--content DIR] [--json] [--short] measure indexing, latency per query class, HTTP load, baselines
  handbook token  --name NAME [--roles R,…] [--levels L,…]         print a new sign-in token and its line for the --auth file

Without --content the embedded sample knowledge base is used. Run "handbook COMMAND --help" for a command's flags.
Environment: HANDBOOK_ADDR, HANDBOOK_DATA, HANDBOOK_CONTENT, HANDBOOK_DB, HANDBOOK_PUBLISH, HANDBOOK_SNAPSHOTS give defaults for the flags.
`

// run is the whole program; main only prints and exits.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, args[1:], getenv, stdout, stderr)
	case "search":
		return runSearch(ctx, args[1:], getenv, stdout, stderr)
	case "eval":
		return runEval(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		return runToken(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "handbook: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// parseFlags parses a subcommand's flags, printing usage on error.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// envOr returns the environment value of key, or def.
func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
