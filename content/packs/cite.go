package packs

import (
	"fmt"
	"strings"

	"handbook/content"
	"handbook/content/store"
)

// Citation formats a reference to a cited section: organizations, document
// title, edition and year, section number and heading, pages, language and
// permalink.
func Citation(s store.Section, permalink string) string { return CitationIn("en", s, permalink) }

// CitationIn is Citation in the language lang ("en" or "fr"): the pages
// and the document's language are written in it.
func CitationIn(lang string, s store.Section, permalink string) string {
	sec := strings.TrimSpace(s.Number + " " + s.Heading)
	if s.Number != "" && !strings.ContainsAny(s.Number[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		sec = "§ " + sec
	}
	if p := PagesIn(lang, s.Page, s.PageEnd); p != "" {
		sec += ", " + p
	}
	name := languageName(lang, s.Lang)
	if name == "" {
		name = s.Lang
	}
	return reference(s, permalink, sec, name)
}

// Reference formats a bibliography entry for a document.
func Reference(s store.Section, permalink string) string { return ReferenceIn("en", s, permalink) }

// ReferenceIn is Reference in the language lang.
func ReferenceIn(lang string, s store.Section, permalink string) string {
	return reference(s, permalink, "", languageName(lang, s.Lang))
}

// languageNamesFR are the French names of content.Languages.
var languageNamesFR = map[string]string{
	content.LanguageEnglish: "anglais", content.LanguageFrench: "français", content.LanguageSpanish: "espagnol",
	content.LanguageGerman: "allemand", content.LanguageArabic: "arabe", content.LanguagePortuguese: "portugais",
	content.LanguageItalian: "italien", content.LanguageDutch: "néerlandais", content.LanguageRussian: "russe",
}

// languageName names the language code in lang, "" when unknown.
func languageName(lang, code string) string {
	if lang == "fr" {
		return languageNamesFR[code]
	}
	return content.LanguageNames[code]
}

// reference joins organizations, title, edition and year, the section part
// and the language, each when present, and appends the permalink.
func reference(s store.Section, permalink, section, lang string) string {
	var parts []string
	if len(s.Org) > 0 {
		parts = append(parts, strings.Join(s.Org, ", "))
	}
	parts = append(parts, s.DocTitle)
	for _, p := range []string{editionYear(s), section, lang} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	out := strings.Join(parts, ". ") + "."
	if permalink != "" {
		out += " " + permalink
	}
	return out
}

func editionYear(s store.Section) string {
	switch {
	case s.Edition != "" && s.Year != 0 && !strings.Contains(s.Edition, fmt.Sprint(s.Year)):
		return fmt.Sprintf("%s, %d", s.Edition, s.Year)
	case s.Edition != "":
		return s.Edition
	case s.Year != 0:
		return fmt.Sprint(s.Year)
	}
	return ""
}

// Pages formats a page or page range: "p. 4", "pp. 4–6".
func Pages(from, to int) string { return PagesIn("en", from, to) }

// PagesIn is Pages in the language lang: French writes a range "p. 4–6".
func PagesIn(lang string, from, to int) string {
	switch {
	case from == 0:
		return ""
	case to > from && lang == "fr":
		return fmt.Sprintf("p. %d–%d", from, to)
	case to > from:
		return fmt.Sprintf("pp. %d–%d", from, to)
	}
	return fmt.Sprintf("p. %d", from)
}
