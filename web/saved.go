package web

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/store"
	"handbook/search"
)

// Saved searches that say what is new. A signed-in user saves a search (its
// query and filters, as the results page's URL parameters) from the results
// page or POST /api/saved-searches. The sections it matches then are
// remembered; after each re-index (IndexSwapped) every saved search runs
// again on the new index with its owner's handling levels, and the sections
// it matches now and did not before are its news: "3 new" on
// /saved-searches, and the entries of its Atom feed, /feeds/{token}.atom,
// read with a personal token instead of a session. Every section a feed
// lists is looked up again, when the feed is read, with the levels of the
// feed's owner (not of whoever holds the link).

// SectionSearcher is what a check of the saved searches needs of an index.
type SectionSearcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
}

// savedChecks serializes the checks after re-indexing.
var savedChecks sync.Mutex

// IndexSwapped is the hook the server is told of a new index by (watch
// mode, a replica's new snapshot, and once at start): every saved search is
// checked against idx, whose identity indexID (a fingerprint or snapshot id)
// lets replicas sharing the store check each saved search once. It returns
// the sections found new, over all saved searches.
func (s *Server) IndexSwapped(ctx context.Context, idx SectionSearcher, indexID string) (int, error) {
	s.indexID.Store(indexID)
	if s.saved == nil {
		return 0, nil
	}
	savedChecks.Lock()
	defer savedChecks.Unlock()
	all, err := s.saved.AllSavedSearches(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, v := range all {
		if v.IndexID == indexID && indexID != "" {
			continue
		}
		levels := s.ownerLevels(&v)
		if levels == nil {
			continue
		}
		matches, err := s.matching(ctx, idx, v.Params, levels)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n, err := s.saved.Check(ctx, v.ID, indexID, matches, time.Now())
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			errs = append(errs, err)
		}
		total += n
	}
	s.metrics.savedNews.Add(float64(total))
	s.log.Info("saved_searches_checked", "saved_searches", len(all), "new_sections", total, "index", indexID, "failed", len(errs))
	return total, errors.Join(errs...)
}

// ownerLevels are the handling levels of a saved search's owner now: what
// the auth file grants them, or, for a sign-on proxy's user, the levels they
// had when last seen. Nil when the owner is gone.
func (s *Server) ownerLevels(v *store.SavedSearch) []string {
	if g, ok := s.auth.UserGrant(v.Owner); ok {
		return g.Levels
	}
	if s.auth.HasProxy() && len(v.Levels) > 0 {
		return v.Levels
	}
	return nil
}

// matching lists the sections the search params finds at levels, up to
// store.MaxMatches.
func (s *Server) matching(ctx context.Context, idx SectionSearcher, params string, levels []string) ([]store.SectionRef, error) {
	v, err := url.ParseQuery(params)
	if err != nil {
		return nil, err
	}
	p, err := parseSearchValues(v, len(params))
	if err != nil {
		return nil, err
	}
	q := p.query(levels)
	q.Size = search.MaxPageSize
	var out []store.SectionRef
	for q.Page = 1; q.Page*q.Size <= min(search.MaxWindow, store.MaxMatches); q.Page++ {
		res, err := idx.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			out = append(out, store.SectionRef{DocID: h.DocID, SectionID: h.SectionID})
		}
		if len(res.Hits) < q.Size || uint64(len(out)) >= res.Total {
			break
		}
	}
	return out, nil
}

func (s *Server) currentIndex() string {
	id, _ := s.indexID.Load().(string)
	return id
}

// requireSignedIn refuses anonymous callers: saved searches are a user's.
func (s *Server) requireSignedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := s.identify(c)
		if id.Anonymous() {
			return httpError(http.StatusForbidden, "err.saved.signin")
		}
		// Keep the owner's levels for their feeds (a proxy's users).
		if s.auth.HasProxy() {
			if err := s.saved.RememberLevels(c.Request().Context(), id.User, id.Levels); err != nil {
				s.log.Warn("remember_levels_failed", "request_id", requestID(c), "err", err)
			}
		}
		return next(c)
	}
}

