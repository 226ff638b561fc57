package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handbook/search"
	"handbook/search/bench"
)

// TestBenchShort runs the benchmark's short mode end to end, as CI does: a
// smoke check that every stage runs, every figure is there, no query fails
// and the queries find sections, with no assertion on timings.
func TestBenchShort(t *testing.T) {
	var out, errOut bytes.Buffer
	args := []string{"bench", "--short", "--json", "--sections", "300", "--passes", "1", "--warmup", "0",
		"--http-rates", "20", "--http-duration", "500ms", "--data", t.TempDir()}
	if err := run(context.Background(), args, noEnv, &out, &errOut); err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	var rep bench.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out.String())
	}
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(out.Bytes(), &raw)
	for _, k := range []string{"corpus", "index", "classes", "suggest", "sessions", "http", "baselines", "failures"} {
		if len(raw[k]) == 0 || string(raw[k]) == "null" {
			t.Errorf("no %q in the JSON", k)
		}
	}
	if ix := rep.Index; ix.Sections != 300 || ix.Seconds <= 0 || ix.SectionsPerS <= 0 || ix.Bytes <= 0 {
		t.Errorf("index %+v", ix)
	}
	for _, c := range append(append([]string{}, bench.Classes...), bench.ClassAll) {
		if rep.Classes[c].N == 0 {
			t.Errorf("class %s not measured", c)
		}
		// On 300 sections many three-word phrases and filtered queries
		// find nothing; every class finds something.
		if p := rep.Classes[c]; p.Hits == 0 || p.Errors > 0 {
			t.Errorf("class %s: %d sections found, %d errors", c, p.Hits, p.Errors)
		}
	}
	if all, n := rep.Classes[bench.ClassAll], rep.Corpus.Queries; all.Empty > n*3/10 {
		t.Errorf("%d of %d queries found nothing", all.Empty, n)
	}
	for _, stage := range []string{bench.StageHandbook, bench.StageHTTP, baselinePlainBleve, baselineFTS5} {
		if f := rep.Failures[stage]; f == nil || f.Total+f.Warmup > 0 {
			t.Errorf("failures of %s: %+v", stage, f)
		}
	}
	if rep.Suggest.N == 0 || rep.Suggest.Hits == 0 {
		t.Errorf("suggest: %+v", rep.Suggest)
	}
	if rep.HTTP == nil || len(rep.HTTP.Rates) != 1 || rep.HTTP.Rates[0].Requests == 0 || rep.HTTP.Rates[0].Success != 1 {
		t.Errorf("http %+v", rep.HTTP)
	}
	for _, b := range []string{baselinePlainBleve, baselineFTS5} {
		bl := rep.Baselines[b]
		if bl == nil || bl.Index.Sections != 300 || bl.Classes[bench.ClassAll].N == 0 || bl.Classes[bench.ClassAll].Hits == 0 || len(bl.Ratio) == 0 {
			t.Errorf("baseline %s: %+v", b, bl)
		}
	}

	out.Reset()
	args = []string{"bench", "--short", "--sections", "300", "--passes", "1", "--http-rates", "none", "--baselines", "none", "--data", t.TempDir()}
	if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sections/s", "phrase2", "suggest", "found, queries", "failures: none"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBenchFailedQuery checks that a handbook query that fails makes the
// run fail, after the figures, which count it.
func TestBenchFailedQuery(t *testing.T) {
	dir := t.TempDir()
	queries := filepath.Join(dir, "queries.tsv")
	long := strings.Repeat("customs ", search.MaxQueryLength/8+1) // over the length limit: a bad query
	if err := os.WriteFile(queries, []byte("rare\tcustoms\nprefix\tcust*\nmulti\t"+long+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"bench", "--short", "--sections", "300", "--passes", "1", "--warmup", "0", "--http-rates", "none",
		"--baselines", "none", "--queries", queries, "--data", dir}
	err := run(context.Background(), args, noEnv, &out, io.Discard)
	if !errors.Is(err, bench.ErrFailed) {
		t.Fatalf("bench with a failing query: %v, want bench.ErrFailed", err)
	}
	for _, want := range []string{"FAILURES", "handbook: 1 failed (multi 1), 0 in warm-up"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBenchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--sections", "10"}, {"--sections", "2000000"}, {"--passes", "0"}, {"--baselines", "lucene"},
		{"--http-rates", "fast"}, {"--content", "/nonexistent"},
	} {
		var errOut bytes.Buffer
		err := run(context.Background(), append([]string{"bench"}, args...), noEnv, io.Discard, &errOut)
		if err == nil {
			t.Errorf("bench %v: no error", args)
		}
	}
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"bench", "--help"}, noEnv, io.Discard, &errOut); !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "Usage: handbook bench") {
		t.Errorf("--help: %v", err)
	}
}
