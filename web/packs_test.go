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
	"strings"
	"testing"

	"handbook/content/packs"
	"handbook/content/store"
	"handbook/search/searchtest"
	"handbook/web"
)

const portDoc = `---
title: Port Controls Handbook
org: [WCO]
type: handbook
topics: [risk management]
lang: en
year: 2020
edition: "1st edition"
---
## 1 Joint operations at ports
A joint customs–police operation at the port needs one command post.

<!-- page 2 -->
## 2 Container selection
Officers select containers with risk indicators.

## 3 Controlled delivery
A controlled delivery lets the consignment reach the organisers.
`

const secretDoc = `---
title: Informant Handling Manual
lang: en
level: restricted
---
## 1 Codenames
Every informant receives a codename.
`

// packEnv is a server over an index built from docs (written to a folder the
// test controls) and a real SQLite store.
type packEnv struct {
	t       *testing.T
	docs    string
	dbPath  string
	store   *store.Store
	handler http.Handler
}

func newPackEnv(t *testing.T) *packEnv {
	t.Helper()
	e := &packEnv{t: t, docs: t.TempDir(), dbPath: filepath.Join(t.TempDir(), "user.db")}
	e.write("port.md", portDoc)
	e.write("secret.md", secretDoc)
	e.restart()
	return e
}

func (e *packEnv) write(name, text string) {
	if err := os.WriteFile(filepath.Join(e.docs, name), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// restart re-indexes the documents and reopens the store, as a new process.
func (e *packEnv) restart() {
	e.t.Helper()
	if e.store != nil {
		e.store.Close()
	}
	store, err := store.Open(e.dbPath)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { store.Close() })
	srv, err := web.New(searchtest.Service(e.t, os.DirFS(e.docs)), web.Options{Packs: store, BaseURL: "https://hb.example"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.store, e.handler = store, srv.Handler()
}

func (e *packEnv) do(method, target string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var v T
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return v
}

func TestPackAPI(t *testing.T) {
	e := newPackEnv(t)
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Port course", "description": "Day one"}), http.StatusCreated)
	if p.ID == "" || p.Title != "Port course" || p.Version != 1 {
		t.Fatalf("created %+v", p)
	}
	base := "/api/packs/" + p.ID
	var ids []string
	for _, sec := range []string{"1-joint-operations-at-ports", "2-container-selection", "3-controlled-delivery"} {
		it := decode[store.Item](t, e.do("POST", base+"/items", map[string]any{"doc_id": "port", "section_id": sec, "note": "note on " + sec}), http.StatusCreated)
		ids = append(ids, it.ID)
	}
	// Reorder: the third item to the top; annotate the first.
	decode[store.Item](t, e.do("PATCH", base+"/items/"+ids[2], map[string]any{"position": 1}), http.StatusOK)
	it := decode[store.Item](t, e.do("PATCH", base+"/items/"+ids[0], map[string]any{"note": "Start here", "group": "Morning"}), http.StatusOK)
	if it.Note != "Start here" || it.Group != "Morning" || it.Position != 2 {
		t.Errorf("patched item %+v", it)
	}
	// A stale version is a conflict, not a silent overwrite.
	if rec := e.do("PATCH", base+"/items/"+ids[0], map[string]any{"note": "stale", "version": 1}); rec.Code != http.StatusConflict {
		t.Errorf("stale PATCH = %d %s", rec.Code, rec.Body)
	}
	got := decode[store.Pack](t, e.do("GET", base, nil), http.StatusOK)
	var order []string
	for _, it := range got.Items {
		order = append(order, it.SectionID+":"+it.Status)
	}
	if strings.Join(order, " ") != "3-controlled-delivery:current 1-joint-operations-at-ports:current 2-container-selection:current" {
		t.Errorf("order and status: %v", order)
	}
	if got.Items[0].Cited.DocTitle != "Port Controls Handbook" || got.Items[1].Cited.Number != "1" || got.Items[2].Cited.Page != 2 {
		t.Errorf("cited fields: %+v", got.Items)
	}
	list := decode[struct{ Packs []store.Pack }](t, e.do("GET", "/api/packs", nil), http.StatusOK)
	if len(list.Packs) != 1 || list.Packs[0].ItemCount != 3 {
		t.Errorf("list %+v", list)
	}
	// Removing an item closes the gap.
	if rec := e.do("DELETE", base+"/items/"+ids[1], nil); rec.Code != http.StatusNoContent {
		t.Errorf("DELETE item = %d", rec.Code)
	}
	if got := decode[store.Pack](t, e.do("GET", base, nil), http.StatusOK); len(got.Items) != 2 || got.Items[1].Position != 2 {
		t.Errorf("after delete: %+v", got.Items)
	}
	dup := decode[store.Pack](t, e.do("POST", base+"/duplicate", nil), http.StatusCreated)
	if len(dup.Items) != 2 || dup.Title != "Port course (copy)" {
		t.Errorf("duplicate %+v", dup)
	}
	if rec := e.do("DELETE", "/api/packs/"+dup.ID, nil); rec.Code != http.StatusNoContent {
		t.Errorf("DELETE pack = %d", rec.Code)
	}
	if rec := e.do("GET", "/api/packs/"+dup.ID, nil); rec.Code != http.StatusNotFound {
		t.Errorf("deleted pack = %d", rec.Code)
	}
}

func TestPackAPIRefusesBadInput(t *testing.T) {
	e := newPackEnv(t)
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "T"}), http.StatusCreated)
	tests := []struct {
		method, target string
		body           any
		status         int
		want           string
	}{
		{"POST", "/api/packs", map[string]any{"title": ""}, 400, "needs a title"},
		{"POST", "/api/packs", map[string]any{"titel": "typo"}, 400, "unknown field"},
		{"POST", "/api/packs/" + p.ID + "/items", map[string]any{"doc_id": "port", "section_id": "nope"}, 404, "no such section"},
		{"POST", "/api/packs/" + p.ID + "/items", map[string]any{"doc_id": "secret", "section_id": "1-codenames"}, 404, "no such section"},
		{"POST", "/api/packs/nope/items", map[string]any{"doc_id": "port", "section_id": "2-container-selection"}, 404, "no such course pack"},
		{"PATCH", "/api/packs/" + p.ID + "/items/nope", map[string]any{"note": "x"}, 404, "no such course pack or item"},
		{"GET", "/api/packs/" + p.ID + "/export?format=rtf", nil, 400, "format must be"},
	}
	for _, tc := range tests {
		rec := e.do(tc.method, tc.target, tc.body)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s %s = %d %s, want %d %q", tc.method, tc.target, rec.Code, rec.Body, tc.status, tc.want)
		}
	}
	// A form post (what a cross-site page could send) is refused by the API.
	req := httptest.NewRequest("POST", "/api/packs", strings.NewReader("title=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("form post to the API = %d", rec.Code)
	}
}