func (s *Server) savedRoutes(e *echo.Echo) {
	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, "/saved-searches", s.savedPage, s.requireSignedIn)
	e.POST("/saved-searches", s.savedCreateForm, s.requireSignedIn)
	e.POST("/saved-searches/:id/delete", s.savedDeleteForm, s.requireSignedIn)
	e.POST("/saved-searches/:id/seen", s.savedSeenForm, s.requireSignedIn)
	e.POST("/saved-searches/:id/feed", s.savedFeedForm, s.requireSignedIn)
	e.POST("/saved-searches/:id/feed/revoke", s.savedRevokeForm, s.requireSignedIn)
	e.Match(get, "/api/saved-searches", s.apiSavedList, s.requireSignedIn)
	e.POST("/api/saved-searches", s.apiSavedCreate, s.requireSignedIn)
	e.GET("/api/saved-searches/:id", s.apiSavedGet, s.requireSignedIn)
	e.DELETE("/api/saved-searches/:id", s.apiSavedDelete, s.requireSignedIn)
	e.POST("/api/saved-searches/:id/feed", s.apiSavedFeed, s.requireSignedIn)
	e.DELETE("/api/saved-searches/:id/feed", s.apiSavedRevoke, s.requireSignedIn)
	e.Match(get, "/feeds/:file", s.feed)
}

// savedError maps the store's errors: a saved search of someone else's is
// one that does not exist.
func savedError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return search.ErrNotFound
	case errors.Is(err, store.ErrInvalid):
		return httpError(http.StatusBadRequest, "err.saved.invalid", strings.TrimPrefix(err.Error(), "invalid: "))
	}
	return err
}

// create saves the search params (URL parameters of the results page)
// under name for the caller, with what it matches now.
func (s *Server) createSaved(c echo.Context, name, params string) (*store.SavedSearch, error) {
	v, err := url.ParseQuery(params)
	if err != nil {
		return nil, httpError(http.StatusBadRequest, "err.saved.params")
	}
	p, err := parseSearchValues(v, len(params))
	if err != nil {
		return nil, err
	}
	if p.Q == "" && len(p.Filters) == 0 {
		return nil, httpError(http.StatusBadRequest, "err.saved.empty")
	}
	canonical := p.values().Encode()
	if strings.TrimSpace(name) == "" {
		name = p.Q
		if name == "" {
			name = canonical
		}
		if r := []rune(name); len(r) > store.MaxSavedName {
			name = string(r[:store.MaxSavedName])
		}
	}
	id := s.identify(c)
	matches, err := s.matching(c.Request().Context(), s.search, canonical, id.Levels)
	if err != nil {
		return nil, err
	}
	saved, err := s.saved.SaveSearch(c.Request().Context(), id.User, name, canonical, id.Levels, s.currentIndex(), matches)
	return saved, savedError(err)
}

// savedItem is a saved search as the page and the API show it.
type savedItem struct {
	store.SavedSearch
	URL  string     `json:"url"` // the results page
	News []newsItem `json:"news"`
	// FeedURL is set once, right after a new feed token was made.
	FeedURL string `json:"feed_url,omitempty"`
}

// newsItem is a new section, as the caller may see it now.
type newsItem struct {
	DocID     string    `json:"doc_id"`
	SectionID string    `json:"section_id"`
	Title     string    `json:"title"`   // the document's
	Section   string    `json:"section"` // number and heading
	URL       string    `json:"url"`
	Found     time.Time `json:"found"`
}

// maxNewsShown bounds the news listed per saved search on the page.
const maxNewsShown = 10

// news lists saved search v's new sections that levels may see, newest
// first, at most limit, each with its document and heading from the index.
func (s *Server) news(ctx context.Context, v *store.SavedSearch, levels []string, limit int) ([]newsItem, []*content.Document, error) {
	raw, err := s.saved.News(ctx, v.ID, store.MaxNews)
	if err != nil {
		return nil, nil, err
	}
	out := []newsItem{}
	var docs []*content.Document
	views := map[string]*search.DocumentView{}
	for _, n := range raw {
		if len(out) >= limit {
			break
		}
		dv, seen := views[n.DocID]
		if !seen {
			dv, err = s.search.Document(ctx, n.DocID, levels)
			if err != nil && !errors.Is(err, search.ErrNotFound) {
				return nil, nil, err
			}
			views[n.DocID] = dv
		}
		if dv == nil {
			continue // gone, or hidden from these levels
		}
		i := slices.IndexFunc(dv.Sections, func(sec content.Section) bool { return sec.ID == n.SectionID })
		if i < 0 {
			continue
		}
		sec := dv.Sections[i]
		label := sec.Heading
		if sec.Number != "" && !strings.HasPrefix(sec.Heading, sec.Number) {
			label = sec.Number + " " + sec.Heading
		}
		out = append(out, newsItem{DocID: n.DocID, SectionID: n.SectionID, Title: dv.Document.Title, Section: label, URL: sectionURL(n.DocID, n.SectionID), Found: n.Found})
		docs = append(docs, &dv.Document)
	}
	return out, docs, nil
}

