package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"handbook/content"
	"handbook/indexer"
	"handbook/search/engine"
)

// ClassAll is the key of the percentiles over every class together.
const ClassAll = "all"

// Report is what `handbook bench` prints; its JSON is the --json output.
type Report struct {
	Corpus  CorpusReport           `json:"corpus"`
	Index   IndexReport            `json:"index"`
	Classes map[string]Percentiles `json:"classes"`
	Suggest Percentiles            `json:"suggest"`
	// Sessions are the figures of the session stage by step (Steps and
	// StepFollowUps): a cold query, two facet clicks and page 2.
	Sessions  map[string]Percentiles `json:"sessions,omitempty"`
	HTTP      *HTTPReport            `json:"http"`
	Baselines map[string]*Baseline   `json:"baselines"`
	// Failures are the queries that failed, per stage: StageHandbook (the
	// in-process latency stage), StageSessions (per step), StageHTTP, and
	// each baseline by name. A
	// failed query is left out of its stage's latency figures and counted
	// here and in its class's Errors.
	Failures map[string]*Failures `json:"failures"`
}

// Stages of Report.Failures besides the baselines.
const (
	StageHandbook = "handbook"
	StageSessions = "sessions"
	StageHTTP     = "http"
)

// ErrFailed is wrapped by the error of Failures.Err.
var ErrFailed = errors.New("benchmark queries failed")

// Failures counts the queries of one stage that failed.
type Failures struct {
	// Total is the number of failed requests in the measured passes (or,
	// for HTTP, at every rate).
	Total int `json:"total"`
	// Warmup is the number of failed requests in the warm-up passes, which
	// are not measured.
	Warmup int `json:"warmup"`
	// Classes is Total per query class (the classes without failures left
	// out).
	Classes map[string]int `json:"classes"`
	// First is the first failure: its class, query and error.
	First string `json:"first,omitempty"`
}

func (f *Failures) add(class string, n int, first func() string) {
	if n == 0 {
		return
	}
	if f.Classes == nil {
		f.Classes = map[string]int{}
	}
	f.Total += n
	f.Classes[class] += n
	if f.First == "" {
		f.First = first()
	}
}

// Err returns nil when nothing failed, else an error wrapping ErrFailed
// that says how many failed and the first failure.
func (f *Failures) Err() error {
	if f == nil || f.Total+f.Warmup == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d measured, %d in warm-up; first: %s", ErrFailed, f.Total, f.Warmup, f.First)
}

// CorpusReport says what was indexed.
type CorpusReport struct {
	Source    string `json:"source"` // "generated" or the content folder
	Seed      uint64 `json:"seed,omitempty"`
	Documents int    `json:"documents"`
	Sections  int    `json:"sections"`
	Words     int    `json:"words"`
	TextBytes int64  `json:"text_bytes"`
	Queries   int    `json:"queries"`
	Passes    int    `json:"passes"`
}

