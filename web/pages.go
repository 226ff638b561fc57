package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/packs"
	"handbook/search"
	"handbook/web/auth"
)

// page is what every page's layout needs.
type page struct {
	Lang      string // interface language, "en" or "fr"
	SwitchURL string // this page in the other interface language
	Title     string
	Query     string
	CSRF      string // the token every state-changing form sends back
	Packs     bool   // the caller may use course packs
	User      string // the signed-in user; empty when anonymous
	Admin     bool
	// SignIn is true when token users exist, so a sign-in link makes sense.
	SignIn bool
}

func (s *Server) basePage(c echo.Context, title string) page {
	token, _ := c.Get("csrf").(string)
	id := s.identify(c)
	lang := s.uiLanguage(c)
	other := "fr"
	if lang == "fr" {
		other = "en"
	}
	u := *c.Request().URL
	q := u.Query()
	q.Set("ui", other)
	u.RawQuery = q.Encode()
	p := page{Lang: lang, SwitchURL: u.RequestURI(), Title: title, CSRF: token, Packs: s.packs != nil && id.Has(auth.RoleTrainer), Admin: s.audit != nil && id.Has(auth.RoleAdmin), SignIn: s.auth.HasUsers()}
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
	Docs []homeDoc
}

// homeDoc is a document of the start page with the same work in other
// files ("also as PDF, text"), which are not listed on their own.
type homeDoc struct {
	*content.Document
	Also []link
}

// formatOrder is the order in which the files of one work are preferred
// for the start page's entry (as search prefers a section's copies).
var formatOrder = []string{content.FormatHTML, content.FormatMarkdown, content.FormatEPUB, content.FormatDOCX, content.FormatPDF, content.FormatText}

func formatRank(f string) int {
	if i := slices.Index(formatOrder, f); i >= 0 {
		return i
	}
	return len(formatOrder)
}

type link struct {
	Label string
	URL   string
	Count int
}

