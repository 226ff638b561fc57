package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"handbook/content"
)

// MappingVersion changes whenever the mapping or analysis changes, so an index
// built by an older binary is rebuilt rather than searched wrongly. Version 2
// stores RankStats; version 4 adds the word-pair fields; version 5 the
// format facet and the copies of a section in other files.
const MappingVersion = "5"

// Analyzer names, one per language. Accents are folded after stop words are
// removed and before stemming, so "controle" finds "contrôle".
const (
	AnalyzerEN = "handbook_en"
	AnalyzerFR = "handbook_fr"
)

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

// AnalyzerFor returns the analyzer name for a language.
func AnalyzerFor(lang string) string {
	if lang == content.LanguageFrench {
		return AnalyzerFR
	}
	return AnalyzerEN
}

// TextField returns the per-language name of a text field, for example
// TextField(FieldBodyText, "fr") is "body_fr".
func TextField(prefix, lang string) string { return prefix + lang }

// baseFilters are the token filters of each analyzer, after the unicode
// tokenizer.
var baseFilters = map[string][]any{
	AnalyzerEN: {en.PossessiveName, lowercase.Name, en.StopName, FoldFilter, porter.Name},
	AnalyzerFR: {lowercase.Name, fr.ElisionName, fr.StopName, FoldFilter, fr.LightStemmerName},
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
	for _, name := range []string{AnalyzerEN, AnalyzerFR} {
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
