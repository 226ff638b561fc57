package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content/store"
	"handbook/web/auth"
)

// Search analytics: what officers search for and fail to find. The results
// page counts each search it runs (page 1 of a query; the JSON API, the
// bench and the command line are not counted) in the store as aggregate
// counters by ISO week, interface language and normalized query. Nobody's
// identity is kept: no user, session or address.
//
// A search's result counts as opened through its hit links: they carry a
// one-time random click number (click=…), which the server remembers in
// memory only, with the week, language and query it stands for, for an hour.
// The first document page opened with it counts one opened search and
// forgets it, so reloading or opening a second result counts nothing more.
// It works without JavaScript, and the link's number says nothing of the
// query: the request log keeps only the query string's length and hash
// anyway (logRequests), and the query stays out of the store's rows except as
// the normalized text counted.

// canSeeAnalytics says who may see the search analytics: editors (who keep
// the library) and admins (who hold every role).
func canSeeAnalytics(id auth.Identity) bool { return id.Has(auth.RoleEditor) }

// requireAnalytics refuses callers who may not see the analytics.
func (s *Server) requireAnalytics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := s.identify(c)
		if !canSeeAnalytics(id) {
			if id.Anonymous() {
				return httpError(http.StatusForbidden, "err.role.signin", auth.RoleEditor)
			}
			return httpError(http.StatusForbidden, "err.role", auth.RoleEditor)
		}
		return next(c)
	}
}

// clickKey is what a click number stands for.
type clickKey struct {
	week, lang, query string
	expires           time.Time
}

// clicks are the click numbers of recent results pages, in memory only.
type clicks struct {
	mu      sync.Mutex
	pending map[string]clickKey
}

// Bounds of the click numbers kept.
const (
	maxPendingClicks = 50000
	clickTTL         = time.Hour
)

func (k *clicks) add(key clickKey, now time.Time) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	n := base64.RawURLEncoding.EncodeToString(b)
	key.expires = now.Add(clickTTL)
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.pending) >= maxPendingClicks {
		for id, v := range k.pending {
			if v.expires.Before(now) || len(k.pending) >= maxPendingClicks {
				delete(k.pending, id)
			}
		}
	}
	k.pending[n] = key
	return n
}

// take returns what click number n stands for and forgets it.
func (k *clicks) take(n string, now time.Time) (clickKey, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.pending[n]
	delete(k.pending, n)
	return v, ok && v.expires.After(now)
}

// recordSearch counts a search of the results page and returns the click
// number its hit links carry ("" when nothing was counted).
func (s *Server) recordSearch(c echo.Context, p searchParams, lang string, total uint64) string {
	if s.analytics == nil || p.Page > 1 {
		return ""
	}
	q := store.NormalizeQuery(p.Q)
	if q == "" {
		return ""
	}
	now := time.Now()
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.analytics.Search(ctx, now, lang, q, total == 0); err != nil {
		// The search is worth more than its count.
		s.log.Warn("analytics_failed", "request_id", requestID(c), "err", err)
		return ""
	}
	s.metrics.analytics.WithLabelValues("search").Inc()
	if total == 0 {
		s.metrics.analytics.WithLabelValues("zero_results").Inc()
		return ""
	}
	return s.clicks.add(clickKey{week: store.Week(now), lang: lang, query: q}, now)
}

// recordOpened counts the opening of a result from a results page, once
// per click number.
func (s *Server) recordOpened(c echo.Context) {
	n := c.QueryParam("click")
	if s.analytics == nil || n == "" || len(n) > 32 {
		return
	}
	key, ok := s.clicks.take(n, time.Now())
	if !ok {
		return
	}
	if err := s.analytics.Opened(c.Request().Context(), key.week, key.lang, key.query); err != nil {
		s.log.Warn("analytics_failed", "request_id", requestID(c), "err", err)
		return
	}
	s.metrics.analytics.WithLabelValues("opened").Inc()
}

// withClick adds the click number to a hit's link, before its anchor.
func withClick(link, n string) string {
	if n == "" {
		return link
	}
	base, anchor, found := strings.Cut(link, "#")
	base += "&click=" + n
	if found {
		base += "#" + anchor
	}
	return base
}

var weekParam = regexp.MustCompile(`^[0-9]{4}-W[0-9]{2}$`)

