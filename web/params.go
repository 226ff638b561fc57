package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"handbook/search"
)

// searchParams are the query parameters of /search and /api/search, the same
// for both so a page's URL and an API call are interchangeable.
type searchParams struct {
	Q       string
	Filters map[string][]string
	Page    int
	Size    int
	Fuzzy   bool
	// NoExpand is expand=0: no glossary expansion.
	NoExpand bool
	// NoCorrect is correct=0: the words as typed, no correction shown in
	// their place.
	NoCorrect bool
	// Doc is doc=ID: search one document.
	Doc string
}

// maxParamBytes bounds the whole query string.
const maxParamBytes = 8 << 10

func parseSearchParams(c echo.Context) (searchParams, error) {
	return parseSearchValues(c.QueryParams(), len(c.Request().URL.RawQuery))
}

// parseSearchValues reads the search parameters from v, whose encoded form
// is size bytes long (a saved search's parameters, too).
func parseSearchValues(v url.Values, size int) (searchParams, error) {
	bad := func(code, format string, args ...any) error {
		return &search.QueryError{Msg: fmt.Sprintf(format, args...), Pos: -1, Code: code, Args: args}
	}
	if size > maxParamBytes {
		return searchParams{}, bad("params.too_long", "the request's parameters are longer than %d bytes", maxParamBytes)
	}
	p := searchParams{Q: strings.TrimSpace(v.Get("q")), Filters: map[string][]string{}}
	for _, f := range search.Facets {
		for _, val := range v[f] {
			if val = strings.TrimSpace(val); val != "" {
				p.Filters[f] = append(p.Filters[f], val)
			}
		}
	}
	var err error
	if p.Page, err = intParam(v, "page"); err != nil {
		return p, bad("param.page", "page must be a whole number, 1 or more")
	}
	if p.Size, err = intParam(v, "size"); err != nil {
		return p, bad("param.size", "size must be a whole number between 1 and %d", search.MaxPageSize)
	}
	switch v.Get("fuzzy") {
	case "", "0", "false", "off":
	case "1", "true", "on":
		p.Fuzzy = true
	default:
		return p, bad("param.fuzzy", "fuzzy must be 1 or 0")
	}
	p.Doc = strings.TrimSpace(v.Get("doc"))
	if len(p.Doc) > 200 {
		return p, bad("param.doc", "doc is a document id of at most 200 characters")
	}
	switch v.Get("expand") {
	case "", "1", "true", "on":
	case "0", "false", "off":
		p.NoExpand = true
	default:
		return p, bad("param.expand", "expand must be 1 or 0")
	}
	switch v.Get("correct") {
	case "", "1", "true", "on":
	case "0", "false", "off":
		p.NoCorrect = true
	default:
		return p, bad("param.correct", "correct must be 1 or 0")
	}
	return p, nil
}

func intParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

func (p searchParams) query(levels []string) search.Query {
	return search.Query{Text: p.Q, Filters: p.Filters, Page: p.Page, Size: p.Size, Fuzzy: p.Fuzzy, Levels: levels, NoExpand: p.NoExpand, NoCorrect: p.NoCorrect, Doc: p.Doc}
}

// values encodes the parameters back into a URL query, without the page.
func (p searchParams) values() url.Values {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	for _, f := range search.Facets {
		for _, val := range p.Filters[f] {
			v.Add(f, val)
		}
	}
	if p.Size != 0 && p.Size != search.DefaultPageSize {
		v.Set("size", strconv.Itoa(p.Size))
	}
	if p.Fuzzy {
		v.Set("fuzzy", "1")
	}
	if p.NoExpand {
		v.Set("expand", "0")
	}
	if p.NoCorrect {
		v.Set("correct", "0")
	}
	if p.Doc != "" {
		v.Set("doc", p.Doc)
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
