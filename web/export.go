package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/packs"
	"handbook/search"
)

// jsonDecode decodes one JSON value, refusing unknown fields so a typo in a
// field name is an error rather than silently ignored.
func jsonDecode(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

// apiSearchExport is GET /api/search/export?format=csv|json with the search
// parameters: every hit of the query and filters, up to search.MaxWindow.
func (s *Server) apiSearchExport(c echo.Context) error {
	p, err := parseSearchParams(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "json" {
		return &search.QueryError{Msg: "format must be csv or json", Pos: -1, Code: "export.search"}
	}
	q := p.query(s.levels(c))
	q.Size = search.MaxPageSize
	hits, total, err := s.readHits(c, q)
	if err != nil {
		return err
	}
	// The export is marked with the highest handling level of its hits:
	// a top-level field of the JSON; in the CSV each row's level column,
	// since a marking line above the header would break its readers.
	level := content.LevelPublic
	for _, hit := range hits {
		if packs.Rank(hit.Level) > packs.Rank(level) {
			level = hit.Level
		}
	}
	base := s.baseURL(c)
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": "search-results." + format}))
	if format == "json" {
		for i := range hits {
			hits[i].URL = base + hits[i].URL
		}
		return c.JSON(http.StatusOK, map[string]any{"query": p.Q, "filters": p.Filters, "total": total, "exported": len(hits), "hits": hits,
			"level": level, "marking": packs.Marking(level)})
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"rank", "doc_id", "section_id", "title", "number", "section", "page", "page_end", "lang", "org", "type", "topics", "year", "edition", "score", "url", "snippet", "level"})
	for i, hit := range hits {
		_ = w.Write([]string{strconv.Itoa(i + 1), hit.DocID, hit.SectionID, csvSafe(hit.Title), csvSafe(hit.Number), csvSafe(hit.Section),
			itoaZero(hit.Page), itoaZero(hit.PageEnd), hit.Lang, csvSafe(strings.Join(hit.Org, "; ")), hit.Type, csvSafe(strings.Join(hit.Topics, "; ")),
			itoaZero(hit.Year), csvSafe(hit.Edition), strconv.FormatFloat(hit.Score, 'f', 4, 64), base + hit.URL, csvSafe(plainText(hit.Snippet)), hit.Level})
	}
	w.Flush()
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func itoaZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// plainText turns a snippet's HTML back into text.
func plainText(snippet string) string {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet)
	return html.UnescapeString(strings.Join(strings.Fields(s), " "))
}
