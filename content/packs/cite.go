package packs

import (
	"fmt"
	"strings"
)

// languageNames names the languages in citations.
var languageNames = map[string]string{"en": "English", "fr": "French"}

// Citation formats a reference to a cited section: organizations, document
// title, edition and year, section number and heading, pages, language and
// permalink.
func Citation(s Section, permalink string) string {
	var parts []string
	if len(s.Org) > 0 {
		parts = append(parts, strings.Join(s.Org, ", "))
	}
	parts = append(parts, s.DocTitle)
	if ed := editionYear(s); ed != "" {
		parts = append(parts, ed)
	}
	sec := strings.TrimSpace(s.Number + " " + s.Heading)
	if s.Number != "" && !strings.ContainsAny(s.Number[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		sec = "§ " + sec
	}
	if p := Pages(s.Page, s.PageEnd); p != "" {
		sec += ", " + p
	}
	parts = append(parts, sec)
	if l := languageNames[s.Lang]; l != "" {
		parts = append(parts, l)
	} else if s.Lang != "" {
		parts = append(parts, s.Lang)
	}
	out := strings.Join(parts, ". ") + "."
	if permalink != "" {
		out += " " + permalink
	}
	return out
}

// Reference formats a bibliography entry for a document.
func Reference(s Section, permalink string) string {
	var parts []string
	if len(s.Org) > 0 {
		parts = append(parts, strings.Join(s.Org, ", "))
	}
	parts = append(parts, s.DocTitle)
	if ed := editionYear(s); ed != "" {
		parts = append(parts, ed)
	}
	if l := languageNames[s.Lang]; l != "" {
		parts = append(parts, l)
	}
	out := strings.Join(parts, ". ") + "."
	if permalink != "" {
		out += " " + permalink
	}
	return out
}

func editionYear(s Section) string {
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
func Pages(from, to int) string {
	switch {
	case from == 0:
		return ""
	case to > from:
		return fmt.Sprintf("pp. %d–%d", from, to)
	}
	return fmt.Sprintf("p. %d", from)
}
