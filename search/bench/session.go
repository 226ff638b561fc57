package bench

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"handbook/search"
)

// The steps of a session, the keys of SessionLatency's figures: an officer
// runs a query (cold: nothing of it is cached), clicks a value of one facet,
// then of another, then asks for page 2. StepFollowUps is the three steps
// after the query together.
const (
	StepQuery     = "query"
	StepFacet1    = "facet1"
	StepFacet2    = "facet2"
	StepPage2     = "page2"
	StepFollowUps = "follow_ups"
)

// Steps lists the steps of a session in order.
var Steps = []string{StepQuery, StepFacet1, StepFacet2, StepPage2}

// sessionFacets are the facets a session clicks, the first that has a value
// the results do not all share.
var sessionFacets = []string{search.FacetType, search.FacetTopic, search.FacetOrg, search.FacetYear, search.FacetLang}

// SessionLatency replays one session per query of qs (those that find
// something), passes times: the query with the service's caches emptied
// first, then two facet clicks and page 2, each as the web page asks
// (full request: facets and snippets). It returns the percentiles per step
// and for StepFollowUps, and the steps that failed (per step; a session
// ends at its first failed step, which is left out of the figures). The
// error is for a cancelled context or when no session could be replayed.
func (h *Handbook) SessionLatency(ctx context.Context, qs []Query, passes int) (map[string]Percentiles, *Failures, error) {
	times := map[string][]time.Duration{}
	fails := &Failures{}
	run := func(step string, q search.Query) (*search.Result, error) {
		start := time.Now()
		res, err := h.Service.Search(ctx, q)
		if err != nil {
			if ctx.Err() == nil {
				fails.add(step, 1, func() string { return fmt.Sprintf("%s %q: %v", step, q.Text, err) })
			}
			return nil, err
		}
		times[step] = append(times[step], time.Since(start))
		if step != StepQuery {
			times[StepFollowUps] = append(times[StepFollowUps], time.Since(start))
		}
		return res, nil
	}
	sessions := 0
	for range max(1, passes) {
		for _, bq := range qs {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			h.Service.ClearCaches()
			q := bq.Search(h.Levels)
			if !h.session(q, run) {
				continue
			}
			sessions++
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if sessions == 0 {
		return nil, fails, fmt.Errorf("no session: no query found anything (%d failed)", fails.Total)
	}
	out := map[string]Percentiles{}
	for _, step := range append(slices.Clone(Steps), StepFollowUps) {
		out[step] = Summarise(times[step], 0)
	}
	return out, fails, nil
}

// session replays one session from q through run, and says whether its
// query found something (a session that fails after it still counts: its
// failure is in the Failures).
func (h *Handbook) session(q search.Query, run func(string, search.Query) (*search.Result, error)) bool {
	res, err := run(StepQuery, q)
	if err != nil || res.Total == 0 {
		return false
	}
	for _, step := range []string{StepFacet1, StepFacet2} {
		q.Filters = click(q.Filters, res)
		if res, err = run(step, q); err != nil {
			return true
		}
	}
	q.Page = 2
	_, _ = run(StepPage2, q)
	return true
}

// click returns filters with one more facet value selected: the most
// frequent value of the first facet of sessionFacets not yet selected that
// has one (the same filters when none has).
func click(filters map[string][]string, res *search.Result) map[string][]string {
	out := maps.Clone(filters)
	if out == nil {
		out = map[string][]string{}
	}
	for _, f := range sessionFacets {
		if _, done := out[f]; done {
			continue
		}
		if vs := res.Facets[f]; len(vs) > 0 {
			out[f] = []string{vs[0].Value}
			return out
		}
	}
	return out
}
