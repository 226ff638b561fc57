package packs

import (
	"slices"
	"strings"

	"handbook/content"
	"handbook/content/store"
)

// Rank orders handling levels as content.Levels does, public lowest. A
// section without a level is public. A level content.Levels does not know
// ranks above all of them, so text of an unknown level is marked, never
// passed as public.
func Rank(level string) int {
	if level == "" {
		return 0
	}
	if i := slices.Index(content.Levels, level); i >= 0 {
		return i
	}
	return len(content.Levels)
}

// Level returns the highest handling level of the text an export of p
// includes: the cited levels of its items, without the unavailable ones
// (whose text is left out); content.LevelPublic for an empty pack.
func Level(p *store.Pack) string {
	top := content.LevelPublic
	for _, it := range p.Items {
		if it.Status == StatusUnavailable {
			continue
		}
		if Rank(it.Cited.Level) > Rank(top) {
			top = it.Cited.Level
		}
	}
	return top
}

// Marking returns the words that mark text of a handling level at the top
// and bottom of an export: "MEMBERS ONLY", "LAW ENFORCEMENT SENSITIVE",
// "RESTRICTED"; "" for public text, which is not marked. Every level above
// public is marked: members-only text too must not reach those who are not
// members, and a reader is handed out.
func Marking(level string) string {
	if Rank(level) == 0 {
		return ""
	}
	return strings.ToUpper(strings.ReplaceAll(level, "-", " "))
}
