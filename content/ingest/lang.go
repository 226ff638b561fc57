package ingest

import (
	"handbook/content"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// Language detection. A document that does not declare its language goes by
// the frequent function words of each language ("the", "der", "los", "и")
// when they leave no doubt: in a long text, at least five of them and three
// times as many as of any other language; in a short one (a heading, a
// one-line page), any majority. Otherwise (few function words, a mixed or
// half-translated page, a table of article numbers) lingua-go
// (github.com/pemistahl/lingua-go) decides, restricted to the supported
// languages and in its low-accuracy mode: trigram models only, about 7 MB in
// memory for the nine languages instead of over 120 MB with every n-gram
// model, and 1–4 ms for the few thousand characters it looks at.

// detectBytes is how much of a text lingua looks at, about a thousand words:
// a third each from its beginning, middle and end.
const detectBytes = 6000

// shortText is the number of letters below which a text is short: function
// words, when the text has some, decide.
const shortText = 120

var linguaLanguages = map[string]lingua.Language{
	content.LanguageEnglish: lingua.English, content.LanguageFrench: lingua.French, content.LanguageSpanish: lingua.Spanish,
	content.LanguageGerman: lingua.German, content.LanguageArabic: lingua.Arabic, content.LanguagePortuguese: lingua.Portuguese,
	content.LanguageItalian: lingua.Italian, content.LanguageDutch: lingua.Dutch, content.LanguageRussian: lingua.Russian,
}

// detectMu serialises the detector: lingua-go's arithmetic (shopspring's
// decimal.ExpTaylor) writes shared state, a data race when two loaders
// detect at once.
var detectMu sync.Mutex

// detector is built on first use (about 150 ms: the models are read then).
var detector = sync.OnceValue(func() lingua.LanguageDetector {
	langs := make([]lingua.Language, 0, len(content.Languages))
	for _, l := range content.Languages {
		langs = append(langs, linguaLanguages[l])
	}
	return lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithLowAccuracyMode().Build()
})

// codeOf maps lingua's languages back to ours.
var codeOf = func() map[lingua.Language]string {
	m := map[lingua.Language]string{}
	for code, l := range linguaLanguages {
		m[l] = code
	}
	return m
}()

// stopWords are frequent function words that tell the languages apart; a
// word two of them use ("de", "la", "en", "in", "que", "e") is left out.
var stopWords = map[string][]string{
	content.LanguageEnglish: {"the", "of", "and", "to", "that", "for", "with", "as", "by", "this", "be", "are",
		"or", "shall", "which", "from", "it", "at", "not", "should", "their", "have", "has", "where", "such", "any",
		"other", "may", "its", "these", "those", "been", "were", "will", "when", "into", "also"},
	content.LanguageFrench: {"les", "et", "est", "une", "dans", "pour", "par", "au", "aux", "sur", "pas", "sont", "leur",
		"leurs", "cette", "ces", "être", "été", "avec", "elle", "lorsque", "ainsi", "dont", "peut", "doit", "selon",
		"autres", "afin", "du"},
	content.LanguageSpanish: {"el", "los", "las", "del", "y", "su", "sus", "cuando", "también", "puede", "pueden", "según",
		"hay", "muy", "mediante", "dicho", "dicha", "sino", "debe", "deben", "cual", "cuales", "otros", "otras",
		"están", "estos", "estas"},
	content.LanguageGerman: {"der", "die", "und", "ist", "nicht", "mit", "von", "den", "dem", "zu", "auf", "für",
		"sich", "eine", "ein", "einer", "eines", "einem", "werden", "wird", "sind", "oder", "auch", "bei", "nach",
		"durch", "über", "kann", "können", "muss", "sowie", "wenn", "im", "zum", "zur", "aus", "diese", "dieser", "dass"},
	content.LanguageArabic: {"في", "من", "على", "إلى", "أن", "التي", "الذي", "عن", "مع", "هذا", "هذه", "أو", "كما", "ذلك",
		"بين", "كل", "وفي", "لا", "قد", "وقد", "ولا"},
	content.LanguagePortuguese: {"os", "dos", "não", "em", "na", "nas", "um", "uma", "é", "ao", "aos", "pelo", "pela",
		"pelos", "pelas", "são", "seu", "sua", "seus", "suas", "estão", "às", "pode", "podem", "onde", "deste", "desta",
		"neste", "nesta"},
	content.LanguageItalian: {"gli", "della", "delle", "dei", "degli", "di", "che", "è", "per", "sono", "alla", "alle", "dal",
		"dalla", "dalle", "nel", "nella", "nelle", "anche", "essere", "questo", "questa", "questi", "più", "devono",
		"può", "sul", "sulla", "ogni"},
	content.LanguageDutch: {"het", "een", "van", "dat", "op", "voor", "met", "zijn", "niet", "worden", "wordt", "door",
		"aan", "bij", "ook", "naar", "om", "dit", "deze", "moet", "moeten", "kunnen", "uit", "zoals", "tot",
		"wanneer", "hun", "zij", "er"},
	content.LanguageRussian: {"и", "в", "не", "на", "что", "с", "по", "для", "к", "о", "от", "из", "или", "это", "как", "при",
		"должны", "также", "который", "которые", "быть", "его", "их", "а"},
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

// DetectLanguage returns the language of text, one of Languages:
// LanguageEnglish when nothing in it tells.
func DetectLanguage(text string) string {
	count := map[string]int{}
	n, letters := 0, 0
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if n++; n > 20000 {
			break
		}
		letters += utf8.RuneCountInString(w)
		if lang, ok := stopIndex[strings.ToLower(w)]; ok {
			count[lang]++
		}
	}
	if n == 0 {
		return content.LanguageEnglish
	}
	best, bestN, tie := "", 0, false
	for _, lang := range content.Languages {
		switch c := count[lang]; {
		case c > bestN:
			best, bestN, tie = lang, c, false
		case c == bestN && c > 0:
			tie = true
		}
	}
	second := 0
	for _, lang := range content.Languages {
		if c := count[lang]; lang != best && c > second {
			second = c
		}
	}
	switch {
	case letters < shortText && bestN > 0 && !tie:
		return best
	case bestN >= 5 && bestN >= 3*second:
		return best
	}
	detectMu.Lock()
	l, ok := detector().DetectLanguageOf(detectSample(text))
	detectMu.Unlock()
	if ok {
		if code, ok := codeOf[l]; ok {
			return code
		}
	}
	if bestN > 0 && !tie {
		return best
	}
	return content.LanguageEnglish
}

// detectSample returns text, or when it is longer than detectBytes, a third
// of that from its beginning, middle and end, each cut at spaces.
func detectSample(text string) string {
	if len(text) <= detectBytes {
		return text
	}
	third := detectBytes / 3
	chunk := func(from int) string {
		s := text[from : from+third]
		if i := strings.IndexAny(s, " \n"); i >= 0 && from > 0 {
			s = s[i+1:]
		}
		if i := strings.LastIndexAny(s, " \n"); i >= 0 && from+third < len(text) {
			s = s[:i]
		}
		return strings.ToValidUTF8(s, "")
	}
	return chunk(0) + "\n" + chunk(len(text)/2-third/2) + "\n" + chunk(len(text)-third)
}
