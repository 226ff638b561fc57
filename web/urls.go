package web

import (
	"net/url"
	"strconv"
	"strings"

	"handbook/search"

	"github.com/labstack/echo/v4"
)

// The one URL builder: every link the pages, the JSON API and the exports
// give is made here from ids, so the search service, the suggester and the
// course packs return ids and never addresses.

// documentURL is a document's page.
func documentURL(docID string) string { return "/docs/" + url.PathEscape(docID) }

// sectionURL is a section's anchor on its document's page.
func sectionURL(docID, sectionID string) string {
	return documentURL(docID) + "#" + url.PathEscape(sectionID)
}

// originalURL is a document's original file, at page when it is a PDF page
// (0: the start).
func originalURL(docID string, page int) string {
	u := documentURL(docID) + "/original"
	if page > 0 {
		u += "#page=" + strconv.Itoa(page)
	}
	return u
}

// searchURL is the results page of a query and its filters.
func searchURL(v url.Values) string { return "/search?" + v.Encode() }

// packURL is a course pack's page, at one of its items when item is set.
func packURL(packID, item string) string {
	u := "/packs/" + url.PathEscape(packID)
	if item != "" {
		u += "#item-" + url.PathEscape(item)
	}
	return u
}

// linkHits gives hits and their copies in other formats their addresses.
func linkHits(hits []search.Hit) []search.Hit {
	for i := range hits {
		h := &hits[i]
		h.URL = sectionURL(h.DocID, h.SectionID)
		for j := range h.Copies {
			h.Copies[j].URL = sectionURL(h.Copies[j].DocID, h.Copies[j].SectionID)
		}
	}
	return hits
}

// linkSuggestions gives suggestions their addresses: a title its document,
// a heading its section, a glossary term the search for it.
func linkSuggestions(out []search.Suggestion) []search.Suggestion {
	for i := range out {
		sg := &out[i]
		switch {
		case sg.Query != "":
			sg.URL = searchURL(url.Values{"q": {sg.Query}})
		case sg.SectionID != "":
			sg.URL = sectionURL(sg.DocID, sg.SectionID)
		default:
			sg.URL = documentURL(sg.DocID)
		}
	}
	return out
}

// permalink gives, for exports, the absolute address of a section (of a
// document when sectionID is "") on this site.
func (s *Server) permalink(c echo.Context) func(docID, sectionID string) string {
	base := s.baseURL(c)
	return func(docID, sectionID string) string {
		if sectionID == "" {
			return base + documentURL(docID)
		}
		return base + sectionURL(docID, sectionID)
	}
}

// baseURL is the site's address for permalinks: the configured one, else the
// request's scheme and host.
func (s *Server) baseURL(c echo.Context) string {
	if s.opts.BaseURL != "" {
		return strings.TrimRight(s.opts.BaseURL, "/")
	}
	// The address the client reached us at; the scheme from TLS, or from a
	// trusted proxy only (Echo's SchemeExtractor, set in New). Behind a
	// proxy, set --base-url.
	return c.Scheme() + "://" + c.Request().Host
}
