package eval

import (
	"math"
	"slices"
	"sort"
)

// Cut-offs of the reported measures.
const (
	NDCGDepth   = 10
	RecallDepth = 100
	MRRDepth    = 10
)

// Scores are the measures of one query, or their means over a collection.
type Scores struct {
	NDCG10    float64 `json:"ndcg@10"`
	MAP       float64 `json:"map"` // average precision for one query
	Recall100 float64 `json:"recall@100"`
	MRR10     float64 `json:"mrr@10"` // reciprocal rank for one query
	// Success1 and Success10 are, for known-item judgments (the sections
	// that should come first, any of them will do), whether one of them is
	// first, or in the first ten: the share of queries over a collection
	// (known-item recall@1 and recall@10).
	Success1  float64 `json:"success@1"`
	Success10 float64 `json:"success@10"`
}

// QueryScores are one query's measures with what they were computed from.
type QueryScores struct {
	ID        string `json:"id"`
	Relevant  int    `json:"relevant"`  // judged relevant documents
	Retrieved int    `json:"retrieved"` // ranked documents evaluated
	// FirstRelevant is the rank of the first relevant document, 0 when
	// none was retrieved.
	FirstRelevant int `json:"first_relevant"`
	Scores
}

// Report is the evaluation of a run against judgments.
type Report struct {
	Queries  int           `json:"queries"`
	Mean     Scores        `json:"mean"`
	PerQuery []QueryScores `json:"per_query"`
}

// Run holds a ranking per query id: document ids, best first.
type Run map[string][]string

// Evaluate scores run against qrels as trec_eval -c does: every query with
// at least one relevant judgment is averaged, a query missing from the run
// scoring 0; queries without relevant judgments are left out. A ranked
// document whose id is the query's own id is dropped first (as Anserini's
// -removeQuery does for BEIR), and a document ranked twice counts once, at
// its first rank. PerQuery is in query id order.
func Evaluate(run Run, qrels Qrels) *Report {
	rep := &Report{PerQuery: []QueryScores{}}
	ids := make([]string, 0, len(qrels))
	for id, rel := range qrels {
		if numRelevant(rel) > 0 {
			ids = append(ids, id)
		}
	}
	sortIDs(ids)
	for _, id := range ids {
		rel := qrels[id]
		ranked := clean(run[id], id)
		qs := QueryScores{
			ID: id, Relevant: numRelevant(rel), Retrieved: len(ranked), FirstRelevant: firstRelevant(ranked, rel),
			Scores: Scores{
				NDCG10:    NDCG(ranked, rel, NDCGDepth),
				MAP:       AveragePrecision(ranked, rel),
				Recall100: Recall(ranked, rel, RecallDepth),
				MRR10:     ReciprocalRank(ranked, rel, MRRDepth),
			},
		}
		if f := qs.FirstRelevant; f == 1 {
			qs.Success1, qs.Success10 = 1, 1
		} else if f > 0 && f <= 10 {
			qs.Success10 = 1
		}
		rep.PerQuery = append(rep.PerQuery, qs)
		rep.Mean.NDCG10 += qs.NDCG10
		rep.Mean.MAP += qs.MAP
		rep.Mean.Recall100 += qs.Recall100
		rep.Mean.MRR10 += qs.MRR10
		rep.Mean.Success1 += qs.Success1
		rep.Mean.Success10 += qs.Success10
	}
	if n := float64(len(rep.PerQuery)); n > 0 {
		rep.Queries = len(rep.PerQuery)
		rep.Mean.NDCG10 /= n
		rep.Mean.MAP /= n
		rep.Mean.Recall100 /= n
		rep.Mean.MRR10 /= n
		rep.Mean.Success1 /= n
		rep.Mean.Success10 /= n
	}
	return rep
}

// sortIDs orders query ids numerically when they are numbers, else as text.
func sortIDs(ids []string) {
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if na, nb := isDigits(a), isDigits(b); na && nb && len(a) != len(b) {
			return len(a) < len(b)
		} else if na != nb {
			return na
		}
		return a < b
	})
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// clean drops the query's own id and repeated documents.
func clean(ranked []string, queryID string) []string {
	out := make([]string, 0, len(ranked))
	seen := make(map[string]bool, len(ranked))
	for _, d := range ranked {
		if d == queryID || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

func numRelevant(rel map[string]int) int {
	n := 0
	for _, g := range rel {
		if g > 0 {
			n++
		}
	}
	return n
}

func firstRelevant(ranked []string, rel map[string]int) int {
	for i, d := range ranked {
		if rel[d] > 0 {
			return i + 1
		}
	}
	return 0
}

// NDCG is trec_eval's ndcg_cut at depth k: the gain of a document is its
// relevance grade, discounted by log2(rank+1), divided by the same sum over
// the judged grades in the best order.
func NDCG(ranked []string, rel map[string]int, k int) float64 {
	var dcg float64
	for i, d := range ranked[:min(k, len(ranked))] {
		if g := rel[d]; g > 0 {
			dcg += float64(g) / math.Log2(float64(i+2))
		}
	}
	var grades []int
	for _, g := range rel {
		if g > 0 {
			grades = append(grades, g)
		}
	}
	slices.SortFunc(grades, func(a, b int) int { return b - a })
	var ideal float64
	for i, g := range grades[:min(k, len(grades))] {
		ideal += float64(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// AveragePrecision is trec_eval's map for one query: the precision at the
// rank of each relevant document retrieved, summed and divided by the number
// of relevant documents.
func AveragePrecision(ranked []string, rel map[string]int) float64 {
	n := numRelevant(rel)
	if n == 0 {
		return 0
	}
	var sum float64
	found := 0
	for i, d := range ranked {
		if rel[d] > 0 {
			found++
			sum += float64(found) / float64(i+1)
		}
	}
	return sum / float64(n)
}

// Recall is the share of the relevant documents found in the first k.
func Recall(ranked []string, rel map[string]int, k int) float64 {
	n := numRelevant(rel)
	if n == 0 {
		return 0
	}
	found := 0
	for _, d := range ranked[:min(k, len(ranked))] {
		if rel[d] > 0 {
			found++
		}
	}
	return float64(found) / float64(n)
}

// ReciprocalRank is 1/rank of the first relevant document within the first
// k, or 0.
func ReciprocalRank(ranked []string, rel map[string]int, k int) float64 {
	if r := firstRelevant(ranked[:min(k, len(ranked))], rel); r > 0 {
		return 1 / float64(r)
	}
	return 0
}
