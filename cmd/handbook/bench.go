package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/search/bench"
	"handbook/search/engine"
	"handbook/web"
)

// benchConfig is the configuration of the bench command.
type benchConfig struct {
	Sections  int
	Seed      uint64
	Content   string // a folder of documents instead of a generated corpus
	Data      string // parent of the temporary index folders
	Queries   string // query file; the embedded queries.tsv when empty
	Passes    int
	Warmup    int
	Baselines string // comma-separated: plain-bleve, fts5; "none" for none
	Rates     string // HTTP rates, comma-separated; "none" skips the stage
	Duration  time.Duration
	MaxReq    int
	TargetP99 time.Duration
	Short     bool
	JSON      bool
	Keep      bool
	// Partitions is engine.Options.Partitions (0: the engine's default).
	Partitions int
	// CPUProfile, when set, receives a CPU profile of handbook's in-process
	// latency stage.
	CPUProfile string
}

// Baseline names.
const (
	baselinePlainBleve = "plain-bleve"
	baselineFTS5       = "fts5"
)

func (c *benchConfig) validate(set map[string]bool) error {
	if c.Short {
		if !set["sections"] {
			c.Sections = 1000
		}
		if !set["passes"] {
			c.Passes = 2
		}
		if !set["http-rates"] {
			c.Rates = "20,50"
		}
		if !set["http-duration"] {
			c.Duration = time.Second
		}
	}
	switch {
	case c.Content == "" && (c.Sections < 1000 && !c.Short || c.Sections < 1 || c.Sections > bench.MaxSections):
		return fmt.Errorf("--sections must be from 1,000 to %d (smaller only with --short)", bench.MaxSections)
	case c.Passes < 1 || c.Warmup < 0:
		return errors.New("--passes must be at least 1 and --warmup at least 0")
	case c.Partitions < 0 || c.Partitions > 64:
		return errors.New("--partitions must be from 0 (the default) to 64")
	case c.Duration <= 0 || c.MaxReq < 1 || c.TargetP99 <= 0:
		return errors.New("--http-duration, --http-max-requests and --target-p99 must be positive")
	}
	if _, err := c.rates(); err != nil {
		return err
	}
	if _, err := c.baselines(); err != nil {
		return err
	}
	if c.Content != "" {
		if err := checkFolder("--content", c.Content); err != nil {
			return err
		}
	}
	if c.Data == "" {
		c.Data = os.TempDir()
	}
	return nil
}

