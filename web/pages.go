package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/search"
	"handbook/web/auth"
)

// page is what every page's layout needs.
type page struct {
	Title string
	Query string
	CSRF  string // the token every state-changing form sends back
	Packs bool   // the caller may use course packs
	User  string // the signed-in user; empty when anonymous
	Admin bool
	// SignIn is true when token users exist, so a sign-in link makes sense.
	SignIn bool
}

func (s *Server) basePage(c echo.Context, title string) page {
	token, _ := c.Get("csrf").(string)
	id := s.identify(c)
	p := page{Title: title, CSRF: token, Packs: s.packs != nil && id.Has(auth.RoleTrainer), Admin: s.audit != nil && id.Has(auth.RoleAdmin), SignIn: s.auth.HasUsers()}
	if !id.Anonymous() {
		p.User = id.User
	}
	return p
}

type errorPage struct {
	page
	Status    int
	Message   string
	RequestID string
}

// home is GET /: the search box and the documents the caller may see,
// grouped by type.
type homePage struct {
	page
	Groups []docGroup
	Topics []link
	Count  int
}

type docGroup struct {
	Type string
	Docs []*content.Document
}

type link struct {
	Label string
	URL   string
	Count int
}

func (s *Server) home(c echo.Context) error {
	docs := s.search.Catalog(s.levels(c))
	byType := map[string][]*content.Document{}
	topics := map[string]int{}
	for _, d := range docs {
		byType[d.Type] = append(byType[d.Type], d)
		for _, t := range d.Topics {
			topics[t]++
		}
	}
	v := homePage{page: s.basePage(c, "Handbook"), Count: len(docs)}
	for _, t := range append(slices.Clone(content.Types), "") {
		if ds := byType[t]; len(ds) > 0 {
			sort.Slice(ds, func(i, j int) bool { return ds[i].Title < ds[j].Title })
			v.Groups = append(v.Groups, docGroup{Type: t, Docs: ds})
		}
	}
	for t, n := range topics {
		v.Topics = append(v.Topics, link{Label: t, URL: "/search?" + url.Values{search.FacetTopic: {t}}.Encode(), Count: n})
	}
	sort.Slice(v.Topics, func(i, j int) bool { return v.Topics[i].Label < v.Topics[j].Label })
	return s.render(c, http.StatusOK, "home", v)
}

// searchPage is GET /search.
type searchView struct {
	page
	Params   searchParams
	Result   *search.Result
	Hits     []hitView
	Facets   []facetView
	Chips    []link
	ClearURL string
	PageURLs map[int]string
	First    int
	Last     int
	FuzzyURL string
	Error    string
}

type hitView struct {
	search.Hit
	SnippetHTML template.HTML
	Pages       string
}

type facetView struct {
	Name   string
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	search.FacetValue
	Label string
	URL   string
}

