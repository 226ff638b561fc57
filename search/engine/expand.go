package engine

import (
	"context"
	"slices"
	"strings"

	"handbook/search"
)

// Glossary expansion. Bleve's synonyms take single tokens only, so a query
// word or quoted phrase that is a form of a glossary entry is rewritten here
// into an OR of all the entry's forms, multi-word forms as phrases: "AEO"
// becomes AEO OR "Authorized Economic Operator" OR OEA OR …. Each language
// is translated on its own, so the French forms find the French sections.

// expand rewrites the words and phrases of n that are glossary forms and
// appends what it expanded to out, once per term.
func (s *Service) expand(n node, out *[]search.Expansion) node {
	switch n := n.(type) {
	case orNode:
		alts := make([]node, len(n.any))
		for i, c := range n.any {
			alts[i] = s.expand(c, out)
		}
		return orNode{any: alts}
	case andNode:
		and := andNode{must: s.expandMust(n.must, out), not: make([]node, len(n.not))}
		for i, c := range n.not {
			and.not[i] = s.expand(c, out)
		}
		return and
	case wordNode:
		if n.fuzzy != 0 || n.prefix {
			return n
		}
		alt, _ := s.expandTerm(n, n.text, n.field, out)
		return alt
	case phraseNode:
		alt, _ := s.expandTerm(n, n.text, n.field, out)
		return alt
	}
	return n
}

// maxRun is the most words looked up together as one glossary form.
const maxRun = 8

// expandMust expands each of the required nodes of an AND; and when they
// are all plain words that together are a multi-word glossary form
// ("financial intelligence unit" typed without quotes), it expands them into:
// all those words, or any other form of the entry. Only when the form is all
// the words: among other words, a form brings in sections of the other
// language that the other words, analysed as that language's, then rank too
// high ("controls on small arms and light weapons" put the French
// "contrôles" of "armes légères" first). Quoted, a form is expanded anywhere.
func (s *Service) expandMust(nodes []node, out *[]search.Expansion) []node {
	if len(nodes) >= 2 && len(nodes) <= maxRun {
		words := make([]string, 0, len(nodes))
		for _, n := range nodes {
			if w, ok := n.(wordNode); ok && w.field == "" && w.fuzzy == 0 && !w.prefix {
				words = append(words, w.text)
			}
		}
		if len(words) == len(nodes) {
			run := andNode{must: slices.Clone(nodes)}
			if alt, ok := s.expandTerm(run, strings.Join(words, " "), "", out); ok {
				return []node{alt}
			}
		}
	}
	res := make([]node, len(nodes))
	for i, n := range nodes {
		res[i] = s.expand(n, out)
	}
	return res
}

// expandIf is expand when on is set, without recording the expansions.
func (s *Service) expandIf(on bool, n node) node {
	if !on {
		return n
	}
	var discard []search.Expansion
	return s.expand(n, &discard)
}

// expandTerm returns n (the term text, as typed) or any other form of its
// glossary entry, and whether it was a glossary form.
func (s *Service) expandTerm(n node, text, field string, out *[]search.Expansion) (node, bool) {
	e, ok := s.opts.Glossary.Lookup(text)
	if !ok {
		return n, false
	}
	key := GlossaryKey(text)
	alts := []node{n}
	var forms []string
	for _, f := range e.Terms {
		if GlossaryKey(f) == key {
			continue
		}
		forms = append(forms, f)
		if strings.ContainsRune(f, ' ') {
			alts = append(alts, phraseNode{text: f, field: field, expanded: true})
		} else {
			alts = append(alts, wordNode{text: f, field: field, expanded: true})
		}
	}
	if len(forms) == 0 {
		return n, false
	}
	seen := false
	for _, x := range *out {
		if GlossaryKey(x.Term) == key {
			seen = true
		}
	}
	if !seen {
		*out = append(*out, search.Expansion{Term: text, Forms: forms})
	}
	return orNode{any: alts}, true
}

// markGlossaryHits sets ViaGlossary on the hits that have none of the words
// or phrases typed (in any field), so were found only through an expansion.
func (s *Service) markGlossaryHits(ctx context.Context, p *parsed, levels []string, hits []search.Hit) error {
	if len(p.expansions) == 0 || len(hits) == 0 || len(p.words) == 0 {
		return nil
	}
	var typed orNode
	for _, w := range p.words {
		if strings.ContainsRune(w, ' ') {
			typed.any = append(typed.any, phraseNode{text: w})
		} else if n := (&parser{res: &parsed{}}).word(&token{text: w}); n != nil {
			typed.any = append(typed.any, n)
		}
	}
	text := translator{s: s}.query(typed)
	if text == nil {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.DocID + "#" + h.SectionID
	}
	req := lookup(within(text, ids), levels, len(ids))
	req.Score = "none"
	res, err := s.do(ctx, req)
	if err != nil {
		return err
	}
	direct := make(map[string]bool, len(res.Hits))
	for _, m := range res.Hits {
		direct[m.ID] = true
	}
	for i := range hits {
		hits[i].ViaGlossary = !direct[ids[i]]
	}
	return nil
}
