package search

import "handbook/content"

// Facet names: the query parameters and the keys of Result.Facets.
const (
	FacetTopic = "topic"
	FacetOrg   = "org"
	FacetType  = "type"
	FacetLang  = "lang"
	FacetYear  = "year"
	// FacetFileType is the format of the file (pdf, html, docx, markdown,
	// text), as the filetype parameter (format names an export's format).
	// Selecting one shows every section in that format, also those that
	// are copies of a section shown from another file.
	FacetFileType = "filetype"
)

// Facets lists the facets in the order a page shows them.
var Facets = []string{FacetTopic, FacetOrg, FacetType, FacetLang, FacetYear, FacetFileType}

// Paging limits.
const (
	DefaultPageSize = 10
	MaxPageSize     = 50
	// MaxWindow bounds how deep a client may page: page × size may not pass it.
	MaxWindow = 1000
	// MaxFilterValues bounds the number of values selected in one facet.
	MaxFilterValues = 20
)

// Query is one search request.
type Query struct {
	Text string
	// Filters holds the selected values per facet (keys from Facets). Values
	// of one facet are alternatives; different facets must all match.
	Filters map[string][]string
	Page    int // 1-based; 0 means 1
	Size    int // 0 means DefaultPageSize
	// Fuzzy makes every plain word tolerate one or two typing errors.
	Fuzzy bool
	// Levels are the handling levels the caller may see. Empty means public
	// only: the service never widens access by default.
	Levels []string
	// NoExpand turns off glossary expansion: "AEO" then finds only "AEO".
	NoExpand bool
	// NoCorrect searches the words as typed: no corrected query and no
	// typing errors replace a result that found nothing (did_you_mean is
	// still offered). A page's "search instead for" link sets it.
	NoCorrect bool
	// Doc restricts the search to one document, by id: a citation such as
	// "Article 18" then finds that document's article.
	Doc string
}

// Filtered reports whether q selects facet values or a document.
func (q Query) Filtered() bool {
	if q.Doc != "" {
		return true
	}
	for _, values := range q.Filters {
		if len(values) > 0 {
			return true
		}
	}
	return false
}

// Expansion is one glossary entry a query term was expanded with.
type Expansion struct {
	Term  string   `json:"term"`  // as typed
	Forms []string `json:"forms"` // the entry's other forms, also searched for
}

// Result is one page of hits with facet counts for the whole result set.
type Result struct {
	Query  string  `json:"query"`
	Total  uint64  `json:"total"`
	TookMS float64 `json:"took_ms"`
	Page   int     `json:"page"`
	Size   int     `json:"size"`
	Pages  int     `json:"pages"`
	Hits   []Hit   `json:"hits"`
	// Facets maps a facet name to its values, by descending count (years by
	// descending year). Selected values are always present.
	Facets map[string][]FacetValue `json:"facets"`
	// YearRanges counts the sections in fixed ranges of years, empty ranges
	// included, counted like the year facet (without its own selection).
	YearRanges []YearRange `json:"year_ranges"`
	// Relaxed is true when no section had every word and the hits are those
	// with any of them.
	Relaxed bool `json:"relaxed,omitempty"`
	// Widened is true when few sections had every word (fewer than a page
	// for four words or more, fewer than three for two or three words):
	// those come first, followed by the sections with some of the words.
	Widened bool `json:"widened,omitempty"`
	// Complete is, when Widened, the number of sections that have every
	// word: the first Complete of Total.
	Complete uint64 `json:"complete,omitempty"`
	// Fuzzy is true when words were matched with typing errors allowed.
	Fuzzy bool `json:"fuzzy,omitempty"`
	// Expansions are the glossary entries the query's terms were expanded
	// with (none when Query.NoExpand is set).
	Expansions []Expansion `json:"expansions,omitempty"`
	// Notes say what of the query was read otherwise than written (an
	// operator or field that could not apply, searched as words or left
	// out): "file:line" or an unclosed quotation mark is never refused.
	Notes []string `json:"notes,omitempty"`
	// Corrected is set when the query as typed found nothing and these hits
	// are those of the corrected query: "showing results for …".
	Corrected string `json:"corrected,omitempty"`
	// DidYouMean is the query with its unknown words replaced by the nearest
	// words of the sections the caller may see, when it found few results.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// SearchInstead is the query as typed when the hits are not its own
	// but those of the corrected query (Corrected) or of its words with
	// typing errors allowed (Fuzzy, not asked for): searching it with
	// Query.NoCorrect shows what it finds itself.
	SearchInstead string `json:"search_instead,omitempty"`
	// Citation is set when the query names a section number ("Article 18",
	// "art. 18", "3.2.1"): the sections with that number (Citations of
	// them) come first.
	Citation  string `json:"citation,omitempty"`
	Citations int    `json:"citations,omitempty"`
	// Class is the query's class (one of Classes), as metrics and the bench
	// report it; Filtered says whether facet values or a document were
	// selected.
	Class    string `json:"class"`
	Filtered bool   `json:"filtered"`
	// Requests is the number of engine (Bleve) requests the search ran,
	// corrections and widening included.
	Requests int `json:"engine_requests"`
}

// Hit is one matching section.
type Hit struct {
	DocID     string `json:"doc_id"`
	SectionID string `json:"section_id"`
	Title     string `json:"title"`   // the document's title
	Section   string `json:"section"` // heading path
	Heading   string `json:"heading"`
	Number    string `json:"number"`
	Page      int    `json:"page,omitempty"`
	PageEnd   int    `json:"page_end,omitempty"`
	// Snippet is HTML: the section's text escaped, with matches in <mark>.
	Snippet string   `json:"snippet"`
	Score   float64  `json:"score"`
	URL     string   `json:"url"`
	Lang    string   `json:"lang"`
	Org     []string `json:"org"`
	Type    string   `json:"type"`
	Topics  []string `json:"topics"`
	Year    int      `json:"year,omitempty"`
	Edition string   `json:"edition,omitempty"`
	Status  string   `json:"status,omitempty"`
	Level   string   `json:"level"`
	// ViaGlossary is true when the section has none of the words typed and
	// was found only through a glossary expansion, often in the other
	// language ("OEA" for "AEO").
	ViaGlossary bool `json:"via_glossary,omitempty"`
	// Format is the format of the file the section was read from.
	Format string `json:"format,omitempty"`
	// Copies are the same section in other files (the manual as PDF, DOCX,
	// text…), which are not listed as hits of their own.
	Copies []Copy `json:"copies,omitempty"`
}

// Copy is the same section in another file.
type Copy struct {
	DocID     string `json:"doc_id"`
	SectionID string `json:"section_id"`
	Format    string `json:"format"`
	Page      int    `json:"page,omitempty"`
	URL       string `json:"url"`
}

// FacetValue is one value of a facet with the number of matching sections.
type FacetValue struct {
	Value    string `json:"value"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// DocumentView is a whole document, for reading and citing.
type DocumentView struct {
	Document content.Document    `json:"document"`
	Sections []content.Section   `json:"sections"`
	Related  []*content.Document `json:"related,omitempty"` // other editions and translations the caller may see
}
