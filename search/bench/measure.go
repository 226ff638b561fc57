package bench

import (
	"bufio"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Percentiles summarises the latencies of one query class, in milliseconds,
// and what its queries found.
type Percentiles struct {
	N int `json:"n"` // the timings: successful requests of the measured passes
	// Errors is the number of failed requests, which N and the percentiles
	// leave out.
	Errors int `json:"errors"`
	// Hits is the number of sections the class's queries found, summed
	// over one measured pass (for suggest: the completions offered).
	Hits uint64 `json:"hits"`
	// Empty is the number of the class's queries that found nothing in
	// that pass (for suggest: the prefixes with no completion).
	Empty int `json:"empty"`
	// Requests is the mean number of engine requests (Bleve searches, SQL
	// statements) one query of the class took in the first measured pass.
	Requests float64 `json:"requests_per_search"`
	P50MS    float64 `json:"p50_ms"`
	P90MS    float64 `json:"p90_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
}

// Summarise returns the percentiles of d (nearest rank); it sorts d.
func Summarise(d []time.Duration, errors int) Percentiles {
	p := Percentiles{N: len(d), Errors: errors}
	if len(d) == 0 {
		return p
	}
	slices.Sort(d)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(d)))) - 1
		return ms(d[max(0, min(i, len(d)-1))])
	}
	p.P50MS, p.P90MS, p.P99MS, p.MaxMS = at(0.50), at(0.90), at(0.99), ms(d[len(d)-1])
	return p
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

// PeakRSSMB returns the process's peak resident memory (VmHWM) in MB, or 0
// where /proc is absent.
func PeakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return math.Round(kb/1024*10) / 10
		}
	}
	return 0
}

// ResetPeakRSS starts a new peak (Linux: clear_refs 5), so each stage's
// peak is its own; it does nothing where that is not possible.
func ResetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// DirBytes returns the size of the files under dir.
func DirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
