package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"handbook/search"
	"handbook/web"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var (
		c       dataConfig
		addr    string
		baseURL string
	)
	fs.StringVar(&addr, "addr", envOr(getenv, "HANDBOOK_ADDR", "localhost:8080"), "address to listen on (env HANDBOOK_ADDR)")
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents to index; the embedded sample when empty (env HANDBOOK_CONTENT)")
	fs.StringVar(&baseURL, "base-url", getenv("HANDBOOK_BASE_URL"), "public address of the site for permalinks in exports, e.g. https://handbook.example.org (env HANDBOOK_BASE_URL; default: from each request)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook serve [--addr HOST:PORT] [--data DIR] [--content DIR]\n\nIndexes the content if the index is missing or out of date, then serves the web page and the JSON API.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	log := newLogger(stderr)
	idx, err := c.open(ctx, log)
	if err != nil {
		return err
	}
	defer idx.Close()
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		return err
	}
	store, err := c.openPacks()
	if err != nil {
		return err
	}
	defer store.Close()
	srv, err := web.New(svc, web.Options{Logger: log, Packs: store, BaseURL: baseURL})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	hs := web.NewHTTPServer(addr, srv.Handler(), log)
	fmt.Fprintf(stdout, "handbook: serving %d documents on http://%s/\n", len(idx.Catalog), ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "documents", len(idx.Catalog), "index", idx.Dir)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting_down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
