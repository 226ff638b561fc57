package content

import (
	"fmt"
	"slices"
	"strings"
)

// Formats of the files documents come from, as Document.Format.
const (
	FormatMarkdown = "markdown"
	FormatText     = "text"
	FormatHTML     = "html"
	FormatPDF      = "pdf"
	FormatDOCX     = "docx"
	FormatEPUB     = "epub"
)

// Handling levels, from least to most protected. A document without a level is
// LevelPublic.
const (
	LevelPublic        = "public"
	LevelMembersOnly   = "members-only"
	LevelLESensitive   = "law-enforcement-sensitive"
	LevelRestricted    = "restricted"
	StatusCurrent      = "current"
	StatusSuperseded   = "superseded"
	StatusDraft        = "draft"
	HeadingPathDivider = " › "
)

// Languages, as ISO 639-1 codes (the value of a document's lang).
const (
	LanguageEnglish    = "en"
	LanguageFrench     = "fr"
	LanguageSpanish    = "es"
	LanguageGerman     = "de"
	LanguageArabic     = "ar"
	LanguagePortuguese = "pt"
	LanguageItalian    = "it"
	LanguageDutch      = "nl"
	LanguageRussian    = "ru"
)

// Languages lists the languages the knowledge base can hold; each has its own
// analyzer and text fields in the index. English comes first: it is the
// language of a document that says nothing in any of them.
var Languages = []string{
	LanguageEnglish, LanguageFrench, LanguageSpanish, LanguageGerman, LanguageArabic,
	LanguagePortuguese, LanguageItalian, LanguageDutch, LanguageRussian,
}

// Levels lists the handling levels in order of protection.
var Levels = []string{LevelPublic, LevelMembersOnly, LevelLESensitive, LevelRestricted}

// Statuses lists the statuses an edition can have.
var Statuses = []string{StatusCurrent, StatusSuperseded, StatusDraft}

// Types lists the document types of the domain (see DOMAIN.md).
var Types = []string{
	"convention", "resolution", "recommendation", "framework of standards", "guidelines", "handbook",
	"compendium", "study", "case study", "indicator list", "operation report", "news item",
	"training module", "legal act",
}

// Topics lists the topics the sample knowledge base is organised by. Loaders
// accept other topics too, since a deployment has its own vocabulary.
var Topics = []string{
	"cooperation mechanisms", "information exchange", "risk management", "supply chain security", "e-commerce",
	"security and counter-terrorism", "financial crime", "drugs and precursors", "intellectual property",
	"environmental crime", "cultural heritage", "excise and tobacco", "revenue fraud", "integrity",
	"investigations and evidence", "training and capacity building",
}

// Document is one handbook, standard, convention, legal act or training text:
// the unit that is published, cited and has an edition.
type Document struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Organizations []string `json:"org"`
	Type          string   `json:"type"`
	Topics        []string `json:"topics"`
	Language      string   `json:"lang"`
	Year          int      `json:"year,omitempty"`
	Edition       string   `json:"edition,omitempty"`
	Status        string   `json:"status"`
	Level         string   `json:"level"`
	Source        string   `json:"source"` // where it was loaded from, relative to the content root
	Summary       string   `json:"summary,omitempty"`
	TranslationOf string   `json:"translation_of,omitempty"` // id of the document this one is an edition of
	SupersededBy  string   `json:"superseded_by,omitempty"`  // id of the edition that replaces this one
	// SameWork lists the documents that are this one in another file (the
	// manual as PDF and as HTML): found by the build, not read from files.
	SameWork []string `json:"same_work,omitempty"`
	Audience []string `json:"audience,omitempty"`
	Region   []string `json:"region,omitempty"`
	// Format is the loader that read the file: FormatMarkdown, FormatText,
	// FormatHTML, FormatPDF, FormatDOCX or FormatEPUB.
	Format string `json:"format,omitempty"`
	// Pages is the number of printed pages: a PDF's page count, the last
	// page marker of a Markdown file, 0 when the source has no pages.
	Pages int `json:"pages,omitempty"`
}