func TestPacksSurviveRestartAndFlagChangedSections(t *testing.T) {
	e := newPackEnv(t)
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Kept"}), http.StatusCreated)
	base := "/api/packs/" + p.ID
	for _, sec := range []string{"1-joint-operations-at-ports", "2-container-selection", "3-controlled-delivery"} {
		decode[store.Item](t, e.do("POST", base+"/items", map[string]any{"doc_id": "port", "section_id": sec}), http.StatusCreated)
	}
	// A new edition: section 2's text changes, section 3 disappears.
	e.write("port.md", strings.Replace(strings.Replace(portDoc, "with risk indicators.", "with updated risk indicators and profiles.", 1),
		"## 3 Controlled delivery\nA controlled delivery lets the consignment reach the organisers.\n", "", 1))
	e.restart()
	got := decode[store.Pack](t, e.do("GET", base, nil), http.StatusOK)
	if len(got.Items) != 3 {
		t.Fatalf("items after restart: %d", len(got.Items))
	}
	want := []string{packs.StatusCurrent, packs.StatusChanged, packs.StatusRemoved}
	for i, it := range got.Items {
		if it.Status != want[i] {
			t.Errorf("item %d: status %q, want %q", i, it.Status, want[i])
		}
	}
	if got.Items[1].Cited.Text != "Officers select containers with risk indicators." || got.Items[1].Current == nil ||
		!strings.Contains(got.Items[1].Current.Text, "updated risk indicators") {
		t.Errorf("changed item: cited %q current %+v", got.Items[1].Cited.Text, got.Items[1].Current)
	}
	if got.Items[2].Cited.Text == "" {
		t.Error("removed item lost its cited text")
	}
	page := e.do("GET", "/packs/"+p.ID, nil).Body.String()
	for _, w := range []string{"differs from the text cited here", "no longer in the current edition", "Use the current text"} {
		if !strings.Contains(page, w) {
			t.Errorf("pack page lacks %q", w)
		}
	}
	// Accepting the current text clears the flag.
	decode[store.Item](t, e.do("PATCH", base+"/items/"+got.Items[1].ID, map[string]any{"accept_current": true}), http.StatusOK)
	if again := decode[store.Pack](t, e.do("GET", base, nil), http.StatusOK); again.Items[1].Status != packs.StatusCurrent {
		t.Errorf("after accepting: %q", again.Items[1].Status)
	}
	// A document that became restricted is shown as unavailable, without its
	// title or text.
	e.write("port.md", strings.Replace(portDoc, "lang: en\n", "lang: en\nlevel: restricted\n", 1))
	e.restart()
	hidden := decode[store.Pack](t, e.do("GET", base, nil), http.StatusOK)
	raw := e.do("GET", base, nil).Body.String()
	if hidden.Items[0].Status != packs.StatusUnavailable || strings.Contains(raw, "Port Controls Handbook") || strings.Contains(raw, "command post") {
		t.Errorf("restricted document leaks through the pack: %s", raw)
	}
}

