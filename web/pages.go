package web

import (
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"regexp"
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
	// Analytics links the search analytics; SavedNav the saved searches
	// of a signed-in user.
	Analytics bool
	SavedNav  bool
	// Editor shows the documents link: the server keeps a library and
	// the caller may change it.
	Editor bool
	// Refresh, when above 0, reloads the page after that many seconds
	// (a job's page while it runs).
	Refresh int
	// SignIn is true when token users exist, so a sign-in link makes sense.
	SignIn bool
	// PacksNav shows the course packs link in the header whenever the
	// server keeps packs (a user without the trainer role is told why).
	PacksNav bool
	// SkipTo is the id the skip link leads to: the results on the results
	// page, else the main content.
	SkipTo string
	// Keep holds the filters and view of the results page, so that a new
	// query typed in the header keeps them (the box says so, with a way to
	// drop them).
	Keep url.Values
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
	p := page{Lang: lang, SwitchURL: u.RequestURI(), Title: title, CSRF: token, Packs: s.packs != nil && id.Has(auth.RoleTrainer), PacksNav: s.packs != nil, SkipTo: "main", Admin: s.audit != nil && id.Has(auth.RoleAdmin), SignIn: s.auth.HasUsers(),
		Editor: s.opts.Library != nil && id.Has(auth.RoleEditor)}
	if !id.Anonymous() {
		p.User = id.User
	}
	p.Analytics = s.analytics != nil && canSeeAnalytics(id)
	p.SavedNav = s.saved != nil && !id.Anonymous()
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
	// Count says how many sections were found and which are shown: "1
	// section", "4 sections", "11–20 of 34 sections".
	Count string
	// Advice are the ways out of a search that found nothing: allow
	// typing errors, fewer words, every language, no filters.
	Advice []advice

	// SearchInsteadURL searches the query as typed, without correction,
	// when the hits shown are a correction's (Result.SearchInstead).
	SearchInsteadURL string

	// Scope is set when the search is of one document (doc=ID): the
	// document (its title when the caller may see it) and WidenURL, the
	// same search in every document.
	Scope    *link
	WidenURL string
	// AddPack is each hit's "Add to course pack" form (packs.go).
	AddPack *addPackView
	// SaveSearch is the search's parameters for the "Save this search"
	// form (saved.go), when the caller may save searches.
	SaveSearch url.Values
}

// hitGroup is one document's hits on the page, best first.
type hitGroup struct {
	search.Hit // the first hit, for the document's metadata
	Hits       []hitView
	// SupersededBy is the edition that replaces a superseded document,
	// when the caller may see it.
	SupersededBy *link
}

