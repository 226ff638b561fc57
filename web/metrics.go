package web

import (
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"handbook/search"
)

// IndexStats is what /metrics reports of the served index beyond its
// catalog.
type IndexStats struct {
	Bytes    int64 // the index's size on disk
	Sections int   // the sections indexed, of every handling level
}

// Outcomes of an indexing run, the values of the outcome label of
// handbook_indexing_runs_total.
const (
	IndexingSuccess = "success"
	IndexingFailure = "failure"
)

// metrics are the server's Prometheus metrics, on a registry of its own so
// that two servers in one process (tests) never collide.
type metrics struct {
	registry *prometheus.Registry
	// index holds what the metrics say of the served index's content
	// (documents, sections, size): a caller who may not see every
	// document would learn from them that hidden ones exist, so they are
	// shown only to a caller who may (see metricsPage).
	index        *prometheus.Registry
	authFailures *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	rejected     *prometheus.CounterVec
	searches     *prometheus.HistogramVec
	indexing     *prometheus.CounterVec
	// analytics counts what the search analytics recorded (search,
	// zero_results, opened); savedNews the sections found new for saved
	// searches after re-indexing.
	analytics *prometheus.CounterVec
	savedNews prometheus.Counter
	changes   *prometheus.CounterVec
}

func newMetrics(searcher Searcher, stats func() (IndexStats, error), log *slog.Logger) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		index:    prometheus.NewRegistry(),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handbook_auth_failures_total",
			Help: "Credentials presented that were not valid, by kind (token, sign_in).",
		}, []string{"kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "handbook_http_request_duration_seconds",
			Help:    "Time to answer a request, by route and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .015, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handbook_http_rejected_total",
			Help: "Requests refused, by reason (bad_query, rate_limit, unauthorized, forbidden, not_found, body_too_large, timeout).",
		}, []string{"reason"}),
		searches: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "handbook_search_duration_seconds",
			Help: "Time the search service took to answer GET /search and GET /api/search, by route, query class " +
				"(invalid, empty, word, words, phrase, prefix, fuzzy, boolean) and whether facet filters were selected.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "class", "filtered"}),
		indexing: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handbook_indexing_runs_total",
			Help: "Rebuilds of the index while serving, by outcome (success, failure).",
		}, []string{"outcome"}),
		analytics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handbook_search_analytics_total",
			Help: "Searches of the results page counted by the search analytics, by kind (search, zero_results, opened).",
		}, []string{"kind"}),
		savedNews: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "handbook_saved_search_new_sections_total",
			Help: "Sections found newly matching a saved search after a re-index.",
		}),
	}
	for _, k := range []string{"search", "zero_results", "opened"} {
		m.analytics.WithLabelValues(k)
	}
	m.changes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "handbook_library_changes_total",
		Help: "Uploads, replacements and withdrawals of documents by editors, by kind (upload, replace, withdraw) and outcome (indexed, refused, failed).",
	}, []string{"kind", "outcome"})
	for _, k := range []string{"upload", "replace", "withdraw"} {
		for _, o := range []string{ChangeIndexed, ChangeRefused, ChangeFailed} {
			m.changes.WithLabelValues(k, o)
		}
	}
	// Both outcomes are exported from the start, so a rate of failures is 0
	// rather than absent before the first one.
	m.indexing.WithLabelValues(IndexingSuccess)
	m.indexing.WithLabelValues(IndexingFailure)
	m.authFailures.WithLabelValues("token")
	m.authFailures.WithLabelValues("sign_in")
	m.registry.MustRegister(m.latency, m.rejected, m.searches, m.indexing, m.changes, m.authFailures, m.analytics, m.savedNews,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.index.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "handbook_index_documents", Help: "Documents in the served index (all handling levels)."},
			func() float64 { return float64(len(searcher.Catalog(allLevels))) }),
	)
	if stats != nil {
		m.index.MustRegister(&indexCollector{
			stats:    stats,
			log:      log,
			bytes:    prometheus.NewDesc("handbook_index_size_bytes", "Size of the served index on disk.", nil, nil),
			sections: prometheus.NewDesc("handbook_index_sections", "Sections in the served index (all handling levels).", nil, nil),
		})
	}
	return m
}

// allLevels lets the documents gauge count every document; it reaches only
// a caller who may see every document.
var allLevels = []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}

// observe records each request's duration under its route pattern (never the
// raw path, which could carry names).
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.latency.WithLabelValues(route, c.Request().Method, strconv.Itoa(status/100)+"xx").Observe(time.Since(start).Seconds())
		if reason, ok := rejectReasons[status]; ok {
			m.rejected.WithLabelValues(reason).Inc()
		}
		return nil
	}
}

// rejectReasons are the values of the reason label of
// handbook_http_rejected_total, by response status.
var rejectReasons = map[int]string{
	400: "bad_query", 401: "unauthorized", 403: "forbidden", 404: "not_found",
	413: "body_too_large", 429: "rate_limit", 503: "timeout",
}

// observeSearch records how long the search service took to answer q on the
// current route, by the class the service gave it (Result.Class). It is
// called whether the search succeeded or not: an invalid query and a timeout
// take time too; a query the service refused is of class invalid, and one
// that failed otherwise (a timeout) of class "failed", as the query is not
// parsed a second time here.
func (m *metrics) observeSearch(c echo.Context, q search.Query, res *search.Result, err error, took time.Duration) {
	class := classFailed
	switch {
	case res != nil:
		class = res.Class
	case errors.Is(err, search.ErrBadQuery):
		class = search.ClassInvalid
	}
	m.searches.WithLabelValues(c.Path(), class, strconv.FormatBool(q.Filtered())).Observe(took.Seconds())
}

// classFailed is the class label of a search that failed for another reason
// than its query (a timeout).
const classFailed = "failed"

// metricsPage is GET /metrics. The gauges of the index's content are
// added only for a caller who may see every document in it (an admin's
// token, or anyone when every document is public): counts, sizes and their
// changes would otherwise tell that hidden documents exist.
func (s *Server) metricsPage(c echo.Context) error {
	g := prometheus.Gatherers{s.metrics.registry}
	if len(s.search.Catalog(s.levels(c))) == len(s.search.Catalog(allLevels)) {
		g = append(g, s.metrics.index)
	}
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// indexCollector reports IndexStats, asked for once per scrape. When they
// cannot be had, the scrape goes on without them and the failure is logged.
type indexCollector struct {
	stats           func() (IndexStats, error)
	log             *slog.Logger
	bytes, sections *prometheus.Desc
}

func (ic *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- ic.bytes
	ch <- ic.sections
}

func (ic *indexCollector) Collect(ch chan<- prometheus.Metric) {
	st, err := ic.stats()
	if err != nil {
		ic.log.Warn("index_stats_failed", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(ic.bytes, prometheus.GaugeValue, float64(st.Bytes))
	ch <- prometheus.MustNewConstMetric(ic.sections, prometheus.GaugeValue, float64(st.Sections))
}

// RecordIndexing counts one rebuild of the index while serving, a failure
// when err is not nil, in handbook_indexing_runs_total.
func (s *Server) RecordIndexing(err error) {
	outcome := IndexingSuccess
	if err != nil {
		outcome = IndexingFailure
	}
	s.metrics.indexing.WithLabelValues(outcome).Inc()
}