func (s *Server) home(c echo.Context) error {
	docs := s.search.Catalog(s.levels(c))
	byID := make(map[string]*content.Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	before := func(a, b *content.Document) bool {
		return formatRank(a.Format) < formatRank(b.Format) || formatRank(a.Format) == formatRank(b.Format) && a.ID < b.ID
	}
	byType := map[string][]homeDoc{}
	topics := map[string]int{}
	works := 0
	for _, d := range docs {
		// One work in several files is one entry, from its preferred file.
		shown := true
		var also []link
		for _, id := range d.SameWork {
			if o := byID[id]; o != nil {
				shown = shown && !before(o, d)
				also = append(also, link{Label: o.Format, URL: documentURL(o.ID)})
			}
		}
		if !shown {
			continue
		}
		works++
		byType[d.Type] = append(byType[d.Type], homeDoc{Document: d, Also: also})
		for _, t := range d.Topics {
			topics[t]++
		}
	}
	v := homePage{page: s.basePage(c, "Handbook"), Count: works}
	for _, t := range append(slices.Clone(content.Types), "") {
		if ds := byType[t]; len(ds) > 0 {
			sort.Slice(ds, func(i, j int) bool { return ds[i].Title < ds[j].Title })
			v.Groups = append(v.Groups, docGroup{Type: t, Docs: ds})
		}
	}
	for t, n := range topics {
		v.Topics = append(v.Topics, link{Label: t, URL: searchURL(url.Values{search.FacetTopic: {t}}), Count: n})
	}
	sort.Slice(v.Topics, func(i, j int) bool { return v.Topics[i].Label < v.Topics[j].Label })
	return s.render(c, http.StatusOK, "home", v)
}

// searchPage is GET /search.
type searchView struct {
	page
	Params   searchParams
	Result   *search.Result
	Groups   []hitGroup
	Facets   []facetView
	Chips    []link
	ClearURL string
	PageURLs map[int]string
	First    int
	Last     int
	FuzzyURL string
	// DidYouMeanURL searches the suggested query; ExpandURL searches with
	// glossary expansion switched the other way.
	DidYouMeanURL string
	ExpandURL     string
	Error         string
	Compact       bool
	ViewURL       string // the other view
	ExportURL     string
	Hidden        url.Values // the query and filters, for the year form
	YearFrom      string
	YearTo        string

	// SearchInsteadURL searches the query as typed, without correction,
	// when the hits shown are a correction's (Result.SearchInstead).
	SearchInsteadURL string

	// AddPack is each hit's "Add to course pack" form (packs.go).
	AddPack *addPackView
}

// hitGroup is one document's hits on the page, best first.
type hitGroup struct {
	search.Hit // the first hit, for the document's metadata
	Hits       []hitView
}

type hitView struct {
	search.Hit
	SnippetHTML template.HTML
	Pages       string
	Link        string // the section on the document page, with the query to highlight
	PDFLink     string // the original PDF at the hit's page, when served
}

type facetView struct {
	Name   string
	Values []facetValueView
	More   []facetValueView // shown under "show more"
}

type facetValueView struct {
	search.FacetValue
	Facet string
	URL   string
}

// facetShown is how many values a facet shows before "show more".
const facetShown = 8

func (s *Server) searchPage(c echo.Context) error {
	p, err := parseSearchParams(c)
	if err != nil {
		return err
	}
	if err := s.expandYears(c, &p); err != nil {
		return err
	}
	if p.Q == "" && len(p.Filters) == 0 {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	v := searchView{page: s.basePage(c, p.Q), Params: p, Compact: c.QueryParam("view") == "compact"}
	v.Query = p.Q
	if v.Title == "" {
		v.Title = v.T("filters")
	}
	res, err := s.runSearch(c, p.query(s.levels(c)))
	var qe *search.QueryError
	if asQueryError(err, &qe) {
		// Show the message on the page, with the query kept in the box.
		v.Error = queryErrorText(v.Lang, qe)
		return s.render(c, http.StatusBadRequest, "search", v)
	}
	if err != nil {
		return err
	}
	v.Result = res
	// The parser's notes are English; the page says them in its language.
	if len(res.Notes) > 0 {
		notes := make([]string, len(res.Notes))
		for i, n := range res.Notes {
			notes[i] = translateNote(v.Lang, n)
		}
		res.Notes = notes
	}
	pdfs := map[string]bool{}
	if s.opts.Originals != nil {
		for _, d := range s.search.Catalog(s.levels(c)) {
			pdfs[d.ID] = d.Format == content.FormatPDF
		}
	}
	byDoc := map[string]int{}
	for _, h := range res.Hits {
		hv := hitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), Pages: packs.PagesIn(v.Lang, h.Page, h.PageEnd), Link: h.URL} // the service escapes snippets
		if pdfs[h.DocID] && h.Page > 0 {
			hv.PDFLink = originalURL(h.DocID, h.Page)
		}
		if p.Q != "" {
			hv.Link = documentURL(h.DocID) + "?" + url.Values{"q": {p.Q}}.Encode() + "#" + url.PathEscape(h.SectionID)
		}
		i, ok := byDoc[h.DocID]
		if !ok {
			i = len(v.Groups)
			byDoc[h.DocID] = i
			v.Groups = append(v.Groups, hitGroup{Hit: h})
		}
		v.Groups[i].Hits = append(v.Groups[i].Hits, hv)
	}
	base := p.values()
	if v.Compact {
		base.Set("view", "compact")
	}
	for _, f := range search.Facets {
		fv := facetView{Name: f}
		for _, val := range res.Facets[f] {
			item := facetValueView{FacetValue: val, Facet: f, URL: searchURL(toggle(base, f, val.Value))}
			if len(fv.Values) < facetShown || val.Selected {
				fv.Values = append(fv.Values, item)
			} else {
				fv.More = append(fv.More, item)
			}
			if val.Selected {
				v.Chips = append(v.Chips, link{Label: v.T("facet.chip", v.T("facet."+f), v.V(f, val.Value)), URL: item.URL})
			}
		}
		if len(fv.Values) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	if len(v.Chips) > 0 && p.Q != "" {
		v.ClearURL = searchURL(url.Values{"q": {p.Q}})
	}
	v.PageURLs = map[int]string{}
	for _, n := range pageRange(res.Page, max(res.Pages, 1)) {
		v.PageURLs[n] = pageURL(base, n)
	}
	v.PageURLs[1] = pageURL(base, 1)
	v.PageURLs[res.Page-1] = pageURL(base, res.Page-1)
	v.PageURLs[res.Page+1] = pageURL(base, res.Page+1)
	if len(res.Hits) > 0 {
		v.First = (res.Page-1)*res.Size + 1
		v.Last = v.First + len(res.Hits) - 1
	}
	if res.DidYouMean != "" && res.Corrected == "" {
		dm := p.values()
		dm.Set("q", res.DidYouMean)
		v.DidYouMeanURL = searchURL(dm)
	}
	if res.SearchInstead != "" {
		si := p
		si.Q, si.NoCorrect = res.SearchInstead, true
		v.SearchInsteadURL = searchURL(si.values())
	}
	if len(res.Expansions) > 0 || p.NoExpand {
		ex := p
		ex.NoExpand = !p.NoExpand
		v.ExpandURL = searchURL(ex.values())
	}
	if !p.Fuzzy && p.Q != "" {
		fz := p.values()
		fz.Set("fuzzy", "1")
		v.FuzzyURL = searchURL(fz)
	}
	other := p.values()
	if !v.Compact {
		other.Set("view", "compact")
	}
	if res.Page > 1 {
		other.Set("page", strconv.Itoa(res.Page))
	}
	v.ViewURL = searchURL(other)
	v.ExportURL = "/api/search/export?" + p.values().Encode()
	v.Hidden = p.values()
	v.Hidden.Del(search.FacetYear)
	if v.Compact {
		v.Hidden.Set("view", "compact")
	}
	v.YearFrom, v.YearTo = c.QueryParam("year_from"), c.QueryParam("year_to")
	if v.AddPack, err = s.addPackFor(c, v.page); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "search", v)
}

