package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"handbook/content/packs"
	"handbook/content/store"
	"handbook/search/engine"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// frenchDocs are the documents of the French interface's tests: French
// text, so that no English on a page can be the documents' own.
var frenchDocs = map[string]string{
	"controle-public": `---
title: Manuel du contrôle des conteneurs
org: [OMD]
type: handbook
topics: [risk management]
lang: fr
year: 2021
level: public
---
## 1 Contrôle des conteneurs
Le contrôle douanier des conteneurs au port repose sur l'analyse de risque et le ciblage.

## 2 Livraison surveillée
Une livraison surveillée associe la douane et la police pour suivre un envoi.
`,
	"enquete-membres": `---
title: Manuel des enquêtes communes
org: [OMD]
type: handbook
topics: [investigations and evidence]
lang: fr
year: 2019
level: members-only
---
## 1 Équipe commune
Une équipe commune d'enquête réunit douaniers et policiers autour du contrôle des saisies.
`,
	"note-saisies": `---
title: Note sur les saisies portuaires
org: [OMD]
type: study
topics: [drugs and precursors]
lang: fr
year: 2022
level: restricted
---
## 1 Saisies
Les saisies de cocaïne au port suivent le contrôle des conteneurs.
`,
}

// frenchEnv serves frenchDocs with sign-in (an admin, who holds every role
// and level), course packs and the audit log.
type frenchEnv struct {
	t     *testing.T
	h     http.Handler
	srv   *web.Server
	svc   *engine.Service
	users *store.Store
}

const adminToken = "tok-french-admin"

func newFrenchEnv(t *testing.T) *frenchEnv {
	t.Helper()
	docs := t.TempDir()
	for id, text := range frenchDocs {
		if err := os.WriteFile(filepath.Join(docs, id+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, err := auth.New(auth.Config{Users: []auth.User{{Name: "admin", TokenSHA256: sha(adminToken), Roles: []string{"admin"},
		Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}}}})
	if err != nil {
		t.Fatal(err)
	}
	users, err := store.Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { users.Close() })
	svc := searchtest.Service(t, os.DirFS(docs))
	srv, err := web.New(svc, web.Options{Auth: a, Audit: users.Audit(), Packs: users, Rate: 1000, Burst: 1000, Originals: os.DirFS(docs),
		Analytics: users.Analytics(0), Saved: users})
	if err != nil {
		t.Fatal(err)
	}
	return &frenchEnv{t: t, h: srv.Handler(), srv: srv, svc: svc, users: users}
}

// do sends a request in the French interface (?ui=fr), as the admin when
// admin is set.
func (e *frenchEnv) do(admin bool, method, target, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	req := httptest.NewRequest(method, target+sep+"ui=fr", strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if admin {
		req.Header.Set("Authorization", "Bearer "+adminToken)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// englishAllowed are entries whose English may appear on a French page,
// each for a reason.
var englishAllowed = map[string]string{
	"results.ms":  "a unit, the same in both languages",
	"export.note": `"Note" is French too: "Note du formateur"`,
}

// queryWords are the query language's field names and operators, the same
// in every interface language ("year:abc n'est ni une année…").
var queryWords = map[string]bool{"org": true, "type": true, "topic": true, "lang": true, "year": true, "status": true,
	"title": true, "heading": true, "number": true, "OR": true, "AND": true, "NOT": true}

// englishFragment is one English piece of a catalogue entry that a French
// page must not show.
type englishFragment struct {
	key, text string
	re        *regexp.Regexp
}

var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// englishFragments returns the English side of every catalogue entry that
// differs from its French side, split at its format verbs; pieces of fewer
// than three letters, and pieces the French side has too ("Source",
// "— page"), are left out, as are language and format names, which are
// proper names ("English" is the switch to the English interface).
func englishFragments(t *testing.T) []englishFragment {
	t.Helper()
	cats := map[string][2]string{}
	for k, v := range web.Catalogue {
		cats[k] = v
	}
	for k, v := range packs.Labels {
		cats["export."+k] = v
	}
	var out []englishFragment
	for key, m := range cats {
		if m[0] == m[1] || strings.HasPrefix(key, "lang.") || strings.HasPrefix(key, "format.") || englishAllowed[key] != "" {
			continue
		}
		for _, piece := range formatVerb.Split(m[0], -1) {
			piece = strings.TrimFunc(piece, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			letters := 0
			for _, r := range piece {
				if unicode.IsLetter(r) {
					letters++
				}
			}
			if letters < 3 || strings.Contains(m[1], piece) || queryWords[piece] {
				continue
			}
			out = append(out, englishFragment{key: key, text: piece, re: regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(piece) + `($|[^\pL\pN])`)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].key < out[j].key || out[i].key == out[j].key && out[i].text < out[j].text
	})
	if len(out) < 100 {
		t.Fatalf("only %d English pieces of the catalogue to look for", len(out))
	}
	return out
}

// visibleFrench returns the text of a page a French reader sees or hears
// from the interface: text nodes (the title too) and the title, aria-label,
// alt, placeholder and data-done attributes, outside script, style and code
// and outside elements whose lang is not French (a document's own text).
func visibleFrench(t *testing.T, page string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node, lang string)
	walk = func(n *html.Node, lang string) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "lang":
					lang = a.Val
				}
			}
			if lang == "fr" {
				for _, a := range n.Attr {
					switch a.Key {
					case "title", "aria-label", "alt", "placeholder", "data-done":
						b.WriteString(" " + a.Val + " ")
					}
				}
			}
		}
		if n.Type == html.TextNode && lang == "fr" {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lang)
		}
		if n.Type == html.ElementNode && !inline[n.Data] {
			b.WriteString(" ") // block boundaries separate words
		}
	}
	walk(doc, "")
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' }), " ")
}

