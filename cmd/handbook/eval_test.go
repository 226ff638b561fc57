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
)

const evalData = "../../search/eval/testdata"

func TestEvalCorpus(t *testing.T) {
	var out bytes.Buffer
	args := []string{"eval", "--data", t.TempDir(), "--corpus", evalData + "/corpus.jsonl",
		"--queries", evalData + "/queries.tsv", "--qrels", evalData + "/qrels.tsv", "--json"}
	if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var got map[string]float64
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out.String())
	}
	// Each query's one relevant document comes first.
	for _, k := range []string{"ndcg@10", "map", "recall@100", "mrr@10"} {
		if v, ok := got[k]; !ok || v != 1 {
			t.Errorf("%s = %v (present %v), want 1", k, v, ok)
		}
	}
	if got["queries"] != 3 {
		t.Errorf("queries = %v, want 3", got["queries"])
	}
}

func TestEvalJudgmentsOnAFolder(t *testing.T) {
	judgments := filepath.Join(t.TempDir(), "judgments.tsv")
	err := os.WriteFile(judgments, []byte("# officers' queries\n"+
		"ivory permits at the border\twildlife#article-5-permits\n"+
		"\"controlled delivery\"\twildlife#article-6-controlled-delivery port-controls#3-controlled-delivery\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	data := t.TempDir()
	args := []string{"eval", "--data", data, "--content", testContent, "--judgments", judgments, "--per-query"}
	if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 queries", "nDCG@10     1.0000", "MRR@10      1.0000", "q2 ", `"controlled delivery"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("the temporary index was left in --data: %v", entries)
	}
}

func TestEvalFlags(t *testing.T) {
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"eval", "--help"}, noEnv, io.Discard, &errOut); !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "Usage: handbook eval") {
		t.Errorf("eval --help: %v %q", err, errOut.String())
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--queries", "q", "--qrels", "r"}, "give either --corpus"},
		{[]string{"--corpus", "c", "--content", testContent, "--queries", "q", "--qrels", "r"}, "give either --corpus"},
		{[]string{"--corpus", "c", "--queries", "q"}, "--queries and --qrels are both required"},
		{[]string{"--corpus", "c", "--judgments", "j"}, "--judgments names sections of --content"},
		{[]string{"--content", testContent, "--judgments", "j", "--qrels", "r"}, "not both"},
		{[]string{"--content", "no/such/folder", "--judgments", "j"}, "--content"},
		{[]string{"--corpus", "no/such/corpus", "--queries", evalData + "/queries.tsv", "--qrels", evalData + "/qrels.tsv"}, "--corpus: open no/such/corpus"},
		{[]string{"--corpus", evalData + "/corpus.jsonl", "--queries", evalData + "/qrels.tsv", "--qrels", evalData + "/qrels.tsv"}, `--queries: qrels.tsv: line 5: bad format: query "3" appears twice`},
	} {
		err := run(context.Background(), append([]string{"eval", "--data", t.TempDir()}, tc.args...), noEnv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("eval %v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
