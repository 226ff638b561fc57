package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// HTTPOptions configures the HTTP stage. Zero values take the documented
// defaults.
type HTTPOptions struct {
	// Rates are the request rates tried, in requests per second, lowest
	// first (default 10, 25, 50, 100, 200, 300, 500).
	Rates []int
	// Duration is how long each rate is held (default 5s).
	Duration time.Duration
	// MaxRequests bounds the requests of one rate (default 5,000); a rate
	// whose Duration would send more is held for less time.
	MaxRequests int
	// TargetP99 is the 99th percentile a rate must stay under (default 25ms).
	TargetP99 time.Duration
}

func (o *HTTPOptions) defaults() {
	if len(o.Rates) == 0 {
		o.Rates = []int{10, 25, 50, 100, 200, 300, 500}
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.MaxRequests <= 0 {
		o.MaxRequests = 5000
	}
	if o.TargetP99 <= 0 {
		o.TargetP99 = 25 * time.Millisecond
	}
}

// HTTPReport is the HTTP stage: an open-loop load at fixed rates.
type HTTPReport struct {
	TargetP99MS float64      `json:"target_p99_ms"`
	Rates       []RateReport `json:"rates"`
	// MaxRateUnderTarget is the highest rate tried whose p99 stayed under
	// the target with every request answered 200; 0 when none did.
	MaxRateUnderTarget int `json:"max_rate_under_target"`
}

// RateReport is one rate held for a while.
type RateReport struct {
	Rate     int     `json:"rate"`
	Seconds  float64 `json:"seconds"`
	Requests uint64  `json:"requests"`
	Success  float64 `json:"success"` // share of 200 answers
	// Throughput is the rate of successful answers per second.
	Throughput float64  `json:"throughput"`
	P50MS      float64  `json:"p50_ms"`
	P90MS      float64  `json:"p90_ms"`
	P99MS      float64  `json:"p99_ms"`
	MaxMS      float64  `json:"max_ms"`
	Errors     []string `json:"errors,omitempty"`
	// Failed is the number of requests not answered 200 (timeouts and
	// refused connections included); the percentiles include their time
	// until failure.
	Failed int `json:"failed"`
	// FailedClasses is Failed per query class (the classes without
	// failures left out).
	FailedClasses map[string]int `json:"failed_classes,omitempty"`
}

// Failures sums the failed requests of every rate.
func (h *HTTPReport) Failures() *Failures {
	f := &Failures{Classes: map[string]int{}}
	for _, r := range h.Rates {
		for c, n := range r.FailedClasses {
			f.add(c, n, func() string {
				first := fmt.Sprintf("%d requests failed at %d/s", r.Failed, r.Rate)
				if len(r.Errors) > 0 {
					first += ": " + r.Errors[0]
				}
				return first
			})
		}
	}
	return f
}

// HTTPStage serves h on a loopback port and sends it the search requests of
// qs (their /api/search addresses, in turn) at each rate of o, open loop:
// requests leave on schedule whether or not earlier ones were answered. It
// stops raising the rate once a rate misses the target four times over or
// loses requests.
func HTTPStage(ctx context.Context, h http.Handler, qs []Query, o HTTPOptions) (*HTTPReport, error) {
	o.defaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()
	var targets []vegeta.Target
	class := map[string]string{} // URL → query class
	for _, q := range qs {
		targets = append(targets, vegeta.Target{Method: http.MethodGet, URL: base + q.URL()})
		class[base+q.URL()] = q.Class
	}
	if len(targets) == 0 {
		return nil, errors.New("no queries")
	}
	rep := &HTTPReport{TargetP99MS: ms(o.TargetP99)}
	// Warm the connections and caches up.
	for _, t := range targets {
		resp, err := http.Get(t.URL)
		if err != nil {
			return nil, fmt.Errorf("warm-up request: %w", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("warm-up request %s: status %d", t.URL, resp.StatusCode)
		}
	}
	for _, rate := range o.Rates {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		du := o.Duration
		if n := time.Duration(o.MaxRequests) * time.Second / time.Duration(rate); n < du {
			du = n
		}
		atk := vegeta.NewAttacker(vegeta.Timeout(10*time.Second), vegeta.KeepAlive(true), vegeta.MaxWorkers(1024), vegeta.Connections(1024))
		stop := context.AfterFunc(ctx, func() { atk.Stop() })
		var m vegeta.Metrics
		failed := map[string]int{}
		for res := range atk.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, du, fmt.Sprint(rate)) {
			m.Add(res)
			if res.Code != http.StatusOK {
				failed[class[res.URL]]++
			}
		}
		stop()
		m.Close()
		rr := RateReport{
			Rate: rate, Seconds: round(du.Seconds(), 2), Requests: m.Requests, Success: round(m.Success, 4),
			Throughput: round(m.Throughput, 1), P50MS: ms(m.Latencies.P50), P90MS: ms(m.Latencies.P90),
			P99MS: ms(m.Latencies.P99), MaxMS: ms(m.Latencies.Max), Errors: m.Errors,
		}
		for _, n := range failed {
			rr.Failed += n
		}
		if rr.Failed > 0 {
			rr.FailedClasses = failed
		}
		if len(rr.Errors) > 5 {
			rr.Errors = rr.Errors[:5]
		}
		rep.Rates = append(rep.Rates, rr)
		if m.Success == 1 && m.Latencies.P99 <= o.TargetP99 {
			rep.MaxRateUnderTarget = max(rep.MaxRateUnderTarget, rate)
		}
		if m.Success < 0.99 || m.Latencies.P99 > 4*o.TargetP99 {
			break
		}
	}
	return rep, nil
}
