package web

import (
	"bytes"
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
// caller may not see is the same 404 as one that does not exist. The file
// is served only while it is byte for byte the one indexed (its size and
// SHA-256 as recorded at index time), since its handling level is the one
// read then: a file rewritten since, say a public document replaced by
// restricted text, is a 409 until it is re-indexed.
func (s *Server) original(c echo.Context) error {
	doc, rec, ok := s.search.Original(c.Param("id"), s.levels(c))
	if doc == nil || doc.Source == "" || !fs.ValidPath(doc.Source) {
		return search.ErrNotFound
	}
	if !ok || rec.Source != doc.Source || rec.SHA256 == "" {
		return httpError(http.StatusConflict, "err.original.notrecorded")
	}
	f, err := s.opts.Originals.Open(doc.Source)
	if err != nil {
		return search.ErrNotFound
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return search.ErrNotFound
	}
	if st.Size() != rec.Size {
		return httpError(http.StatusConflict, "err.original.changed")
	}
	body, err := verified(f, rec)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+rec.SHA256+`"`)
	s.auditRead(c, doc)
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
	http.ServeContent(c.Response(), c.Request(), "", st.ModTime(), body)
	return nil
}

// verified reads f through, checks it against rec, and returns what to
// serve: exactly the rec.Size bytes that were hashed when f can be read at
// offsets (a file grown since is cut at the recorded end), else a copy in
// memory. A file rewritten in place between the check and the reading by
// the client is the one case left open; a file replaced (renamed over) is
// not, since the open file stays the one checked.
func verified(f fs.File, rec content.Original) (io.ReadSeeker, error) {
	changed := httpError(http.StatusConflict, "err.original.changed")
	if ra, ok := f.(io.ReaderAt); ok {
		sum, n, err := content.HashFile(io.NewSectionReader(ra, 0, rec.Size+1))
		if err != nil {
			return nil, err
		}
		if n != rec.Size || sum != rec.SHA256 {
			return nil, changed
		}
		return io.NewSectionReader(ra, 0, rec.Size), nil
	}
	data, err := io.ReadAll(io.LimitReader(f, rec.Size+1))
	if err != nil {
		return nil, err
	}
	if sum, n, _ := content.HashFile(bytes.NewReader(data)); n != rec.Size || sum != rec.SHA256 {
		return nil, changed
	}
	return bytes.NewReader(data), nil
}
