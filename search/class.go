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

// Classify returns the class of q's text (one of Classes) and whether q is
// filtered: facet values are selected or the search is restricted to one
// document. It reads only q, never the index, so it gives the same answer
// whether the search succeeds or not.
func Classify(q Query) (class string, filtered bool) {
	filtered = q.Doc != ""
	for _, values := range q.Filters {
		if len(values) > 0 {
			filtered = true
		}
	}
	p, err := Parse(q.Text)
	if err != nil {
		return ClassInvalid, filtered
	}
	if p.root == nil {
		return ClassEmpty, filtered
	}
	var f queryFeatures
	f.add(p.root, q.Fuzzy)
	switch {
	case f.fuzzy:
		return ClassFuzzy, filtered
	case f.prefix:
		return ClassPrefix, filtered
	case f.phrase:
		return ClassPhrase, filtered
	case f.boolean:
		return ClassBoolean, filtered
	case f.words > 1:
		return ClassWords, filtered
	}
	return ClassWord, filtered
}

// queryFeatures are what Classify looks for in a parsed query.
type queryFeatures struct {
	fuzzy, prefix, phrase, boolean bool
	words                          int // plain words
}

func (f *queryFeatures) add(n node, fuzzyMode bool) {
	switch n := n.(type) {
	case orNode:
		f.boolean = true
		for _, c := range n.any {
			f.add(c, fuzzyMode)
		}
	case andNode:
		if len(n.not) > 0 {
			f.boolean = true
		}
		for _, c := range n.must {
			f.add(c, fuzzyMode)
		}
		for _, c := range n.not {
			f.add(c, fuzzyMode)
		}
	case wordNode:
		switch {
		case n.fuzzy != 0 || fuzzyMode && !n.prefix:
			f.fuzzy = true
		case n.prefix:
			f.prefix = true
		}
		if n.field != "" {
			f.boolean = true
		}
		f.words++
	case phraseNode:
		f.phrase = true
		if n.field != "" {
			f.boolean = true
		}
	case filterNode:
		f.boolean = true
	}
}