// inline are the elements within a line of text; every other element's
// text is a word of its own.
var inline = map[string]bool{"a": true, "span": true, "strong": true, "em": true, "q": true, "mark": true, "b": true, "i": true, "abbr": true, "code": true}

// Wrong French typography in running text: an ASCII space before : ; ? !
// or inside « », or a word glued to ; ? ! or to a colon that ends a phrase.
var badTypography = []*regexp.Regexp{
	regexp.MustCompile(` [:;?!]`),
	regexp.MustCompile(`« |«\pL| »|\pL»`),
	regexp.MustCompile(`\pL[;?!]|\pL:( |$)`),
}

func checkFrench(t *testing.T, what, text string, english []englishFragment) {
	t.Helper()
	if strings.TrimSpace(text) == "" {
		t.Errorf("%s: no French text", what)
		return
	}
	for _, f := range english {
		if loc := f.re.FindStringIndex(text); loc != nil {
			t.Errorf("%s shows the English of %s %q: …%s…", what, f.key, f.text, around(text, loc))
		}
	}
	for _, re := range badTypography {
		for _, loc := range re.FindAllStringIndex(text, 5) {
			t.Errorf("%s: French typography (U+202F before : ; ? ! and inside « ») at …%s…", what, around(text, loc))
		}
	}
}

