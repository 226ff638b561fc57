package web

import (
	"testing"

	"handbook/content"
)

// TestLanguageNames checks that every language a document can have is named
// in both interface languages, so the lang facet never shows a bare code.
func TestLanguageNames(t *testing.T) {
	for _, lang := range content.Languages {
		m, ok := messages["lang."+lang]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("language %s has no name in English and French: %q", lang, m)
		}
		for _, ui := range []string{"en", "fr"} {
			if got := (page{Lang: ui}).V("lang", lang); got == "lang."+lang || got == lang {
				t.Errorf("V(lang, %s) in %s = %q", lang, ui, got)
			}
		}
	}
}