func (s *Server) searchPage(c echo.Context) error {
	p, err := parseSearchParams(c)
	if err != nil {
		return err
	}
	if p.Q == "" && len(p.Filters) == 0 {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	v := searchView{page: s.basePage(c, p.Q), Params: p}
	v.Query = p.Q
	if v.Title == "" {
		v.Title = "Browse"
	}
	res, err := s.search.Search(c.Request().Context(), p.query(s.levels(c)))
	var qe *search.QueryError
	if asQueryError(err, &qe) {
		// Show the message on the page, with the query kept in the box.
		v.Error = qe.Error()
		return s.render(c, http.StatusBadRequest, "search", v)
	}
	if err != nil {
		return err
	}
	v.Result = res
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, hitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), Pages: pages(h.Page, h.PageEnd)}) // the service escapes snippets
	}
	base := p.values()
	for _, f := range search.Facets {
		fv := facetView{Name: f, Label: facetLabel(f)}
		for _, val := range res.Facets[f] {
			fv.Values = append(fv.Values, facetValueView{FacetValue: val, Label: valueLabel(f, val.Value), URL: "/search?" + toggle(base, f, val.Value).Encode()})
			if val.Selected {
				v.Chips = append(v.Chips, link{Label: facetLabel(f) + ": " + valueLabel(f, val.Value), URL: "/search?" + toggle(base, f, val.Value).Encode()})
			}
		}
		if len(fv.Values) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	if len(v.Chips) > 0 && p.Q != "" {
		v.ClearURL = "/search?" + url.Values{"q": {p.Q}}.Encode()
	}
	v.PageURLs = map[int]string{}
	for _, n := range pageRange(res.Page, max(res.Pages, 1)) {
		v.PageURLs[n] = pageURL(base, n)
	}
	v.PageURLs[res.Page-1] = pageURL(base, res.Page-1)
	v.PageURLs[res.Page+1] = pageURL(base, res.Page+1)
	if len(res.Hits) > 0 {
		v.First = (res.Page-1)*res.Size + 1
		v.Last = v.First + len(res.Hits) - 1
	}
	if !p.Fuzzy && p.Q != "" {
		fz := p.values()
		fz.Set("fuzzy", "1")
		v.FuzzyURL = "/search?" + fz.Encode()
	}
	return s.render(c, http.StatusOK, "search", v)
}

func asQueryError(err error, target **search.QueryError) bool {
	if err == nil {
		return false
	}
	qe, ok := err.(*search.QueryError)
	if ok {
		*target = qe
	}
	return ok
}

// toggle returns v with value added to or removed from facet, and no page.
func toggle(v url.Values, facet, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	cur := out[facet]
	if i := slices.IndexFunc(cur, func(s string) bool { return strings.EqualFold(s, value) }); i >= 0 {
		out[facet] = slices.Delete(cur, i, i+1)
	} else {
		out[facet] = append(cur, value)
	}
	if len(out[facet]) == 0 {
		delete(out, facet)
	}
	return out
}

func pageURL(v url.Values, n int) string {
	if n < 1 {
		return ""
	}
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	if n > 1 {
		out.Set("page", strconv.Itoa(n))
	}
	return "/search?" + out.Encode()
}

func pages(from, to int) string {
	switch {
	case from == 0:
		return ""
	case to > from:
		return fmt.Sprintf("pp. %d–%d", from, to)
	}
	return fmt.Sprintf("p. %d", from)
}

// documentPage is GET /docs/{id}: the whole document with a table of
// contents and one anchor per section.
type docView struct {
	page
	Doc      content.Document
	Sections []sectionView
	Related  []*content.Document
	Citation string
}

type sectionView struct {
	content.Section
	Depth int
	Body  template.HTML
	Pages string
	Tag   string
}

func (s *Server) documentPage(c echo.Context) error {
	dv, err := s.search.Document(c.Request().Context(), c.Param("id"), s.levels(c))
	if err != nil {
		return err
	}
	s.auditRead(c, &dv.Document, "")
	v := docView{page: s.basePage(c, dv.Document.Title), Doc: dv.Document, Related: dv.Related, Citation: citation(&dv.Document)}
	for _, sec := range dv.Sections {
		depth := min(max(sec.Level, 1), 4)
		v.Sections = append(v.Sections, sectionView{Section: sec, Depth: depth, Body: renderText(sec.Text), Pages: pages(sec.Page, sec.PageEnd), Tag: "h" + strconv.Itoa(depth+1)})
	}
	return s.render(c, http.StatusOK, "doc", v)
}

// citation formats a reference to a document: organizations, title,
// edition, year.
func citation(d *content.Document) string {
	parts := []string{}
	if len(d.Organizations) > 0 {
		parts = append(parts, strings.Join(d.Organizations, ", "))
	}
	parts = append(parts, d.Title)
	if d.Edition != "" {
		parts = append(parts, d.Edition)
	}
	if d.Year != 0 {
		parts = append(parts, strconv.Itoa(d.Year))
	}
	return strings.Join(parts, ". ") + "."
}
