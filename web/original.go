package web

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/search"
)

// original is GET /docs/{id}/original: the file a document was loaded from,
// for a PDF opened at a page (/docs/{id}/original#page=12). A document the
// caller may not see is the same 404 as one that does not exist.
func (s *Server) original(c echo.Context) error {
	var doc *content.Document
	for _, d := range s.search.Catalog(s.levels(c)) {
		if d.ID == c.Param("id") {
			doc = d
			break
		}
	}
	if doc == nil || doc.Source == "" || !fs.ValidPath(doc.Source) {
		return search.ErrNotFound
	}
	f, err := s.opts.Originals.Open(doc.Source)
	if err != nil {
		return search.ErrNotFound
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return search.ErrNotFound
	}
	s.auditRead(c, doc, "")
	ctype := mime.TypeByExtension(path.Ext(doc.Source))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": path.Base(doc.Source)}))
	// An HTML original is shown as a download-safe document: no scripts of
	// its own run on this site.
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox")
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(c.Response(), c.Request(), "", st.ModTime(), rs)
		return nil
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), f)
	return err
}
