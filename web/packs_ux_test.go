package web_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"handbook/content/store"
)

// browserTab is a client of e's router that keeps its cookies (the CSRF
// token's, the interface language's) and the last form token it was given,
// as a browser tab does.
type browserTab struct {
	e       *packEnv
	lang    string
	cookies map[string]*http.Cookie
	token   string
}

func newTab(e *packEnv, lang string) *browserTab {
	return &browserTab{e: e, lang: lang, cookies: map[string]*http.Cookie{}}
}

func (b *browserTab) send(req *http.Request) *httptest.ResponseRecorder {
	b.e.t.Helper()
	req.Header.Set("Accept-Language", b.lang)
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.e.handler.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		b.cookies[c.Name] = c
	}
	if m := csrfField.FindStringSubmatch(rec.Body.String()); m != nil {
		b.token = m[1]
	}
	return rec
}

func (b *browserTab) get(target string) *httptest.ResponseRecorder {
	b.e.t.Helper()
	return b.send(httptest.NewRequest("GET", target, nil))
}

// post sends a form with the tab's CSRF token.
func (b *browserTab) post(target string, v url.Values) *httptest.ResponseRecorder {
	b.e.t.Helper()
	if b.token == "" {
		b.get("/packs")
	}
	v.Set("_csrf", b.token)
	req := httptest.NewRequest("POST", target, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// fieldValue is the value of a hidden or text input named name in a form
// whose action is action.
func fieldValue(t *testing.T, page, action, name string) string {
	t.Helper()
	i := strings.Index(page, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form to %s", action)
	}
	form, _, _ := strings.Cut(page[i:], "</form>")
	m := regexp.MustCompile(`name="` + name + `"[^>]*value="([^"]*)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("form to %s has no %s field", action, name)
	}
	return html.UnescapeString(m[1])
}

func TestAddToPackFromResults(t *testing.T) {
	for _, tc := range []struct {
		lang, newPack, button, added, open string
	}{
		{"en", "New course pack", "Add to a new course pack", "Added to “%s”.", "Open the pack"},
		{"fr", "Nouveau dossier de formation", "Ajouter à un nouveau dossier de formation", "Ajouté au dossier «\u202f%s\u202f».", "Ouvrir le dossier"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newPackEnv(t)
			tab := newTab(e, tc.lang)
			results := "/search?q=container&topic=risk+management&view=compact"
			page := tab.get(results).Body.String()
			if !strings.Contains(page, `<form method="post" action="/packs/add" class="addpack"`) {
				t.Fatalf("a hit has no add-to-pack form:\n%s", page)
			}
			if !strings.Contains(page, tc.button) || !strings.Contains(page, `<input type="hidden" name="pack" value="new">`) {
				t.Errorf("without packs, the form does not offer a new pack (%q)", tc.button)
			}
			back := fieldValue(t, page, "/packs/add", "back")
			if back != results {
				t.Errorf("back = %q, want %q", back, results)
			}
			// The page of details stays.
			if !strings.Contains(page, "/packs/add?doc_id=port&amp;section_id=2-container-selection") {
				t.Error("the hit lost its link to /packs/add")
			}

			rec := tab.post("/packs/add", url.Values{"doc_id": {"port"}, "section_id": {"2-container-selection"}, "pack": {"new"}, "back": {back}})
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/search?") || !strings.HasSuffix(loc, "#added") {
				t.Fatalf("POST /packs/add = %d to %q, want a 303 back to the results", rec.Code, loc)
			}
			u, _ := url.Parse(loc)
			q := u.Query()
			if q.Get("q") != "container" || q.Get("topic") != "risk management" || q.Get("view") != "compact" {
				t.Errorf("back at %s: the query, filter or view was lost", loc)
			}
			list := decode[struct{ Packs []store.Pack }](t, e.do("GET", "/api/packs", nil), http.StatusOK).Packs
			if len(list) != 1 || list[0].Title != tc.newPack || list[0].ItemCount != 1 {
				t.Fatalf("packs after adding: %+v", list)
			}
			p := decode[store.Pack](t, e.do("GET", "/api/packs/"+list[0].ID, nil), http.StatusOK)

			page = tab.get(loc).Body.String()
			notice := strings.ReplaceAll(tc.added, "%s", tc.newPack)
			link := `<a href="/packs/` + p.ID + `#item-` + p.Items[0].ID + `">` + tc.open + `</a>`
			if !strings.Contains(page, `id="added"`) || !strings.Contains(html.UnescapeString(page), notice) || !strings.Contains(page, link) {
				t.Errorf("the results do not confirm the addition (%q, %s)", notice, link)
			}
			if strings.Count(page, `id="added"`) != 1 {
				t.Errorf("the notice is not beside the one hit added")
			}
			// Now that a pack exists, the form offers it.
			if !strings.Contains(page, `<select name="pack"><option value="`+p.ID+`">`+tc.newPack+`</option>`) {
				t.Error("the form does not offer the pack just created")
			}
			// The form's back is the results without the notice.
			if back := fieldValue(t, page, "/packs/add", "back"); strings.Contains(back, "added_") {
				t.Errorf("back %q keeps the notice's parameters", back)
			}
			// Adding another hit to that pack.
			rec = tab.post("/packs/add", url.Values{"doc_id": {"port"}, "section_id": {"1-joint-operations-at-ports"}, "pack": {p.ID}, "back": {results}})
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/search?") {
				t.Errorf("adding to an existing pack = %d %q", rec.Code, rec.Header().Get("Location"))
			}
			if got := decode[store.Pack](t, e.do("GET", "/api/packs/"+p.ID, nil), http.StatusOK); len(got.Items) != 2 {
				t.Errorf("the pack holds %d items, want 2", len(got.Items))
			}
		})
	}
}

// TestAddToPackBackStaysOnSite: back is a path of this site only, checked
// like the sign-in's next.
func TestAddToPackBackStaysOnSite(t *testing.T) {
	e := newPackEnv(t)
	tab := newTab(e, "en")
	for _, back := range []string{"https://evil.example/search?q=x", "//evil.example/search", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"} {
		rec := tab.post("/packs/add", url.Values{"doc_id": {"port"}, "section_id": {"2-container-selection"}, "pack": {"new"}, "back": {back}})
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/?") || strings.Contains(loc, "evil") {
			t.Errorf("back %q: %d to %q, want the start page", back, rec.Code, loc)
		}
	}
	// Without back, the pack page as before.
	rec := tab.post("/packs/add", url.Values{"doc_id": {"port"}, "section_id": {"2-container-selection"}, "pack": {"new"}})
	if !strings.HasPrefix(rec.Header().Get("Location"), "/packs/") {
		t.Errorf("without back: %q", rec.Header().Get("Location"))
	}
	// A notice naming a pack that does not exist says nothing.
	if page := tab.get("/search?q=container&added_pack=nope&added_item=nope").Body.String(); strings.Contains(page, `id="added"`) {
		t.Error("a notice for a pack that does not exist")
	}
}

// groupsOf is the pack's items as group:section, in order.
func groupsOf(t *testing.T, e *packEnv, id string) []string {
	t.Helper()
	var out []string
	for _, it := range decode[store.Pack](t, e.do("GET", "/api/packs/"+id, nil), http.StatusOK).Items {
		out = append(out, it.Group+":"+it.SectionID[:1])
	}
	return out
}

func TestMovingBetweenGroupsKeepsThemTogether(t *testing.T) {
	e := newPackEnv(t)
	tab := newTab(e, "en")
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Ports"}), http.StatusCreated)
	var ids []string
	for _, sec := range []string{"1-joint-operations-at-ports", "2-container-selection", "3-controlled-delivery"} {
		it := decode[store.Item](t, e.do("POST", "/api/packs/"+p.ID+"/items", map[string]any{"doc_id": "port", "section_id": sec, "group": "Morning"}), http.StatusCreated)
		ids = append(ids, it.ID)
	}
	action := func(item, act, group string) {
		t.Helper()
		v := url.Values{"action": {act}}
		if act == "save" {
			v.Set("group", group)
		}
		if rec := tab.post("/packs/"+p.ID+"/items/"+item, v); rec.Code != http.StatusSeeOther {
			t.Fatalf("%s %s = %d %s", act, item, rec.Code, rec.Body)
		}
	}
	steps := []struct {
		name, item, action, group string
		want                      string
	}{
		{"the middle item to a new heading goes to the end", ids[1], "save", "Afternoon", "Morning:1 Morning:3 Afternoon:2"},
		{"the first item to that heading goes to its end", ids[0], "save", "Afternoon", "Morning:3 Afternoon:2 Afternoon:1"},
		{"Up on a heading's first item joins the heading before", ids[1], "up", "", "Morning:3 Morning:2 Afternoon:1"},
		{"Down on a heading's last item joins the heading after", ids[1], "down", "", "Morning:3 Afternoon:2 Afternoon:1"},
		{"Up within a heading reorders", ids[0], "up", "", "Morning:3 Afternoon:1 Afternoon:2"},
		{"back to an earlier heading goes to its end", ids[1], "save", "Morning", "Morning:3 Morning:2 Afternoon:1"},
		{"no heading is a heading too", ids[2], "save", "", "Morning:2 Afternoon:1 :3"},
	}
	for _, s := range steps {
		action(s.item, s.action, s.group)
		if got := strings.Join(groupsOf(t, e, p.ID), " "); got != s.want {
			t.Errorf("%s: order %s, want %s", s.name, got, s.want)
		}
		page := tab.get("/packs/" + p.ID).Body.String()
		for _, h := range []string{"Morning", "Afternoon"} {
			if n := strings.Count(page, "<h2>"+h+"</h2>"); n > 1 {
				t.Errorf("%s: heading %s shown %d times", s.name, h, n)
			}
		}
	}

	// Groups set apart through the API are still shown under one heading.
	e.do("PATCH", "/api/packs/"+p.ID+"/items/"+ids[2], map[string]any{"group": "Morning", "position": 3})
	e.do("PATCH", "/api/packs/"+p.ID+"/items/"+ids[1], map[string]any{"position": 1})
	if got := strings.Join(groupsOf(t, e, p.ID), " "); got != "Morning:2 Afternoon:1 Morning:3" {
		t.Fatalf("set-up through the API: %s", got)
	}
	page := tab.get("/packs/" + p.ID).Body.String()
	if n := strings.Count(page, "<h2>Morning</h2>"); n != 1 {
		t.Errorf("heading Morning shown %d times for items apart", n)
	}
	if i, j, k := strings.Index(page, `id="item-`+ids[1]), strings.Index(page, `id="item-`+ids[2]), strings.Index(page, `id="item-`+ids[0]); !(i < j && j < k) {
		t.Errorf("the items of Morning are not together before Afternoon's")
	}
}

func TestStaleEditKeepsWhatWasTyped(t *testing.T) {
	for _, tc := range []struct{ lang, explain string }{
		{"en", "This pack was changed elsewhere"},
		{"fr", "Ce dossier a été modifié ailleurs"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newPackEnv(t)
			p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Ports", "audience": "Officers"}), http.StatusCreated)
			it := decode[store.Item](t, e.do("POST", "/api/packs/"+p.ID+"/items", map[string]any{"doc_id": "port", "section_id": "2-container-selection", "note": "First note"}), http.StatusCreated)
			tab := newTab(e, tc.lang)
			page := tab.get("/packs/" + p.ID).Body.String()
			itemForm := "/packs/" + p.ID + "/items/" + it.ID
			oldItem, oldPack := fieldValue(t, page, itemForm, "version"), fieldValue(t, page, "/packs/"+p.ID, "version")

			// Another tab edits the note and the title.
			saved := decode[store.Item](t, e.do("PATCH", "/api/packs/"+p.ID+"/items/"+it.ID, map[string]any{"note": "Saved <elsewhere>"}), http.StatusOK)
			decode[store.Pack](t, e.do("PATCH", "/api/packs/"+p.ID, map[string]any{"title": "Renamed elsewhere", "version": decode[store.Pack](t, e.do("GET", "/api/packs/"+p.ID, nil), http.StatusOK).Version}), http.StatusOK)

			typed := "My typed <note> & more"
			rec := tab.post(itemForm, url.Values{"action": {"save"}, "version": {oldItem}, "note": {typed}, "group": {"Day 1"}})
			if rec.Code != http.StatusConflict {
				t.Fatalf("stale save = %d, want 409", rec.Code)
			}
			body := rec.Body.String()
			if !strings.Contains(body, `<textarea name="note" rows="2" maxlength="4000">My typed &lt;note&gt; &amp; more</textarea>`) {
				t.Errorf("the typed note is not in its field:\n%s", body)
			}
			if !strings.Contains(body, `name="group" value="Day 1"`) {
				t.Error("the typed heading is not in its field")
			}
			if !strings.Contains(html.UnescapeString(body), tc.explain) || !strings.Contains(body, "<q>Saved &lt;elsewhere&gt;</q>") {
				t.Errorf("the page does not explain the conflict and show the saved note")
			}
			if got := fieldValue(t, body, itemForm, "version"); got != strconv.Itoa(saved.Version) {
				t.Errorf("the form carries version %s, want the current %d", got, saved.Version)
			}
			// Sent again from that page, the merge is saved.
			rec = tab.post(itemForm, url.Values{"action": {"save"}, "version": {fieldValue(t, body, itemForm, "version")}, "note": {"Merged"}, "group": {""}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("save after the conflict = %d", rec.Code)
			}
			if got := decode[store.Pack](t, e.do("GET", "/api/packs/"+p.ID, nil), http.StatusOK); got.Items[0].Note != "Merged" {
				t.Errorf("note %q after the merge", got.Items[0].Note)
			}

			// The pack's own fields.
			rec = tab.post("/packs/"+p.ID, url.Values{"version": {oldPack}, "title": {"Typed title"}, "audience": {"Trainers"}, "objectives": {"One\nTwo"}})
			if rec.Code != http.StatusConflict {
				t.Fatalf("stale pack edit = %d, want 409", rec.Code)
			}
			body = rec.Body.String()
			for _, w := range []string{`name="title" required maxlength="200" value="Typed title"`, `name="audience" maxlength="200" value="Trainers"`, ">One\nTwo</textarea>", "<dd>Renamed elsewhere</dd>", "<dd>Officers</dd>"} {
				if !strings.Contains(body, w) {
					t.Errorf("the conflict page lacks %q", w)
				}
			}
			if !strings.Contains(html.UnescapeString(body), tc.explain) {
				t.Error("the page does not explain the conflict")
			}
			rec = tab.post("/packs/"+p.ID, url.Values{"version": {fieldValue(t, body, "/packs/"+p.ID, "version")}, "title": {"Typed title"}})
			if rec.Code != http.StatusSeeOther {
				t.Errorf("pack edit after the conflict = %d", rec.Code)
			}
		})
	}
}
