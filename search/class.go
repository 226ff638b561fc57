package search

// Query classes: what kind of query a user typed, for metrics. The set is
// small and fixed, so a label carrying it has a bounded number of values.
// When a query has several features, the class names the one that costs the
// most, in this order: fuzzy, prefix, phrase, boolean, words, word (fuzzy and
// prefix words expand to many terms; a phrase checks positions; a boolean
// query combines several searches).
const (
	// ClassInvalid is text that does not parse (with the default limits,
	// MaxQueryLength and MaxQueryTerms): the search answers with a
	// QueryError.
	ClassInvalid = "invalid"
	// ClassEmpty is no text at all: facet filters only.
	ClassEmpty = "empty"
	// ClassWord is one plain word: port.
	ClassWord = "word"
	// ClassWords is several plain words, in any number: joint operations port.
	ClassWords = "words"
	// ClassPhrase has a quoted phrase: "controlled delivery".
	ClassPhrase = "phrase"
	// ClassPrefix has a word ending in *: launder*.
	ClassPrefix = "prefix"
	// ClassFuzzy has a word ending in ~ (valuation~, contrl~2), or has plain
	// words and asks for typo tolerance (Query.Fuzzy).
	ClassFuzzy = "fuzzy"
	// ClassBoolean has OR, an exclusion (-word, NOT) or a field (org:WCO,
	// year:2015..2020, title:kyoto). Parentheses that change nothing, as in
	// "(a b)", do not make a query boolean.
	ClassBoolean = "boolean"
)

// Classes lists every class Classify returns.
var Classes = []string{ClassInvalid, ClassEmpty, ClassWord, ClassWords, ClassPhrase, ClassPrefix, ClassFuzzy, ClassBoolean}
