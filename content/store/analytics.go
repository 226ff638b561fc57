package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"handbook/content"
)

// Search analytics: what officers search for and fail to find, kept as
// aggregate counters only (migration 3). A row is an ISO week, an interface
// language and a normalized query, with three counts: searches, searches
// that found nothing, searches that had a result opened. No user, session,
// address or finer time is ever written, and a report shows a query only
// when its count reaches the minimum (at least MinCount), so a rare query
// cannot point at the person who typed it.

// Limits of the analytics.
const (
	// MinCount is the smallest minimum count a report accepts.
	MinCount = 3
	// MaxQueryRunes bounds a normalized query; longer ones are cut.
	MaxQueryRunes = 200
	// MaxQueriesPerWeek bounds the distinct queries kept for one week and
	// language; searches of further new queries that week are not kept.
	MaxQueriesPerWeek = 20000
	// MaxReportRows bounds each list of a report.
	MaxReportRows = 200
)

// NormalizeQuery is the form a query is counted under: lower case, accents
// and ligatures folded (content.Fold), spaces collapsed, at most
// MaxQueryRunes runes. "Contrôle  AEO" and "controle aeo" are one query.
func NormalizeQuery(q string) string {
	q = strings.Join(strings.Fields(content.Fold(strings.ToLower(q))), " ")
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		q = string([]rune(q)[:MaxQueryRunes])
		q = strings.TrimSpace(q)
	}
	if !utf8.ValidString(q) {
		return ""
	}
	return q
}