func TestPackExports(t *testing.T) {
	e := newPackEnv(t)
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Export me"}), http.StatusCreated)
	decode[store.Item](t, e.do("POST", "/api/packs/"+p.ID+"/items", map[string]any{"doc_id": "port", "section_id": "2-container-selection", "note": "Key passage"}), http.StatusCreated)
	citation := "WCO. Port Controls Handbook. 1st edition, 2020. § 2 Container selection, p. 2. English. https://hb.example/docs/port#2-container-selection"
	for format, ctype := range map[string]string{"md": "text/markdown", "html": "text/html", "docx": "application/vnd.openxmlformats", "pdf": "application/pdf"} {
		rec := e.do("GET", "/api/packs/"+p.ID+"/export?format="+format, nil)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), ctype) ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), `filename=export-me.`+format) {
			t.Errorf("%s export: %d %q %q", format, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
			continue
		}
		var text string
		switch format {
		case "docx":
			zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
			if err != nil {
				t.Fatal(err)
			}
			f, _ := zr.Open("word/document.xml")
			b, _ := io.ReadAll(f)
			text = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), "")
		case "pdf":
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Log("pdftotext missing: PDF text not checked here (content/packs tests check it)")
				continue
			}
			cmd := exec.Command("pdftotext", "-", "-")
			cmd.Stdin = bytes.NewReader(rec.Body.Bytes())
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			text = string(out)
		default:
			text = rec.Body.String()
		}
		flat := strings.Join(strings.Fields(strings.NewReplacer("&amp;", "&", "&#39;", "'").Replace(text)), " ")
		for _, want := range []string{citation, "Officers select containers with risk indicators.", "Key passage"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s export lacks %q", format, want)
			}
		}
	}
}

func TestSearchExport(t *testing.T) {
	e := newPackEnv(t)
	rec := e.do("GET", "/api/search/export?format=csv&q=container+OR+delivery+OR+port", nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv export %d", rec.Code)
	}
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "rank,doc_id,section_id") || !strings.Contains(rec.Body.String(), "https://hb.example/docs/port#3-controlled-delivery") {
		t.Errorf("csv:\n%s", rec.Body)
	}
	var res struct {
		Total uint64
		Hits  []struct{ URL string }
	}
	j := e.do("GET", "/api/search/export?format=json&q=container+OR+delivery+OR+port", nil)
	if err := json.Unmarshal(j.Body.Bytes(), &res); err != nil || res.Total != 3 || len(res.Hits) != 3 || !strings.HasPrefix(res.Hits[0].URL, "https://hb.example/docs/") {
		t.Errorf("json export: %v %s", err, j.Body)
	}
	if rec := e.do("GET", "/api/search/export?format=csv&q=codename", nil); strings.Contains(rec.Body.String(), "secret") {
		t.Error("restricted document in the export")
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestPackPagesWithoutJavaScript drives the forms as a browser without
// JavaScript would: CSRF token from the page, cookie sent back.
func TestPackPagesWithoutJavaScript(t *testing.T) {
	e := newPackEnv(t)
	form := e.do("GET", "/packs/add?doc_id=port&section_id=3-controlled-delivery", nil)
	m := csrfField.FindStringSubmatch(form.Body.String())
	if form.Code != http.StatusOK || m == nil {
		t.Fatalf("add form %d", form.Code)
	}
	cookies := form.Result().Cookies()
	post := func(target string, v url.Values, withToken bool) *httptest.ResponseRecorder {
		if withToken {
			v.Set("_csrf", m[1])
		}
		req := httptest.NewRequest("POST", target, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		return rec
	}
	v := url.Values{"doc_id": {"port"}, "section_id": {"3-controlled-delivery"}, "pack": {"new"}, "new_title": {"Ports"}, "note": {"Read first"}}
	if rec := post("/packs/add", v, false); rec.Code != http.StatusForbidden && rec.Code != http.StatusBadRequest {
		t.Errorf("POST without the CSRF token = %d", rec.Code)
	}
	rec := post("/packs/add", v, true)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/packs/") {
		t.Fatalf("POST /packs/add = %d %s", rec.Code, rec.Body)
	}
	packURL, _, _ := strings.Cut(rec.Header().Get("Location"), "#")
	page := e.do("GET", packURL, nil).Body.String()
	for _, w := range []string{"Ports", "Controlled delivery", "Read first", "format=pdf"} {
		if !strings.Contains(page, w) {
			t.Errorf("pack page lacks %q", w)
		}
	}
	if !strings.Contains(e.do("GET", "/search?q=container", nil).Body.String(), "/packs/add?doc_id=port&amp;section_id=2-container-selection") {
		t.Error("search hits lack the add-to-pack link")
	}
}