// Section is the unit of search: a heading and the text beneath it, up to the
// next heading of any level.
type Section struct {
	DocID string `json:"doc_id"`
	// ID is stable across re-indexing of an unchanged heading and safe to use
	// as an HTML anchor.
	ID string `json:"id"`
	// Path is the heading path from the top, joined by HeadingPathDivider,
	// for example "3 Opportunities › 3.2 Joint operations".
	Path    string `json:"path"`
	Heading string `json:"heading"` // the section's own heading, without its number
	Number  string `json:"number"`  // "3.2", "Article 18", "Annex A"; empty when unnumbered
	Level   int    `json:"level"`   // heading depth, 1 for the top
	Page    int    `json:"page,omitempty"`
	PageEnd int    `json:"page_end,omitempty"`
	Text    string `json:"text"`
	Order   int    `json:"order"`
	// PageBreaks lists where Text moves to another page, in order of
	// Offset. The text before the first break stands on Page. Use PageAt to
	// find the page of a snippet.
	PageBreaks []PageBreak `json:"page_breaks,omitempty"`
	// Lang is the section's language when it is not the document's (a page
	// left untranslated in a translated manual): detected, for sections
	// long enough to tell (SectionLanguageMin letters). Empty otherwise.
	Lang string `json:"lang,omitempty"`
}

// SectionLanguageMin is the number of letters from which a section's own
// language is detected.
const SectionLanguageMin = 400

// Language returns the section's language: its own, else the document's.
func (s *Section) Language(doc string) string {
	if s.Lang != "" {
		return s.Lang
	}
	return doc
}

// PageBreak says that the text of a section from byte Offset on stands on
// page Page (until the next break).
type PageBreak struct {
	Page   int `json:"page"`
	Offset int `json:"offset"`
}

// PageAt returns the page on which the byte at offset in s.Text stands: the
// page of the last break at or before offset, else s.Page. It is 0 when the
// source has no page numbers.
func (s Section) PageAt(offset int) int {
	p := s.Page
	for _, b := range s.PageBreaks {
		if b.Offset > offset {
			break
		}
		p = b.Page
	}
	return p
}

// Title returns the heading as printed: number and heading text.
func (s Section) Title() string {
	switch {
	case s.Number == "":
		return s.Heading
	case s.Heading == "":
		return s.Number
	}
	return s.Number + " " + s.Heading
}

// Loaded is a document with its sections, in reading order.
type Loaded struct {
	Document Document
	Sections []Section
}

// MetaError reports a bad metadata field in a file.
type MetaError struct {
	Path  string
	Field string
	Msg   string
}

func (e *MetaError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: field %q: %s", e.Path, e.Field, e.Msg)
}

// Validate checks the document's metadata and fills defaults (level public,
// status current). path names the file in errors.
func (d *Document) Validate(path string) error {
	bad := func(field, format string, args ...any) error {
		return &MetaError{Path: path, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(d.Title) == "" {
		return bad("title", "is required")
	}
	if d.Language == "" {
		return bad("lang", "is required (one of %s)", strings.Join(Languages, ", "))
	}
	if l := LanguageCode(d.Language); l != "" {
		d.Language = l // "es-ES", "Deutsch": the code
	}
	if !slices.Contains(Languages, d.Language) {
		return bad("lang", "%q is not a supported language (one of %s)", d.Language, strings.Join(Languages, ", "))
	}
	if d.Year != 0 && (d.Year < 1800 || d.Year > 2100) {
		return bad("year", "%d is not a plausible year (1800–2100)", d.Year)
	}
	if d.Type != "" && !slices.Contains(Types, d.Type) {
		return bad("type", "%q is not a known document type (one of %s)", d.Type, strings.Join(Types, ", "))
	}
	if d.Level == "" {
		d.Level = LevelPublic
	}
	if !slices.Contains(Levels, d.Level) {
		return bad("level", "%q is not a handling level (one of %s)", d.Level, strings.Join(Levels, ", "))
	}
	if d.Status == "" {
		d.Status = StatusCurrent
	}
	if !slices.Contains(Statuses, d.Status) {
		return bad("status", "%q is not a status (one of %s)", d.Status, strings.Join(Statuses, ", "))
	}
	for _, list := range []struct {
		name   string
		values []string
	}{{"org", d.Organizations}, {"topics", d.Topics}, {"audience", d.Audience}, {"region", d.Region}} {
		for _, v := range list.values {
			if strings.TrimSpace(v) == "" {
				return bad(list.name, "has an empty value")
			}
		}
	}
	return nil
}
