package engine

import "handbook/search"

// Classify returns the class of q's text (one of Classes) and whether q is
// filtered: facet values are selected or the search is restricted to one
// document. It reads only q, never the index, so it gives the same answer
// whether the search succeeds or not.
func Classify(q search.Query) (class string, filtered bool) {
	filtered = q.Doc != ""
	for _, values := range q.Filters {
		if len(values) > 0 {
			filtered = true
		}
	}
	p, err := Parse(q.Text)
	if err != nil {
		return search.ClassInvalid, filtered
	}
	if p.root == nil {
		return search.ClassEmpty, filtered
	}
	var f queryFeatures
	f.add(p.root, q.Fuzzy)
	switch {
	case f.fuzzy:
		return search.ClassFuzzy, filtered
	case f.prefix:
		return search.ClassPrefix, filtered
	case f.phrase:
		return search.ClassPhrase, filtered
	case f.boolean:
		return search.ClassBoolean, filtered
	case f.words > 1:
		return search.ClassWords, filtered
	}
	return search.ClassWord, filtered
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
