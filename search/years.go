package search

import "strconv"

// YearRange is one fixed range of years with the number of matching
// sections; every range is listed, empty ones included.
type YearRange struct {
	Label string `json:"label"`
	From  int    `json:"from,omitempty"` // the first year; 0 when open
	To    int    `json:"to,omitempty"`   // the last year; 0 when open
	Count int    `json:"count"`
	// Query restricts a query to the range: "year:2015..2019".
	Query string `json:"query"`
}

// yearRanges are the fixed ranges, oldest first; 0 is an open end.
var yearRanges = [][2]int{{0, 1999}, {2000, 2009}, {2010, 2014}, {2015, 2019}, {2020, 2024}, {2025, 0}}

func newYearRange(from, to int) YearRange {
	r := YearRange{From: from, To: to}
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
func emptyYearRanges() []YearRange {
	out := make([]YearRange, len(yearRanges))
	for i, yr := range yearRanges {
		out[i] = newYearRange(yr[0], yr[1])
	}
	return out
}