type hitView struct {
	search.Hit
	SnippetHTML template.HTML
	Pages       string
	// Link is the section on the document page, with the query to
	// highlight, the section whose related sections to show and the
	// results page to go back to.
	Link    string
	PDFLink string // the original PDF at the hit's page, when served
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
	if c.QueryParam("kept") == "1" && c.QueryParam("keep") == "" {
		// The header's box was sent with "keep the filters" unticked.
		return c.Redirect(http.StatusSeeOther, searchURL(url.Values{"q": {p.Q}}))
	}
	if p.Q == "" && len(p.Filters) == 0 {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	v := searchView{page: s.basePage(c, p.Q), Params: p, Compact: c.QueryParam("view") == "compact"}
	v.Query, v.SkipTo = p.Q, "results"
	v.Keep = p.values()
	v.Keep.Del("q")
	v.Keep.Del("correct")
	if v.Compact {
		v.Keep.Set("view", "compact")
	}
	if len(v.Keep) == 0 {
		v.Keep = nil
	}
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
	catalog := map[string]*content.Document{}
	for _, d := range s.search.Catalog(s.levels(c)) {
		catalog[d.ID] = d
	}
	base := p.values()
	if v.Compact {
		base.Set("view", "compact")
	}
	from := pageURL(base, res.Page)
	click := s.recordSearch(c, p, v.Lang, res.Total)
	byDoc := map[string]int{}
	for _, h := range res.Hits {
		hv := hitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), Pages: packs.PagesIn(v.Lang, h.Page, h.PageEnd), Link: withClick(hitLink(h, p.Q, from), click)} // the service escapes snippets
		if d := catalog[h.DocID]; s.opts.Originals != nil && d != nil && d.Format == content.FormatPDF && h.Page > 0 {
			hv.PDFLink = originalURL(h.DocID, h.Page)
		}
		i, ok := byDoc[h.DocID]
		if !ok {
			i = len(v.Groups)
			byDoc[h.DocID] = i
			g := hitGroup{Hit: h}
			g.SupersededBy = successor(catalog[h.DocID], catalog)
			v.Groups = append(v.Groups, g)
		}
		v.Groups[i].Hits = append(v.Groups[i].Hits, hv)
	}
	if p.Doc != "" {
		v.Scope = &link{Label: p.Doc, URL: documentURL(p.Doc)}
		if d := catalog[p.Doc]; d != nil {
			v.Scope.Label = d.Title
		}
		wide := p
		wide.Doc = ""
		v.WidenURL = searchURL(wide.values())
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
			if val.Selected && !(f == search.FacetYear && len(p.Filters[f]) > 1) {
				v.Chips = append(v.Chips, link{Label: v.T("facet.chip", v.T("facet."+f), v.V(f, val.Value)), URL: item.URL})
			}
		}
		if len(fv.Values) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	if years := p.Filters[search.FacetYear]; len(years) > 1 {
		// A year range is one chip, removed at once.
		lo, hi := slices.Min(years), slices.Max(years)
		without := maps.Clone(base)
		without.Del(search.FacetYear)
		v.Chips = append(v.Chips, link{Label: v.T("facet.chip", v.T("facet."+search.FacetYear), lo+"–"+hi), URL: searchURL(without)})
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
	switch {
	case res.Total == 0:
		v.Count = v.T("results.none")
	case res.Total == 1 && v.First == 1:
		v.Count = v.T("results.one")
	case v.First == 1 && uint64(v.Last) == res.Total:
		v.Count = v.T("results.all", res.Total)
	default:
		v.Count = v.T("results.count", v.First, v.Last, res.Total)
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
	if res.Total == 0 && p.Q != "" {
		v.Advice = s.noResultsAdvice(v, p)
	}
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
	if v.SavedNav {
		v.SaveSearch = p.values()
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

// hitLink is a hit's section on its document's page: with the query q, so
// the page marks its words; the section, so the page lists the sections
// related to it; and from, the results page the hit was on, so the page
// leads back to it.
func hitLink(h search.Hit, q, from string) string {
	v := url.Values{"section": {h.SectionID}, "from": {from}}
	if q != "" {
		v.Set("q", q)
	}
	return documentURL(h.DocID) + "?" + v.Encode() + "#" + url.PathEscape(h.SectionID)
}

// successor is the edition that replaces d, as a link, when d is superseded
// and the caller may see that edition (docs holds what the caller may see).
func successor(d *content.Document, docs map[string]*content.Document) *link {
	if d == nil || d.SupersededBy == "" {
		return nil
	}
	next := docs[d.SupersededBy]
	if next == nil {
		return nil
	}
	label := next.Title
	if next.Edition != "" && !strings.Contains(next.Title, next.Edition) {
		label += " (" + next.Edition + ")"
	}
	return &link{Label: label, URL: documentURL(next.ID)}
}

// backToResults is the results page a document page was reached from (the
// from parameter), or "" unless it is a results page of this site: a
// path and query only, the path /search.
func backToResults(from string) string {
	if from == "" || safeNext(from) != from {
		return ""
	}
	u, err := url.Parse(from)
	if err != nil || u.Path != "/search" || u.Fragment != "" {
		return ""
	}
	return searchURL(u.Query())
}

// excluded matches what a query excludes: a word, phrase or group after a
// minus sign or NOT.
var excluded = regexp.MustCompile(`(^|[\s(])(-|NOT\s+)("[^"]*"?|\([^)]*\)?|[^\s()]+)`)

// markedTerms are the words of q to mark on a document page (queryTerms),
// without those q excludes, and with a plural's singular ("containers"
// marks "container" too, as the stemmed search finds it).
func markedTerms(q string) []string {
	terms := queryTerms(excluded.ReplaceAllString(q, "$1"))
	for _, t := range terms {
		switch {
		case len(t) >= 6 && strings.HasSuffix(t, "ies"):
			terms = append(terms, t[:len(t)-3]) // "deliveries": "deliver…"
		case len(t) >= 5 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss"):
			terms = append(terms, t[:len(t)-1])
		}
	}
	return terms
}

// maxRelated is how many related sections a document page lists.
const maxRelated = 5

// documentPage is GET /docs/{id}: the whole document with a table of
// contents and one anchor per section. From a hit it has q (the words to
// mark), section (the section whose related sections it lists: one
// Related call per page view) and from (the results page to go back to).
type docView struct {
	page
	Original string // the original file, when served
	Doc      content.Document
	Sections []sectionView
	Related  []*content.Document
	Citation string
	// DocQuery fills the box that searches this document.
	DocQuery string
	// BackURL is the results page the reader came from.
	BackURL string
	// Superseded is true for a superseded edition; SupersededBy is the
	// edition that replaces it, when the caller may see it.
	Superseded   bool
	SupersededBy *link
	// CompareWith are the comparisons of this document with its earlier
	// and later editions that the caller may see.
	CompareWith []link
}

type sectionView struct {
	content.Section
	Depth       int
	Body        template.HTML
	HeadingHTML template.HTML // the heading, escaped, with the query's words marked
	Pages       string
	Tag         string
	Prev, Next  string // neighbouring section ids
	Citation    string
	// RelatedURL is this page listing the sections related to this one;
	// Selected is true for the section it lists them for, Related.
	RelatedURL string
	Selected   bool
	Related    []relatedView
}

// relatedView is a section related to the selected one.
type relatedView struct {
	search.Hit
	URL        string
	Superseded bool
}

func (s *Server) documentPage(c echo.Context) error {
	dv, err := s.readDocument(c, c.Param("id"))
	if err != nil {
		return err
	}
	s.recordOpened(c)
	d := &dv.Document
	q := strings.TrimSpace(c.QueryParam("q"))
	v := docView{page: s.basePage(c, d.Title), Doc: *d, Related: dv.Related, Citation: packs.ReferenceIn(s.uiLanguage(c), cited(d, &content.Section{}), ""),
		DocQuery: q, BackURL: backToResults(c.QueryParam("from")), Superseded: d.Status == content.StatusSuperseded}
	if v.Superseded {
		others := map[string]*content.Document{}
		for _, o := range dv.Related {
			others[o.ID] = o
		}
		v.SupersededBy = successor(d, others)
	}
	for _, o := range dv.Related {
		if o.SupersededBy == d.ID || d.SupersededBy == o.ID {
			label := o.Title
			if o.Edition != "" && !strings.Contains(o.Title, o.Edition) {
				label += " (" + o.Edition + ")"
			}
			v.CompareWith = append(v.CompareWith, link{Label: label, URL: compareURL(d.ID, o.ID, "")})
		}
	}
	if s.opts.Originals != nil && d.Source != "" {
		v.Original = originalURL(d.ID, 0)
	}
	terms := markedTerms(q)
	base := s.baseURL(c)
	keep := url.Values{}
	if q != "" {
		keep.Set("q", q)
	}
	if v.BackURL != "" {
		keep.Set("from", v.BackURL)
	}
	selected := c.QueryParam("section")
	for i, sec := range dv.Sections {
		depth := min(max(sec.Level, 1), 4)
		sv := sectionView{Section: sec, Depth: depth, Body: renderText(sec.Text, terms...), HeadingHTML: template.HTML(markTerms(sec.Heading, terms)), Pages: packs.PagesIn(v.Lang, sec.Page, sec.PageEnd), Tag: "h" + strconv.Itoa(depth+1)}
		if i > 0 {
			sv.Prev = dv.Sections[i-1].ID
		}
		if i+1 < len(dv.Sections) {
			sv.Next = dv.Sections[i+1].ID
		}
		sv.Citation = packs.CitationIn(v.Lang, cited(d, &sec), base+sectionURL(d.ID, sec.ID))
		rel := url.Values{"section": {sec.ID}}
		for k, vs := range keep {
			rel[k] = vs
		}
		sv.RelatedURL = documentURL(d.ID) + "?" + rel.Encode() + "#" + url.PathEscape(sec.ID)
		if sec.ID == selected {
			sv.Selected = true
			sv.Related = s.related(c, d.ID, sec.ID)
		}
		v.Sections = append(v.Sections, sv)
	}
	return s.render(c, http.StatusOK, "doc", v)
}

// advice is one way out of a search that found nothing: a link, with the
// query it runs when that is the point (fewer words).
type advice struct {
	Label, Query, URL string
}

// noResultsAdvice lists, for a search that found nothing, the searches
// that may: with typing errors allowed, with fewer words, in every language,
// without the filters. Each is a link.
func (s *Server) noResultsAdvice(v searchView, p searchParams) []advice {
	var out []advice
	if v.FuzzyURL != "" {
		out = append(out, advice{Label: v.T("advice.spelling"), URL: v.FuzzyURL})
	}
	if words := strings.Fields(p.Q); len(words) > 1 {
		fewer := p.values()
		fewer.Set("q", strings.Join(words[:len(words)-1], " "))
		out = append(out, advice{Label: v.T("advice.fewer"), Query: fewer.Get("q"), URL: searchURL(fewer)})
	}
	if len(p.Filters[search.FacetLang]) > 0 {
		every := p.values()
		every.Del(search.FacetLang)
		out = append(out, advice{Label: v.T("advice.languages"), URL: searchURL(every)})
	}
	if len(p.Filters) > 0 && !(len(p.Filters) == 1 && len(p.Filters[search.FacetLang]) > 0) || p.Doc != "" {
		out = append(out, advice{Label: v.T("advice.filters"), URL: searchURL(url.Values{"q": {p.Q}})})
	}
	return out
}

// related lists the sections related to one section, for its document's
// page. The page is worth more than the list: a failure is logged and the
// page shown without it.
func (s *Server) related(c echo.Context, docID, sectionID string) []relatedView {
	hits, err := s.search.Related(c.Request().Context(), docID, sectionID, s.levels(c), maxRelated)
	if err != nil {
		s.log.Warn("related_failed", "request_id", requestID(c), "doc_id", docID, "err", err)
		return nil
	}
	out := make([]relatedView, 0, len(hits))
	for _, h := range hits {
		out = append(out, relatedView{Hit: h, URL: sectionURL(h.DocID, h.SectionID), Superseded: h.Status == content.StatusSuperseded})
	}
	return out
}
