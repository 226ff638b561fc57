package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiSearch is GET /api/search: the same parameters as the search page, the
// result as JSON.
func (s *Server) apiSearch(c echo.Context) error {
	p, err := parseSearchParams(c)
	if err != nil {
		return err
	}
	res, err := s.search.Search(c.Request().Context(), p.query(s.levels(c)))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// apiDocument is GET /api/documents/{id}: a document's metadata and sections.
func (s *Server) apiDocument(c echo.Context) error {
	v, err := s.search.Document(c.Request().Context(), c.Param("id"), s.levels(c))
	if err != nil {
		return err
	}
	s.auditRead(c, &v.Document, "")
	return c.JSON(http.StatusOK, v)
}
