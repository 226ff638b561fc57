package content

import (
	"slices"
	"strings"
)

// LanguageCode maps a declared language to a supported language, or "":
// a tag as HTML, DOCX and PDF write it ("fr-FR", "en_GB", "pt-BR", "DE"), an
// ISO 639-2 code ("deu", "fre") or a name in English or in the language
// itself ("French", "Deutsch", "español", "français"). Only the first of
// several ("en, fr") counts.
func LanguageCode(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, ",; "); i >= 0 {
		t = t[:i]
	}
	if i := strings.IndexAny(t, "-_"); i >= 0 {
		t = t[:i]
	}
	if slices.Contains(Languages, t) {
		return t
	}
	return languageNames[t]
}

// languageNames maps ISO 639-2 codes (bibliographic and terminological) and
// the names of the supported languages, in English and in their own language,
// lower case, to their code.
var languageNames = map[string]string{
	"eng": LanguageEnglish, "english": LanguageEnglish, "anglais": LanguageEnglish,
	"fra": LanguageFrench, "fre": LanguageFrench, "french": LanguageFrench, "français": LanguageFrench, "francais": LanguageFrench,
	"spa": LanguageSpanish, "spanish": LanguageSpanish, "español": LanguageSpanish, "espanol": LanguageSpanish, "castellano": LanguageSpanish, "espagnol": LanguageSpanish,
	"deu": LanguageGerman, "ger": LanguageGerman, "german": LanguageGerman, "deutsch": LanguageGerman, "allemand": LanguageGerman,
	"ara": LanguageArabic, "arabic": LanguageArabic, "العربية": LanguageArabic, "عربي": LanguageArabic, "arabe": LanguageArabic,
	"por": LanguagePortuguese, "portuguese": LanguagePortuguese, "português": LanguagePortuguese, "portugues": LanguagePortuguese, "portugais": LanguagePortuguese,
	"ita": LanguageItalian, "italian": LanguageItalian, "italiano": LanguageItalian, "italien": LanguageItalian,
	"nld": LanguageDutch, "dut": LanguageDutch, "dutch": LanguageDutch, "nederlands": LanguageDutch, "flemish": LanguageDutch, "vlaams": LanguageDutch, "néerlandais": LanguageDutch, "neerlandais": LanguageDutch,
	"rus": LanguageRussian, "russian": LanguageRussian, "русский": LanguageRussian, "russe": LanguageRussian,
}
