package engine

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"handbook/content"
)

//go:embed glossary.yaml
var defaultGlossary []byte

// GlossaryFile is the name of a content folder's own glossary.
const GlossaryFile = "glossary.yaml"

// Glossary maps the forms of domain terms to each other: an acronym, its
// expansions and its equivalents in other languages.
type Glossary struct {
	Entries []GlossaryEntry
	byForm  map[string]int // folded form -> entry index
}

// GlossaryEntry is one term in all its forms; Terms[0] is the display form.
type GlossaryEntry struct {
	// Terms are the forms listed under terms (any language), then those of
	// each language in the order of content.Languages, each once.
	Terms []string
	// Langs maps the GlossaryKey of a form that belongs to some languages
	// only to those languages: search looks for it in their sections only.
	// A form listed under terms is in none: it is looked for in every
	// language.
	Langs map[string][]string
}

// Languages returns the languages form belongs to in e, nil when it is a
// form of every language (or not one of e).
func (e GlossaryEntry) Languages(form string) []string { return e.Langs[GlossaryKey(form)] }

// FormLanguages returns the languages a glossary form belongs to, nil when
// it is a form of every language or no form at all.
func (g *Glossary) FormLanguages(form string) []string {
	i, ok := g.byForm[GlossaryKey(form)]
	if !ok {
		return nil
	}
	return g.Entries[i].Languages(form)
}

// DefaultGlossary returns the embedded glossary of the domain's terms.
func DefaultGlossary() *Glossary {
	g, err := ParseGlossary(defaultGlossary)
	if err != nil {
		panic(err) // the embedded file is checked by tests
	}
	return g
}

// ParseGlossary reads a glossary file: a list of entries, each with the key
// terms (forms of every language, acronyms mostly) and one key per language
// code of content.Languages (en, fr, es, …) listing that language's forms.
// A form may be listed under several languages of one entry ("OEA" is French
// and Spanish); a form listed in two entries is an error that names both.
func ParseGlossary(data []byte) (*Glossary, error) {
	var raw []map[string][]string
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	g := &Glossary{byForm: map[string]int{}}
	for i, r := range raw {
		for key := range r {
			if key != "terms" && !slices.Contains(content.Languages, key) {
				return nil, fmt.Errorf("glossary entry %d: field %s not found: use terms or a language (%s)", i+1, key, strings.Join(content.Languages, ", "))
			}
		}
		e := GlossaryEntry{Langs: map[string][]string{}}
		anyLang := map[string]bool{}
		add := func(t, lang string) {
			if t = strings.Join(strings.Fields(t), " "); t == "" {
				return
			}
			k := GlossaryKey(t)
			if !slices.ContainsFunc(e.Terms, func(x string) bool { return GlossaryKey(x) == k }) {
				e.Terms = append(e.Terms, t)
			}
			switch {
			case lang == "":
				anyLang[k] = true
				delete(e.Langs, k)
			case !anyLang[k] && !slices.Contains(e.Langs[k], lang):
				e.Langs[k] = append(e.Langs[k], lang)
			}
		}
		for _, t := range r["terms"] {
			add(t, "")
		}
		for _, lang := range content.Languages {
			for _, t := range r[lang] {
				add(t, lang)
			}
		}
		if len(e.Terms) < 2 {
			return nil, fmt.Errorf("glossary entry %d: needs at least two forms", i+1)
		}
		for _, t := range e.Terms {
			k := GlossaryKey(t)
			if j, dup := g.byForm[k]; dup {
				return nil, fmt.Errorf("glossary: %q is in entry %d (%s) and entry %d (%s)", t, j+1, g.Entries[j].Terms[0], i+1, e.Terms[0])
			}
			g.byForm[k] = len(g.Entries)
		}
		g.Entries = append(g.Entries, e)
	}
	if len(g.Entries) == 0 {
		return nil, errors.New("glossary: no entries")
	}
	return g, nil
}

// GlossaryKey is the form under which a term is looked up: lower case,
// accents folded, spaces single.
func GlossaryKey(t string) string {
	return content.Fold(strings.ToLower(strings.Join(strings.Fields(t), " ")))
}

// Lookup returns the entry for a form as the user typed it. A short
// acronym (two letters) matches only when typed in capitals, so
// "cd" or "lo" stay ordinary words.
func (g *Glossary) Lookup(typed string) (GlossaryEntry, bool) {
	i, ok := g.byForm[GlossaryKey(typed)]
	if !ok {
		return GlossaryEntry{}, false
	}
	if isShortAcronym(typed, g.Entries[i]) && strings.ToUpper(typed) != typed {
		return GlossaryEntry{}, false
	}
	return g.Entries[i], true
}

func isShortAcronym(typed string, e GlossaryEntry) bool {
	n := 0
	for _, r := range typed {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	if n > 2 {
		return false
	}
	for _, t := range e.Terms {
		if strings.EqualFold(t, typed) && strings.ToUpper(t) == t {
			return true
		}
	}
	return false
}
