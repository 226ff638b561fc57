package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// client makes HTTP requests from a given loopback source address, as a
// proxy there forwarding for the client at forwarded (X-Forwarded-For), so the
// server sees distinct clients that are not on its machine (which it does
// not limit).
func client(src, forwarded string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 16}
	return &http.Client{Timeout: 5 * time.Second, Transport: forwardedFor{tr, forwarded}}
}

type forwardedFor struct {
	rt   http.RoundTripper
	addr string
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.rt.RoundTrip(r)
}

type tally struct {
	mu      sync.Mutex
	codes   map[int]int
	latency []time.Duration
}

func (t *tally) add(code int, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.codes[code]++
	t.latency = append(t.latency, d)
}

func (t *tally) p(q float64) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.latency) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), t.latency...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(q*float64(len(s)-1))]
}

// TestLoadRateLimit runs the real server on loopback behind a trusted proxy
// (loopback) and, for three seconds at most, floods it from one client
// address while a second address sends a steady five requests a second. The
// flood is cut to the configured rate with 429s; the steady client is served
// every time.
func TestLoadRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	authFile := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(authFile, []byte("proxy:\n  user_header: X-Forwarded-User\n  trusted: [127.0.0.0/8]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--content", testContent, "--auth", authFile, "--rate", "50", "--burst", "20"}, noEnv, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	url := "http://" + addr + "/api/search?q=border+OR+delivery"
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}

	const duration = 3 * time.Second
	const maxFlood = 20000
	flood, steady := &tally{codes: map[int]int{}}, &tally{codes: map[int]int{}}
	begun := time.Now()
	deadline := begun.Add(duration)
	var sent atomic.Int64
	var floodEnd atomic.Int64 // when the last flood request ended, ns after begun
	var wg sync.WaitGroup
	fc := client("127.0.0.1", "192.0.2.1")
	for range 8 {
		wg.Go(func() {
			defer func() {
				d := int64(time.Since(begun))
				for old := floodEnd.Load(); d > old && !floodEnd.CompareAndSwap(old, d); old = floodEnd.Load() {
				}
			}()
			for time.Now().Before(deadline) && sent.Add(1) <= maxFlood {
				start := time.Now()
				resp, err := fc.Get(url)
				if err != nil {
					flood.add(-1, time.Since(start))
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				flood.add(resp.StatusCode, time.Since(start))
			}
		})
	}
	sc := client("127.0.0.2", "192.0.2.2")
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for time.Now().Before(deadline) {
			<-tick.C
			start := time.Now()
			resp, err := sc.Get(url)
			if err != nil {
				steady.add(-1, time.Since(start))
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			steady.add(resp.StatusCode, time.Since(start))
		}
	})
	wg.Wait()

	// The flood lasts the full duration unless it sent maxFlood requests
	// first (429s are quick); the rate is measured over what it lasted.
	lasted := time.Duration(floodEnd.Load())
	t.Logf("flood (8 connections, %.1f s): %v, p50 %v, p99 %v", lasted.Seconds(), flood.codes, flood.p(.5), flood.p(.99))
	t.Logf("steady (5/s from another address): %v, p50 %v, p99 %v", steady.codes, steady.p(.5), steady.p(.99))
	served := flood.codes[http.StatusOK]
	if flood.codes[http.StatusTooManyRequests] == 0 {
		t.Errorf("the flood was never limited: %v", flood.codes)
	}
	// 50/s for as long as it lasted (at most 3 s) plus a burst of 20, with
	// slack for timing.
	if limit := int(50*lasted.Seconds()) + 20 + 25; served > limit {
		t.Errorf("the flood got %d answers in %.1f s, more than the rate allows (%d)", served, lasted.Seconds(), limit)
	}
	if served < int(50*lasted.Seconds()/2) {
		t.Errorf("the flood got only %d answers in %.1f s; the rate allows about %d", served, lasted.Seconds(), int(50*lasted.Seconds())+20)
	}
	if steady.codes[http.StatusOK] < 10 || len(steady.codes) != 1 {
		t.Errorf("the steady client was not served every time: %v", steady.codes)
	}
}
