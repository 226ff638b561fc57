package eval

import (
	"handbook/search/engine"
	"time"
)

// ServiceOptions are the search service's options for evaluation: the
// defaults, with the limits on one query raised for collections of long
// questions (the ranking is the same).
func ServiceOptions() engine.Options {
	return engine.Options{Timeout: time.Minute, MaxTermSearchers: 1 << 16, MaxQueryLength: 1 << 16, MaxQueryTerms: 4096}
}
