package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"handbook/search"
)

// apiSearch is GET /api/search: the same parameters as the search page, the
// result as JSON.
func (s *Server) apiSearch(c echo.Context) error {
	p, err := parseSearchParams(c)
	if err != nil {
		return err
	}
	res, err := s.runSearch(c, p.query(s.levels(c)))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// apiDocument is GET /api/documents/{id}: a document's metadata and sections.
func (s *Server) apiDocument(c echo.Context) error {
	v, err := s.readDocument(c, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, documentJSON{DocumentView: v, Editions: editionLinks(v)})
}

// documentJSON is GET /api/documents/{id}: the document view with its
// edition links beside it.
type documentJSON struct {
	*search.DocumentView
	Editions editions `json:"editions"`
}

// editions links a document to its other editions the caller may see:
// the one that replaces it and those it replaces.
type editions struct {
	SupersededBy *editionLink  `json:"superseded_by,omitempty"`
	Supersedes   []editionLink `json:"supersedes"`
}

type editionLink struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Edition string `json:"edition,omitempty"`
	Year    int    `json:"year,omitempty"`
	Status  string `json:"status"`
	URL     string `json:"url"`
}

func editionLinks(v *search.DocumentView) editions {
	e := editions{Supersedes: []editionLink{}}
	for _, r := range v.Related {
		l := editionLink{ID: r.ID, Title: r.Title, Edition: r.Edition, Year: r.Year, Status: r.Status, URL: documentURL(r.ID)}
		switch {
		case r.ID == v.Document.SupersededBy:
			e.SupersededBy = &l
		case r.SupersededBy == v.Document.ID:
			e.Supersedes = append(e.Supersedes, l)
		}
	}
	return e
}

// apiRelated is GET /api/documents/{id}/sections/{section}/related[?n=…]:
// sections like this one (more like this, from its most distinctive terms)
// that the caller may see, as {"related": [hits]}.
func (s *Server) apiRelated(c echo.Context) error {
	n, err := intParam(c.QueryParams(), "n")
	if err != nil || n < 0 || n > search.MaxRelated {
		return &search.QueryError{Msg: fmt.Sprintf("n must be a whole number up to %d", search.MaxRelated), Pos: -1, Code: "param.n", Args: []any{search.MaxRelated}}
	}
	hits, err := s.search.Related(c.Request().Context(), c.Param("id"), c.Param("section"), s.levels(c), n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"related": linkHits(hits)})
}

// apiSuggest is GET /api/suggest?q=…[&n=…]: completions from titles, section
// headings and glossary terms the caller may see.
func (s *Server) apiSuggest(c echo.Context) error {
	q := c.QueryParam("q")
	if len(q) > 200 {
		return &search.QueryError{Msg: "q is limited to 200 characters for suggestions", Pos: -1, Code: "suggest.too_long", Args: []any{200}}
	}
	n, err := intParam(c.QueryParams(), "n")
	if err != nil || n < 0 || n > search.MaxSuggestions {
		return &search.QueryError{Msg: fmt.Sprintf("n must be a whole number up to %d", search.MaxSuggestions), Pos: -1, Code: "param.n", Args: []any{search.MaxSuggestions}}
	}
	out := []search.Suggestion{}
	if s.opts.Suggest != nil {
		if n == 0 {
			n = 8
		}
		out = linkSuggestions(s.opts.Suggest.Suggest(q, s.levels(c), n))
	}
	if c.QueryParam("format") == "opensearch" {
		// The browser's search-box format: [query, [completions]].
		texts := make([]string, len(out))
		for i, sg := range out {
			texts[i] = sg.Text
		}
		return c.JSON(http.StatusOK, []any{q, texts})
	}
	return c.JSON(http.StatusOK, map[string]any{"suggestions": out})
}
