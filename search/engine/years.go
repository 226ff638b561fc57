package engine

import (
	"handbook/search"
	"strconv"
)

// yearRanges are the fixed ranges, oldest first; 0 is an open end.
var yearRanges = [][2]int{{0, 1999}, {2000, 2009}, {2010, 2014}, {2015, 2019}, {2020, 2024}, {2025, 0}}

func newYearRange(from, to int) search.YearRange {
	r := search.YearRange{From: from, To: to}
	switch {
	case from == 0:
		r.Label, r.Query = "before "+strconv.Itoa(to+1), "year:.."+strconv.Itoa(to)
	case to == 0:
		r.Label, r.Query = strconv.Itoa(from)+" and later", "year:"+strconv.Itoa(from)+".."
	default:
		r.Label, r.Query = strconv.Itoa(from)+"–"+strconv.Itoa(to), "year:"+strconv.Itoa(from)+".."+strconv.Itoa(to)
	}
	return r
}

// emptyYearRanges lists every range with a count of zero.
func emptyYearRanges() []search.YearRange {
	out := make([]search.YearRange, len(yearRanges))
	for i, yr := range yearRanges {
		out[i] = newYearRange(yr[0], yr[1])
	}
	return out
}