// Week is t's ISO week, as "2026-W49" (which sorts as time does).
func Week(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Analytics is the store's search analytics.
type Analytics struct {
	s *Store
	// retention is how long weeks are kept; zero keeps them all.
	retention time.Duration
	mu        sync.Mutex
	pruned    string // the week of the last pruning
}

// Analytics returns the store's search analytics, keeping weeks for
// retention (0: forever). Weeks older than that are deleted as new
// searches are recorded (once a week at most) and never reported.
func (s *Store) Analytics(retention time.Duration) *Analytics {
	return &Analytics{s: s, retention: retention}
}

// cutoff is the oldest week kept at now ("" when every week is).
func (a *Analytics) cutoff(now time.Time) string {
	if a.retention <= 0 {
		return ""
	}
	return Week(now.Add(-a.retention))
}

// Search counts one search of query (normalized here) at time at in the
// interface language lang; zero says it found nothing. An empty query is
// not counted.
func (a *Analytics) Search(ctx context.Context, at time.Time, lang, query string, zero bool) error {
	query = NormalizeQuery(query)
	if query == "" {
		return nil
	}
	if err := a.pruneWeekly(ctx, at); err != nil {
		return err
	}
	z := 0
	if zero {
		z = 1
	}
	week, lang := Week(at), boundLang(lang)
	d := a.s.d
	res, err := a.s.db.ExecContext(ctx, d.q(`UPDATE analytics_queries SET searches = searches + 1, zero_results = zero_results + ? WHERE week = ? AND lang = ? AND query = ?`), z, week, lang, query)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	// A new query: kept while the week has room (a flood of distinct
	// queries cannot grow the table without bound).
	_, err = a.s.db.ExecContext(ctx, d.q(`INSERT INTO analytics_queries (week, lang, query, searches, zero_results, opened)
		SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), 1, CAST(? AS INTEGER), 0 WHERE (SELECT COUNT(*) FROM analytics_queries WHERE week = ? AND lang = ?) < ?
		ON CONFLICT (week, lang, query) DO UPDATE SET searches = analytics_queries.searches + 1, zero_results = analytics_queries.zero_results + excluded.zero_results`),
		week, lang, query, z, week, lang, MaxQueriesPerWeek)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	return nil
}

// Opened counts that a result of a search of query (in week and lang, as
// recorded by Search) was opened: once per search, which the caller sees to.
// It never counts more openings than searches that found something.
func (a *Analytics) Opened(ctx context.Context, week, lang, query string) error {
	query = NormalizeQuery(query)
	_, err := a.s.db.ExecContext(ctx, a.s.d.q(`UPDATE analytics_queries SET opened = opened + 1 WHERE week = ? AND lang = ? AND query = ? AND opened < searches - zero_results`), week, boundLang(lang), query)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	return nil
}

func boundLang(lang string) string {
	if len(lang) > 8 {
		return lang[:8]
	}
	return lang
}

func (a *Analytics) pruneWeekly(ctx context.Context, now time.Time) error {
	week := Week(now)
	a.mu.Lock()
	done := a.pruned == week
	a.mu.Unlock()
	if done || a.retention <= 0 {
		return nil
	}
	if _, err := a.Prune(ctx, now); err != nil {
		return err
	}
	a.mu.Lock()
	a.pruned = week
	a.mu.Unlock()
	return nil
}

// Prune deletes the weeks older than the retention at now and says how
// many rows went.
func (a *Analytics) Prune(ctx context.Context, now time.Time) (int64, error) {
	cut := a.cutoff(now)
	if cut == "" {
		return 0, nil
	}
	res, err := a.s.db.ExecContext(ctx, a.s.d.q(`DELETE FROM analytics_queries WHERE week < ?`), cut)
	if err != nil {
		return 0, fmt.Errorf("analytics: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// ReportQuery selects a report: a week ("" for every week kept) and a
// language ("" for all), the minimum count (raised to MinCount) and the
// length of each list (at most MaxReportRows; 0 for 20).
type ReportQuery struct {
	Week     string
	Lang     string
	MinCount int
	Limit    int
}

// Report is what the analytics show. Every query listed was counted at
// least MinCount times for the figure it is listed by.
type Report struct {
	Week     string      `json:"week,omitempty"`
	Lang     string      `json:"lang,omitempty"`
	MinCount int         `json:"min_count"`
	Weeks    []WeekTotal `json:"weeks"`
	Langs    []string    `json:"langs"`
	Top      []QueryRow  `json:"top"`
	Zero     []QueryRow  `json:"zero_results"`
	Unopened []QueryRow  `json:"unopened"`
}

// WeekTotal is one week's searches (of the selected language), every query
// together: totals name no query, so they are shown whatever their size.
type WeekTotal struct {
	Week        string `json:"week"`
	Searches    int64  `json:"searches"`
	ZeroResults int64  `json:"zero_results"`
	// Unopened are the searches that found something of which no result
	// was opened.
	Unopened int64 `json:"unopened"`
}

// QueryRow is one query's counts over the report's selection.
type QueryRow struct {
	Query       string `json:"query"`
	Searches    int64  `json:"searches"`
	ZeroResults int64  `json:"zero_results"`
	Unopened    int64  `json:"unopened"`
}

// Report gathers the analytics for rq at now (weeks past the retention are
// left out even before they are pruned).
func (a *Analytics) Report(ctx context.Context, rq ReportQuery, now time.Time) (*Report, error) {
	rq.MinCount = max(rq.MinCount, MinCount)
	if rq.Limit <= 0 {
		rq.Limit = 20
	}
	rq.Limit = min(rq.Limit, MaxReportRows)
	r := &Report{Week: rq.Week, Lang: rq.Lang, MinCount: rq.MinCount, Weeks: []WeekTotal{}, Langs: []string{}}
	where, args := "week >= ?", []any{a.cutoff(now)}
	if rq.Lang != "" {
		where += " AND lang = ?"
		args = append(args, rq.Lang)
	}
	db, d := a.s.db, a.s.d
	rows, err := db.QueryContext(ctx, d.q(`SELECT week, CAST(SUM(searches) AS bigint), CAST(SUM(zero_results) AS bigint), CAST(SUM(searches - zero_results - opened) AS bigint) FROM analytics_queries WHERE `+where+` GROUP BY week ORDER BY week`), args...)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	for rows.Next() {
		var w WeekTotal
		if err := rows.Scan(&w.Week, &w.Searches, &w.ZeroResults, &w.Unopened); err != nil {
			rows.Close()
			return nil, err
		}
		r.Weeks = append(r.Weeks, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	lrows, err := db.QueryContext(ctx, d.q(`SELECT DISTINCT lang FROM analytics_queries WHERE week >= ? ORDER BY lang`), a.cutoff(now))
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	for lrows.Next() {
		var l string
		if err := lrows.Scan(&l); err != nil {
			lrows.Close()
			return nil, err
		}
		r.Langs = append(r.Langs, l)
	}
	lrows.Close()
	if rq.Week != "" {
		where += " AND week = ?"
		args = append(args, rq.Week)
	}
	// The minimum count is applied in the database, to the figure each list
	// is ordered by: a query below it never leaves the store.
	list := func(figure string) ([]QueryRow, error) {
		stmt := `SELECT query, CAST(SUM(searches) AS bigint), CAST(SUM(zero_results) AS bigint), CAST(SUM(searches - zero_results - opened) AS bigint) FROM analytics_queries WHERE ` + where +
			` GROUP BY query HAVING SUM(` + figure + `) >= ? AND SUM(searches) >= ? ORDER BY SUM(` + figure + `) DESC, query LIMIT ?`
		rows, err := db.QueryContext(ctx, d.q(stmt), append(args, rq.MinCount, rq.MinCount, rq.Limit)...)
		if err != nil {
			return nil, fmt.Errorf("analytics: %w", err)
		}
		defer rows.Close()
		out := []QueryRow{}
		for rows.Next() {
			var q QueryRow
			if err := rows.Scan(&q.Query, &q.Searches, &q.ZeroResults, &q.Unopened); err != nil {
				return nil, err
			}
			out = append(out, q)
		}
		return out, rows.Err()
	}
	if r.Top, err = list("searches"); err != nil {
		return nil, err
	}
	if r.Zero, err = list("zero_results"); err != nil {
		return nil, err
	}
	if r.Unopened, err = list("searches - zero_results - opened"); err != nil {
		return nil, err
	}
	return r, nil
}
