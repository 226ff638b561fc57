package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"handbook/content/compare"
	"handbook/content/sample"
	"handbook/content/store"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// compareResult is the JSON of /api/documents/{id}/compare/{other}, as a
// client reads it.
type compareResult struct {
	Old, New struct {
		ID string `json:"id"`
	}
	Summary compare.Summary `json:"summary"`
	Text    string          `json:"text"`
	Message string          `json:"message"`
	URL     string          `json:"url"`
	Pairs   []struct {
		Kind       compare.Kind `json:"kind"`
		By         string       `json:"by"`
		Renumbered bool         `json:"renumbered"`
		Old, New   *struct {
			ID, Number, Heading, URL, Text string
		}
		Diff []compare.Op `json:"diff"`
	} `json:"pairs"`
}

func getCompare(t *testing.T, h http.Handler, id, other string) compareResult {
	t.Helper()
	rec := get(t, h, "/api/documents/"+id+"/compare/"+other)
	if rec.Code != http.StatusOK {
		t.Fatalf("compare %s %s = %d %s", id, other, rec.Code, rec.Body)
	}
	var r compareResult
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// numbers lists "old → new" for each pair of kind (old or new "-" when
// absent), by section number or, unnumbered, heading.
func (r compareResult) numbers(kind compare.Kind) []string {
	var out []string
	name := func(s *struct{ ID, Number, Heading, URL, Text string }) string {
		switch {
		case s == nil:
			return "-"
		case s.Number != "":
			return s.Number
		}
		return s.Heading
	}
	for _, p := range r.Pairs {
		if p.Kind == kind {
			out = append(out, name(p.Old)+" → "+name(p.New))
		}
	}
	return out
}

// The two editions of the SAFE framework in the sample, read by hand: the
// 2018 edition has 11 sections (the opening text and the introduction,
// three pillars, Standards 1.1, 1.3, 1.4, 2.1 and 2.5, the annex), every
// one rewritten in 2025, which has 32. Annex B of 2025 says where each
// went: 1.4 (inspection technology) is now 1.3, 2.5 (mutual recognition)
// 2.7, the annex Annex A; 1.3 was split into 1.4 (risk management) and 1.6
// (advance electronic data). So 11 changed, 0 removed, and 32 - 11 = 21
// added: Principles, 1.2, 1.4, 1.5, 1.7–1.11, 2.2–2.6, 2.8, 3.1–3.5 and
// Annex B.
func TestCompareSampleEditions(t *testing.T) {
	h := newSampleServer(t)
	for _, order := range [][2]string{{"safe-framework-of-standards-2018", "safe-framework-of-standards"}, {"safe-framework-of-standards", "safe-framework-of-standards-2018"}} {
		r := getCompare(t, h, order[0], order[1])
		if r.Old.ID != "safe-framework-of-standards-2018" || r.New.ID != "safe-framework-of-standards" {
			t.Fatalf("%v: compared %s with %s, want the 2018 edition first", order, r.Old.ID, r.New.ID)
		}
		if r.Summary != (compare.Summary{Changed: 11, Added: 21}) || r.Text != "11 sections changed, 21 added" {
			t.Errorf("%v: summary %+v %q", order, r.Summary, r.Text)
		}
	}
	r := getCompare(t, h, "safe-framework-of-standards-2018", "safe-framework-of-standards")
	changed := strings.Join(r.numbers(compare.Changed), "; ")
	for _, want := range []string{"Standard 1.4 → Standard 1.3", "Standard 1.3 → Standard 1.6", "Standard 2.5 → Standard 2.7", "Standard 2.1 → Standard 2.1",
		"Annex — AEO criteria checklist → Annex A", "Pillar 1 → Pillar 1", "Introduction → Introduction"} {
		if !strings.Contains(changed, want) {
			t.Errorf("changed pairs lack %q: %s", want, changed)
		}
	}
	added := strings.Join(r.numbers(compare.Added), "; ")
	for _, want := range []string{"- → Standard 1.2", "- → Standard 1.4", "- → Standard 3.5", "- → Annex B", "- → Principles for implementation"} {
		if !strings.Contains(added, want) {
			t.Errorf("added sections lack %q: %s", want, added)
		}
	}
	for _, p := range r.Pairs {
		if p.Kind == compare.Added && (p.New.Text == "" || !strings.HasPrefix(p.New.URL, "/docs/safe-framework-of-standards#")) {
			t.Errorf("added section %+v without its text or address", p.New)
		}
		if p.Kind == compare.Changed && p.Old.Number == "Standard 2.5" {
			var del, ins bool
			for _, op := range p.Diff {
				del = del || op.Kind == compare.OpDelete && strings.Contains(op.Text, "encouraged, but not")
				ins = ins || op.Kind == compare.OpInsert && strings.Contains(op.Text, "MRA")
			}
			if !del || !ins || !p.Renumbered {
				t.Errorf("2.5 → 2.7: renumbered %v, diff %+v", p.Renumbered, p.Diff)
			}
		}
	}

	page := get(t, h, "/docs/safe-framework-of-standards/compare/safe-framework-of-standards-2018")
	body := page.Body.String()
	if page.Code != http.StatusOK {
		t.Fatalf("compare page = %d", page.Code)
	}
	for _, want := range []string{"11 sections changed, 21 added", `id="old-standard-2-5-mutual-recognition"`, "<del>", "<ins>",
		`href="/docs/safe-framework-of-standards#standard-2-7-mutual-recognition"`, "formerly"} {
		if !strings.Contains(body, want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
	fr := get(t, h, "/docs/safe-framework-of-standards/compare/safe-framework-of-standards-2018?ui=fr").Body.String()
	if !strings.Contains(fr, "11 sections modifiées, 21 ajoutées") {
		t.Error("French compare page lacks its summary")
	}
	// Both editions' pages link to the comparison.
	for _, id := range []string{"safe-framework-of-standards", "safe-framework-of-standards-2018"} {
		other := map[string]string{"safe-framework-of-standards": "safe-framework-of-standards-2018", "safe-framework-of-standards-2018": "safe-framework-of-standards"}[id]
		if doc := get(t, h, "/docs/"+id).Body.String(); !strings.Contains(doc, `href="/docs/`+id+`/compare/`+other+`"`) {
			t.Errorf("the page of %s does not link to its comparison with %s", id, other)
		}
	}
	if doc := get(t, h, "/docs/customs-police-cooperation-handbook").Body.String(); strings.Contains(doc, "/compare/") {
		t.Error("a document with no other edition links to a comparison")
	}
}

func TestSummaryPlurals(t *testing.T) {
	for _, tt := range []struct {
		sum    compare.Summary
		en, fr string
	}{
		{compare.Summary{Changed: 12, Added: 3, Removed: 1}, "12 sections changed, 3 added, 1 removed", "12 sections modifiées, 3 ajoutées, 1 supprimée"},
		{compare.Summary{Changed: 1, Moved: 2, Unchanged: 1}, "1 section changed, 2 moved; 1 unchanged", "1 section modifiée, 2 déplacées\u202f; 1 inchangée"},
		{compare.Summary{Unchanged: 4}, "0 sections changed; 4 unchanged", "0 section modifiée\u202f; 4 inchangées"},
	} {
		if en, fr := web.SummaryText("en", tt.sum), web.SummaryText("fr", tt.sum); en != tt.en || fr != tt.fr {
			t.Errorf("%+v: %q / %q, want %q / %q", tt.sum, en, fr, tt.en, tt.fr)
		}
	}
}

// A comparison with a document the caller may not see answers exactly as
// one with a document that does not exist, in both places and both orders;
// a caller entitled to it gets the comparison.
func TestCompareRestrictedLooksLikeMissing(t *testing.T) {
	a, err := auth.New(auth.Config{Users: []auth.User{{Name: "officer", TokenSHA256: sha("officer-token-0123456789"), Roles: []string{"reader"},
		Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(searchtest.Service(t, sample.FS()), web.Options{Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	reqID := regexp.MustCompile(`[A-Za-z0-9]{32}`)
	const public, hidden, missing = "safe-framework-of-standards", "controlled-delivery-handbook", "no-such-document"
	for _, prefix := range []string{"/docs/", "/api/documents/"} {
		for _, target := range [][2]string{
			{prefix + public + "/compare/" + hidden, prefix + public + "/compare/" + missing},
			{prefix + hidden + "/compare/" + public, prefix + missing + "/compare/" + public},
		} {
			h1, h2 := get(t, h, target[0]), get(t, h, target[1])
			if h1.Code != http.StatusNotFound || h2.Code != http.StatusNotFound {
				t.Errorf("%s = %d, %s = %d, want 404 both", target[0], h1.Code, target[1], h2.Code)
			}
			norm := func(rec *httptest.ResponseRecorder, id string) string {
				return strings.ReplaceAll(reqID.ReplaceAllString(rec.Body.String(), ""), id, "ID")
			}
			if b1, b2 := norm(h1, hidden), norm(h2, missing); b1 != b2 {
				t.Errorf("%s and %s answer differently:\n%s\n%s", target[0], target[1], b1, b2)
			}
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/documents/"+public+"/compare/"+hidden, nil)
	req.Header.Set("Authorization", "Bearer officer-token-0123456789")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("an entitled officer's comparison = %d %s", rec.Code, rec.Body)
	}
}

func TestCompareBounds(t *testing.T) {
	srv, err := web.New(searchtest.Service(t, sample.FS()), web.Options{Compare: compare.Options{MaxSections: 20}})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	rec := get(t, h, "/api/documents/safe-framework-of-standards-2018/compare/safe-framework-of-standards")
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "too large to compare: 32 sections, at most 20") {
		t.Errorf("over the bound: %d %s", rec.Code, rec.Body)
	}
	page := get(t, h, "/docs/safe-framework-of-standards-2018/compare/safe-framework-of-standards?ui=fr")
	if page.Code != http.StatusUnprocessableEntity || !strings.Contains(page.Body.String(), "trop longs pour être comparés") {
		t.Errorf("over the bound, French page: %d", page.Code)
	}
	if rec := get(t, h, "/api/documents/safe-framework-of-standards/compare/safe-framework-of-standards"); rec.Code != http.StatusBadRequest {
		t.Errorf("a document with itself = %d", rec.Code)
	}
	// Documents under the bound are compared.
	if rec := get(t, h, "/api/documents/security-resolution/compare/resolution-securite"); rec.Code != http.StatusOK {
		t.Errorf("under the bound = %d %s", rec.Code, rec.Body)
	}
}

// What the documents say is escaped on the comparison page, in the diff
// as in added and removed text.
func TestCompareEscapes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("old.md", "---\ntitle: Port guide\nlang: en\nyear: 2019\nstatus: superseded\nsuperseded_by: new\n---\n## 1 Seals\nCheck the seal `<script>alert(1)</script>` at the gate every time.\n\n## 2 Gone\nThis `<b>section</b>` is dropped in the new edition entirely.\n")
	write("new.md", "---\ntitle: Port guide\nlang: en\nyear: 2024\n---\n## 1 Seals\nCheck the seal `<img src=x onerror=alert(2)>` at the gate every time.\n\n## 3 New\nA new `<i>section</i>` about scanners and their images.\n")
	srv, err := web.New(searchtest.Service(t, os.DirFS(dir)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, srv.Handler(), "/docs/new/compare/old").Body.String()
	for _, bad := range []string{"<script>", "<img", "<b>section", "<i>section"} {
		if strings.Contains(body, bad) {
			t.Errorf("compare page shows %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;img", "1 section changed, 1 added, 1 removed"} {
		if !strings.Contains(body, want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
}

// corporaDir is ../shared/corpora, or the test skips (fails under CI).
func corporaDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpora")
	if env := os.Getenv("HANDBOOK_CORPORA"); env != "" {
		dir = env
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpora not found at %s (CI must have ../shared): %v", dir, err)
		}
		t.Skipf("shared corpora not found at %s (set HANDBOOK_CORPORA to its path): %v", dir, err)
	}
	return dir
}

// Real documents from ../shared/corpora, indexed from a folder of copies.
//
// The 4th anti-money-laundering directive in English and French (DOCX): the
// same 69 articles, 4 annexes and correlation table, in another language,
// so every one is changed (the French "Article premier" and "ANNEXE I" are
// Article 1 and ANNEX I; Annex IV has no text of its own in either, so it
// is unchanged); the title and preamble of each are headed in its own
// language and share no words, so they are 2 removed and 2 added.
//
// The Debian Policy Manual 4.6.2.0 as PDF and as plain text (across
// formats): the same 340 sections read from two files. The PDF numbers the
// appendices on from the chapters (15.2.1 "debian/rules", 22.58 "Version
// 3.0.1") where the text numbers them 1–10 under a part "Appendices"
// (3.2.1, 10.58): those sections are moved; the text's "Appendices" heading
// is the one section added, the PDF's index the one removed.
func TestCompareCorpora(t *testing.T) {
	src := corporaDir(t)
	dir := t.TempDir()
	for _, f := range []string{"eu-amld4-docx/directive-2015-849-en.docx", "eu-amld4-docx/directive-2015-849-fr.docx", "debian-policy/policy.pdf", "debian-policy/policy.txt"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := web.New(searchtest.Service(t, os.DirFS(dir)), web.Options{RequestTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()

	t.Run("directive EN and FR", func(t *testing.T) {
		r := getCompare(t, h, "directive-2015-849-en", "directive-2015-849-fr")
		if r.Summary != (compare.Summary{Changed: 73, Added: 2, Removed: 2, Unchanged: 1}) {
			t.Errorf("summary %+v", r.Summary)
		}
		changed := strings.Join(r.numbers(compare.Changed), "; ")
		for _, want := range []string{"Article 1 → Article premier", "ANNEX I → ANNEXE I", "Article 69 → Article 69", "Correlation table → Tableau de correspondance"} {
			if !strings.Contains(changed, want) {
				t.Errorf("changed pairs lack %q", want)
			}
		}
	})
	t.Run("policy PDF and text", func(t *testing.T) {
		r := getCompare(t, h, "policy-pdf", "policy-txt")
		s := r.Summary
		if s.Added != 1 || s.Removed != 1 || s.Changed+s.Moved+s.Unchanged != 339 || s.Moved < 20 {
			t.Errorf("summary %+v, want 1 added, 1 removed, 339 paired of which at least 20 moved", s)
		}
		if a, rm := r.numbers(compare.Added), r.numbers(compare.Removed); len(a) != 1 || a[0] != "- → Appendices" || len(rm) != 1 || rm[0] != "Index → -" {
			t.Errorf("added %q, removed %q", a, rm)
		}
		moved := strings.Join(r.numbers(compare.Moved), "; ")
		for _, want := range []string{"15.2.1 → 3.2.1", "22.58 → 10.58"} {
			if !strings.Contains(moved, want) {
				t.Errorf("moved sections lack %q: %s", want, moved)
			}
		}
	})
}

// A course-pack item whose section changed since it was cited shows the word
// diff of the cited text to the current one; an item of an edition that a
// later one supersedes links to that section's pair in their comparison.
func TestPackItemsLinkToTheirDiff(t *testing.T) {
	e := newPackEnv(t)
	p := decode[store.Pack](t, e.do("POST", "/api/packs", map[string]any{"title": "Selection"}), http.StatusCreated)
	decode[store.Item](t, e.do("POST", "/api/packs/"+p.ID+"/items", map[string]any{"doc_id": "port", "section_id": "2-container-selection"}), http.StatusCreated)
	page := e.do("GET", "/packs/"+p.ID, nil).Body.String()
	if strings.Contains(page, "What changed") {
		t.Error("an item whose section did not change offers a diff")
	}

	e.write("port.md", strings.Replace(portDoc, "with risk indicators.", "with updated risk indicators.", 1))
	e.restart()
	page = e.do("GET", "/packs/"+p.ID, nil).Body.String()
	if !strings.Contains(page, "What changed since it was cited") || !strings.Contains(page, "with <ins>updated</ins> risk indicators.") {
		t.Errorf("the changed item shows no diff: %s", page)
	}

	// A new edition supersedes the handbook.
	e.write("port.md", strings.Replace(portDoc, "edition: \"1st edition\"\n", "edition: \"1st edition\"\nstatus: superseded\nsuperseded_by: port-2025\n", 1))
	e.write("port-2025.md", strings.NewReplacer("year: 2020", "year: 2025", "1st edition", "2nd edition", "with risk indicators.", "with risk indicators and advance data.").Replace(portDoc))
	e.restart()
	page = e.do("GET", "/packs/"+p.ID, nil).Body.String()
	link := `href="/docs/port/compare/port-2025#old-2-container-selection"`
	if !strings.Contains(page, link) || !strings.Contains(page, "What changed in the current edition") {
		t.Fatalf("the item of a superseded edition does not link to its comparison")
	}
	cmp := e.do("GET", "/docs/port/compare/port-2025", nil).Body.String()
	if !strings.Contains(cmp, `id="old-2-container-selection"`) || !strings.Contains(cmp, "<del>indicators.</del> <ins>indicators and advance data.</ins>") || !strings.Contains(cmp, "1 section changed; 2 unchanged") {
		t.Errorf("the comparison lacks the cited section's pair: %s", cmp)
	}
}

// The comparison page in the French interface shows none of the
// catalogue's English, and French typography, on French editions that have
// every kind of pair.
func TestFrenchComparePage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("guide-2019.md", `---
title: Guide du ciblage portuaire
lang: fr
year: 2019
edition: "édition 2019"
status: superseded
superseded_by: guide-2024
---
## 1 Scellés
Les agents vérifient le scellé de chaque conteneur à la sortie du port.

## 2 Profils
Les profils de risque sont revus chaque année par le comité.

## 3 Formation
Les agents suivent une formation au ciblage tous les deux ans.

## 4 Archives
Les rapports papier sont conservés dix ans au bureau principal.
`)
	write("guide-2024.md", `---
title: Guide du ciblage portuaire
lang: fr
year: 2024
edition: "édition 2024"
---
## 1 Scellés
Les agents vérifient le scellé électronique de chaque conteneur à la sortie du port.

## 2 Formation
Les agents suivent une formation au ciblage tous les deux ans.

## 3 Profils
Les profils de risque sont revus chaque année par le comité.

## 5 Images
Les images des scanners sont transmises à l'unité d'analyse de risque.
`)
	srv, err := web.New(searchtest.Service(t, os.DirFS(dir)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	english := englishFragments(t)
	rec := get(t, h, "/docs/guide-2024/compare/guide-2019?ui=fr")
	if rec.Code != http.StatusOK {
		t.Fatalf("compare page = %d", rec.Code)
	}
	body := rec.Body.String()
	if want := "1 section modifiée, 2 déplacées, 1 ajoutée, 1 supprimée"; !strings.Contains(body, want) {
		t.Errorf("French summary lacks %q", want)
	}
	checkFrench(t, "compare page", visibleFrench(t, body), english)
	doc := get(t, h, "/docs/guide-2019?ui=fr").Body.String()
	if !strings.Contains(doc, "Comparer avec") {
		t.Error("French document page lacks the link to the comparison")
	}
	checkFrench(t, "document page", visibleFrench(t, doc), english)
	over, err := web.New(searchtest.Service(t, os.DirFS(dir)), web.Options{Compare: compare.Options{MaxSections: 2}})
	if err != nil {
		t.Fatal(err)
	}
	refused := get(t, over.Handler(), "/docs/guide-2024/compare/guide-2019?ui=fr")
	if refused.Code != http.StatusUnprocessableEntity {
		t.Errorf("over the bound = %d", refused.Code)
	}
	checkFrench(t, "refused comparison", visibleFrench(t, refused.Body.String()), english)
}