// expandYears turns a year range from the year form (year_from, year_to)
// into the years of the catalog that fall in it, selected in the year facet.
func (s *Server) expandYears(c echo.Context, p *searchParams) error {
	from, to := strings.TrimSpace(c.QueryParam("year_from")), strings.TrimSpace(c.QueryParam("year_to"))
	if from == "" && to == "" {
		return nil
	}
	lo, hi := 0, 9999
	var err error
	if from != "" {
		if lo, err = strconv.Atoi(from); err != nil {
			return &search.QueryError{Msg: "year_from must be a year", Pos: -1, Code: "param.year_from"}
		}
	}
	if to != "" {
		if hi, err = strconv.Atoi(to); err != nil {
			return &search.QueryError{Msg: "year_to must be a year", Pos: -1, Code: "param.year_to"}
		}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	years := map[int]bool{}
	for _, d := range s.search.Catalog(s.levels(c)) {
		if d.Year >= lo && d.Year <= hi {
			years[d.Year] = true
		}
	}
	p.Filters[search.FacetYear] = nil
	for y := range years {
		p.Filters[search.FacetYear] = append(p.Filters[search.FacetYear], strconv.Itoa(y))
	}
	if len(years) == 0 {
		p.Filters[search.FacetYear] = []string{strconv.Itoa(lo)} // nothing in range: an empty result, said plainly
	}
	sort.Strings(p.Filters[search.FacetYear])
	return nil
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
	return searchURL(out)
}

// documentPage is GET /docs/{id}: the whole document with a table of
// contents and one anchor per section.
type docView struct {
	page
	Original string // the original file, when served
	Doc      content.Document
	Sections []sectionView
	Related  []*content.Document
	Citation string
}

type sectionView struct {
	content.Section
	Depth      int
	Body       template.HTML
	Pages      string
	Tag        string
	Prev, Next string // neighbouring section ids
	Citation   string
}

func (s *Server) documentPage(c echo.Context) error {
	dv, err := s.readDocument(c, c.Param("id"))
	if err != nil {
		return err
	}
	v := docView{page: s.basePage(c, dv.Document.Title), Doc: dv.Document, Related: dv.Related, Citation: packs.ReferenceIn(s.uiLanguage(c), cited(&dv.Document, &content.Section{}), "")}
	if s.opts.Originals != nil && dv.Document.Source != "" {
		v.Original = originalURL(dv.Document.ID, 0)
	}
	terms := queryTerms(c.QueryParam("q"))
	base := s.baseURL(c)
	for i, sec := range dv.Sections {
		depth := min(max(sec.Level, 1), 4)
		sv := sectionView{Section: sec, Depth: depth, Body: renderText(sec.Text, terms...), Pages: packs.PagesIn(v.Lang, sec.Page, sec.PageEnd), Tag: "h" + strconv.Itoa(depth+1)}
		if i > 0 {
			sv.Prev = dv.Sections[i-1].ID
		}
		if i+1 < len(dv.Sections) {
			sv.Next = dv.Sections[i+1].ID
		}
		sv.Citation = packs.CitationIn(v.Lang, cited(&dv.Document, &sec), base+sectionURL(dv.Document.ID, sec.ID))
		v.Sections = append(v.Sections, sv)
	}
	return s.render(c, http.StatusOK, "doc", v)
}