func around(s string, loc []int) string {
	from, to := max(0, loc[0]-40), min(len(s), loc[1]+40)
	for from > 0 && !utf8Start(s[from]) {
		from--
	}
	for to < len(s) && !utf8Start(s[to]) {
		to++
	}
	return s[from:to]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// TestFrenchInterface renders every page and every pack export in the
// French interface and finds none of the catalogue's English, and French
// typography in the text around it.
func TestFrenchInterface(t *testing.T) {
	e := newFrenchEnv(t)
	english := englishFragments(t)

	// A pack with a group, a note and sections of two levels.
	rec := e.do(true, "POST", "/api/packs", `{"title":"Dossier sur les conteneurs","description":"Pour les agents de terrain.","audience":"agents de terrain","objectives":["Connaître le contrôle des conteneurs"]}`)
	var p store.Pack
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusCreated {
		t.Fatalf("create pack: %d %s", rec.Code, rec.Body)
	}
	section := func(doc string) string {
		var d struct {
			Sections []struct{ ID string } `json:"sections"`
		}
		rec := e.do(true, "GET", "/api/documents/"+doc, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil || len(d.Sections) == 0 {
			t.Fatalf("document %s: %d %s", doc, rec.Code, rec.Body)
		}
		return d.Sections[0].ID
	}
	public, restricted := section("controle-public"), section("note-saisies")
	for _, item := range []string{
		`{"doc_id":"controle-public","section_id":"` + public + `","note":"À lire avant la séance.","group":"Contrôles"}`,
		`{"doc_id":"note-saisies","section_id":"` + restricted + `","group":"Contrôles"}`,
	} {
		if rec := e.do(true, "POST", "/api/packs/"+p.ID+"/items", item); rec.Code != http.StatusCreated {
			t.Fatalf("add item: %d %s", rec.Code, rec.Body)
		}
	}
	// Something in the audit log of each action, as the page shows it.
	e.do(true, "GET", "/docs/note-saisies", "")
	e.do(true, "GET", "/api/packs/"+p.ID+"/export?format=md", "")
	bad := httptest.NewRequest("GET", "/api/search?q=saisies", nil)
	bad.Header.Set("Authorization", "Bearer not-a-token")
	e.h.ServeHTTP(httptest.NewRecorder(), bad)

	// Searches the analytics show (three times each, the least they show),
	// and a saved search with news.
	for range 3 {
		e.do(true, "GET", "/search?q="+url.QueryEscape("contrôle"), "")
		e.do(true, "GET", "/search?q=wxyzqj", "")
	}
	if _, err := e.users.SaveSearch(t.Context(), "admin", "Contrôles", "q=contr%C3%B4le", nil, "", nil); err != nil {
		t.Fatal(err)
	}
	if n, err := e.srv.IndexSwapped(t.Context(), e.svc, "idx"); err != nil || n == 0 {
		t.Fatalf("IndexSwapped: %d, %v", n, err)
	}

	pages := []struct {
		name   string
		admin  bool
		target string
		status int
	}{
		{"home", false, "/", 200},
		{"search with results", true, "/search?q=" + url.QueryEscape("contrôle"), 200},
		{"search with a filter", true, "/search?q=" + url.QueryEscape("contrôle") + "&topic=risk+management", 200},
		{"no results", false, "/search?q=wxyzqj", 200},
		{"notes: parentheses, OR", false, "/search?q=" + url.QueryEscape("(contrôle OR"), 200},
		{"notes: quotation mark", false, "/search?q=" + url.QueryEscape(`"contrôle`), 200},
		{"notes: fields, fuzzy, prefix", false, "/search?q=" + url.QueryEscape("foo:bar org: contrôle~3 a*"), 200},
		{"notes: depth", false, "/search?q=" + url.QueryEscape(strings.Repeat("(", 10)+"contrôle"+strings.Repeat(")", 10)), 200},
		{"notes: years, NOT", false, "/search?q=" + url.QueryEscape("contrôle*~ year:2030..2020 year:abc contrôle) NOT"), 200},
		{"query error (parameter)", false, "/search?q=port&page=deux", 400},
		{"query error (too long)", false, "/search?q=" + strings.Repeat("a", 1001), 400},
		{"query error (year form)", false, "/search?q=port&year_from=deux", 400},
		{"document", false, "/docs/controle-public", 200},
		{"document above public", true, "/docs/note-saisies", 200},
		{"404 document", false, "/docs/nowhere", 404},
		{"404 route", false, "/nowhere", 404},
		{"403", false, "/packs", 403},
		{"sign-in", false, "/signin", 200},
		{"packs list", true, "/packs", 200},
		{"pack", true, "/packs/" + p.ID, 200},
		{"pack add", true, "/packs/add?doc_id=controle-public&section_id=" + public, 200},
		{"pack add, no such section", true, "/packs/add?doc_id=controle-public&section_id=nowhere", 404},
		{"pack delete", true, "/packs/" + p.ID + "/delete", 200},
		{"audit", true, "/admin/audit", 200},
		{"analytics", true, "/admin/analytics", 200},
		{"analytics, one language", true, "/admin/analytics?lang=fr", 200},
		{"saved searches", true, "/saved-searches", 200},
		{"saved searches, anonymous", false, "/saved-searches", 403},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			rec := e.do(pg.admin, "GET", pg.target, "")
			if rec.Code != pg.status {
				t.Fatalf("GET %s = %d, want %d", pg.target, rec.Code, pg.status)
			}
			if !strings.Contains(rec.Body.String(), `<html lang="fr">`) {
				t.Fatalf("GET %s is not in French", pg.target)
			}
			text := visibleFrench(t, rec.Body.String())
			// The query as typed is the user's, shown back as it is.
			if u, err := url.Parse(pg.target); err == nil && u.Query().Get("q") != "" {
				text = strings.ReplaceAll(text, u.Query().Get("q"), "…")
			}
			if os.Getenv("HANDBOOK_SHOW_FRENCH") != "" {
				t.Logf("%s:\n%s", pg.target, text)
			}
			checkFrench(t, pg.target, text, english)
			if strings.HasPrefix(pg.name, "notes") {
				// The API's notes are the parser's English; the page must
				// say each of them in French (a note the catalogue does
				// not match would stay English).
				var res struct{ Notes []string }
				_ = json.Unmarshal(e.do(false, "GET", strings.Replace(pg.target, "/search", "/api/search", 1), "").Body.Bytes(), &res)
				if len(res.Notes) == 0 {
					t.Errorf("%s: the API has no notes", pg.target)
				}
				for _, n := range res.Notes {
					if strings.Contains(text, n) {
						t.Errorf("%s shows the note in English: %q", pg.target, n)
					}
				}
			}
		})
	}
	t.Run("sign-in refused", func(t *testing.T) {
		form := e.do(false, "GET", "/signin", "")
		token := csrfField.FindStringSubmatch(form.Body.String())
		if token == nil {
			t.Fatal("no CSRF token on the sign-in form")
		}
		req := httptest.NewRequest("POST", "/signin?ui=fr", strings.NewReader(url.Values{"_csrf": {token[1]}, "token": {"wrong"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range form.Result().Cookies() {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(visibleFrench(t, rec.Body.String()), "Ce jeton n'est pas valide.") {
			t.Fatalf("POST /signin with a wrong token = %d %s", rec.Code, rec.Body)
		}
		checkFrench(t, "POST /signin", visibleFrench(t, rec.Body.String()), english)
	})

	t.Run("duplicate", func(t *testing.T) {
		// The copy's title is French too; English keeps the store's "(copy)".
		form := e.do(true, "GET", "/packs/"+p.ID, "")
		token := csrfField.FindStringSubmatch(form.Body.String())
		if token == nil {
			t.Fatal("no CSRF token on the pack page")
		}
		req := httptest.NewRequest("POST", "/packs/"+p.ID+"/duplicate?ui=fr", strings.NewReader(url.Values{"_csrf": {token[1]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+adminToken)
		for _, c := range form.Result().Cookies() {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("duplicate = %d %s", rec.Code, rec.Body)
		}
		if page := visibleFrench(t, e.do(true, "GET", rec.Header().Get("Location"), "").Body.String()); !strings.Contains(page, "Dossier sur les conteneurs (copie)") {
			t.Errorf("the copy's page lacks its French title:\n%s", page)
		}
	})

	export := func(t *testing.T, format string) []byte {
		t.Helper()
		rec := e.do(true, "GET", "/api/packs/"+p.ID+"/export?format="+format, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("export %s = %d %s", format, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	exportWords := func(t *testing.T, format, text string) {
		t.Helper()
		for _, want := range []string{"Bibliographie", "Préparé le ", "Note du formateur\u202f:", "français"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s export lacks %q:\n%s", format, want, text)
			}
		}
	}
	t.Run("export md", func(t *testing.T) {
		text := string(export(t, "md"))
		exportWords(t, "md", text)
		checkFrench(t, "md export", strings.NewReplacer("**", "", "*", "", "#", "").Replace(text), english)
	})
	t.Run("export html", func(t *testing.T) {
		body := string(export(t, "html"))
		if !strings.Contains(body, `<html lang="fr">`) {
			t.Error(`HTML export is not <html lang="fr">`)
		}
		text := visibleFrench(t, body)
		exportWords(t, "html", text)
		checkFrench(t, "html export", text, english)
	})
	t.Run("export docx", func(t *testing.T) {
		data := export(t, "docx")
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, f := range zr.File {
			if f.Name != "word/document.xml" && !strings.HasPrefix(f.Name, "word/header") && !strings.HasPrefix(f.Name, "word/footer") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(rc)
			rc.Close()
			// Paragraphs end in a space; runs join as Word shows them.
			s := regexp.MustCompile(`</w:p>`).ReplaceAllString(string(x), " ")
			b.WriteString(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, "")) + " ")
		}
		text := b.String()
		exportWords(t, "docx", text)
		checkFrench(t, "docx export", text, english)
	})
	t.Run("export pdf", func(t *testing.T) {
		data := export(t, "pdf")
		if _, err := exec.LookPath("pdftotext"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pdftotext (poppler-utils) is missing; .ci/run installs it")
			}
			t.Skip("pdftotext (Debian package poppler-utils) is not installed; the PDF's text is not checked")
		}
		cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		// pdftotext breaks lines where the PDF does; join them.
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Bibliographie", "Préparé le", "page 1 sur"} {
			if !strings.Contains(text, want) {
				t.Errorf("pdf export lacks %q:\n%s", want, text)
			}
		}
		// Only the English: pdftotext writes U+202F as it likes.
		for _, f := range english {
			if loc := f.re.FindStringIndex(text); loc != nil {
				t.Errorf("pdf export shows the English of %s %q: …%s…", f.key, f.text, around(text, loc))
			}
		}
	})
}

// TestFrenchTypography checks the French side of every catalogue entry
// (the interface's and the exports'): U+202F, and only it, before : ; ? !
// and inside « »; and "manuel", never "guide", for a handbook.
func TestFrenchTypography(t *testing.T) {
	cats := map[string]string{}
	for k, v := range web.Catalogue {
		cats[k] = v[1]
	}
	for k, v := range packs.Labels {
		cats["export."+k] = v[1]
	}
	for key, fr := range cats {
		r := []rune(fr)
		for i, c := range r {
			prevOK := i > 0 && r[i-1] == '\u202f'
			switch c {
			case ':', ';', '?', '!', '»':
				// A colon inside a word is query syntax (year:2015).
				syntax := c == ':' && i+1 < len(r) && !unicode.IsSpace(r[i+1])
				if !prevOK && !syntax {
					t.Errorf("%s: %q needs U+202F before %q", key, fr, c)
				}
			case '«':
				if i+1 >= len(r) || r[i+1] != '\u202f' {
					t.Errorf("%s: %q needs U+202F after «", key, fr)
				}
			case '\u00a0':
				t.Errorf("%s: %q has U+00A0; the catalogue uses U+202F throughout", key, fr)
			}
		}
		if regexp.MustCompile(`(?i)\bguides?\b`).MatchString(fr) {
			t.Errorf("%s: %q says guide; a handbook is a manuel", key, fr)
		}
	}
	if got := web.Catalogue["site.tagline"][1]; !strings.Contains(got, "manuels") {
		t.Errorf("site.tagline in French = %q, want the manuels", got)
	}
}

// TestQueryErrorMessages: every query error a page shows in French says in
// English, from its code, exactly what its Msg says; the JSON API keeps
// "error" in English and adds "message" in French.
func TestQueryErrorMessages(t *testing.T) {
	e := newFrenchEnv(t)
	for _, tc := range []struct{ target, english, french string }{
		{"/api/search?q=port&page=deux", "page must be a whole number, 1 or more", "le numéro de page doit être un nombre entier, 1 ou plus"},
		{"/api/search?q=" + strings.Repeat("a", 1001), "the query is 1001 characters long; the limit is 1000", "la requête compte 1001 caractères\u202f; la limite est de 1000"},
		{"/api/search?q=port&page=500", "page 500 is too deep: only the first 1000 results can be paged through; refine the query or add filters", "la page 500 est trop loin\u202f: seuls les 1000 premiers résultats peuvent être parcourus\u202f; précisez la requête ou ajoutez des filtres"},
		{"/api/search?q=port&year=deux", `year "deux" is not a year`, "«\u202fdeux\u202f» n'est pas une année"},
		{"/api/search/export?q=port&format=xml", "format must be csv or json", "le format est csv ou json"},
		{"/api/packs/nowhere", "no such course pack or item", "ce dossier de formation ou cet élément n'existe pas"},
	} {
		for _, ui := range []string{"en", "fr"} {
			req := httptest.NewRequest("GET", tc.target+"&ui="+ui, nil)
			if !strings.Contains(tc.target, "?") {
				req = httptest.NewRequest("GET", tc.target+"?ui="+ui, nil)
			}
			req.Header.Set("Authorization", "Bearer "+adminToken)
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code < 400 {
				t.Fatalf("%s: %d %s", tc.target, rec.Code, rec.Body)
			}
			if body["error"] != tc.english || body["request_id"] == "" {
				t.Errorf("%s (%s): error %q, want %q", tc.target, ui, body["error"], tc.english)
			}
			want := ""
			if ui == "fr" {
				want = tc.french
			}
			if body["message"] != want {
				t.Errorf("%s (%s): message %q, want %q", tc.target, ui, body["message"], want)
			}
		}
	}
}
