package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"handbook/content/store"
)

// TestAddingAHigherSectionWarns: adding a section whose handling level is
// above every other section's of the pack answers with a warning, in the API
// and on the pack's page after the form's redirect (no JavaScript needed).
func TestAddingAHigherSectionWarns(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	trainer := principals[3] // sees up to law-enforcement-sensitive
	newPack := func() string {
		t.Helper()
		rec := e.as(trainer, "POST", "/api/packs", `{"title":"Briefing"}`)
		var p store.Pack
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusCreated {
			t.Fatalf("create pack: %d %s", rec.Code, rec.Body)
		}
		return p.ID
	}
	const les = "LAW ENFORCEMENT SENSITIVE"
	add := func(pack, doc string) string {
		t.Helper()
		rec := e.as(trainer, "POST", "/api/packs/"+pack+"/items", `{"doc_id":"`+doc+`","section_id":"1-procedure"}`)
		var got struct {
			ID      string
			DocID   string `json:"doc_id"`
			Warning string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusCreated || got.DocID != doc {
			t.Fatalf("add %s: %d %s", doc, rec.Code, rec.Body)
		}
		return got.Warning
	}
	t.Run("api", func(t *testing.T) {
		pack := newPack()
		for _, step := range []struct{ doc, warning string }{
			{"open", ""},                // public: nothing to mark
			{"members", "MEMBERS ONLY"}, // above public
			{"les", les},                // above members-only
			{"members", ""},             // below the pack's highest
			{"les", ""},                 // as high as another, not above
			{"open", ""},                // public again
		} {
			got := add(pack, step.doc)
			if step.warning == "" && got != "" || step.warning != "" && !strings.Contains(got, "marked "+step.warning) {
				t.Errorf("adding %s: warning %q, want one of %q", step.doc, got, step.warning)
			}
		}
		// The first section of an empty pack is above the nothing before it.
		if got := add(newPack(), "les"); !strings.Contains(got, "law-enforcement-sensitive, above every other section") {
			t.Errorf("first section, law-enforcement-sensitive: warning %q", got)
		}
	})
	t.Run("page", func(t *testing.T) {
		pack := newPack()
		add(pack, "open")
		form := e.as(trainer, "GET", "/packs/add?doc_id=les&section_id=1-procedure", "")
		token := csrfField.FindStringSubmatch(form.Body.String())
		if form.Code != http.StatusOK || token == nil {
			t.Fatalf("add form %d", form.Code)
		}
		post := func(doc string) *httptest.ResponseRecorder {
			v := url.Values{"_csrf": {token[1]}, "pack": {pack}, "doc_id": {doc}, "section_id": {"1-procedure"}}
			req := httptest.NewRequest("POST", "/packs/add", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+trainer.token)
			for _, c := range form.Result().Cookies() {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("POST /packs/add %s = %d %s", doc, rec.Code, rec.Body)
			}
			return rec
		}
		if loc := post("open").Header().Get("Location"); strings.Contains(loc, "added=") {
			t.Errorf("a public section to a public pack redirects to %s", loc)
		}
		loc, _, _ := strings.Cut(post("les").Header().Get("Location"), "#")
		if !strings.Contains(loc, "added=") {
			t.Fatalf("the raising section redirects to %s", loc)
		}
		for _, tc := range []struct{ ui, raised, marking string }{
			{"en", "The section you added is marked “" + les + "”, above every other section of this pack",
				"Exports of this pack are marked “" + les + "”"},
			{"fr", "La section ajoutée porte la mention «\u202f" + les + "\u202f», au-dessus de toutes les autres sections du dossier\u202f:",
				"Les exports de ce dossier portent la mention «\u202f" + les + "\u202f»\u202f:"},
		} {
			page := e.as(trainer, "GET", loc+"&ui="+tc.ui, "")
			if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), tc.raised) || !strings.Contains(page.Body.String(), tc.marking) {
				t.Errorf("pack page (%s) after adding the section lacks the warning %q or the marking %q:\n%s", tc.ui, tc.raised, tc.marking, page.Body)
			}
		}
		if md := e.as(trainer, "GET", "/api/packs/"+pack+"/export?format=md", "").Body.String(); !strings.HasPrefix(md, "**"+les+"**\n") || !strings.HasSuffix(md, "**"+les+"**\n") {
			t.Errorf("the pack's Markdown export is not marked:\n%s", md)
		}
		// The page warns from the pack itself, not from the parameter: an
		// item that raised nothing gets no warning.
		var p store.Pack
		_ = json.Unmarshal(e.as(trainer, "GET", "/api/packs/"+pack, "").Body.Bytes(), &p)
		if page := e.as(trainer, "GET", "/packs/"+pack+"?added="+p.Items[0].ID, "").Body.String(); strings.Contains(page, "The section you added") {
			t.Error("the pack page warns of a public item")
		}
		if page := e.as(trainer, "GET", "/packs/"+pack, "").Body.String(); strings.Contains(page, "The section you added") || !strings.Contains(page, "marked “"+les+"”") {
			t.Error("the pack page without ?added warns, or does not tell the marking")
		}
	})
}

// TestSearchExportIsMarked: the JSON export of search results carries the
// highest level of its hits as its marking; the CSV a level column.
func TestSearchExportIsMarked(t *testing.T) {
	e := newSecEnv(t, 1000, 1000)
	for _, tc := range []struct {
		who            principal
		level, marking string
	}{
		{principals[0], "public", ""},
		{principals[3], "law-enforcement-sensitive", "LAW ENFORCEMENT SENSITIVE"},
		{principals[4], "restricted", "RESTRICTED"},
	} {
		var res struct{ Level, Marking string }
		rec := e.as(tc.who, "GET", "/api/search/export?format=json&q=joint+checks", "")
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Level != tc.level || res.Marking != tc.marking {
			t.Errorf("%s: JSON export level %q marking %q, want %q %q (%v)", tc.who.name, res.Level, res.Marking, tc.level, tc.marking, err)
		}
		rows, err := csv.NewReader(e.as(tc.who, "GET", "/api/search/export?format=csv&q=joint+checks", "").Body).ReadAll()
		if err != nil || len(rows) < 2 || rows[0][len(rows[0])-1] != "level" {
			t.Fatalf("%s: CSV export %v %v", tc.who.name, err, rows)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			seen[r[len(r)-1]] = true
		}
		if !seen[tc.level] {
			t.Errorf("%s: CSV rows' levels %v lack %q", tc.who.name, seen, tc.level)
		}
	}
}
