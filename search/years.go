package search

import (
	"strconv"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"handbook/indexer"
)

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

// facetYearRanges names the range facet in Bleve requests; it is counted
// with the year facet (without the year filter when years are selected).
const facetYearRanges = "year_ranges"

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

// yearRangeRequest counts the sections in each range. Bleve's ranges
// include their minimum and exclude their maximum, drop empty ranges and cut
// to Size: Size holds them all and yearRangeCounts adds the empty ones back.
func yearRangeRequest() *bleve.FacetRequest {
	fr := bleve.NewFacetRequest(indexer.FieldYearNum, len(yearRanges))
	for _, yr := range yearRanges {
		var lo, hi *float64
		if yr[0] != 0 {
			v := float64(yr[0])
			lo = &v
		}
		if yr[1] != 0 {
			v := float64(yr[1] + 1)
			hi = &v
		}
		fr.AddNumericRange(newYearRange(yr[0], yr[1]).Label, lo, hi)
	}
	return fr
}

// yearRangeCounts lists every range with its count from fr (nil: zeros).
func yearRangeCounts(fr *bsearch.FacetResult) []YearRange {
	counts := map[string]int{}
	if fr != nil {
		for _, nr := range fr.NumericRanges {
			counts[nr.Name] = nr.Count
		}
	}
	out := make([]YearRange, len(yearRanges))
	for i, yr := range yearRanges {
		out[i] = newYearRange(yr[0], yr[1])
		out[i].Count = counts[out[i].Label]
	}
	return out
}
