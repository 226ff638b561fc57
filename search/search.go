package search

import (
	"errors"
	"fmt"
)

// Limits on what a user may type.
const (
	MaxQueryLength = 1000 // bytes
	MaxQueryTerms  = 32   // words, phrases and filters together
)

// ErrBadQuery is wrapped by every error that is the user's input, not ours: a
// syntax error, an unknown field, a page out of range.
var ErrBadQuery = errors.New("bad query")

// QueryError says what is wrong with a query and where.
type QueryError struct {
	Msg string // in English, for the JSON API and logs
	Pos int    // byte offset in the query, -1 when not about one place
	// Code names the problem, stable across releases ("query.too_long"),
	// and Args are the values Msg was made from, in its order: a page in
	// another language says the same from Code and Args. Empty when the
	// error has no code yet; the page then shows Msg.
	Code string
	Args []any
}

func (e *QueryError) Error() string {
	if e.Pos >= 0 {
		return fmt.Sprintf("%s (at character %d)", e.Msg, e.Pos+1)
	}
	return e.Msg
}

func (e *QueryError) Unwrap() error { return ErrBadQuery }

// ErrNotFound means the document does not exist or the caller may not see
// it; the two are deliberately indistinguishable.
var ErrNotFound = errors.New("not found")

// ErrTimeout means a search ran past its deadline.
var ErrTimeout = errors.New("search timed out")

// ErrNotReady means the service has no index open yet (a replica before its
// first snapshot): try again shortly.
var ErrNotReady = errors.New("the search service has no index open yet")

// Ranked is one section's place in a ranking.
type Ranked struct {
	DocID     string  `json:"doc_id"`
	SectionID string  `json:"section_id"`
	Score     float64 `json:"score"`
}

// MaxRelated bounds the sections Related returns; DefaultRelated is what it
// returns when asked for none.
const (
	MaxRelated     = 20
	DefaultRelated = 5
)

// Suggestion kinds.
const (
	SuggestTitle    = "title"
	SuggestHeading  = "heading"
	SuggestGlossary = "glossary"
)

// Suggestion is one as-you-type completion.
type Suggestion struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
	// URL is where the suggestion leads; the web layer makes it from DocID
	// and SectionID (a title or a heading) or Query (a glossary term).
	URL       string `json:"url"`
	DocID     string `json:"doc_id,omitempty"`
	SectionID string `json:"section_id,omitempty"`
	Query     string `json:"query,omitempty"`
	// Detail says where a heading is, or what an acronym stands for.
	Detail string `json:"detail,omitempty"`
}

// MaxSuggestions bounds one answer.
const MaxSuggestions = 20

// YearRange is one fixed range of years with the number of matching
// sections; every range is listed, empty ones included.
type YearRange struct {
	Label string `json:"label"`
	From  int    `json:"from,omitempty"` // the first year; 0 when open
	To    int    `json:"to,omitempty"`   // the last year; 0 when open
	Count int    `json:"count"`
	// Query restricts a query to the range: "year:2015..2019".
	Query string `json:"query"`
}
