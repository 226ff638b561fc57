//go:build race

package ingest

// raceEnabled is set when the tests run under the race detector, whose
// time and memory make a budget of peak RSS meaningless.
const raceEnabled = true
