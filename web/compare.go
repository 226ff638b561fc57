package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/compare"
	"handbook/search"
)

// The comparison of two editions: GET /docs/{id}/compare/{other} and
// /api/documents/{id}/compare/{other}. Both documents are read through the
// read path (a document the caller may not see is a 404, as one that does
// not exist), and content/compare does the aligning and the diffs.

// compareURL is the comparison of two documents, at the pair of an old
// section when oldSection is set.
func compareURL(id, other, oldSection string) string {
	u := documentURL(id) + "/compare/" + url.PathEscape(other)
	if oldSection != "" {
		u += "#" + pairAnchor(oldSection, "")
	}
	return u
}

// pairAnchor is the id of a pair on the comparison page: from its old
// section when it has one, else from its new one.
func pairAnchor(oldID, newID string) string {
	if oldID != "" {
		return "old-" + oldID
	}
	return "new-" + newID
}

// comparison reads both documents and compares them, the earlier edition
// first: the one the other supersedes (superseded_by, followed), else the
// one of the earlier year, else id.
func (s *Server) comparison(c echo.Context) (old, new *search.DocumentView, r *compare.Result, err error) {
	id, other := c.Param("id"), c.Param("other")
	if id == other {
		return nil, nil, nil, httpError(http.StatusBadRequest, "compare.same")
	}
	docs, err := s.readDocuments(c, id, other)
	if err != nil {
		return nil, nil, nil, err
	}
	old, new = docs[0], docs[1]
	if earlier(&new.Document, &old.Document, s.search.Catalog(s.levels(c))) {
		old, new = new, old
	}
	r, err = compare.Sections(c.Request().Context(), old.Sections, new.Sections, s.opts.Compare)
	var le *compare.LimitError
	if errors.As(err, &le) {
		return nil, nil, nil, httpError(http.StatusUnprocessableEntity, "compare.toolarge."+le.What, le.Value, le.Max)
	}
	return old, new, r, err
}

// earlier reports whether a is an earlier edition than b: b follows from a
// through superseded_by (among the documents the caller may see), else a's
// year is before b's.
func earlier(a, b *content.Document, docs []*content.Document) bool {
	byID := map[string]*content.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	for d, n := a, 0; d != nil && d.SupersededBy != "" && n < len(docs); n++ {
		if d.SupersededBy == b.ID {
			return true
		}
		d = byID[d.SupersededBy]
	}
	for d, n := b, 0; d != nil && d.SupersededBy != "" && n < len(docs); n++ {
		if d.SupersededBy == a.ID {
			return false
		}
		d = byID[d.SupersededBy]
	}
	return a.Year != 0 && b.Year != 0 && a.Year < b.Year
}

// compareSection is a section of a comparison in the JSON API: where it
// stands, and its text when it was added or removed.
type compareSection struct {
	ID      string `json:"id"`
	Number  string `json:"number,omitempty"`
	Heading string `json:"heading"`
	Path    string `json:"path"`
	Page    int    `json:"page,omitempty"`
	PageEnd int    `json:"page_end,omitempty"`
	URL     string `json:"url"`
	Text    string `json:"text,omitempty"`
}

type comparePair struct {
	Kind           compare.Kind    `json:"kind"`
	By             string          `json:"by,omitempty"`
	Similarity     float64         `json:"similarity"`
	Renumbered     bool            `json:"renumbered,omitempty"`
	Reordered      bool            `json:"reordered,omitempty"`
	HeadingChanged bool            `json:"heading_changed,omitempty"`
	Old            *compareSection `json:"old,omitempty"`
	New            *compareSection `json:"new,omitempty"`
	Diff           []compare.Op    `json:"diff,omitempty"`
}

type compareJSON struct {
	Old     *content.Document `json:"old"`
	New     *content.Document `json:"new"`
	Summary compare.Summary   `json:"summary"`
	// Text is the summary as a sentence, in English; Message says it in
	// the caller's language when that is French.
	Text    string        `json:"text"`
	Message string        `json:"message,omitempty"`
	URL     string        `json:"url"`
	Pairs   []comparePair `json:"pairs"`
}

func sectionRef(docID string, s *content.Section, text bool) *compareSection {
	if s == nil {
		return nil
	}
	out := &compareSection{ID: s.ID, Number: s.Number, Heading: s.Heading, Path: s.Path, Page: s.Page, PageEnd: s.PageEnd, URL: sectionURL(docID, s.ID)}
	if text {
		out.Text = s.Text
	}
	return out
}

