package content

import (
	"strings"
	"unicode"
)

// stopWords are frequent function words that tell the languages apart; a
// word both languages use ("a", "on", "pour") is left out.
var stopWords = map[string][]string{
	LanguageEnglish: {"the", "of", "and", "to", "in", "is", "that", "for", "with", "as", "by", "this", "be", "are",
		"or", "shall", "which", "from", "it", "an", "at", "not", "should", "their", "have", "has", "where", "such", "any",
		"other", "may", "its", "these", "those", "been", "were", "was", "will", "when", "into", "also"},
	LanguageFrench: {"le", "la", "les", "des", "du", "et", "est", "une", "un", "dans", "que", "qui", "pour", "par",
		"au", "aux", "sur", "ne", "pas", "sont", "ou", "leur", "leurs", "cette", "ces", "être", "été", "avec", "il",
		"elle", "lorsque", "ainsi", "dont", "peut", "doit", "selon", "entre", "autres", "afin"},
}

var stopIndex = func() map[string]string {
	m := map[string]string{}
	for lang, words := range stopWords {
		for _, w := range words {
			m[w] = lang
		}
	}
	return m
}()

// DetectLanguage tells English from French by counting frequent function
// words in (the first 20,000 words of) text. It returns LanguageEnglish when
// there is no evidence either way.
func DetectLanguage(text string) string {
	count := map[string]int{}
	n := 0
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if n++; n > 20000 {
			break
		}
		if lang, ok := stopIndex[strings.ToLower(w)]; ok {
			count[lang]++
		}
	}
	if count[LanguageFrench] > count[LanguageEnglish] {
		return LanguageFrench
	}
	return LanguageEnglish
}
