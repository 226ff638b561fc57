package content

import (
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// This file holds the one text folding and the one id derivation that the
// loaders, the analyzers, the search service and the pages share.

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss", "’", "'")

// Fold removes accents and expands ligatures ("Contrôle" gives "Controle",
// "œuvre" gives "oeuvre"); case is kept. The analyzers fold terms with it.
func Fold(s string) string {
	s = ligatures.Replace(s)
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// Words returns the words of s as every package compares them: runs of
// letters and digits, lower case and folded ("Contrôle a posteriori (PCA)"
// gives "controle", "a", "posteriori", "pca").
func Words(s string) []string {
	return strings.FieldsFunc(Fold(strings.ToLower(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// DocumentID derives a document id from a file's path relative to the content
// root: the path without extension, as a slug ("Guides/Port checks.md" gives
// "guides-port-checks").
func DocumentID(rel string) string {
	return Slug(strings.TrimSuffix(rel, path.Ext(rel)))
}

// Slug lowercases s, folds accents and keeps letters and digits, joined by
// single hyphens: "Article 18 — Contrôle" gives "article-18-controle". Dots
// between digits become hyphens too ("3.2" gives "3-2").
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return b.String()
}

// LanguageNames are the English names of Languages, for citations and
// exports.
var LanguageNames = map[string]string{
	LanguageEnglish: "English", LanguageFrench: "French", LanguageSpanish: "Spanish", LanguageGerman: "German",
	LanguageArabic: "Arabic", LanguagePortuguese: "Portuguese", LanguageItalian: "Italian", LanguageDutch: "Dutch",
	LanguageRussian: "Russian",
}
