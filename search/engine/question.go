package engine

import (
	"strings"
)

// Officers type questions: "what is an AEO?", "que faire d'espèces trouvées
// sur un voyageur ?". The question words and the filler around them ("how
// do I", "comment faire pour") are not what a section must contain, and
// requiring them (or ranking by them) buries the answer. In a query that
// reads as a question, they are left out, as long as a word that is not
// one of them remains. A query that does not read as a question keeps
// every word: "public comment procedure" is about comments.

// questionStarts are the words (folded) that make a query a question when
// it begins with one; a "?" at the end does too.
var questionStarts = wordSet(`
	what whats which who whom whose when where why how can could should do does did is are
	que qu'est-ce qu'est quoi qui quel quelle quels quelles comment pourquoi quand ou est-ce faut-il dois-je peut-on
	como cual cuales quien donde cuando
	was wie wer wo wann warum welche welcher welches`)

// fillerWords are left out of a question (folded, so accents do not count).
var fillerWords = wordSet(`
	what whats what's which who whom whose when where why how do does did done doing can could should would
	will shall may might must i i'm me my we us our you your is are am was were be been being there here please
	a an the and or of to in on at for with about from by it its this that these those any some if so
	need needs want know tell explain mean means meaning get have has had happens happen supposed way
	que qu qu'est-ce qu'est quoi qui quel quelle quels quelles lequel laquelle lesquels lesquelles comment
	pourquoi quand ou est ce c c'est est-ce faire fait faut il dois doit doivent devons peut peux peuvent puis
	je j on nous vous me m se s le la les l un une des de du d en au aux a et pour par avec sur dans cette ces
	cet y sont etre signifie veut dire savoir sais qu'un qu'une d'un d'une l'on s'il
	como cual cuales quien donde cuando por para es son el los las una del puedo debo hacer hay
	wie wer wo wann warum welche welcher welches ist sind ich man kann muss der die das ein eine und oder zu
	von mit fur im bei`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// isQuestion reports whether the query text reads as a question: it ends
// with a question mark or its first word asks.
func isQuestion(text string, toks []token) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	return len(toks) > 0 && toks[0].kind == tokWord && toks[0].field == "" && questionStarts[fold(toks[0].text)]
}

// isFiller reports whether n is a plain word that a question may do
// without.
func isFiller(n node) bool {
	w, ok := n.(wordNode)
	return ok && w.field == "" && !w.prefix && w.fuzzy == 0 && fillerWords[fold(w.text)]
}

// dropFiller leaves the filler words out of a question's top-level words,
// unless nothing else would remain.
func dropFiller(p *parsed) { p.leaveOut(isFiller) }

// leaveOut removes from the top-level words of a query of words (an AND
// without exclusions) those out says, unless that would leave none, from
// the tree and from the words it lists.
func (p *parsed) leaveOut(out func(node) bool) {
	root, ok := p.root.(andNode)
	if !ok || len(root.not) > 0 {
		return // one word is kept, whatever it is
	}
	var kept []node
	dropped := map[string]bool{}
	for _, n := range root.must {
		if out(n) {
			dropped[n.(wordNode).text] = true
		} else {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 || len(dropped) == 0 {
		return
	}
	if len(kept) == 1 {
		p.root = kept[0]
	} else {
		p.root = andNode{must: kept}
	}
	words := p.words[:0:0]
	for _, w := range p.words {
		if !dropped[w] {
			words = append(words, w)
		}
	}
	p.words = words
}

// dropForeignStopWords leaves out of a query of plain words the stop words
// of the query's own language, in every language: "indicateurs de fraude"
// is French (de is a French stop word), so "de" must not find English
// sections on "De minimis" thresholds, which the English analyzer would
// let it. The query's language is the one in whose stop words most of its
// words are; with no clear winner nothing is left out beyond what each
// language's analyzer leaves out of its own fields. At least one word
// stays.
func (s *Service) dropForeignStopWords(p *parsed) {
	root, ok := p.root.(andNode)
	if !ok || len(root.not) > 0 {
		return
	}
	stop := func(n node, lang string) bool {
		w, ok := n.(wordNode)
		return ok && w.field == "" && !w.prefix && w.fuzzy == 0 && len(s.analyze(lang, w.text)) == 0
	}
	best, bestN, tie := "", 0, false
	for _, lang := range s.languages() {
		n := 0
		for _, c := range root.must {
			if stop(c, lang) {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = lang, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if best == "" || tie {
		return
	}
	p.lang = best
	p.leaveOut(func(n node) bool { return stop(n, best) })
}
