package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/packs"
	"handbook/search"
	"handbook/web/auth"
)

// auditRead records that the caller read a document above public.
func (s *Server) auditRead(c echo.Context, d *content.Document, sectionID string) {
	if s.audit == nil || d.Level == content.LevelPublic {
		return
	}
	s.record(c, auth.Entry{Action: auth.ActionRead, DocID: d.ID, SectionID: sectionID, Level: d.Level})
}

// auditPackExport records the restricted items of an exported pack.
func (s *Server) auditPackExport(c echo.Context, p *packs.Pack) {
	if s.audit == nil {
		return
	}
	var entries []auth.Entry
	for _, it := range p.Items {
		if it.Status != packs.StatusUnavailable && it.Cited.Level != "" && it.Cited.Level != content.LevelPublic {
			entries = append(entries, auth.Entry{Action: auth.ActionExport, DocID: it.DocID, SectionID: it.SectionID, Level: it.Cited.Level})
		}
	}
	s.record(c, entries...)
}

// auditHitsExport records the restricted hits of an exported search.
func (s *Server) auditHitsExport(c echo.Context, hits []search.Hit) {
	if s.audit == nil {
		return
	}
	var entries []auth.Entry
	for _, h := range hits {
		if h.Level != content.LevelPublic {
			entries = append(entries, auth.Entry{Action: auth.ActionExport, DocID: h.DocID, SectionID: h.SectionID, Level: h.Level})
		}
	}
	s.record(c, entries...)
}

func (s *Server) record(c echo.Context, entries ...auth.Entry) {
	id := s.identify(c)
	now := time.Now()
	for i := range entries {
		entries[i].User, entries[i].Via, entries[i].Time, entries[i].RequestID = id.User, id.Via, now, requestID(c)
	}
	if err := s.audit.Record(c.Request().Context(), entries...); err != nil {
		s.log.Error("audit_failed", "request_id", requestID(c), "err", err)
	}
}

type auditView struct {
	page
	Entries []auth.Entry
	Older   string
}

func (s *Server) auditEntries(c echo.Context) ([]auth.Entry, error) {
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
	v := auditView{page: s.basePage(c, "Audit log"), Entries: entries}
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
