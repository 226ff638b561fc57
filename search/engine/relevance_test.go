package engine_test

import (
	"context"
	"os"
	"testing"

	"handbook/content/sample"
	"handbook/search/eval"
	"handbook/search/searchtest"
)

// Relevance on the sample knowledge base, recorded from
// testdata/relevance/sample.tsv (68 queries in English and French). A change
// to analysis or ranking that moves them shows here: raise the figures when
// it improves them, and look at the queries it hurts when it does not.
const (
	sampleRecall1 = 0.6618
	sampleRecall5 = 0.9559
	sampleMRR     = 0.8125
	// sampleSlack is about one query's worth.
	sampleSlack = 0.015
)

func TestSampleRelevance(t *testing.T) {
	f, err := os.Open("../testdata/relevance/sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	queries, qrels, err := eval.ReadJudgments(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) < 60 {
		t.Fatalf("only %d queries", len(queries))
	}
	svc := searchtest.Service(t, sample.FS())
	run, refused, err := eval.RunQueries(context.Background(), svc, queries, 10, eval.BySection)
	if err != nil {
		t.Fatal(err)
	}
	for id, err := range refused {
		t.Errorf("query %s refused: %v", id, err)
	}
	var r1, r5 float64
	for _, q := range queries {
		r1 += eval.Recall(run[q.ID], qrels[q.ID], 1)
		r5 += eval.Recall(run[q.ID], qrels[q.ID], 5)
		if eval.Recall(run[q.ID], qrels[q.ID], 10) == 0 {
			t.Logf("%s %q: no expected section in the first 10", q.ID, q.Text)
		}
	}
	n := float64(len(queries))
	r1, r5 = r1/n, r5/n
	mrr := eval.Evaluate(run, qrels).Mean.MRR10
	t.Logf("sample relevance: %d queries, recall@1 %.4f, recall@5 %.4f, MRR@10 %.4f", len(queries), r1, r5, mrr)
	for _, m := range []struct {
		name      string
		got, want float64
	}{{"recall@1", r1, sampleRecall1}, {"recall@5", r5, sampleRecall5}, {"MRR@10", mrr, sampleMRR}} {
		if m.got < m.want-sampleSlack {
			t.Errorf("%s %.4f is below the recorded %.4f", m.name, m.got, m.want)
		}
	}
}
