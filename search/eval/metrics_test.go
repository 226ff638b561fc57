package eval

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The example: d2 (grade 1) at rank 2, d4 (grade 2) at rank 4, d5 (grade 1)
// not retrieved.
var (
	exampleRun = []string{"d1", "d2", "d3", "d4"}
	exampleRel = map[string]int{"d2": 1, "d4": 2, "d5": 1, "d9": 0}
)

func TestMeasuresByHand(t *testing.T) {
	log2 := math.Log2
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		// DCG = 1/log2(3) + 2/log2(5); ideal = 2/log2(2) + 1/log2(3) + 1/log2(4).
		{"ndcg@10", NDCG(exampleRun, exampleRel, 10), (1/log2(3) + 2/log2(5)) / (2 + 1/log2(3) + 0.5)},
		{"ndcg@10 value", NDCG(exampleRun, exampleRel, 10), 0.47662611018851303},
		// Cut at 2: only d2 counts; the ideal keeps the two best grades.
		{"ndcg@2", NDCG(exampleRun, exampleRel, 2), (1 / log2(3)) / (2 + 1/log2(3))},
		{"ndcg perfect", NDCG([]string{"d4", "d2", "d5"}, exampleRel, 10), 1},
		{"ndcg nothing relevant", NDCG([]string{"d1", "d9"}, exampleRel, 10), 0},
		// Relevant at ranks 2 and 4; three relevant in all.
		{"average precision", AveragePrecision(exampleRun, exampleRel), (1.0/2 + 2.0/4) / 3},
		{"recall@100", Recall(exampleRun, exampleRel, 100), 2.0 / 3},
		{"recall@2", Recall(exampleRun, exampleRel, 2), 1.0 / 3},
		{"rr@10", ReciprocalRank(exampleRun, exampleRel, 10), 0.5},
		{"rr@1", ReciprocalRank(exampleRun, exampleRel, 1), 0},
		{"empty ranking", NDCG(nil, exampleRel, 10) + AveragePrecision(nil, exampleRel) + Recall(nil, exampleRel, 100) + ReciprocalRank(nil, exampleRel, 10), 0},
	}
	for _, tc := range tests {
		if !near(tc.got, tc.want) {
			t.Errorf("%s = %.6f, want %.6f", tc.name, tc.got, tc.want)
		}
	}
}

func TestEvaluateAveragesLikeTrecEvalC(t *testing.T) {
	qrels := Qrels{
		"1":  exampleRel,
		"2":  {"d7": 1},          // not in the run: counts as 0
		"3":  {"d1": 0},          // nothing relevant: left out
		"10": {"10": 1, "d8": 1}, // the query's own id is dropped from the run
	}
	run := Run{
		"1":     exampleRun,
		"10":    {"10", "d8", "d8", "x"}, // d8 is first once "10" is dropped; the repeat counts once
		"extra": {"d1"},                  // not judged: ignored
	}
	rep := Evaluate(run, qrels)
	if rep.Queries != 3 || len(rep.PerQuery) != 3 {
		t.Fatalf("%d queries evaluated, want 3: %+v", rep.Queries, rep.PerQuery)
	}
	if ids := []string{rep.PerQuery[0].ID, rep.PerQuery[1].ID, rep.PerQuery[2].ID}; ids[0] != "1" || ids[1] != "2" || ids[2] != "10" {
		t.Errorf("order %v, want numeric 1 2 10", ids)
	}
	q10 := rep.PerQuery[2]
	// "10" is relevant but is the query itself: 1 of 2 relevant found, at rank 1.
	if q10.Retrieved != 2 || q10.FirstRelevant != 1 || !near(q10.MRR10, 1) || !near(q10.Recall100, 0.5) || !near(q10.MAP, 0.5) {
		t.Errorf("query 10: %+v", q10)
	}
	wantNDCG := (NDCG(exampleRun, exampleRel, 10) + 0 + 1/(1+1/math.Log2(3))) / 3
	if !near(rep.Mean.NDCG10, wantNDCG) {
		t.Errorf("mean nDCG@10 = %.6f, want %.6f", rep.Mean.NDCG10, wantNDCG)
	}
	wantMAP := ((1.0/2+2.0/4)/3 + 0 + 0.5) / 3
	if !near(rep.Mean.MAP, wantMAP) {
		t.Errorf("MAP = %.6f, want %.6f", rep.Mean.MAP, wantMAP)
	}
	if rep := Evaluate(Run{}, Qrels{}); rep.Queries != 0 || rep.Mean != (Scores{}) {
		t.Errorf("empty evaluation: %+v", rep)
	}
}
