package indexer

import (
	"bytes"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"

	"handbook/content"
)

// MappingVersion changes whenever the mapping or analysis changes, so an index
// built by an older binary is rebuilt rather than searched wrongly. Version 2
// stores RankStats; version 4 adds the word-pair fields; version 5 the
// format facet and the copies of a section in other files; version 6 the
// languages beyond English and French.
const MappingVersion = "6"

// Analyzer names, one per language of content.Languages: AnalyzerFor(lang).
// Accents are folded after stop words are removed and before stemming, so
// "controle" finds "contrôle" and "declaracion" "declaración"; except in
// Portuguese, whose stemmer needs them ("apreensões" is "apreensão") and
// folds what it leaves; and never in Arabic or Russian, where marks are
// letters (Arabic hamza, Russian "й") that their own normalization and
// stemmer handle.
const (
	AnalyzerEN = "handbook_en"
	AnalyzerFR = "handbook_fr"
	AnalyzerES = "handbook_es"
	AnalyzerDE = "handbook_de"
	AnalyzerAR = "handbook_ar"
	AnalyzerPT = "handbook_pt"
	AnalyzerIT = "handbook_it"
	AnalyzerNL = "handbook_nl"
	AnalyzerRU = "handbook_ru"
)

// nfkcFilter is Unicode NFKC normalization, as Bleve's own Arabic analyzer
// applies before its stop words (presentation forms to letters).
const nfkcFilter = "handbook_nfkc"

// Field names. Text fields exist once per language (FieldBody + "_" + lang),
// so each has exactly one analyzer: Bleve picks a query analyzer by field path
// and would pick at random between document types sharing a name.
const (
	FieldDocID     = "doc_id"
	FieldSectionID = "section_id"
	FieldTitle     = "title"   // stored document title, for display
	FieldPath      = "path"    // stored heading path, for display
	FieldHeading   = "heading" // stored heading text, for display
	FieldNumber    = "number"  // keyword: "3.2", "Article 18"
	FieldPage      = "page"
	FieldPageEnd   = "page_end"
	// FieldPageBreaks is stored only: where each printed page starts in the
	// section's text, as "page:offset" pairs separated by spaces.
	FieldPageBreaks = "page_breaks"
	FieldOrder      = "order"
	FieldEdition    = "edition"
	FieldOrg        = "org"
	FieldType       = "type"
	FieldTopic      = "topic"
	FieldLang       = "lang"
	FieldYear       = "year" // keyword, for the facet
	FieldYearNum    = "year_n"
	FieldLevel      = "level"
	FieldStatus     = "status"
	// FieldFormat is the format of the file a section was read from
	// (content.FormatPDF, …), a facet.
	FieldFormat = "format"
	// FieldCopy is CopyValue on a section that is a copy of another one in
	// another file (see FindCopies); FieldCopies, stored only, lists the
	// other copies on the one shown.
	FieldCopy   = "copy"
	FieldCopies = "copies"

	// Prefixes of the per-language text fields.
	FieldTitleText   = "title_"   // document title, analyzed
	FieldHeadingText = "heading_" // heading path and number, analyzed
	FieldBodyText    = "body_"    // section text, analyzed and stored for snippets
)

// FacetFields are the keyword fields with doc values that facets count.
var FacetFields = []string{FieldTopic, FieldOrg, FieldType, FieldLang, FieldYear}

// analyzers maps each language to its analyzer.
var analyzers = map[string]string{
	content.LanguageEnglish: AnalyzerEN, content.LanguageFrench: AnalyzerFR, content.LanguageSpanish: AnalyzerES,
	content.LanguageGerman: AnalyzerDE, content.LanguageArabic: AnalyzerAR, content.LanguagePortuguese: AnalyzerPT,
	content.LanguageItalian: AnalyzerIT, content.LanguageDutch: AnalyzerNL, content.LanguageRussian: AnalyzerRU,
}

// AnalyzerFor returns the analyzer name for a language; AnalyzerEN for one
// that is not in content.Languages.
func AnalyzerFor(lang string) string {
	if a, ok := analyzers[lang]; ok {
		return a
	}
	return AnalyzerEN
}

// PrefixForm returns a prefix as typed ("Contrô") as the terms of lang's
// fields begin: lower case, accents folded where the analyzer folds them,
// Arabic normalized as its analyzer does, Russian with "ё" as "е" but its
// "й" kept.
func PrefixForm(lang, prefix string) string {
	p := strings.ToLower(prefix)
	switch lang {
	case content.LanguageRussian:
		return yo.Replace(p)
	case content.LanguageArabic:
		tok := &analysis.Token{Term: []byte(norm.NFKC.String(p))}
		return string(arNormalize.Filter(analysis.TokenStream{tok})[0].Term)
	}
	return content.Fold(p)
}

var arNormalize = ar.NewArabicNormalizeFilter()

// YoFilter is the name of the token filter that writes Russian "ё" as "е",
// as most Russian text does, before stop words and stemming (else
// "передаётся" and "передается" have different stems).
const YoFilter = "handbook_ru_yo"

