package engine

import (
	"math"
	"testing"
)

func TestProximity(t *testing.T) {
	idf := []float64{1, 2, 3}
	for _, tc := range []struct {
		name string
		pos  [][]uint64
		want float64
	}{
		{"adjacent", [][]uint64{{1}, {2}, nil}, 1 * 1 / (1.2 + 1)},
		// 1/2² for the pair at distance 2, plus the pair of terms 1 and 2
		// (distance 1); terms 0 and 2 are 3 apart: 1/9.
		{"three terms", [][]uint64{{1}, {3}, {4}}, 1*0.25/(1.2+0.25) + 2*1/(1.2+1) + 1*(1.0/9)/(1.2+1.0/9)},
		{"too far apart", [][]uint64{{1}, {7}, nil}, 0},
		{"one term repeated", [][]uint64{{1, 2, 3}, nil, nil}, 0},
		{"nothing", [][]uint64{nil, nil, nil}, 0},
	} {
		if got := proximity(tc.pos, idf, 1.2, 5); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