func (s *Server) savedItems(c echo.Context) ([]savedItem, error) {
	id := s.identify(c)
	list, err := s.saved.SavedSearches(c.Request().Context(), id.User)
	if err != nil {
		return nil, err
	}
	out := make([]savedItem, 0, len(list))
	for _, v := range list {
		news, docs, err := s.news(c.Request().Context(), &v, id.Levels, maxNewsShown)
		if err != nil {
			return nil, err
		}
		read := map[string]bool{}
		for _, d := range docs {
			if !read[d.ID] {
				read[d.ID] = true
				s.auditRead(c, d)
			}
		}
		out = append(out, savedItem{SavedSearch: v, URL: "/search?" + v.Params, News: news})
	}
	return out, nil
}

type savedView struct {
	page
	Saved []savedItem
	// Made is the saved search just given a feed address, shown once.
	Made string
}

// savedPage is GET /saved-searches.
func (s *Server) savedPage(c echo.Context) error {
	return s.renderSaved(c, "", "")
}

func (s *Server) renderSaved(c echo.Context, madeID, feedURL string) error {
	items, err := s.savedItems(c)
	if err != nil {
		return err
	}
	for i := range items {
		if items[i].ID == madeID {
			items[i].FeedURL = feedURL
		}
	}
	v := savedView{page: s.basePage(c, translate(s.uiLanguage(c), "saved.title")), Saved: items, Made: madeID}
	return s.render(c, http.StatusOK, "saved", v)
}

// savedCreateForm is POST /saved-searches from the results page: name and
// the search's parameters as the form's fields.
func (s *Server) savedCreateForm(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	params := url.Values{}
	for k, vs := range form {
		if k != "_csrf" && k != "name" {
			params[k] = vs
		}
	}
	v, err := s.createSaved(c, form.Get("name"), params.Encode())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/saved-searches#saved-"+url.PathEscape(v.ID))
}

func (s *Server) savedDeleteForm(c echo.Context) error {
	if err := s.saved.DeleteSavedSearch(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return savedError(err)
	}
	return c.Redirect(http.StatusSeeOther, "/saved-searches")
}

func (s *Server) savedSeenForm(c echo.Context) error {
	if err := s.saved.MarkSeen(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return savedError(err)
	}
	return c.Redirect(http.StatusSeeOther, "/saved-searches#saved-"+url.PathEscape(c.Param("id")))
}