func init() {
	registry.RegisterTokenFilter(YoFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return yoFilter{}, nil
	})
}

type yoFilter struct{}

func (yoFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if bytes.Contains(tok.Term, []byte("ё")) || bytes.Contains(tok.Term, []byte("Ё")) {
			tok.Term = []byte(yo.Replace(string(tok.Term)))
		}
	}
	return input
}

var yo = strings.NewReplacer("ё", "е", "Ё", "Е")

// TextField returns the per-language name of a text field, for example
// TextField(FieldBodyText, "fr") is "body_fr".
func TextField(prefix, lang string) string { return prefix + lang }

// baseFilters are the token filters of each analyzer, after the unicode
// tokenizer.
var baseFilters = map[string][]any{
	AnalyzerEN: {en.PossessiveName, lowercase.Name, en.StopName, FoldFilter, porter.Name},
	AnalyzerFR: {lowercase.Name, fr.ElisionName, fr.StopName, FoldFilter, fr.LightStemmerName},
	AnalyzerES: {lowercase.Name, es.StopName, FoldFilter, es.LightStemmerName},
	// German: umlauts and ß folded, then the spellings without them
	// ("Behoerde", "Strasse") normalized alike.
	AnalyzerDE: {lowercase.Name, de.StopName, FoldFilter, de.NormalizeName, de.LightStemmerName},
	AnalyzerAR: {lowercase.Name, nfkcFilter, ar.StopName, ar.NormalizeName, ar.StemmerName},
	AnalyzerPT: {lowercase.Name, pt.StopName, pt.LightStemmerName, FoldFilter},
	AnalyzerIT: {lowercase.Name, it.ElisionName, it.StopName, FoldFilter, it.LightStemmerName},
	AnalyzerNL: {lowercase.Name, nl.StopName, FoldFilter, nl.SnowballStemmerName},
	AnalyzerRU: {lowercase.Name, YoFilter, ru.StopName, ru.SnowballStemmerName},
}

// NewMapping returns the static index mapping: nothing is mapped dynamically,
// nothing goes into the composite _all field, and scoring is BM25. frequent
// lists the frequent words of each language (FrequentWords) whose pairs are
// indexed; a language without any has no pair field.
func NewMapping(frequent map[string][]string) (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.AddCustomTokenFilter(nfkcFilter, map[string]any{"type": unicodenorm.Name, "form": unicodenorm.NFKC}); err != nil {
		return nil, err
	}
	for _, lang := range content.Languages {
		name := AnalyzerFor(lang)
		if err := im.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": baseFilters[name],
		}); err != nil {
			return nil, err
		}
	}
	im.DefaultAnalyzer = AnalyzerEN

	dm := bleve.NewDocumentStaticMapping()
	keyword := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	// Facets are counted from the postings of these fields (read when the
	// index is opened), not from doc values.
	facet := func() *mapping.FieldMapping { return keyword(true) }
	stored := func() *mapping.FieldMapping {
		f := keyword(true)
		f.Index = false
		return f
	}
	number := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	text := func(analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = true // phrases and highlighting need positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}

	dm.AddFieldMappingsAt(FieldDocID, keyword(true))
	dm.AddFieldMappingsAt(FieldSectionID, keyword(true))
	dm.AddFieldMappingsAt(FieldNumber, keyword(true))
	dm.AddFieldMappingsAt(FieldTitle, stored())
	dm.AddFieldMappingsAt(FieldPath, stored())
	dm.AddFieldMappingsAt(FieldHeading, stored())
	dm.AddFieldMappingsAt(FieldEdition, stored())
	for _, f := range []string{FieldOrg, FieldType, FieldTopic, FieldLang, FieldYear, FieldLevel, FieldStatus, FieldFormat} {
		dm.AddFieldMappingsAt(f, facet())
	}
	dm.AddFieldMappingsAt(FieldCopy, keyword(false))
	dm.AddFieldMappingsAt(FieldCopies, stored())
	dm.AddFieldMappingsAt(FieldYearNum, number(false))
	dm.AddFieldMappingsAt(FieldPage, number(false))
	dm.AddFieldMappingsAt(FieldPageEnd, number(false))
	dm.AddFieldMappingsAt(FieldPageBreaks, stored())
	dm.AddFieldMappingsAt(FieldOrder, number(true))
	for _, lang := range content.Languages {
		a := AnalyzerFor(lang)
		dm.AddFieldMappingsAt(TextField(FieldTitleText, lang), text(a, false))
		dm.AddFieldMappingsAt(TextField(FieldHeadingText, lang), text(a, false))
		body := text(a, true)
		if words := frequent[lang]; len(words) > 0 {
			pairs, err := addPairs(im, lang, words, body)
			if err != nil {
				return nil, err
			}
			dm.AddFieldMappingsAt(TextField(FieldBodyText, lang), body, pairs)
		} else {
			dm.AddFieldMappingsAt(TextField(FieldBodyText, lang), body)
		}
	}
	im.DefaultMapping = dm
	return im, nil
}