// apiCompare is GET /api/documents/{id}/compare/{other}.
func (s *Server) apiCompare(c echo.Context) error {
	old, new, r, err := s.comparison(c)
	if err != nil {
		return err
	}
	out := compareJSON{Old: &old.Document, New: &new.Document, Summary: r.Summary, Text: summaryText("en", r.Summary),
		URL: compareURL(old.Document.ID, new.Document.ID, ""), Pairs: make([]comparePair, 0, len(r.Pairs))}
	if l := s.uiLanguage(c); l != "en" {
		out.Message = summaryText(l, r.Summary)
	}
	for _, p := range r.Pairs {
		whole := p.Kind == compare.Added || p.Kind == compare.Removed
		out.Pairs = append(out.Pairs, comparePair{Kind: p.Kind, By: p.By, Similarity: p.Similarity, Renumbered: p.Renumbered, Reordered: p.Reordered,
			HeadingChanged: p.HeadingChanged, Old: sectionRef(old.Document.ID, p.Old, whole), New: sectionRef(new.Document.ID, p.New, whole), Diff: p.Diff})
	}
	return c.JSON(http.StatusOK, out)
}

// summaryText says a comparison's counts as a sentence: "12 sections
// changed, 3 added, 1 removed", with the plurals of lang (in French 0 and 1
// are singular). Kinds with no section are left out, but for changed, which
// leads.
func summaryText(lang string, sum compare.Summary) string {
	count := func(n int, key string) string {
		if n == 1 || lang == "fr" && n == 0 {
			key += ".one"
		}
		return translate(lang, key, n)
	}
	parts := []string{count(sum.Changed, "compare.nchanged")}
	for _, k := range []struct {
		n   int
		key string
	}{{sum.Moved, "compare.nmoved"}, {sum.Added, "compare.nadded"}, {sum.Removed, "compare.nremoved"}} {
		if k.n > 0 {
			parts = append(parts, count(k.n, k.key))
		}
	}
	text := strings.Join(parts, ", ")
	if sum.Unchanged > 0 {
		text += translate(lang, "punct.semicolon") + " " + count(sum.Unchanged, "compare.nunchanged")
	}
	return text
}

// compareView is the comparison page.
type compareView struct {
	page
	Old, New *content.Document
	OldURL   string
	NewURL   string
	Summary  compare.Summary
	Sentence string
	Pairs    []pairView
	// Unchanged are the unchanged sections, listed apart and collapsed.
	Unchanged []pairView
}

type pairView struct {
	compare.Pair
	Anchor     string
	OldAnchor  string // a second anchor, from the old section, when Anchor is the new one's
	OldURL     string
	NewURL     string
	Body       template.HTML // the diff, or the added or removed text
	OldTitle   string
	NewTitle   string
	Similarity int // per cent
}

// comparePage is GET /docs/{id}/compare/{other}.
func (s *Server) comparePage(c echo.Context) error {
	old, new, r, err := s.comparison(c)
	if err != nil {
		return err
	}
	lang := s.uiLanguage(c)
	v := compareView{page: s.basePage(c, translate(lang, "compare.title", old.Document.Title, new.Document.Title)), Old: &old.Document, New: &new.Document,
		OldURL: documentURL(old.Document.ID), NewURL: documentURL(new.Document.ID), Summary: r.Summary, Sentence: summaryText(lang, r.Summary)}
	for _, p := range r.Pairs {
		pv := pairView{Pair: p, Similarity: int(p.Similarity*100 + 0.5)}
		if p.Old != nil {
			pv.OldURL, pv.OldTitle = sectionURL(old.Document.ID, p.Old.ID), p.Old.Title()
		}
		if p.New != nil {
			pv.NewURL, pv.NewTitle = sectionURL(new.Document.ID, p.New.ID), p.New.Title()
			pv.Anchor = pairAnchor("", p.New.ID)
		}
		if p.Old != nil {
			pv.Anchor = pairAnchor(p.Old.ID, "")
			if p.New != nil {
				pv.OldAnchor = pairAnchor("", p.New.ID)
			}
		}
		switch p.Kind {
		case compare.Unchanged:
			v.Unchanged = append(v.Unchanged, pv)
			continue
		case compare.Added:
			pv.Body = renderText(p.New.Text)
		case compare.Removed:
			pv.Body = renderText(p.Old.Text)
		case compare.Changed:
			pv.Body = renderDiff(p.Diff)
		}
		v.Pairs = append(v.Pairs, pv)
	}
	return s.render(c, http.StatusOK, "compare", v)
}

// renderDiff shows a word diff as escaped text with <del> and <ins>.
func renderDiff(ops []compare.Op) template.HTML {
	var b strings.Builder
	b.WriteString(`<p class="diff">`)
	for i, op := range ops {
		if i > 0 {
			b.WriteByte(' ')
		}
		text := template.HTMLEscapeString(op.Text)
		switch op.Kind {
		case compare.OpInsert:
			b.WriteString("<ins>" + text + "</ins>")
		case compare.OpDelete:
			b.WriteString("<del>" + text + "</del>")
		default:
			b.WriteString(text)
		}
	}
	b.WriteString("</p>")
	return template.HTML(b.String())
}
