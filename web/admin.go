package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content/store"
)

type auditView struct {
	page
	Entries []store.Entry
	Older   string
}

func (s *Server) auditEntries(c echo.Context) ([]store.Entry, error) {
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	return s.audit.List(c.Request().Context(), limit, before)
}

// auditPage is GET /admin/audit, for admins.
func (s *Server) auditPage(c echo.Context) error {
	entries, err := s.auditEntries(c)
	if err != nil {
		return err
	}
	v := auditView{page: s.basePage(c, translate(s.uiLanguage(c), "audit.title")), Entries: entries}
	if n := len(entries); n > 0 && entries[n-1].ID > 1 {
		v.Older = "/admin/audit?before=" + strconv.FormatInt(entries[n-1].ID, 10)
	}
	return s.render(c, http.StatusOK, "audit", v)
}

// apiAudit is GET /api/audit[?format=csv&limit=&before=], for admins.
func (s *Server) apiAudit(c echo.Context) error {
	entries, err := s.auditEntries(c)
	if err != nil {
		return err
	}
	if c.QueryParam("format") != "csv" {
		return c.JSON(http.StatusOK, map[string]any{"entries": entries})
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "time", "user", "via", "action", "doc_id", "section_id", "level", "request_id"})
	for _, e := range entries {
		_ = w.Write([]string{strconv.FormatInt(e.ID, 10), e.Time.Format(time.RFC3339), csvSafe(e.User), csvSafe(e.Via), e.Action, csvSafe(e.DocID), csvSafe(e.SectionID), e.Level, csvSafe(e.RequestID)})
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="audit-log.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
