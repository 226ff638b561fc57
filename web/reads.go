package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/packs"
	"handbook/content/store"
	"handbook/search"
)

// The read path. Every handler that shows or exports the text of documents
// (a document's page or JSON, a course pack's page, JSON or export, a search
// export, an original file) gets it through one of these methods, which
// record in the audit log each read or export of text above public as they
// hand it out: no handler has to remember to.

// readDocument returns document id as the caller may see it, and records
// the read when it is above public.
func (s *Server) readDocument(c echo.Context, id string) (*search.DocumentView, error) {
	v, err := s.search.Document(c.Request().Context(), id, s.levels(c))
	if err != nil {
		return nil, err
	}
	s.auditRead(c, &v.Document)
	return v, nil
}

// readPack returns a pack of the caller's with every item checked against
// the index, and records each item above public that it shows as read or
// exported (action): the cited copy of a section is the section's text.
func (s *Server) readPack(c echo.Context, id, action string) (*store.Pack, error) {
	p, err := s.packs.Get(c.Request().Context(), s.identify(c).User, id)
	if err != nil {
		return nil, err
	}
	if err := packs.Check(c.Request().Context(), p, s.sectionsFor(c)); err != nil {
		return nil, err
	}
	var entries []store.Entry
	for _, it := range p.Items {
		if it.Status != packs.StatusUnavailable && it.Cited.Level != "" && it.Cited.Level != content.LevelPublic {
			entries = append(entries, store.Entry{Action: action, DocID: it.DocID, SectionID: it.SectionID, Level: it.Cited.Level})
		}
	}
	s.record(c, entries...)
	return p, nil
}

// readHits runs q page after page up to search.MaxWindow hits, for an
// export, and records each hit above public as exported.
func (s *Server) readHits(c echo.Context, q search.Query) ([]search.Hit, uint64, error) {
	var hits []search.Hit
	var total uint64
	for q.Page = 1; q.Page*q.Size <= search.MaxWindow; q.Page++ {
		res, err := s.search.Search(c.Request().Context(), q)
		if err != nil {
			return nil, 0, err
		}
		total = res.Total
		hits = append(hits, linkHits(res.Hits)...)
		if len(res.Hits) < q.Size || uint64(len(hits)) >= res.Total {
			break
		}
	}
	var entries []store.Entry
	for _, h := range hits {
		if h.Level != content.LevelPublic {
			entries = append(entries, store.Entry{Action: store.ActionExport, DocID: h.DocID, SectionID: h.SectionID, Level: h.Level})
		}
	}
	s.record(c, entries...)
	return hits, total, nil
}

// auditRead records that the caller read a document above public (its page,
// its JSON or its original file).
func (s *Server) auditRead(c echo.Context, d *content.Document) {
	if d.Level != content.LevelPublic {
		s.record(c, store.Entry{Action: store.ActionRead, DocID: d.ID, Level: d.Level})
	}
}

// record stamps entries with the caller, the time and the request id, and
// appends them to the audit log (when there is one). A failure is logged:
// the read itself has already been allowed.
func (s *Server) record(c echo.Context, entries ...store.Entry) {
	if s.audit == nil || len(entries) == 0 {
		return
	}
	id := s.identify(c)
	now := time.Now()
	for i := range entries {
		entries[i].User, entries[i].Via, entries[i].Time, entries[i].RequestID = id.User, id.Via, now, requestID(c)
	}
	if err := s.audit.Record(c.Request().Context(), entries...); err != nil {
		s.log.Error("audit_failed", "request_id", requestID(c), "err", err)
	}
}

// readDocuments returns each document of ids as the caller may see it, or
// search.ErrNotFound when one of them does not exist or is hidden, and then
// records nothing: a comparison reads both or neither. Reads above public
// are recorded once both are found.
func (s *Server) readDocuments(c echo.Context, ids ...string) ([]*search.DocumentView, error) {
	out := make([]*search.DocumentView, 0, len(ids))
	for _, id := range ids {
		v, err := s.search.Document(c.Request().Context(), id, s.levels(c))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	for _, v := range out {
		s.auditRead(c, &v.Document)
	}
	return out, nil
}
