package engine

import "handbook/search"

// Classify returns the class of q's text (one of Classes) and whether q is
// filtered: facet values are selected or the search is restricted to one
// document. It reads only q, never the index, so it gives the same answer
// whether the search succeeds or not.
func Classify(q search.Query) (class string, filtered bool) {
	p, err := Parse(q.Text)
	if err != nil {
		return search.ClassInvalid, q.Filtered()
	}
	return classify(p.root, q.Fuzzy), q.Filtered()
}

// classify is the class of a parsed query as typed (before rewriting), with
// every plain word fuzzy when fuzzy is set.
func classify(root node, fuzzy bool) string {
	if root == nil {
		return search.ClassEmpty
	}
	var f queryFeatures
	f.add(root, fuzzy)
	switch {
	case f.fuzzy:
		return search.ClassFuzzy
	case f.prefix:
		return search.ClassPrefix
	case f.phrase:
		return search.ClassPhrase
	case f.boolean:
		return search.ClassBoolean
	case f.words > 1:
		return search.ClassWords
	}
	return search.ClassWord
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