// IndexReport is the indexing stage of one engine.
type IndexReport struct {
	Sections     int     `json:"sections"`
	Seconds      float64 `json:"seconds"`
	SectionsPerS float64 `json:"sections_per_s"`
	MBPerS       float64 `json:"mb_per_s"`
	Bytes        int64   `json:"bytes"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	// OpenSeconds is the time to open the built index with what is built
	// at open (the search service and the suggester for handbook).
	OpenSeconds float64 `json:"open_seconds"`
	// ServingPeakRSSMB is the peak resident memory while serving the
	// latency, suggest and HTTP stages, without the corpus (handbook only).
	ServingPeakRSSMB float64 `json:"serving_peak_rss_mb,omitempty"`
}

// Baseline is another engine measured on the same corpus and queries.
type Baseline struct {
	Index   IndexReport            `json:"index"`
	Classes map[string]Percentiles `json:"classes"`
	// Ratio is the baseline's figure divided by handbook's: p50 and p99 per
	// class, and indexing throughput (above 1: the baseline is slower at
	// searching, faster at indexing).
	Ratio map[string]float64 `json:"ratio"`
	// Notes say what the baseline does, and how its semantics differ from
	// handbook's, which the ratios do not account for.
	Notes string `json:"notes,omitempty"`
}

// Describe fills the corpus figures of docs.
func Describe(docs []content.Loaded) CorpusReport {
	var c CorpusReport
	c.Documents = len(docs)
	for _, d := range docs {
		c.Sections += len(d.Sections)
		for _, s := range d.Sections {
			c.TextBytes += int64(len(s.Text) + len(s.Path) + len(d.Document.Title))
			c.Words += countWords(s.Text)
		}
	}
	return c
}

func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\n' || s[i] == '\t'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// indexReport fills the rates of an indexing run.
func indexReport(sections int, textBytes int64, took time.Duration, bytes int64) IndexReport {
	s := took.Seconds()
	return IndexReport{
		Sections: sections, Seconds: round(s, 3), SectionsPerS: round(float64(sections)/s, 0),
		MBPerS: round(float64(textBytes)/1e6/s, 2), Bytes: bytes, PeakRSSMB: PeakRSSMB(),
	}
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// Handbook is the engine under test: the index built by indexer.Build and
// served by engine.Service, as `serve` does.
type Handbook struct {
	Index   *indexer.Index
	Service *engine.Service
	Suggest *engine.Suggester
	Levels  []string // what the caller may see; public when empty
}

// BuildHandbook indexes docs under dataDir, opens the index with its search
// service and suggester, and reports the figures.
func BuildHandbook(ctx context.Context, dataDir string, docs []content.Loaded, opts engine.Options) (*Handbook, IndexReport, error) {
	desc := Describe(docs)
	ResetPeakRSS()
	start := time.Now()
	stats, err := indexer.Build(ctx, dataDir, docs, "bench")
	if err != nil {
		return nil, IndexReport{}, err
	}
	rep := indexReport(stats.Sections, desc.TextBytes, time.Since(start), DirBytes(stats.Dir))
	start = time.Now()
	idx, err := indexer.Open(dataDir)
	if err != nil {
		return nil, rep, err
	}
	svc, err := engine.New(idx, opts)
	if err != nil {
		idx.Close()
		return nil, rep, err
	}
	sug, err := engine.NewSuggester(ctx, idx, opts.Glossary)
	if err != nil {
		idx.Close()
		return nil, rep, err
	}
	rep.OpenSeconds = round(time.Since(start).Seconds(), 3)
	return &Handbook{Index: idx, Service: svc, Suggest: sug, Levels: []string{content.LevelPublic}}, rep, nil
}

// Search runs q as the full request of the web page: six facets and
// snippets, first page of ten. It returns the number of sections found and
// the Bleve requests the search ran (search.Result.Requests).
func (h *Handbook) Search(ctx context.Context, q Query) (Found, error) {
	h.Service.ClearCaches() // cold: nothing of an earlier pass helps
	res, err := h.Service.Search(ctx, q.Search(h.Levels))
	if err != nil {
		return Found{}, err
	}
	f := Found{Sections: res.Total, Requests: res.Requests}
	if res.Facets == nil {
		return f, errors.New("no facets")
	}
	return f, nil
}

// Close closes the index.
func (h *Handbook) Close() error { return h.Index.Close() }

// Engine runs a benchmark query as a full request and says what it found.
type Engine interface {
	Search(ctx context.Context, q Query) (Found, error)
}

// Found is what one query found: the sections, and the requests to the
// underlying engine (Bleve searches, SQL statements) it took.
type Found struct {
	Sections uint64
	Requests int
}

// LatencyOptions configures Latency.
type LatencyOptions struct {
	Passes int // measured passes over the query set (default 10)
	Warmup int // passes run first and not measured (default 1)
	// Progress, when set, is called after each pass.
	Progress func(pass, passes int)
}

// Latency runs every query of qs through e, one at a time, Warmup passes
// then Passes measured ones, and returns the percentiles per class and for
// ClassAll, with the sections found by the first measured pass (Hits,
// Empty). A query that fails is left out of the percentiles and counted in
// its class's Errors and in the failures returned (a warm-up failure in
// Warmup only). The error is the context's, or one when every measured
// query failed; a caller that wants every query answered checks
// Failures.Err.
func Latency(ctx context.Context, e Engine, qs []Query, o LatencyOptions) (map[string]Percentiles, *Failures, error) {
	if o.Passes <= 0 {
		o.Passes = 10
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	}
	times := map[string][]time.Duration{}
	errs := map[string]int{}
	hits := map[string]uint64{}
	empty := map[string]int{}
	requests, answered := map[string]int{}, map[string]int{}
	fails := &Failures{Classes: map[string]int{}}
	for pass := range o.Warmup + o.Passes {
		for _, q := range qs {
			if err := ctx.Err(); err != nil {
				return nil, fails, err
			}
			start := time.Now()
			f, err := e.Search(ctx, q)
			n := f.Sections
			took := time.Since(start)
			if err != nil {
				first := func() string { return fmt.Sprintf("%s query %q: %v", q.Class, shorten(q.Text, 60), err) }
				if pass < o.Warmup {
					fails.Warmup++
					if fails.First == "" {
						fails.First = first() + " (warm-up)"
					}
					continue
				}
				fails.add(q.Class, 1, first)
				errs[q.Class]++
				errs[ClassAll]++
				continue
			}
			if pass < o.Warmup {
				continue
			}
			if pass == o.Warmup {
				hits[q.Class] += n
				hits[ClassAll] += n
				requests[q.Class] += f.Requests
				requests[ClassAll] += f.Requests
				answered[q.Class]++
				answered[ClassAll]++
				if n == 0 {
					empty[q.Class]++
					empty[ClassAll]++
				}
			}
			times[q.Class] = append(times[q.Class], took)
			times[ClassAll] = append(times[ClassAll], took)
		}
		if o.Progress != nil && pass >= o.Warmup {
			o.Progress(pass-o.Warmup+1, o.Passes)
		}
	}
	out := map[string]Percentiles{}
	for _, q := range qs {
		for _, c := range []string{q.Class, ClassAll} {
			if _, ok := out[c]; !ok {
				p := Summarise(times[c], errs[c])
				p.Hits, p.Empty = hits[c], empty[c]
				if answered[c] > 0 {
					p.Requests = round(float64(requests[c])/float64(answered[c]), 2)
				}
				out[c] = p
			}
		}
	}
	if errs[ClassAll] == len(qs)*o.Passes {
		return out, fails, fmt.Errorf("every query failed, first: %s", fails.First)
	}
	return out, fails, nil
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// SuggestLatency asks the suggester for completions of every prefix query's
// text and its shorter beginnings (as typed, letter by letter), passes times.
func SuggestLatency(ctx context.Context, sug *engine.Suggester, qs []Query, levels []string, passes int) (Percentiles, error) {
	var typed []string
	for _, q := range qs {
		if q.Class != ClassPrefix {
			continue
		}
		r := []rune(q.Prefix())
		for k := 1; k <= len(r); k++ {
			typed = append(typed, string(r[:k]))
		}
	}
	if len(typed) == 0 {
		return Percentiles{}, errors.New("no prefix queries to suggest from")
	}
	var (
		d     []time.Duration
		hits  uint64
		empty int
	)
	for pass := range max(1, passes) + 1 {
		for _, t := range typed {
			if err := ctx.Err(); err != nil {
				return Percentiles{}, err
			}
			start := time.Now()
			got := sug.Suggest(t, levels, 8)
			d = append(d, time.Since(start))
			if pass == 1 {
				hits += uint64(len(got))
				if len(got) == 0 {
					empty++
				}
			}
		}
	}
	p := Summarise(d[len(typed):], 0) // the first pass warmed up
	p.Hits, p.Empty = hits, empty
	return p, nil
}

// Ratios fills b.Ratio against handbook's figures.
func (b *Baseline) Ratios(ours map[string]Percentiles, idx IndexReport) {
	b.Ratio = map[string]float64{}
	for c, p := range b.Classes {
		o, ok := ours[c]
		if !ok || o.P50MS == 0 || o.P99MS == 0 {
			continue
		}
		b.Ratio[c+"_p50"] = round(p.P50MS/o.P50MS, 2)
		b.Ratio[c+"_p99"] = round(p.P99MS/o.P99MS, 2)
	}
	if idx.SectionsPerS > 0 {
		b.Ratio["sections_per_s"] = round(b.Index.SectionsPerS/idx.SectionsPerS, 2)
	}
	if idx.Bytes > 0 {
		b.Ratio["bytes"] = round(float64(b.Index.Bytes)/float64(idx.Bytes), 2)
	}
}

// searchOptions are the options `serve` gives the search service by
// default.
func searchOptions() engine.Options { return engine.Options{} }