// savedFeedForm makes a new feed address and shows it, once, on the page
// (the store keeps only its hash): the answer to the POST, not a redirect,
// so the token is in no URL before the user copies it.
func (s *Server) savedFeedForm(c echo.Context) error {
	tok, err := s.saved.NewFeedToken(c.Request().Context(), s.identify(c).User, c.Param("id"))
	if err != nil {
		return savedError(err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderSaved(c, c.Param("id"), s.feedURL(c, tok))
}

func (s *Server) savedRevokeForm(c echo.Context) error {
	if err := s.saved.RevokeFeed(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return savedError(err)
	}
	return c.Redirect(http.StatusSeeOther, "/saved-searches#saved-"+url.PathEscape(c.Param("id")))
}

func (s *Server) feedURL(c echo.Context, token string) string {
	return s.baseURL(c) + "/feeds/" + token + ".atom"
}

// apiSavedList is GET /api/saved-searches.
func (s *Server) apiSavedList(c echo.Context) error {
	items, err := s.savedItems(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"saved_searches": items})
}

// apiSavedCreate is POST /api/saved-searches {"name", "params"}: 201 with
// the saved search and its feed address (shown this once).
func (s *Server) apiSavedCreate(c echo.Context) error {
	var in struct {
		Name   string `json:"name"`
		Params string `json:"params"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.createSaved(c, in.Name, strings.TrimPrefix(in.Params, "?"))
	if err != nil {
		return err
	}
	tok, err := s.saved.NewFeedToken(c.Request().Context(), v.Owner, v.ID)
	if err != nil {
		return err
	}
	v.HasFeed = true
	return c.JSON(http.StatusCreated, savedItem{SavedSearch: *v, URL: "/search?" + v.Params, News: []newsItem{}, FeedURL: s.feedURL(c, tok)})
}

// apiSavedGet is GET /api/saved-searches/{id}, with its news.
func (s *Server) apiSavedGet(c echo.Context) error {
	id := s.identify(c)
	v, err := s.saved.SavedSearch(c.Request().Context(), id.User, c.Param("id"))
	if err != nil {
		return savedError(err)
	}
	items, err := s.savedItems(c)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID == v.ID {
			return c.JSON(http.StatusOK, it)
		}
	}
	return search.ErrNotFound
}

func (s *Server) apiSavedDelete(c echo.Context) error {
	if err := s.saved.DeleteSavedSearch(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return savedError(err)
	}
	return c.NoContent(http.StatusNoContent)
}

// apiSavedFeed is POST /api/saved-searches/{id}/feed: a new feed address;
// the previous one stops working.
func (s *Server) apiSavedFeed(c echo.Context) error {
	tok, err := s.saved.NewFeedToken(c.Request().Context(), s.identify(c).User, c.Param("id"))
	if err != nil {
		return savedError(err)
	}
	return c.JSON(http.StatusOK, map[string]string{"feed_url": s.feedURL(c, tok)})
}

func (s *Server) apiSavedRevoke(c echo.Context) error {
	if err := s.saved.RevokeFeed(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return savedError(err)
	}
	return c.NoContent(http.StatusNoContent)
}

// The Atom feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// maxFeedEntries bounds a feed.
const maxFeedEntries = 50

// feed is GET /feeds/{token}.atom: the new sections of the saved search
// whose feed token it is, as its owner may see them now. No session needed;
// a token that is not (or no longer) valid is a 404.
func (s *Server) feed(c echo.Context) error {
	tok, ok := strings.CutSuffix(c.Param("file"), ".atom")
	if !ok || tok == "" {
		return search.ErrNotFound
	}
	ctx := c.Request().Context()
	v, err := s.saved.SavedSearchByFeed(ctx, tok)
	if err != nil {
		return savedError(err)
	}
	levels := s.ownerLevels(v)
	if levels == nil {
		return search.ErrNotFound
	}
	news, docs, err := s.news(ctx, v, levels, maxFeedEntries)
	if err != nil {
		return err
	}
	var entries []store.Entry
	for i, d := range docs {
		if d.Level != content.LevelPublic {
			entries = append(entries, store.Entry{User: v.Owner, Via: "feed", Action: store.ActionRead, DocID: d.ID, SectionID: news[i].SectionID, Level: d.Level, RequestID: requestID(c)})
		}
	}
	if s.audit != nil && len(entries) > 0 {
		if err := s.audit.Record(ctx, entries...); err != nil {
			return err
		}
	}
	lang := s.uiLanguage(c)
	base := s.baseURL(c)
	updated := v.Created
	for _, n := range news {
		if n.Found.After(updated) {
			updated = n.Found
		}
	}
	f := atomFeed{
		Lang:    lang,
		ID:      base + "/saved-searches#saved-" + v.ID,
		Title:   translate(lang, "feed.title", v.Name),
		Updated: updated.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: "Handbook"},
		Links: []atomLink{
			{Href: s.feedURL(c, tok), Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/search?" + v.Params, Rel: "alternate", Type: "text/html"},
		},
	}
	for _, n := range news {
		link := base + n.URL
		f.Entries = append(f.Entries, atomEntry{
			ID:      link,
			Title:   n.Section,
			Updated: n.Found.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: link, Rel: "alternate", Type: "text/html"},
			Summary: translate(lang, "feed.summary", n.Section, n.Title),
		})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
