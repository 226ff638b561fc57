package search

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"handbook/indexer"
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
	URL  string `json:"url"`
	// Detail says where a heading is, or what an acronym stands for.
	Detail string `json:"detail,omitempty"`
}

// MaxSuggestions bounds one answer.
const MaxSuggestions = 20

// Suggester completes what a user is typing from document titles, section
// headings and glossary terms. It holds them in memory, indexed by the first
// two letters of each word, so a keystroke costs a few microseconds.
type Suggester struct {
	entries []suggestEntry
	byStart map[string][]int32 // two folded letters -> entries with a word starting so
}

type suggestEntry struct {
	Suggestion
	level string // "" for glossary entries, which everyone may see
	words []string
	rank  int // lower first: titles, glossary, headings
}

// NewSuggester reads every title and heading of idx and the glossary.
func NewSuggester(ctx context.Context, idx *indexer.Index, g *indexer.Glossary) (*Suggester, error) {
	s := &Suggester{byStart: map[string][]int32{}}
	for _, d := range idx.Catalog {
		s.add(suggestEntry{Suggestion: Suggestion{Text: d.Title, Kind: SuggestTitle, URL: "/docs/" + url.PathEscape(d.ID), Detail: strings.Join(d.Organizations, ", ")}, level: d.Level, rank: 0})
	}
	if g != nil {
		for _, e := range g.Entries {
			s.add(suggestEntry{Suggestion: Suggestion{Text: e.Terms[0], Kind: SuggestGlossary, URL: "/search?" + url.Values{"q": {e.Terms[0]}}.Encode(), Detail: strings.Join(e.Terms[1:], " · ")}, rank: 1})
			for _, t := range e.Terms[1:] {
				s.add(suggestEntry{Suggestion: Suggestion{Text: t, Kind: SuggestGlossary, URL: "/search?" + url.Values{"q": {`"` + t + `"`}}.Encode(), Detail: e.Terms[0]}, rank: 1})
			}
		}
	}
	const page = 5000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, 0, false)
		req.Fields = []string{indexer.FieldDocID, indexer.FieldSectionID, indexer.FieldHeading, indexer.FieldNumber, indexer.FieldTitle}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read headings: %w", err)
		}
		for _, h := range res.Hits {
			doc := idx.Documents[str(h.Fields[indexer.FieldDocID])]
			heading := strings.TrimSpace(str(h.Fields[indexer.FieldNumber]) + " " + str(h.Fields[indexer.FieldHeading]))
			if doc == nil || heading == "" || heading == "Introduction" {
				continue
			}
			s.add(suggestEntry{Suggestion: Suggestion{Text: heading, Kind: SuggestHeading, URL: SectionURL(doc.ID, str(h.Fields[indexer.FieldSectionID])), Detail: doc.Title}, level: doc.Level, rank: 2})
		}
		if len(res.Hits) < page {
			break
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
	return s, nil
}

func suggestWords(s string) []string {
	return strings.FieldsFunc(indexer.Fold(strings.ToLower(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func (s *Suggester) add(e suggestEntry) {
	e.words = suggestWords(e.Text)
	n := int32(len(s.entries))
	seen := map[string]bool{}
	for _, w := range e.words {
		k := startKey(w)
		if !seen[k] {
			seen[k] = true
			s.byStart[k] = append(s.byStart[k], n)
		}
	}
	s.entries = append(s.entries, e)
}

func startKey(w string) string {
	r := []rune(w)
	if len(r) > 2 {
		r = r[:2]
	}
	return string(r)
}

// Suggest returns up to n completions of q that a caller entitled to levels
// may see. Every word typed must begin a word of the completion; the last
// may be unfinished.
func (s *Suggester) Suggest(q string, levels []string, n int) []Suggestion {
	words := suggestWords(q)
	if len(words) == 0 || len(q) > 200 {
		return []Suggestion{}
	}
	if n <= 0 || n > MaxSuggestions {
		n = MaxSuggestions
	}
	// Start from the longest typed word: the fewest candidates.
	lead := words[0]
	for _, w := range words {
		if len(w) > len(lead) {
			lead = w
		}
	}
	type scored struct {
		i     int32
		score int
	}
	var found []scored
	seenText := map[string]bool{}
	for _, i := range s.byStart[startKey(lead)] {
		e := &s.entries[i]
		if e.level != "" && !Allowed(e.level, levels) {
			continue
		}
		first, ok := matchesAll(e.words, words)
		if !ok || seenText[e.Kind+e.Text] {
			continue
		}
		seenText[e.Kind+e.Text] = true
		found = append(found, scored{i, e.rank*1000 + first*50 + len(e.Text)})
	}
	sort.Slice(found, func(a, b int) bool {
		if found[a].score != found[b].score {
			return found[a].score < found[b].score
		}
		return s.entries[found[a].i].Text < s.entries[found[b].i].Text
	})
	out := make([]Suggestion, 0, min(n, len(found)))
	for _, f := range found[:min(n, len(found))] {
		out = append(out, s.entries[f.i].Suggestion)
	}
	return out
}

// matchesAll reports whether every typed word begins some word of the
// entry, and the position of the first one's match.
func matchesAll(entry, typed []string) (int, bool) {
	first := -1
	for k, t := range typed {
		pos := -1
		for j, w := range entry {
			if strings.HasPrefix(w, t) {
				pos = j
				break
			}
		}
		if pos < 0 {
			return 0, false
		}
		if k == 0 {
			first = pos
		}
	}
	return first, true
}
