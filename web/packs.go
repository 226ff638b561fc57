package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"handbook/content"
	"handbook/content/compare"
	"handbook/content/packs"
	"handbook/content/store"
	"handbook/search"
)

// PackStore is what the web layer needs from the course-pack store.
type PackStore interface {
	Create(ctx context.Context, owner string, in store.PackInput) (*store.Pack, error)
	List(ctx context.Context, owner string) ([]store.Pack, error)
	Get(ctx context.Context, owner, id string) (*store.Pack, error)
	Update(ctx context.Context, owner, id string, version int, in store.PackInput) (*store.Pack, error)
	Delete(ctx context.Context, owner, id string) error
	Duplicate(ctx context.Context, owner, id, title string) (*store.Pack, error)
	AddItem(ctx context.Context, owner, packID string, in store.ItemInput) (*store.Item, error)
	UpdateItem(ctx context.Context, owner, packID, itemID string, p store.ItemPatch) (*store.Item, error)
	RemoveItem(ctx context.Context, owner, packID, itemID string) error
}

// maxJSONBody bounds a JSON request body on the pack API.
const maxJSONBody = 64 << 10

// sections resolves cited sections from the index as the caller may see
// them, reading each document once per request.
type sections struct {
	search  Searcher
	library Library // nil without one
	levels  []string
	docs    map[string]*search.DocumentView
}

func (s *Server) sectionsFor(c echo.Context) *sections {
	return &sections{search: s.search, library: s.opts.Library, levels: s.levels(c), docs: map[string]*search.DocumentView{}}
}

func (src *sections) Section(ctx context.Context, docID, sectionID string) (store.Section, error) {
	dv, ok := src.docs[docID]
	if !ok {
		var err error
		dv, err = src.search.Document(ctx, docID, src.levels)
		if errors.Is(err, search.ErrNotFound) {
			dv = nil
		} else if err != nil {
			return store.Section{}, err
		}
		src.docs[docID] = dv
	}
	if dv == nil {
		// A document an editor withdrew, at a level the viewer may see:
		// the pack keeps the text it cited.
		if src.library != nil {
			if d, ok := src.library.Withdrawn(docID); ok && slices.Contains(src.levels, d.Level) {
				return store.Section{}, packs.ErrWithdrawn
			}
		}
		return store.Section{}, packs.ErrNoDocument
	}
	for _, sec := range dv.Sections {
		if sec.ID == sectionID {
			return cited(&dv.Document, &sec), nil
		}
	}
	return store.Section{}, packs.ErrNoSection
}

func cited(d *content.Document, s *content.Section) store.Section {
	return store.Section{
		DocTitle: d.Title, Org: d.Organizations, Edition: d.Edition, Year: d.Year, Lang: d.Language, Level: d.Level,
		Number: s.Number, Heading: s.Heading, Path: s.Path, Page: s.Page, PageEnd: s.PageEnd, Text: s.Text,
	}
}

// addItem adds a section the caller may see to a pack. It warns (a
// sentence for the API's caller) when the section's handling level is above
// that of every other item of the pack, public for an empty pack: the
// pack's exports are then marked with the new, higher level.
func (s *Server) addItem(c echo.Context, packID string, in store.ItemInput) (*store.Item, string, error) {
	ctx, user, src := c.Request().Context(), s.identify(c).User, s.sectionsFor(c)
	sec, err := src.Section(ctx, in.DocID, in.SectionID)
	if errors.Is(err, packs.ErrNoDocument) || errors.Is(err, packs.ErrNoSection) || errors.Is(err, packs.ErrWithdrawn) {
		return nil, "", httpError(http.StatusNotFound, "err.nosection")
	}
	if err != nil {
		return nil, "", err
	}
	// The pack's level as its exports have it: checked against the index
	// (not shown, so not a read to audit).
	p, err := s.packs.Get(ctx, user, packID)
	if err != nil {
		return nil, "", err
	}
	if err := packs.Check(ctx, p, src); err != nil {
		return nil, "", err
	}
	in.Cited = sec
	it, err := s.packs.AddItem(ctx, user, packID, in)
	if err != nil {
		return nil, "", err
	}
	warning := ""
	if packs.Rank(sec.Level) > packs.Rank(packs.Level(p)) {
		warning = fmt.Sprintf("This section is %s, above every other section of the pack: the pack's exports are now marked %s.", sec.Level, packs.Marking(sec.Level))
	}
	return it, warning, nil
}

