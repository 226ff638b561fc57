package indexer

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

//go:embed glossary.yaml
var defaultGlossary []byte

// GlossaryFile is the name of a content folder's own glossary.
const GlossaryFile = "glossary.yaml"

// Glossary maps the forms of domain terms to each other: an acronym, its
// expansions and its French equivalents.
type Glossary struct {
	Entries []GlossaryEntry
	byForm  map[string]int // folded form -> entry index
}

// GlossaryEntry is one term in all its forms; Terms[0] is the display form.
type GlossaryEntry struct {
	Terms []string `yaml:"terms"`
}

// DefaultGlossary returns the embedded glossary of the domain's terms.
func DefaultGlossary() *Glossary {
	g, err := ParseGlossary(defaultGlossary)
	if err != nil {
		panic(err) // the embedded file is checked by tests
	}
	return g
}

// ParseGlossary reads a glossary file; a term listed in two entries is an
// error that names both.
func ParseGlossary(data []byte) (*Glossary, error) {
	var entries []GlossaryEntry
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	g := &Glossary{byForm: map[string]int{}}
	for i, e := range entries {
		var terms []string
		for _, t := range e.Terms {
			if t = strings.Join(strings.Fields(t), " "); t != "" {
				terms = append(terms, t)
			}
		}
		if len(terms) < 2 {
			return nil, fmt.Errorf("glossary entry %d: needs at least two forms", i+1)
		}
		for _, t := range terms {
			k := GlossaryKey(t)
			if j, dup := g.byForm[k]; dup {
				return nil, fmt.Errorf("glossary: %q is in entry %d (%s) and entry %d (%s)", t, j+1, g.Entries[j].Terms[0], i+1, terms[0])
			}
			g.byForm[k] = len(g.Entries)
		}
		g.Entries = append(g.Entries, GlossaryEntry{Terms: terms})
	}
	if len(g.Entries) == 0 {
		return nil, errors.New("glossary: no entries")
	}
	return g, nil
}

// GlossaryKey is the form under which a term is looked up: lower case,
// accents folded, spaces single.
func GlossaryKey(t string) string {
	return Fold(strings.ToLower(strings.Join(strings.Fields(t), " ")))
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
