package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/gommon/bytes"

	"handbook/content/ingest"
	"handbook/content/library"
	"handbook/content/library/shelf"
	"handbook/content/store"
	"handbook/indexer"
	"handbook/indexer/snapshot"
	"handbook/search/engine"
	"handbook/web"
	"handbook/web/auth"
)

func isLoopback(a net.Addr) bool {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.IsLoopback()
	}
	return false
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var (
		c               dataConfig
		addr, baseURL   string
		authFile        string
		secretFile      string
		tlsCert, tlsKey string
		ratePerS        float64
		burst           int
	)
	fs.StringVar(&addr, "addr", envOr(getenv, "HANDBOOK_ADDR", "localhost:8080"), "address to listen on (env HANDBOOK_ADDR)")
	fs.StringVar(&c.Data, "data", envOr(getenv, "HANDBOOK_DATA", "data"), "folder for the index and user data (env HANDBOOK_DATA)")
	fs.StringVar(&c.DB, "db", getenv("HANDBOOK_DB"), "PostgreSQL URL of the user data (course packs, audit log), e.g. postgres://handbook@db.example.org/handbook, so that several replicas share it (env HANDBOOK_DB); default: "+userDB+" in --data")
	fs.StringVar(&c.Content, "content", getenv("HANDBOOK_CONTENT"), "folder of documents to index; the embedded sample when empty (env HANDBOOK_CONTENT)")
	fs.StringVar(&baseURL, "base-url", getenv("HANDBOOK_BASE_URL"), "public address of the site for permalinks in exports, e.g. https://handbook.example.org (env HANDBOOK_BASE_URL; default: from each request)")
	fs.StringVar(&secretFile, "secret-file", getenv("HANDBOOK_SECRET_FILE"), "file holding the key (64+ hex digits) that signs sessions, shared by every replica so that any accepts any session (env HANDBOOK_SECRET_FILE); without it the auth file's session_key, else a key of this process")
	fs.StringVar(&authFile, "auth", getenv("HANDBOOK_AUTH"), "YAML file of users (API tokens as SHA-256), roles, levels and the trusted proxy (env HANDBOOK_AUTH); without it everyone reads public documents and may build course packs")
	fs.StringVar(&tlsCert, "tls-cert", getenv("HANDBOOK_TLS_CERT"), "TLS certificate file (PEM); with --tls-key serves HTTPS (env HANDBOOK_TLS_CERT)")
	fs.StringVar(&tlsKey, "tls-key", getenv("HANDBOOK_TLS_KEY"), "TLS private key file (PEM) (env HANDBOOK_TLS_KEY)")
	var limits struct {
		searchTimeout, requestTimeout time.Duration
		maxExpansion                  int
		maxBody                       string
		maxUpload                     string
	}
	fs.DurationVar(&limits.searchTimeout, "search-timeout", 5*time.Second, "deadline of one search")
	fs.DurationVar(&limits.requestTimeout, "request-timeout", 10*time.Second, "deadline of one request")
	fs.IntVar(&limits.maxExpansion, "max-expansion", 2048, "term lookups one search may open, fuzzy and prefix expansions included")
	fs.StringVar(&limits.maxBody, "max-body", "1M", "largest request body (e.g. 512K, 1M)")
	fs.StringVar(&limits.maxUpload, "max-upload", envOr(getenv, "HANDBOOK_MAX_UPLOAD", "50MB"), "with --content: largest document an editor may upload from the page or POST /api/documents, at most 64MB (e.g. 20MB; env HANDBOOK_MAX_UPLOAD); uploads are stored in the content folder's uploads/")
	var watch, poll time.Duration
	var snapshots string
	fs.StringVar(&snapshots, "snapshots", getenv("HANDBOOK_SNAPSHOTS"), "serve as a read-only replica the newest snapshot published to this folder or s3://bucket/prefix by \"handbook index --publish\" (env HANDBOOK_SNAPSHOTS); takes no --content")
	fs.DurationVar(&poll, "poll", 10*time.Second, "with --snapshots: look for a new snapshot this often")
	fs.DurationVar(&watch, "watch", 0, "with --content: look for changed files this often (e.g. 5s) and re-index them while serving; 0 turns it off")
	fs.Float64Var(&ratePerS, "rate", 20, "requests per second allowed per client on average")
	fs.IntVar(&burst, "burst", 40, "requests a client may send at once")
	var retention string
	var minCount int
	fs.StringVar(&retention, "analytics-retention", envOr(getenv, "HANDBOOK_ANALYTICS_RETENTION", "26w"), "how long the search analytics keep a week's counts, in weeks (e.g. 26w) or days (e.g. 90d), 1w to 520w (env HANDBOOK_ANALYTICS_RETENTION)")
	fs.IntVar(&minCount, "analytics-min-count", store.MinCount, "the least number of searches of a query before the search analytics show it (3 or more)")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: handbook serve [--addr HOST:PORT] [--data DIR] [--content DIR | --snapshots SRC [--poll 10s]]\n\nIndexes the content if the index is missing or out of date, then serves the web page and the JSON API.\nWith --snapshots, serves the newest snapshot published there instead, copied to --data, and swaps in each new one.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	if (tlsCert == "") != (tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if ratePerS <= 0 || burst < 1 {
		return errors.New("--rate must be above 0 and --burst at least 1")
	}
	keep, err := parseRetention(retention)
	if err != nil {
		return err
	}
	if minCount < store.MinCount {
		return fmt.Errorf("--analytics-min-count must be at least %d, so that a rare query cannot point at a person", store.MinCount)
	}
	authn, err := auth.Open(authFile, web.DemoGrant)
	if err != nil {
		return err
	}
	if secretFile != "" {
		key, err := readSecret(secretFile)
		if err != nil {
			return fmt.Errorf("--secret-file: %w", err)
		}
		if err := authn.UseSessionKey(key); err != nil {
			return fmt.Errorf("--secret-file: %w", err)
		}
	}
	log := newLogger(stderr)
	if watch < 0 || watch > 0 && c.Content == "" {
		return errors.New("--watch needs --content and a positive interval, e.g. --watch 5s")
	}
	if snapshots != "" && (c.Content != "" || watch != 0) {
		return errors.New("--snapshots serves published snapshots: it takes no --content or --watch (give those to \"handbook index --publish\")")
	}
	if poll <= 0 {
		return errors.New("--poll must be a positive interval, e.g. --poll 10s")
	}
	if limits.searchTimeout <= 0 || limits.requestTimeout <= 0 || limits.maxExpansion < 64 {
		return errors.New("--search-timeout and --request-timeout must be positive and --max-expansion at least 64")
	}
	if n, err := bytes.Parse(limits.maxBody); err != nil || n < 1024 {
		return fmt.Errorf("--max-body %q is not a size of at least 1K (for example 512K or 1M)", limits.maxBody)
	}
	maxUpload, err := bytes.Parse(limits.maxUpload)
	if err != nil || maxUpload < 1024 || maxUpload > ingest.MaxFileSize {
		return fmt.Errorf("--max-upload %q is not a size from 1KB to 64MB (for example 20MB)", limits.maxUpload)
	}
	glossary := c.glossary(log)
	searcher := &live{make: func(idx *indexer.Index) (*generation, error) {
		svc, err := engine.New(idx, engine.Options{Timeout: limits.searchTimeout, MaxTermSearchers: limits.maxExpansion, Glossary: glossary})
		if err != nil {
			return nil, err
		}
		sug, err := engine.NewSuggester(ctx, idx, glossary)
		if err != nil {
			return nil, err
		}
		return &generation{idx: idx, svc: svc, suggest: sug}, nil
	}}
	var repl *replica
	var idx *indexer.Index
	if snapshots != "" {
		st, err := snapshot.Open(snapshots, getenv)
		if err != nil {
			return fmt.Errorf("--snapshots: %w", err)
		}
		if err := apart(st, c.Data); err != nil {
			return err
		}
		// The replica's local copies are its own: no other process
		// builds in this data folder while it serves.
		lock, err := indexer.LockData(ctx, c.Data, indexer.LockOptions{Wait: -1})
		if err != nil {
			return err
		}
		defer c.unlock(lock, log)
		searcher.waiting = errNoSnapshotYet
		repl = newReplica(st, filepath.Join(c.Data, replicaDir), searcher, log)
		if err := repl.clean(); err != nil {
			return err
		}
	} else {
		var err error
		if idx, err = c.open(ctx, log); err != nil {
			return err
		}
		if err := searcher.swap(idx); err != nil {
			idx.Close()
			return err
		}
	}
	defer searcher.close()
	users, err := c.openStore()
	if err != nil {
		return err
	}
	defer users.Close()
	var srv *web.Server
	record := func(err error) { srv.RecordIndexing(err) }
	var lib *shelf.Library
	if c.Content != "" {
		// Editors' uploads, new editions and withdrawals: each rebuilds
		// the index beside the served one and swaps it in, as --watch does.
		lib, err = shelf.New(shelf.Options{Content: c.Content, MaxBytes: maxUpload, Logger: log,
			Rebuild: func(ctx context.Context) (*ingest.Report, error) {
				_, report, err := c.rebuild(ctx, searcher, log, record)
				return report, err
			},
			Done: func(j library.Job) { srv.RecordChange(j) }})
		if err != nil {
			return fmt.Errorf("--content: %w", err)
		}
	}
	srv, err = web.New(searcher, web.Options{Logger: log, Packs: users, BaseURL: baseURL, Auth: authn, Audit: users.Audit(), Rate: ratePerS, Burst: burst, Suggest: searcher,
		RequestTimeout: limits.requestTimeout, MaxBodyBytes: limits.maxBody, Originals: c.originals(), IndexStats: searcher.stats, IndexCollectors: repl.collectorsOrNil(),
		Analytics: users.Analytics(keep), AnalyticsMinCount: minCount, Saved: users, Library: libraryOrNil(lib)})
	if err != nil {
		return err
	}
	// Each index swapped in (and the one serving now) is announced to the
	// server, which checks the saved searches against it; in the
	// background, and finished before the store closes.
	var checks sync.WaitGroup
	defer checks.Wait()
	announce := func(g *generation) {
		checks.Add(1)
		go func() {
			defer checks.Done()
			if _, err := srv.IndexSwapped(ctx, generationSearcher{g}, g.idx.Fingerprint); err != nil {
				log.Warn("saved_search_check_failed", "err", err)
			}
		}()
	}
	searcher.onPublish.Store(&announce)
	if g := searcher.acquire(); g != nil {
		announce(g)
		g.release()
	}
	if lib != nil {
		lctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			lib.Run(lctx)
		}()
		// Before the searcher closes: no index is swapped in after.
		defer func() {
			stop()
			<-done
		}()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	hs := web.NewHTTPServer(addr, srv.Handler(), log)
	scheme := "http"
	if tlsCert != "" {
		scheme = "https"
	} else if !isLoopback(ln.Addr()) {
		log.Warn("plain_http", "advice", "no --tls-cert/--tls-key: put a TLS-terminating proxy in front of this server")
	}
	if repl != nil {
		fmt.Fprintf(stdout, "handbook: serving the snapshots of %s on %s://%s/\n", repl.store, scheme, ln.Addr())
		log.Info("serving", "addr", ln.Addr().String(), "scheme", scheme, "snapshots", repl.store.String(), "poll", poll.String(), "auth", authFile != "", "user_data", c.userData())
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			var wake chan struct{}
			if c.DB != "" {
				// With PostgreSQL, a publisher's NOTIFY makes the replica
				// look at once; the polling stays the safety net.
				wake = make(chan struct{}, 1)
				go listenForSnapshots(rctx, c.DB, wake, log)
			}
			repl.run(rctx, poll, wake)
		}()
		// Before the searcher closes: no snapshot is swapped in after.
		defer func() {
			stop()
			<-done
		}()
	} else {
		fmt.Fprintf(stdout, "handbook: serving %d documents on %s://%s/\n", len(idx.Catalog), scheme, ln.Addr())
		log.Info("serving", "addr", ln.Addr().String(), "scheme", scheme, "documents", len(idx.Catalog), "index", idx.Dir, "auth", authFile != "", "user_data", c.userData())
	}
	if watch > 0 {
		go c.watch(ctx, searcher, watch, log, record)
	}
	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- hs.ServeTLS(ln, tlsCert, tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
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

// readSecret reads a session key: hex digits (whitespace around them
// ignored), at most 4 KiB, from a file only its owner may read.
func readSecret(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %o): chmod 600 it", path, st.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, 4<<10))
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("%s must hold hex digits (for example: openssl rand -hex 32): %w", path, err)
	}
	return key, nil
}

// parseRetention reads --analytics-retention: whole weeks ("26w") or days
// ("90d"), from one week to ten years.
func parseRetention(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	day := 24 * time.Hour
	unit := map[byte]time.Duration{'w': 7 * day, 'd': day}
	bad := fmt.Errorf("--analytics-retention %q: give weeks or days, from 1w to 520w, e.g. 26w or 90d", v)
	if len(v) < 2 || unit[v[len(v)-1]] == 0 {
		return 0, bad
	}
	n, err := strconv.Atoi(v[:len(v)-1])
	if err != nil || n <= 0 {
		return 0, bad
	}
	d := time.Duration(n) * unit[v[len(v)-1]]
	if d < 7*day || d > 520*7*day {
		return 0, bad
	}
	return d, nil
}

// libraryOrNil is lib as the web layer's interface: nil (no routes) when
// there is none.
func libraryOrNil(lib *shelf.Library) web.Library {
	if lib == nil {
		return nil
	}
	return lib
}