// raised returns the level of item itemID of p when it is above that of
// every other item whose text p shows, "" otherwise: the item raised the
// pack's marking when it was added.
func raised(p *store.Pack, itemID string) string {
	others := &store.Pack{}
	level := ""
	for _, it := range p.Items {
		switch {
		case it.ID != itemID:
			others.Items = append(others.Items, it)
		case it.Status != packs.StatusUnavailable:
			level = it.Cited.Level
		}
	}
	if level == "" || packs.Rank(level) <= packs.Rank(packs.Level(others)) {
		return ""
	}
	return level
}

// bindJSON decodes a bounded JSON body, refusing other content types (so a
// cross-site form cannot call the API).
func bindJSON(c echo.Context, dst any) error {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if ct != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send JSON with Content-Type: application/json")
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxJSONBody)
	if err := jsonDecode(c.Request().Body, dst); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the request body is not valid JSON for this call: "+err.Error())
	}
	return nil
}

// --- JSON API ---

func (s *Server) apiPackCreate(c echo.Context) error {
	var in store.PackInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.packs.Create(c.Request().Context(), s.identify(c).User, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (s *Server) apiPackList(c echo.Context) error {
	list, err := s.packs.List(c.Request().Context(), s.identify(c).User)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"packs": list})
}

func (s *Server) apiPackGet(c echo.Context) error {
	p, err := s.readPack(c, c.Param("id"), store.ActionRead)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiPackUpdate(c echo.Context) error {
	var in struct {
		store.PackInput
		Version int `json:"version"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.packs.Update(c.Request().Context(), s.identify(c).User, c.Param("id"), in.Version, in.PackInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiPackDelete(c echo.Context) error {
	if err := s.packs.Delete(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiPackDuplicate(c echo.Context) error {
	var in struct {
		Title string `json:"title"`
	}
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	p, err := s.packs.Duplicate(c.Request().Context(), s.identify(c).User, c.Param("id"), in.Title)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (s *Server) apiItemAdd(c echo.Context) error {
	var in store.ItemInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	it, warning, err := s.addItem(c, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, addedItem{Item: it, Warning: warning})
}

// addedItem is the answer to POST /api/packs/{id}/items: the item, and a
// warning when its level raised the pack's marking.
type addedItem struct {
	*store.Item
	Warning string `json:"warning,omitempty"`
}

// itemPatch is the body of PATCH /api/packs/{id}/items/{item}.
type itemPatch struct {
	store.ItemPatch
	// AcceptCurrent replaces the cited text with what the index holds now.
	AcceptCurrent bool `json:"accept_current"`
}

func (s *Server) apiItemUpdate(c echo.Context) error {
	var in itemPatch
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	it, err := s.updateItem(c, c.Param("id"), c.Param("item"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, it)
}

func (s *Server) updateItem(c echo.Context, packID, itemID string, in itemPatch) (*store.Item, error) {
	if in.AcceptCurrent {
		p, err := s.packs.Get(c.Request().Context(), s.identify(c).User, packID)
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items {
			if it.ID == itemID {
				sec, err := s.sectionsFor(c).Section(c.Request().Context(), it.DocID, it.SectionID)
				if err != nil {
					return nil, httpError(http.StatusConflict, "err.noaccept")
				}
				in.Cited = &sec
			}
		}
	}
	return s.packs.UpdateItem(c.Request().Context(), s.identify(c).User, packID, itemID, in.ItemPatch)
}

func (s *Server) apiItemDelete(c echo.Context) error {
	if err := s.packs.RemoveItem(c.Request().Context(), s.identify(c).User, c.Param("id"), c.Param("item")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiPackExport is GET /api/packs/{id}/export?format=md|html|docx|pdf.
func (s *Server) apiPackExport(c echo.Context) error {
	format := c.QueryParam("format")
	f, ok := packs.Formats[format]
	if !ok {
		return &search.QueryError{Msg: "format must be md, html, docx or pdf", Pos: -1, Code: "export.pack"}
	}
	p, err := s.readPack(c, c.Param("id"), store.ActionExport)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := packs.Export(&buf, p, format, packs.ExportOptions{Link: s.permalink(c), Now: time.Now(), Lang: s.uiLanguage(c)}); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": fileName(p.Title) + f.Ext}))
	if format == packs.FormatHTML {
		// The export is a standalone page with its own print stylesheet.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	}
	return c.Blob(http.StatusOK, f.MediaType, buf.Bytes())
}

func fileName(title string) string {
	n := content.Slug(title)
	if n == "" {
		n = "course-pack"
	}
	return n
}

// --- pages ---

type packsPage struct {
	page
	Packs []store.Pack
}

func (s *Server) packsList(c echo.Context) error {
	list, err := s.packs.List(c.Request().Context(), s.identify(c).User)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "packs", packsPage{page: s.basePage(c, translate(s.uiLanguage(c), "packs.title")), Packs: list})
}

func (s *Server) packsCreate(c echo.Context) error {
	title, desc := c.FormValue("title"), c.FormValue("description")
	aud, obj := c.FormValue("audience"), strings.Split(c.FormValue("objectives"), "\n")
	p, err := s.packs.Create(c.Request().Context(), s.identify(c).User, store.PackInput{Title: &title, Description: &desc, Audience: &aud, Objectives: &obj})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, packURL(p.ID, ""))
}

type packPage struct {
	page
	Pack   *store.Pack
	Groups []packGroup
	Counts map[string]int
	// Marking is what the pack's exports are marked with, "" for public.
	Marking string
	// Raised is the marking of the section just added (?added=item) when
	// it is above every other section's: the page warns of it.
	Raised string
	// ItemConflict and PackConflict hold what was typed in a form sent
	// from a page older than the pack (a stale version): the page shows it
	// again in its fields, beside the value saved since.
	ItemConflict *itemConflict
	PackConflict *packConflict
}

// packConflict is the pack's fields as typed in a stale form.
type packConflict struct {
	Title, Description, Audience, Objectives string
}

// itemConflict is an item's note and heading as typed in a stale form.
type itemConflict struct {
	ItemID, Note, Group string
}

type packGroup struct {
	Heading string
	Items   []packItemView
}

type packItemView struct {
	store.Item
	Body      any
	Pages     string
	Last      bool
	URL       string
	Objective string
	// Conflict is what was typed for this item in a stale form.
	Conflict *itemConflict
	// Diff is the word diff of the cited text to the current one, for an
	// item whose section changed since it was cited.
	Diff template.HTML
	// CompareURL is the comparison of the cited document with the edition
	// that supersedes it, at the cited section, when the caller may see it.
	CompareURL string
}

func (s *Server) packShow(c echo.Context) error {
	return s.renderPack(c, http.StatusOK, nil, nil)
}

// renderPack renders the pack page with status; a conflict (an item's or
// the pack's fields, as typed) is shown in its form with what is saved.
func (s *Server) renderPack(c echo.Context, status int, ic *itemConflict, pc *packConflict) error {
	p, err := s.readPack(c, c.Param("id"), store.ActionRead)
	if err != nil {
		return err
	}
	v := packPage{page: s.basePage(c, p.Title), Pack: p, Counts: map[string]int{}, Marking: packs.Marking(packs.Level(p)), ItemConflict: ic, PackConflict: pc}
	if added := c.QueryParam("added"); added != "" {
		v.Raised = packs.Marking(raised(p, added))
	}
	// A heading appears once: its items are gathered under its first
	// appearance (the page keeps groups together when it moves items, but a
	// pack edited through the API may have them apart).
	groupAt := map[string]int{}
	catalog := map[string]*content.Document{}
	for _, d := range s.search.Catalog(s.levels(c)) {
		catalog[d.ID] = d
	}
	for i, it := range p.Items {
		gi, ok := groupAt[it.Group]
		if !ok {
			gi = len(v.Groups)
			groupAt[it.Group] = gi
			v.Groups = append(v.Groups, packGroup{Heading: it.Group})
		}
		v.Counts[it.Status]++
		iv := packItemView{Item: it, Body: renderText(it.Cited.Text), Pages: packs.PagesIn(v.Lang, it.Cited.Page, it.Cited.PageEnd),
			Last: i == len(p.Items)-1, URL: sectionURL(it.DocID, it.SectionID)}
		if ic != nil && ic.ItemID == it.ID {
			iv.Conflict = ic
		}
		if it.Status == packs.StatusChanged && it.Current != nil {
			iv.Diff = renderDiff(compare.Words(it.Cited.Text, it.Current.Text, compare.DefaultDiffTimeout))
		}
		if d := catalog[it.DocID]; it.Status != packs.StatusUnavailable && d != nil && d.SupersededBy != "" && catalog[d.SupersededBy] != nil {
			iv.CompareURL = compareURL(d.ID, d.SupersededBy, it.SectionID)
		}
		v.Groups[gi].Items = append(v.Groups[gi].Items, iv)
	}
	return s.render(c, status, "pack", v)
}

func (s *Server) packEdit(c echo.Context) error {
	title, desc := c.FormValue("title"), c.FormValue("description")
	aud, obj := c.FormValue("audience"), strings.Split(c.FormValue("objectives"), "\n")
	version, _ := strconv.Atoi(c.FormValue("version"))
	in := store.PackInput{Title: &title, Description: &desc, Audience: &aud, Objectives: &obj}
	p, err := s.packs.Update(c.Request().Context(), s.identify(c).User, c.Param("id"), version, in)
	if errors.Is(err, store.ErrConflict) {
		// Sent from a page older than the pack: keep what was typed.
		return s.renderPack(c, http.StatusConflict, nil, &packConflict{Title: title, Description: desc, Audience: aud, Objectives: c.FormValue("objectives")})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, packURL(p.ID, ""))
}

func (s *Server) packDuplicate(c echo.Context) error {
	title := "" // the store's: "Title (copy)"
	if lang := s.uiLanguage(c); lang != "en" {
		src, err := s.packs.Get(c.Request().Context(), s.identify(c).User, c.Param("id"))
		if err != nil {
			return err
		}
		title = translate(lang, "pack.copytitle", src.Title)
	}
	p, err := s.packs.Duplicate(c.Request().Context(), s.identify(c).User, c.Param("id"), title)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, packURL(p.ID, ""))
}

type confirmPage struct {
	page
	Pack *store.Pack
}

func (s *Server) packDeleteConfirm(c echo.Context) error {
	p, err := s.packs.Get(c.Request().Context(), s.identify(c).User, c.Param("id"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "pack_delete", confirmPage{page: s.basePage(c, translate(s.uiLanguage(c), "title.delete", p.Title)), Pack: p})
}

func (s *Server) packDelete(c echo.Context) error {
	if err := s.packs.Delete(c.Request().Context(), s.identify(c).User, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/packs")
}

// packItemAction is POST /packs/{id}/items/{item} with action up, down,
// save (note and group), accept (the current text) or remove.
//
// Items of one heading stay together: an item given another heading moves
// to the end of that heading's items (to the end of the pack for a new
// heading), and Up on the first item of a heading (Down on the last) moves
// it into the heading before (after) instead of among its items.
func (s *Server) packItemAction(c echo.Context) error {
	packID, itemID := c.Param("id"), c.Param("item")
	back := packURL(packID, itemID)
	version, _ := strconv.Atoi(c.FormValue("version"))
	var in itemPatch
	action := c.FormValue("action")
	switch action {
	case "up", "down", "save":
		p, err := s.packs.Get(c.Request().Context(), s.identify(c).User, packID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(p.Items, func(it store.Item) bool { return it.ID == itemID })
		if i < 0 {
			return store.ErrNotFound
		}
		if action == "save" {
			note, group := c.FormValue("note"), c.FormValue("group")
			in.Note, in.Group, in.Version = &note, &group, version
			if to, ok := groupEnd(p.Items, i, strings.TrimSpace(group)); ok {
				in.Position = &to
			}
			break
		}
		j := i - 1
		if action == "down" {
			j = i + 1
		}
		if j < 0 || j >= len(p.Items) {
			return c.Redirect(http.StatusSeeOther, back)
		}
		if p.Items[j].Group != p.Items[i].Group {
			in.Group = &p.Items[j].Group // join the neighbouring heading, in place
		} else {
			in.Position = &p.Items[j].Position
		}
	case "accept":
		in.AcceptCurrent = true
	case "remove":
		if err := s.packs.RemoveItem(c.Request().Context(), s.identify(c).User, packID, itemID); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, packURL(packID, ""))
	default:
		return httpError(http.StatusBadRequest, "err.action")
	}
	_, err := s.updateItem(c, packID, itemID, in)
	if errors.Is(err, store.ErrConflict) && action == "save" {
		// Sent from a page older than the item: keep what was typed.
		return s.renderPack(c, http.StatusConflict, &itemConflict{ItemID: itemID, Note: *in.Note, Group: *in.Group}, nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// groupEnd is the position item i of items (in order) moves to when its
// heading becomes group: after the last other item of that heading, or the
// end of the pack when no other item has it. ok is false when the heading
// does not change.
func groupEnd(items []store.Item, i int, group string) (to int, ok bool) {
	if items[i].Group == group {
		return 0, false
	}
	last := -1
	for k, it := range items {
		if k != i && it.Group == group {
			last = k
		}
	}
	if last < 0 {
		return len(items), true
	}
	if last < i {
		return items[last].Position + 1, true
	}
	return items[last].Position, true // the items after i move up by one
}

// addPackView is what the "Add to course pack" form of each search hit
// needs: the caller's packs, the results page to come back to, and the
// section just added from it.
type addPackView struct {
	Packs []store.Pack
	Back  string
	Added *addedNotice
}

// addedNotice confirms, beside its hit, the section just added.
type addedNotice struct {
	DocID, SectionID string
	Pack             *store.Pack
	ItemID           string
	// Raised is the pack's new marking when the section raised it.
	Raised string
}

// Parameters of a results page that name the section just added to a pack
// (packAdd's redirect to back).
const (
	paramAddedPack = "added_pack"
	paramAddedItem = "added_item"
)

// addPackFor returns the add-to-pack form of a results page, nil when the
// caller may not use course packs.
func (s *Server) addPackFor(c echo.Context, v page) (*addPackView, error) {
	if !v.Packs {
		return nil, nil
	}
	ctx, user := c.Request().Context(), s.identify(c).User
	list, err := s.packs.List(ctx, user)
	if err != nil {
		return nil, err
	}
	u := *c.Request().URL
	q := u.Query()
	packID, itemID := q.Get(paramAddedPack), q.Get(paramAddedItem)
	q.Del(paramAddedPack)
	q.Del(paramAddedItem)
	u.RawQuery = q.Encode()
	a := &addPackView{Packs: list, Back: u.RequestURI()}
	if packID == "" || itemID == "" {
		return a, nil
	}
	p, err := s.packs.Get(ctx, user, packID)
	if errors.Is(err, store.ErrNotFound) {
		return a, nil // not the caller's pack: nothing to confirm
	}
	if err != nil {
		return nil, err
	}
	for _, it := range p.Items {
		if it.ID == itemID {
			// Checked against the index for the level it raised to, as
			// the pack page does.
			if err := packs.Check(ctx, p, s.sectionsFor(c)); err != nil {
				return nil, err
			}
			a.Added = &addedNotice{DocID: it.DocID, SectionID: it.SectionID, Pack: p, ItemID: it.ID, Raised: packs.Marking(raised(p, it.ID))}
		}
	}
	return a, nil
}

// addedBack is back, a results page of this site (safeNext), naming the
// item just added to pack, at its notice.
func addedBack(back, packID, itemID string) string {
	u, err := url.Parse(safeNext(back))
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Set(paramAddedPack, packID)
	q.Set(paramAddedItem, itemID)
	u.RawQuery, u.Fragment = q.Encode(), "added"
	return u.String()
}

type addPage struct {
	page
	DocID, SectionID string
	Section          store.Section
	Packs            []store.Pack
}

// packAddForm is GET /packs/add?doc_id=…&section_id=…: choose or create the
// pack to add a section to.
func (s *Server) packAddForm(c echo.Context) error {
	docID, secID := c.QueryParam("doc_id"), c.QueryParam("section_id")
	sec, err := s.sectionsFor(c).Section(c.Request().Context(), docID, secID)
	if err != nil {
		return httpError(http.StatusNotFound, "err.nosection")
	}
	list, err := s.packs.List(c.Request().Context(), s.identify(c).User)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "pack_add", addPage{page: s.basePage(c, translate(s.uiLanguage(c), "add.title")), DocID: docID, SectionID: secID, Section: sec, Packs: list})
}

func (s *Server) packAdd(c echo.Context) error {
	packID := c.FormValue("pack")
	if packID == "" || packID == "new" {
		title := strings.TrimSpace(c.FormValue("new_title"))
		if title == "" {
			title = translate(s.uiLanguage(c), "packs.new")
		}
		p, err := s.packs.Create(c.Request().Context(), s.identify(c).User, store.PackInput{Title: &title})
		if err != nil {
			return err
		}
		packID = p.ID
	}
	it, warning, err := s.addItem(c, packID, store.ItemInput{DocID: c.FormValue("doc_id"), SectionID: c.FormValue("section_id"), Note: c.FormValue("note"), Group: c.FormValue("group")})
	if err != nil {
		return err
	}
	if back := c.FormValue("back"); back != "" {
		// Back to the results the section was added from.
		return c.Redirect(http.StatusSeeOther, addedBack(back, packID, it.ID))
	}
	if warning != "" {
		// The pack's page shows the warning in its own language, from the
		// pack itself: the parameter only names the item just added.
		return c.Redirect(http.StatusSeeOther, "/packs/"+url.PathEscape(packID)+"?added="+url.QueryEscape(it.ID)+"#item-"+url.PathEscape(it.ID))
	}
	return c.Redirect(http.StatusSeeOther, packURL(packID, it.ID))
}

// packErrorKey is the catalogue key of packError's message.
func packErrorKey(err error) string {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "err.nopack"
	case errors.Is(err, store.ErrConflict):
		return "err.conflict"
	}
	// The store's validation messages are English only; pages in other
	// languages say what a pack and an item must be.
	return "err.invalid"
}

func packError(err error) (int, string, bool) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "no such course pack or item", true
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, store.ErrConflict.Error(), true
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest, err.Error(), true
	}
	return 0, "", false
}

// packRoutes registers the course-pack pages and API, each behind mw (the
// trainer-role check).
func (s *Server) packRoutes(echoes *echo.Echo, mw echo.MiddlewareFunc) {
	e := routes{echoes, mw}
	get := func(path string, h echo.HandlerFunc) {
		echoes.Match([]string{http.MethodGet, http.MethodHead}, path, h, mw)
	}
	e.POST("/api/packs", s.apiPackCreate)
	get("/api/packs", s.apiPackList)
	get("/api/packs/:id", s.apiPackGet)
	e.PATCH("/api/packs/:id", s.apiPackUpdate)
	e.DELETE("/api/packs/:id", s.apiPackDelete)
	e.POST("/api/packs/:id/duplicate", s.apiPackDuplicate)
	e.POST("/api/packs/:id/items", s.apiItemAdd)
	e.PATCH("/api/packs/:id/items/:item", s.apiItemUpdate)
	e.DELETE("/api/packs/:id/items/:item", s.apiItemDelete)
	get("/api/packs/:id/export", s.apiPackExport)

	get("/packs", s.packsList)
	e.POST("/packs", s.packsCreate)
	get("/packs/add", s.packAddForm)
	e.POST("/packs/add", s.packAdd)
	get("/packs/:id", s.packShow)
	e.POST("/packs/:id", s.packEdit)
	e.POST("/packs/:id/duplicate", s.packDuplicate)
	get("/packs/:id/delete", s.packDeleteConfirm)
	e.POST("/packs/:id/delete", s.packDelete)
	e.POST("/packs/:id/items/:item", s.packItemAction)
}

// routes registers routes with one route-level middleware.
type routes struct {
	e  *echo.Echo
	mw echo.MiddlewareFunc
}

func (r routes) POST(path string, h echo.HandlerFunc)   { r.e.POST(path, h, r.mw) }
func (r routes) PATCH(path string, h echo.HandlerFunc)  { r.e.PATCH(path, h, r.mw) }
func (r routes) DELETE(path string, h echo.HandlerFunc) { r.e.DELETE(path, h, r.mw) }
