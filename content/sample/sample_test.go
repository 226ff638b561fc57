package sample_test

import (
	"slices"
	"strings"
	"testing"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/content/sample"
)

// TestSampleKnowledgeBase checks what the sample promises a new user: enough
// documents and sections, both languages with French editions of English
// documents, every topic and type of the domain, and a notice in every
// document that it is illustrative.
func TestSampleKnowledgeBase(t *testing.T) {
	r := ingest.LoadFS(sample.FS(), ".")
	if err := r.Err(); err != nil {
		t.Fatalf("sample documents fail to load:\n%v", err)
	}
	docs := map[string]content.Document{}
	var french, translations, sections, restricted int
	topics, types := map[string]bool{}, map[string]bool{}
	for _, l := range r.Documents {
		d := l.Document
		docs[d.ID] = d
		sections += len(l.Sections)
		if d.Language == content.LanguageFrench {
			french++
		}
		if d.Level != content.LevelPublic {
			restricted++
		}
		for _, tp := range d.Topics {
			if !slices.Contains(content.Topics, tp) {
				t.Errorf("%s: topic %q is not in content.Topics", d.ID, tp)
			}
			topics[tp] = true
		}
		types[d.Type] = true
		text := ""
		for _, s := range l.Sections {
			text += s.Text + "\n"
			if strings.TrimSpace(s.Text) == "" {
				t.Errorf("%s#%s has no text", d.ID, s.ID)
			}
		}
		notice := "not official text"
		if d.Language == content.LanguageFrench {
			notice = "pas un texte officiel"
		}
		if !strings.Contains(text, notice) {
			t.Errorf("%s lacks the notice that it is illustrative (%q)", d.ID, notice)
		}
		if d.Summary == "" || d.Year == 0 || len(d.Organizations) == 0 || d.Type == "" || len(d.Topics) == 0 {
			t.Errorf("%s: incomplete metadata %+v", d.ID, d)
		}
	}
	for _, d := range docs {
		if d.TranslationOf != "" {
			orig, ok := docs[d.TranslationOf]
			if !ok || orig.Language == d.Language {
				t.Errorf("%s: translation_of %q is not a document in another language", d.ID, d.TranslationOf)
			} else if d.Language == content.LanguageFrench {
				translations++
			}
		}
		if d.SupersededBy != "" {
			if _, ok := docs[d.SupersededBy]; !ok || d.Status != content.StatusSuperseded {
				t.Errorf("%s: superseded_by %q does not exist or status is %q", d.ID, d.SupersededBy, d.Status)
			}
		}
	}
	public := len(docs) - restricted
	if public < 30 || sections < 300 || french < 8 || translations < 3 || restricted < 1 {
		t.Errorf("sample has %d public documents (want ≥30), %d sections (≥300), %d French (≥8), %d French editions (≥3), %d non-public (≥1)",
			public, sections, french, translations, restricted)
	}
	for _, tp := range content.Topics {
		if !topics[tp] {
			t.Errorf("no sample document has topic %q", tp)
		}
	}
	for _, ty := range content.Types {
		if !types[ty] {
			t.Errorf("no sample document has type %q", ty)
		}
	}
	t.Logf("%d documents (%d public), %d sections, %d French, %d French editions", len(docs), public, sections, french, translations)
}
