package web

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own so
// that two servers in one process (tests) never collide.
type metrics struct {
	registry *prometheus.Registry
	latency  *prometheus.HistogramVec
	rejected *prometheus.CounterVec
}

func newMetrics(search Searcher) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "handbook_http_request_duration_seconds",
			Help:    "Time to answer a request, by route and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .015, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handbook_http_rejected_total",
			Help: "Requests refused, by reason (bad_query, rate_limit, unauthorized, forbidden, not_found, timeout).",
		}, []string{"reason"}),
	}
	m.registry.MustRegister(m.latency, m.rejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "handbook_index_documents", Help: "Documents in the served index (all handling levels)."},
			func() float64 { return float64(len(search.Catalog(allLevels))) }),
	)
	return m
}

// allLevels lets the documents gauge count every document; it never reaches
// a response.
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
		switch status {
		case 400:
			m.rejected.WithLabelValues("bad_query").Inc()
		case 401:
			m.rejected.WithLabelValues("unauthorized").Inc()
		case 403:
			m.rejected.WithLabelValues("forbidden").Inc()
		case 404:
			m.rejected.WithLabelValues("not_found").Inc()
		case 429:
			m.rejected.WithLabelValues("rate_limit").Inc()
		case 503:
			m.rejected.WithLabelValues("timeout").Inc()
		}
		return nil
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}
