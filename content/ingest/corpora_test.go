package ingest

import (
	"context"
	"handbook/content"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// corpora returns the shared corpora folder (../shared/corpora beside the
// repository), or skips the test when it is absent, as in a user's clone.
func corpora(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpora")
	if env := os.Getenv("HANDBOOK_CORPORA"); env != "" {
		dir = env
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		if os.Getenv("CI") != "" { // CI always has ../shared: a CI without it must not pass by skipping
			t.Fatalf("shared corpora not found at %s (CI must have ../shared): %v", dir, err)
		}
		t.Skipf("shared corpora not found at %s (set HANDBOOK_CORPORA to its path): %v", dir, err)
	}
	return dir
}

var (
	corpusOnce   sync.Once
	corpusReport *Report
	corpusErr    error
)

// corpus loads the whole shared corpora once for all tests.
func corpus(t *testing.T) *Report {
	t.Helper()
	dir := corpora(t)
	corpusOnce.Do(func() {
		corpusReport, corpusErr = Load(context.Background(), os.DirFS(dir), ".", Options{})
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusReport
}

func corpusDoc(t *testing.T, id string) content.Loaded {
	t.Helper()
	for _, d := range corpus(t).Documents {
		if d.Document.ID == id {
			return d
		}
	}
	t.Fatalf("document %q not loaded", id)
	return content.Loaded{}
}

// firstSection returns the first section with the given number.
func firstSection(t *testing.T, l content.Loaded, number string) content.Section {
	t.Helper()
	for _, s := range l.Sections {
		if s.Number == number {
			return s
		}
	}
	t.Fatalf("%s: no section numbered %q", l.Document.ID, number)
	return content.Section{}
}

func TestCorporaEveryFileLoads(t *testing.T) {
	r := corpus(t)
	for _, e := range r.Skipped {
		t.Errorf("skipped %v", e)
	}
	formats := map[string]int{}
	for _, d := range r.Documents {
		formats[d.Document.Format]++
		if len(d.Sections) == 0 || d.Document.Title == "" {
			t.Errorf("%s: %d sections, title %q", d.Document.Source, len(d.Sections), d.Document.Title)
		}
	}
	// 2 DOCX, 6 PDF, 1 text, 280 HTML pages, 285 Markdown files (eu-amld4 and the README).
	want := map[string]int{content.FormatDOCX: 2, content.FormatPDF: 6, content.FormatText: 1, content.FormatHTML: 280, content.FormatMarkdown: 285}
	for f, n := range want {
		if formats[f] != n {
			t.Errorf("%d %s documents, want %d", formats[f], f, n)
		}
	}
}

func TestCorporaUnionCustomsCodeArticlesAndPages(t *testing.T) {
	ucc := corpusDoc(t, "eu-ucc-fr-reglement-ue-952-2013-code-des-douanes-union-fr")
	if ucc.Document.Language != content.LanguageFrench || ucc.Document.Pages != 101 || !strings.Contains(ucc.Document.Title, "952/2013") {
		t.Errorf("document = %+v", ucc.Document)
	}
	// Pages checked by hand with pdftotext -f N -l N.
	tests := []struct {
		number, heading string
		page            int
	}{
		{"Article premier", "Objet et champ d'application", 11},
		{"Article 2", "Délégation de pouvoir", 11},
		{"Article 5", "Définitions", 12},
		{"Article 57", "Classement tarifaire de marchandises", 30},
		{"Article 58", "Attribution de compétences d'exécution", 30},
		{"Article 64", "", 31},
		{"Article 109", "", 45},
		{"Article 111", "", 45},
		{"Article 162", "", 60},
		{"Article 167", "", 60},
		{"Article 241", "", 77},
		{"Article 245", "", 77},
	}
	for _, tc := range tests {
		s := firstSection(t, ucc, tc.number)
		if s.Page != tc.page || (tc.heading != "" && s.Heading != tc.heading) {
			t.Errorf("%s: page %d heading %q, want page %d heading %q", tc.number, s.Page, s.Heading, tc.page, tc.heading)
		}
		if s.PageEnd < s.Page || !strings.Contains(s.Path, tc.number) {
			t.Errorf("%s: pages %d–%d, path %q", tc.number, s.Page, s.PageEnd, s.Path)
		}
	}
	// Article 5 (definitions) runs over several pages.
	if s := firstSection(t, ucc, "Article 5"); s.PageEnd <= s.Page || len(s.PageBreaks) == 0 {
		t.Errorf("Article 5 pages %d–%d, breaks %v", s.Page, s.PageEnd, s.PageBreaks)
	}
	// Titles and chapters nest the articles.
	if s := firstSection(t, ucc, "Article 57"); !strings.HasPrefix(s.Path, "TITRE II") || !strings.Contains(s.Path, "CHAPITRE 1") {
		t.Errorf("Article 57 path %q", s.Path)
	}
}

// TestCorporaPhraseOnItsPage finds known phrases and checks, through the
// section's page breaks, the page they stand on (checked with pdftotext).
func TestCorporaPhraseOnItsPage(t *testing.T) {
	tests := []struct {
		doc, phrase string
		page        int
	}{
		{"eu-ucc-fr-reglement-ue-952-2013-code-des-douanes-union-fr", "ce délai ne peut excéder dix jours à compter de la notification", 45},
		{"eu-ucc-fr-reglement-ue-952-2013-code-des-douanes-union-fr", "La sous-position ou l'autre subdivision déterminée conformément aux paragraphes 1 et 2", 30},
		{"debian-policy-policy-pdf", "Every package must have a name that’s unique within the Debian archive", 23},
	}
	for _, tc := range tests {
		l := corpusDoc(t, tc.doc)
		found := false
		for _, s := range l.Sections {
			if i := strings.Index(s.Text, tc.phrase); i >= 0 {
				if got := s.PageAt(i); got != tc.page {
					t.Errorf("%q is on page %d (section %s, pages %d–%d), want %d", tc.phrase, got, s.Path, s.Page, s.PageEnd, tc.page)
				}
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: phrase %q not found", tc.doc, tc.phrase)
		}
	}
}

func TestCorporaDirectiveDOCXArticles(t *testing.T) {
	for _, id := range []string{"eu-amld4-docx-directive-2015-849-en", "eu-amld4-docx-directive-2015-849-fr"} {
		l := corpusDoc(t, id)
		articles := map[string]bool{}
		for _, s := range l.Sections {
			if strings.HasPrefix(s.Number, "Article ") && strings.TrimSpace(s.Text) != "" {
				articles[s.Number] = true
			}
		}
		for _, n := range []string{"Article 1", "Article 2", "Article 30", "Article 45", "Article 69"} {
			if id == "eu-amld4-docx-directive-2015-849-fr" && n == "Article 1" {
				n = "Article premier"
			}
			if !articles[n] {
				t.Errorf("%s: no %s with text", id, n)
			}
		}
		if len(articles) != 69 {
			t.Errorf("%s: %d articles with text, want 69", id, len(articles))
		}
	}
	en := corpusDoc(t, "eu-amld4-docx-directive-2015-849-en")
	if s := firstSection(t, en, "Article 30"); !strings.Contains(s.Text, "beneficial ownership") {
		t.Errorf("Article 30 text: %.200q", s.Text)
	}
	if en.Document.Language != content.LanguageEnglish || corpusDoc(t, "eu-amld4-docx-directive-2015-849-fr").Document.Language != content.LanguageFrench {
		t.Error("languages not detected")
	}
}

func TestCorporaDebianHandbookAnchors(t *testing.T) {
	l := corpusDoc(t, "debian-handbook-en-us-sect-apt-get")
	if l.Document.Title != "6.2. aptitude, apt-get, and apt Commands" || l.Document.Language != content.LanguageEnglish {
		t.Errorf("document = %+v", l.Document)
	}
	want := []struct{ id, number string }{
		{"sect.apt-get", "6.2"}, {"sect.apt-update", "6.2.1"}, {"sect.apt.install", "6.2.2"},
		{"sect.apt-upgrade", "6.2.3"}, {"sect.apt-patterns", "6.2.8"},
	}
	ids := map[string]content.Section{}
	for _, s := range l.Sections {
		ids[s.ID] = s
		for _, chrome := range []string{"Download the ebook", "Prev", "Next"} {
			if strings.Contains(s.Text, chrome) && chrome != "Next" {
				t.Errorf("section %s keeps navigation text %q", s.ID, chrome)
			}
		}
	}
	for _, w := range want {
		if s, ok := ids[w.id]; !ok || s.Number != w.number {
			t.Errorf("section %q: %+v, want number %s", w.id, s, w.number)
		}
	}
	fr := corpusDoc(t, "debian-handbook-fr-fr-sect-apt-get")
	if fr.Sections[0].ID != "sect.apt-get" || fr.Sections[0].Number != "6.2" {
		t.Errorf("French page: first section %+v", fr.Sections[0])
	}
	// The pages declare no language: it is detected. Many French pages are
	// half untranslated (English paragraphs and command output), so only a
	// majority must come out French.
	n, french := 0, 0
	for _, d := range corpus(t).Documents {
		switch {
		case strings.HasPrefix(d.Document.Source, "debian-handbook/en-US/"):
			if d.Document.Language != content.LanguageEnglish {
				t.Errorf("%s: language %s", d.Document.Source, d.Document.Language)
			}
		case strings.HasPrefix(d.Document.Source, "debian-handbook/fr-FR/"):
			n++
			if d.Document.Language == content.LanguageFrench {
				french++
			}
		}
	}
	if french*2 < n {
		t.Errorf("%d of %d French pages detected as French", french, n)
	}
}