// analyticsQuery reads week and lang, each optional.
func (s *Server) analyticsQuery(c echo.Context) (store.ReportQuery, error) {
	rq := store.ReportQuery{Week: c.QueryParam("week"), Lang: c.QueryParam("lang"), MinCount: s.opts.AnalyticsMinCount}
	if rq.Week != "" && !weekParam.MatchString(rq.Week) {
		return rq, httpError(http.StatusBadRequest, "err.analytics.week")
	}
	if rq.Lang != "" && !isUILanguage(rq.Lang) {
		return rq, httpError(http.StatusBadRequest, "err.analytics.lang")
	}
	if n, err := strconv.Atoi(c.QueryParam("limit")); err == nil {
		rq.Limit = n
	}
	return rq, nil
}

type analyticsView struct {
	page
	Report *store.Report
	// Bars are the weeks of the chart, each figure as a share of the
	// busiest week's searches (0–100).
	Bars     []weekBar
	Weeks    []link // choose a week; the first is every week
	Langs    []link // choose a language; the first is every language
	CSV      string
	Selected string // the week shown, or "" for every week kept
}

type weekBar struct {
	store.WeekTotal
	Searches, Zero, Unopened int // widths in percent
	URL                      string
}

// analyticsPage is GET /admin/analytics[?week=&lang=].
func (s *Server) analyticsPage(c echo.Context) error {
	rq, err := s.analyticsQuery(c)
	if err != nil {
		return err
	}
	r, err := s.analytics.Report(c.Request().Context(), rq, time.Now())
	if err != nil {
		return err
	}
	lang := s.uiLanguage(c)
	v := analyticsView{page: s.basePage(c, translate(lang, "analytics.title")), Report: r, Selected: rq.Week}
	at := func(week, l string) string {
		q := []string{}
		if week != "" {
			q = append(q, "week="+week)
		}
		if l != "" {
			q = append(q, "lang="+l)
		}
		if len(q) == 0 {
			return "/admin/analytics"
		}
		return "/admin/analytics?" + strings.Join(q, "&")
	}
	var most int64 = 1
	for _, w := range r.Weeks {
		most = max(most, w.Searches)
	}
	pct := func(n int64) int { return int(n * 100 / most) }
	v.Weeks = append(v.Weeks, link{Label: translate(lang, "analytics.allweeks"), URL: at("", rq.Lang)})
	for _, w := range r.Weeks {
		v.Bars = append(v.Bars, weekBar{WeekTotal: w, Searches: pct(w.Searches), Zero: pct(w.ZeroResults), Unopened: pct(w.Unopened), URL: at(w.Week, rq.Lang)})
		v.Weeks = append(v.Weeks, link{Label: w.Week, URL: at(w.Week, rq.Lang)})
	}
	v.Langs = append(v.Langs, link{Label: translate(lang, "analytics.alllangs"), URL: at(rq.Week, "")})
	for _, l := range r.Langs {
		v.Langs = append(v.Langs, link{Label: l, URL: at(rq.Week, l)})
	}
	v.CSV = "/api/analytics?format=csv"
	if u := at(rq.Week, rq.Lang); strings.Contains(u, "?") {
		v.CSV += "&" + u[strings.Index(u, "?")+1:]
	}
	return s.render(c, http.StatusOK, "analytics", v)
}

// apiAnalytics is GET /api/analytics[?week=&lang=&format=csv].
func (s *Server) apiAnalytics(c echo.Context) error {
	rq, err := s.analyticsQuery(c)
	if err != nil {
		return err
	}
	r, err := s.analytics.Report(c.Request().Context(), rq, time.Now())
	if err != nil {
		return err
	}
	switch c.QueryParam("format") {
	case "", "json":
		return c.JSON(http.StatusOK, r)
	case "csv":
	default:
		return httpError(http.StatusBadRequest, "err.analytics.format")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	_ = w.Write([]string{"list", "week", "lang", "query", "searches", "zero_results", "unopened"})
	for _, wk := range r.Weeks {
		_ = w.Write([]string{"week", wk.Week, rq.Lang, "", n(wk.Searches), n(wk.ZeroResults), n(wk.Unopened)})
	}
	for _, l := range []struct {
		name string
		rows []store.QueryRow
	}{{"top", r.Top}, {"zero_results", r.Zero}, {"unopened", r.Unopened}} {
		for _, q := range l.rows {
			_ = w.Write([]string{l.name, rq.Week, rq.Lang, csvSafe(q.Query), n(q.Searches), n(q.ZeroResults), n(q.Unopened)})
		}
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="search-analytics.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