func (c benchConfig) rates() ([]int, error) {
	if c.Rates == "none" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(c.Rates, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100_000 {
			return nil, fmt.Errorf("--http-rates: %q is not a rate from 1 to 100000 requests per second", f)
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

func (c benchConfig) baselines() ([]string, error) {
	if c.Baselines == "none" || c.Baselines == "" {
		return nil, nil
	}
	var out []string
	for _, b := range strings.Split(c.Baselines, ",") {
		b = strings.TrimSpace(b)
		if b != baselinePlainBleve && b != baselineFTS5 {
			return nil, fmt.Errorf("--baselines: %q is not one of %s, %s (or none)", b, baselinePlainBleve, baselineFTS5)
		}
		out = append(out, b)
	}
	return out, nil
}

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var c benchConfig
	fs.IntVar(&c.Sections, "sections", 10_000, "sections of the generated corpus (1,000 to 1,000,000)")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the generated corpus: the same seed gives the same corpus")
	fs.StringVar(&c.Content, "content", "", "benchmark this folder of documents instead of a generated corpus")
	fs.StringVar(&c.Data, "data", getenv("HANDBOOK_DATA"), "folder under which the temporary indexes are built (default the system's temporary folder; env HANDBOOK_DATA)")
	fs.StringVar(&c.Queries, "queries", "", "query file (class TAB query [TAB filters]); default the built-in set (search/bench/queries.tsv)")
	fs.IntVar(&c.Passes, "passes", 10, "measured passes over the query set in process")
	fs.IntVar(&c.Warmup, "warmup", 1, "passes run before measuring")
	fs.StringVar(&c.Baselines, "baselines", baselinePlainBleve+","+baselineFTS5, "baselines measured on the same corpus and queries, or none")
	fs.StringVar(&c.Rates, "http-rates", "10,25,50,100,200,300,500", "request rates of the HTTP stage (per second), or none")
	fs.DurationVar(&c.Duration, "http-duration", 5*time.Second, "how long each HTTP rate is held")
	fs.IntVar(&c.MaxReq, "http-max-requests", 5000, "most requests sent at one rate")
	fs.DurationVar(&c.TargetP99, "target-p99", 25*time.Millisecond, "p99 an HTTP rate must stay under")
	fs.BoolVar(&c.Short, "short", false, "a quick run for CI: 1,000 sections, 2 passes, HTTP at 20 and 50 per second for 1s (flags given still apply)")
	fs.BoolVar(&c.JSON, "json", false, `print {"corpus", "index", "classes", "suggest", "sessions", "http", "baselines", "failures"} as JSON`)
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of handbook's in-process latency stage to this file (go tool pprof)")
	fs.IntVar(&c.Partitions, "partitions", 0, "id ranges one request may search at once on spare cores (0: the engine's default, one per core up to 4; 1: never split)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the indexes (and print where) instead of removing them")
	fs.Usage = func() {
		io.WriteString(fs.Output(), `Usage: handbook bench [--sections N] [--seed N] [--content DIR] [--passes N] [--json] [--short]

Generates a seeded corpus of realistic sections (or reads --content), indexes it and reports
indexing throughput, index size and peak memory; then the latency of the full search request
(six facets and snippets) per query class in process (p50, p90, p99, max), suggestion
latency, and an open-loop HTTP load on loopback at fixed rates; then the same corpus and
queries on plain Bleve and SQLite FTS5, with ratios. Failed queries are left out of the
latency figures and counted per stage and class; the run fails when a handbook query failed
in process. Progress goes to stderr.

`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := c.validate(set); err != nil {
		return err
	}
	log := newLogger(stderr)
	rep, err := c.run(ctx, log)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printBench(stdout, rep)
	}
	// The figures are printed first, so a failed run still shows them.
	if err := rep.Failures[bench.StageHandbook].Err(); err != nil {
		return fmt.Errorf("handbook queries failed, left out of the latency figures: %w", err)
	}
	return nil
}

func (c benchConfig) queries() ([]bench.Query, error) {
	if c.Queries == "" {
		return bench.DefaultQueries(), nil
	}
	var qs []bench.Query
	err := readFile("--queries", c.Queries, func(r io.Reader) (err error) {
		qs, err = bench.ReadQueries(r)
		return err
	})
	return qs, err
}

func (c benchConfig) corpus(ctx context.Context, log *slog.Logger) ([]content.Loaded, bench.CorpusReport, error) {
	if c.Content != "" {
		r, err := ingest.Load(ctx, ingest.DirFS(c.Content), ".", ingest.Options{})
		if err != nil {
			return nil, bench.CorpusReport{}, err
		}
		for _, e := range r.Skipped {
			log.Warn("file_skipped", "path", e.Path, "reason", e.Err.Error())
		}
		if len(r.Documents) == 0 {
			return nil, bench.CorpusReport{}, fmt.Errorf("--content: no documents could be read from %s", c.Content)
		}
		d := bench.Describe(r.Documents)
		d.Source = c.Content
		return r.Documents, d, nil
	}
	vocab, _, err := bench.SampleVocabularies(ctx)
	if err != nil {
		return nil, bench.CorpusReport{}, err
	}
	start := time.Now()
	docs, err := bench.Generate(vocab, bench.CorpusOptions{Sections: c.Sections, Seed: c.Seed})
	if err != nil {
		return nil, bench.CorpusReport{}, fmt.Errorf("--sections: %w", err)
	}
	d := bench.Describe(docs)
	d.Source, d.Seed = "generated", c.Seed
	log.Info("bench_generated", "sections", d.Sections, "documents", d.Documents, "words", d.Words, "seconds", time.Since(start).Seconds())
	return docs, d, nil
}

func (c benchConfig) run(ctx context.Context, log *slog.Logger) (*bench.Report, error) {
	qs, err := c.queries()
	if err != nil {
		return nil, err
	}
	docs, corpus, err := c.corpus(ctx, log)
	if err != nil {
		return nil, err
	}
	corpus.Queries, corpus.Passes = len(qs), c.Passes
	dir, err := os.MkdirTemp(c.Data, "handbook-bench-*")
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	if c.Keep {
		log.Info("bench_kept", "dir", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	rep := &bench.Report{Corpus: corpus, Baselines: map[string]*bench.Baseline{}, Failures: map[string]*bench.Failures{}}
	lo := func(name string) bench.LatencyOptions {
		return bench.LatencyOptions{Passes: c.Passes, Warmup: c.Warmup, Progress: func(p, n int) {
			log.Info("bench_pass", "engine", name, "pass", p, "of", n)
		}}
	}

	log.Info("bench_indexing", "engine", "handbook", "sections", corpus.Sections)
	opts := engine.Options{Partitions: c.Partitions}
	hb, idxRep, err := bench.BuildHandbook(ctx, filepath.Join(dir, "handbook"), docs, opts)
	if err != nil {
		return nil, err
	}
	defer hb.Close()
	rep.Index = idxRep
	log.Info("bench_indexed", "engine", "handbook", "seconds", idxRep.Seconds, "sections_per_s", idxRep.SectionsPerS)
	// Serving memory is measured without the corpus, which the baselines
	// read again afterwards.
	docs = nil
	debug.FreeOSMemory()
	bench.ResetPeakRSS()
	stopProfile, err := startCPUProfile(c.CPUProfile)
	if err != nil {
		return nil, err
	}
	rep.Classes, rep.Failures[bench.StageHandbook], err = bench.Latency(ctx, hb, qs, lo("handbook"))
	stopProfile()
	if err != nil {
		return nil, err
	}
	if f := rep.Failures[bench.StageHandbook]; f.Total+f.Warmup > 0 {
		log.Error("bench_failures", "engine", "handbook", "failed", f.Total, "warmup", f.Warmup, "first", f.First)
	}
	if rep.Suggest, err = bench.SuggestLatency(ctx, hb.Suggest, qs, hb.Levels, c.Passes); err != nil {
		return nil, err
	}
	log.Info("bench_sessions", "sessions", len(qs), "passes", c.Passes)
	if rep.Sessions, rep.Failures[bench.StageSessions], err = hb.SessionLatency(ctx, qs, c.Passes); err != nil {
		return nil, err
	}
	if rates, _ := c.rates(); len(rates) > 0 {
		// Without the caches of repeated work: the query set comes round
		// again and again, which officers' queries do not.
		cold, err := engine.New(hb.Index, engine.Options{CacheBytes: -1, Partitions: c.Partitions})
		if err != nil {
			return nil, err
		}
		srv, err := web.New(cold, web.Options{Suggest: hb.Suggest, Rate: 1e9, Burst: 1 << 30})
		if err != nil {
			return nil, err
		}
		log.Info("bench_http", "rates", c.Rates, "seconds_each", c.Duration.Seconds())
		rep.HTTP, err = bench.HTTPStage(ctx, srv.Handler(), qs, bench.HTTPOptions{Rates: rates, Duration: c.Duration, MaxRequests: c.MaxReq, TargetP99: c.TargetP99})
		if err != nil {
			return nil, fmt.Errorf("http stage: %w", err)
		}
		rep.Failures[bench.StageHTTP] = rep.HTTP.Failures()
	}

	rep.Index.ServingPeakRSSMB = bench.PeakRSSMB()
	names, _ := c.baselines()
	if len(names) > 0 {
		if docs, _, err = c.corpus(ctx, log); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		bdir := filepath.Join(dir, name)
		if err := os.MkdirAll(bdir, 0o750); err != nil {
			return nil, err
		}
		log.Info("bench_indexing", "engine", name)
		var (
			e           bench.Engine
			b           = &bench.Baseline{}
			closeEngine func() error
		)
		switch name {
		case baselinePlainBleve:
			pb, r, err := bench.BuildPlainBleve(ctx, bdir, docs)
			if err != nil {
				return nil, err
			}
			e, b.Index, closeEngine = pb, r, pb.Close
			b.Notes = "default mapping, query string, Bleve facets and highlighter; " + bench.PlainSemantics
		case baselineFTS5:
			f, r, err := bench.BuildFTS5(ctx, bdir, docs)
			if err != nil {
				return nil, err
			}
			e, b.Index, closeEngine = f, r, f.Close
			b.Notes = "porter unicode61, every word required, bm25 page with snippet() + one GROUP BY per facet; " +
				"unlike handbook: no fuzzy (word~ searched as typed), no widening to any word, no typo correction"
		}
		log.Info("bench_indexed", "engine", name, "seconds", b.Index.Seconds)
		b.Classes, rep.Failures[name], err = bench.Latency(ctx, e, qs, lo(name))
		closeEngine()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if f := rep.Failures[name]; f.Total+f.Warmup > 0 {
			log.Warn("bench_failures", "engine", name, "failed", f.Total, "warmup", f.Warmup, "first", f.First)
		}
		b.Ratios(rep.Classes, rep.Index)
		rep.Baselines[name] = b
	}
	return rep, nil
}

// startCPUProfile starts a CPU profile into path, when given, and returns
// what stops it.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func printBench(w io.Writer, rep *bench.Report) {
	c := rep.Corpus
	fmt.Fprintf(w, "corpus: %s, %d documents, %d sections, %d words, %.1f MB of text; %d queries × %d passes\n\n",
		c.Source, c.Documents, c.Sections, c.Words, float64(c.TextBytes)/1e6, c.Queries, c.Passes)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	engines := []string{"handbook"}
	idx := map[string]bench.IndexReport{"handbook": rep.Index}
	classes := map[string]map[string]bench.Percentiles{"handbook": rep.Classes}
	for _, n := range []string{baselinePlainBleve, baselineFTS5} {
		if b := rep.Baselines[n]; b != nil {
			engines = append(engines, n)
			idx[n], classes[n] = b.Index, b.Classes
		}
	}
	fmt.Fprintln(tw, "indexing\tseconds\tsections/s\tMB/s\tindex MB\tpeak RSS MB\topen s\tserving RSS MB\t")
	for _, e := range engines {
		r := idx[e]
		serving := "-"
		if r.ServingPeakRSSMB > 0 {
			serving = fmt.Sprintf("%.0f", r.ServingPeakRSSMB)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.0f\t%.2f\t%.1f\t%.0f\t%.2f\t%s\t\n", e, r.Seconds, r.SectionsPerS, r.MBPerS, float64(r.Bytes)/1e6, r.PeakRSSMB, r.OpenSeconds, serving)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "full request, ms\t"
	for _, e := range engines {
		head += e + " p50\tp90\tp99\tmax\t"
	}
	fmt.Fprintln(tw, head)
	for _, cl := range append(append([]string{}, bench.Classes...), bench.ClassAll) {
		line := cl + "\t"
		for _, e := range engines {
			p := classes[e][cl]
			line += fmt.Sprintf("%.2f\t%.2f\t%.2f\t%.2f\t", p.P50MS, p.P90MS, p.P99MS, p.MaxMS)
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head = "found, queries\t"
	for _, e := range engines {
		head += e + " sections\tempty\tfailed\treq/search\t"
	}
	fmt.Fprintln(tw, head)
	for _, cl := range append(append([]string{}, bench.Classes...), bench.ClassAll) {
		line := cl + "\t"
		for _, e := range engines {
			p := classes[e][cl]
			line += fmt.Sprintf("%d\t%d\t%d\t%.2f\t", p.Hits, p.Empty, p.Errors, p.Requests)
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintln(w, "(sections: found by the class's queries in one pass; empty: queries that found nothing; failed: requests that failed, left out of the latencies; req/search: engine requests per query, Bleve searches or SQL statements)")
	if ss := rep.Sessions; ss != nil {
		fmt.Fprintln(w, "\nsessions (a cold query, two facet clicks, page 2), full requests, ms")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "step\tn\tp50\tp90\tp99\tmax\t")
		for _, step := range append(append([]string{}, bench.Steps...), bench.StepFollowUps) {
			p := ss[step]
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\n", step, p.N, p.P50MS, p.P90MS, p.P99MS, p.MaxMS)
		}
		tw.Flush()
	}
	s := rep.Suggest
	fmt.Fprintf(w, "\nsuggest (%d completions): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n", s.N, s.P50MS, s.P90MS, s.P99MS, s.MaxMS)
	if h := rep.HTTP; h != nil {
		fmt.Fprintf(w, "\nHTTP /api/search on loopback, open loop (target p99 ≤ %.0f ms)\n", h.TargetP99MS)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "rate/s\trequests\tsuccess\tfailed\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
		for _, r := range h.Rates {
			fmt.Fprintf(tw, "%d\t%d\t%.2f%%\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\n", r.Rate, r.Requests, 100*r.Success, r.Failed, r.P50MS, r.P90MS, r.P99MS, r.MaxMS)
		}
		tw.Flush()
		fmt.Fprintf(w, "highest rate with p99 under target: %d/s\n", h.MaxRateUnderTarget)
	}
	for _, e := range engines[1:] {
		b := rep.Baselines[e]
		a := b.Ratio
		fmt.Fprintf(w, "\n%s / handbook: all p50 ×%.1f, p99 ×%.1f; phrase2 p99 ×%.1f; indexing speed ×%.2f, size ×%.2f\n",
			e, a["all_p50"], a["all_p99"], a["phrase2_p99"], a["sections_per_s"], a["bytes"])
		fmt.Fprintf(w, "  semantics, which the ratios do not account for: %s\n", b.Notes)
		hb, be := rep.Classes[bench.ClassAll], b.Classes[bench.ClassAll]
		fmt.Fprintf(w, "  found: %d sections (%d queries nothing) against handbook's %d (%d)\n", be.Hits, be.Empty, hb.Hits, hb.Empty)
		if f := rep.Failures[e]; f != nil && f.Total > 0 {
			fmt.Fprintf(w, "  %d failed requests left out of its figures, so the ratios compare different queries\n", f.Total)
		}
	}
	printFailures(w, rep.Failures)
}

// printFailures prints the failed queries of every stage, or that none
// failed.
func printFailures(w io.Writer, fs map[string]*bench.Failures) {
	stages := make([]string, 0, len(fs))
	for s := range fs {
		stages = append(stages, s)
	}
	sort.Strings(stages)
	failed := false
	for _, s := range stages {
		f := fs[s]
		if f.Total+f.Warmup == 0 {
			continue
		}
		if !failed {
			fmt.Fprintln(w, "\nFAILURES (left out of the in-process latency figures):")
			failed = true
		}
		var per []string
		for _, c := range append(append([]string{}, bench.Classes...), bench.ClassAll) {
			if n := f.Classes[c]; n > 0 {
				per = append(per, fmt.Sprintf("%s %d", c, n))
			}
		}
		fmt.Fprintf(w, "  %s: %d failed (%s), %d in warm-up; first: %s\n", s, f.Total, strings.Join(per, ", "), f.Warmup, f.First)
	}
	if !failed {
		fmt.Fprintf(w, "\nfailures: none (stages: %s)\n", strings.Join(stages, ", "))
	}
}
