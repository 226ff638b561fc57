package engine

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Typing errors. When a query finds fewer than fewResults sections, each of
// its plain words that is no word is replaced by the nearest word of the
// sections the caller may see. A word is a word, and never corrected, when
// the glossary has it, when a general dictionary of the query's language
// lists it (dict.go), or when a section the caller may see has it: its term
// in some language's body field (stemmed as that language stems) is written
// there as the word typed, or as a form of it ("operations" for
// "operation"), not as another word that only stems alike ("office" for
// "oficer" in French). The corrections of one query come from one
// language: the one selected, else the one its stop words tell, else the
// one that corrects most of its words and has most of the others in its
// dictionary. A correction is a term of that language's body field, spelt
// as in the text or as the dictionary spells a word of that term, at an
// edit distance of 1 or 2 by the word's length (transpositions count one),
// the closest, then the most frequent, never a number for a word. Terms
// found only in text the caller may not see are never offered. The
// corrected query is did_you_mean when it finds sections; when the query found nothing (or no section with
// every word) and the corrected one finds sections (with every word), its
// hits are shown instead ("corrected", with search_instead to search the
// query as typed). When no word has a correction and nothing was found,
// typing errors are allowed in the words that are no words, never in the
// others: "rhino horn" among French sections finds nothing rather than
// "Rhin" and "hors".

// fewResults is the total below which a query is checked for typing errors.
const fewResults = 3

// maxCandidates bounds the dictionary terms checked for one word in one
// language.
const maxCandidates = 8

// correctResult sets res.DidYouMean, and replaces res by the corrected
// query's result when res has no hits, or only hits with some of the words.
func (s *Service) correctResult(ctx context.Context, q search.Query, res *search.Result) error {
	var alt *search.Result
	use, corrected, err := s.correction(ctx, q, res.Total, res.Relaxed, func(q search.Query) (uint64, bool, error) {
		r, _, err := s.search(ctx, q)
		if err != nil {
			return 0, false, err
		}
		alt = r
		return r.Total, r.Relaxed, nil
	})
	if err != nil {
		return err
	}
	res.DidYouMean = corrected
	if use {
		alt.Query, alt.Corrected, alt.DidYouMean, alt.SearchInstead = q.Text, corrected, corrected, q.Text
		if corrected == "" { // typing errors allowed
			alt.Fuzzy = true
		}
		*res = *alt
	}
	return nil
}

// correction decides how a query that found little (total sections, relaxed
// when none had every word) is answered, the same for a page (Search) and a
// ranking (Rank): with its unknown words corrected (corrected, "did you
// mean", only when the corrected query finds sections), the corrected
// query's results replacing its own when it found nothing or only some of
// the words; or, when no word has a correction and nothing was found, with
// typing errors allowed in its unknown words. try runs a query and keeps its
// result; use says whether that result replaces the first. With
// q.NoCorrect nothing replaces the first result.
func (s *Service) correction(ctx context.Context, q search.Query, total uint64, relaxed bool, try func(search.Query) (uint64, bool, error)) (use bool, corrected string, err error) {
	sp, err := s.correct(ctx, q)
	if err != nil {
		return false, "", err
	}
	if sp.corrected != "" {
		cq := q
		cq.Text = sp.corrected
		n, r, err := try(cq)
		switch {
		case errors.Is(err, search.ErrBadQuery):
			// the correction cannot be searched: offer none
		case err != nil:
			return false, "", err
		case n == 0:
			// a correction that finds nothing is none
		case q.NoCorrect || total > 0 && (!relaxed || r):
			return false, sp.corrected, nil
		default:
			return true, sp.corrected, nil
		}
	}
	if total > 0 || q.NoCorrect || sp.loose == "" {
		return false, "", nil
	}
	// No word near enough has results: allow typing errors in the words
	// that are no words, titles and headings included.
	fq := q
	if sp.allUnknown {
		fq.Fuzzy = true // the query stays plain words
	} else {
		fq.Text = sp.loose
	}
	n, _, err := try(fq)
	if errors.Is(err, search.ErrBadQuery) { // too many expansions: keep the answer
		return false, "", nil
	}
	return err == nil && n > 0, "", err
}

// spelling is what correct makes of a query's words.
type spelling struct {
	// corrected is the query with its unknown words corrected, or "" when
	// no word needs or finds a correction.
	corrected string
	// loose is the query with "~" after each unknown word, or "" when every
	// word is known; allUnknown is true when no word of it is known.
	loose      string
	allUnknown bool
}

// correct returns q's text with its unknown words corrected and with typing
// errors allowed in them. The corrections come from one language: the
// query's, else the one that corrects most of its words and has most of
// the others in its dictionary, then the closest, then the most frequent
// ("laison oficer" is "liaison officer" in English, not "raison oficer" in
// French).
func (s *Service) correct(ctx context.Context, q search.Query) (spelling, error) {
	lang := s.queryLanguage(q)
	type word struct {
		pos  int
		text string
	}
	var unknown []word // from the end: offsets stay valid when replaced
	toks := tokenize(q.Text, &parsed{})
	evidence := map[string]int{} // per language, the known words its dictionary has
	words := 0
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if t.kind != tokWord || t.field != "" || strings.ContainsAny(t.text, "*~:") {
			continue
		}
		words++
		if autoFuzziness(t.text) == 0 {
			continue
		}
		known, err := s.known(ctx, t.text, q.Levels, lang)
		if err != nil {
			return spelling{}, err
		}
		if !known {
			unknown = append(unknown, word{t.pos, t.text})
			continue
		}
		for l := range s.dictionaries() {
			if s.inDictionary(l, t.text) {
				evidence[l]++
			}
		}
	}
	if len(unknown) == 0 {
		return spelling{}, nil
	}
	langs := s.languages()
	if lang != "" && slices.Contains(langs, lang) {
		langs = []string{lang}
	}
	var best []suggestion
	bestScore, bestN, bestDist, bestCount := -1, 0, 0, uint64(0)
	for _, l := range langs {
		fixes := make([]suggestion, len(unknown))
		score, n, dist, count := evidence[l], 0, 0, uint64(0)
		for i, w := range unknown {
			f, err := s.nearest(ctx, w.text, q.Levels, l)
			if err != nil {
				return spelling{}, err
			}
			if f.word != "" {
				fixes[i] = f
				score++
				n++
				dist += f.dist
				count += f.count
			}
		}
		if score > bestScore || score == bestScore && (n > bestN || n == bestN && (dist < bestDist || dist == bestDist && count > bestCount)) {
			best, bestScore, bestN, bestDist, bestCount = fixes, score, n, dist, count
		}
	}
	text, loose := q.Text, q.Text
	changed := false
	for i, w := range unknown {
		end := w.pos + len(w.text)
		loose = loose[:end] + "~" + loose[end:]
		if f := best[i].word; f != "" && !strings.EqualFold(f, w.text) {
			text = text[:w.pos] + f + text[end:]
			changed = true
		}
	}
	sp := spelling{loose: loose, allUnknown: len(unknown) == words}
	if changed {
		sp.corrected = text
	}
	return sp, nil
}

// queryLanguage is the language of q: the one language selected, else the
// one its stop words tell, else "".
func (s *Service) queryLanguage(q search.Query) string {
	if sel := dedupe(q.Filters[search.FacetLang]); len(sel) == 1 {
		if l := strings.ToLower(sel[0]); slices.Contains(content.Languages, l) {
			return l
		}
		return ""
	}
	p, err := parse(q.Text, s.opts.MaxQueryLength, s.opts.MaxQueryTerms)
	if err != nil {
		return ""
	}
	s.dropForeignStopWords(p)
	return p.lang
}

// known reports whether w is a word: a glossary form, a word of the general
// dictionary of lang (of any language when lang is "" or has none), or a
// word of a section the caller may see, in any language.
func (s *Service) known(ctx context.Context, w string, levels []string, lang string) (bool, error) {
	if _, ok := s.opts.Glossary.Lookup(w); ok {
		return true, nil
	}
	if !s.HasDictionary(lang) {
		lang = ""
	}
	if s.inDictionary(lang, w) {
		return true, nil
	}
	return s.inIndex(ctx, w, levels)
}

// inIndex reports whether a section the caller may see has the word w: its
// term in a language's body field, written there as w or as a form of it
// (sameWord).
func (s *Service) inIndex(ctx context.Context, w string, levels []string) (bool, error) {
	terms, parts := 0, false
	for _, lang := range s.languages() {
		toks := s.analyze(lang, w)
		switch len(toks) {
		case 0:
			continue
		case 1:
		default:
			parts = true // "e-commerce": searched as a phrase
			continue
		}
		terms++
		spelt, err := s.surface(ctx, indexer.TextField(indexer.FieldBodyText, lang), toks[0], w, levels, surfaceHits)
		if err != nil {
			return false, err
		}
		if spelt != "" && sameWord(spelt, w) {
			return true, nil
		}
	}
	if parts {
		return s.visible(ctx, w, levels)
	}
	return terms == 0, nil // stop words only: nothing to correct
}

// sameWord reports whether spelt, a word of the text whose term is that of
// typed, is typed or a form of it: the same but for at most three letters
// at the end ("operations", "operation"), not a word that only stems alike.
func sameWord(spelt, typed string) bool {
	a, b := []rune(wordCore(spelt)), []rune(wordCore(typed))
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	if n == len(a) && n == len(b) {
		return true
	}
	return n >= 3 && n >= max(len(a), len(b))-3
}

// wordCore is w folded, without what is not a letter or digit at either
// end ("--permits") and without an elided article ("d'office").
func wordCore(w string) string {
	w = strings.TrimFunc(fold(w), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if i := strings.LastIndexAny(w, "'’"); i >= 0 {
		_, n := utf8.DecodeRuneInString(w[i:])
		if rest := w[i+n:]; rest != "" {
			return rest
		}
	}
	return w
}

// visible reports whether a section the caller may see has the word.
func (s *Service) visible(ctx context.Context, w string, levels []string) (bool, error) {
	text := translator{s: s}.query(wordNode{text: w})
	if text == nil {
		return true, nil // stop words only: nothing to correct
	}
	req := request(text, levels, nil, 0, 0)
	req.Score = "none"
	res, err := s.do(ctx, req)
	if err != nil {
		return false, err
	}
	return res.Total > 0, nil
}

// suggestion is a correction of one word: the word as written in a
// section, its edit distance to the word typed and its term's number of
// sections.
type suggestion struct {
	word  string
	dist  int
	count uint64
}

// nearest returns the word of lang's visible sections nearest to w, or
// none.
func (s *Service) nearest(ctx context.Context, w string, levels []string, lang string) (suggestion, error) {
	maxDist := autoFuzziness(w)
	toks := s.analyze(lang, w)
	if maxDist == 0 || len(toks) != 1 {
		return suggestion{}, nil
	}
	r, err := s.idx.Reader()
	if err != nil {
		return suggestion{}, err
	}
	defer r.Close()
	fz, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return suggestion{}, nil
	}
	type candidate struct {
		term  string
		dist  uint8
		count uint64
	}
	var cands []candidate
	field := indexer.TextField(indexer.FieldBodyText, lang)
	// Terms are stems, and the stem of a misspelt word may be far from the
	// right one's ("benefical" is "benef", "beneficial" "benefici"): look
	// near the stem and near the word itself, one edit further than their
	// length allows; the spelling in the text is held to the word's own
	// distance below.
	for _, near := range dedupe([]string{toks[0], fold(w)}) {
		f := autoFuzziness(near)
		if f == 0 { // "zq", French for "zzzzqqq": near every short term
			continue
		}
		dict, auto, err := fz.FieldDictFuzzyAutomaton(field, near, min(2, f+1), "")
		if err != nil {
			return suggestion{}, err
		}
		for {
			e, err := dict.Next()
			if err != nil {
				_ = dict.Close()
				return suggestion{}, err
			}
			if e == nil {
				break
			}
			_, d := auto.MatchAndDistance(e.Term)
			if i := slices.IndexFunc(cands, func(c candidate) bool { return c.term == e.Term }); i >= 0 {
				cands[i].dist = min(cands[i].dist, d)
				continue
			}
			// A fuzzy dictionary gives no counts: read the term's.
			tfr, err := r.TermFieldReader(ctx, []byte(e.Term), field, false, false, false)
			if err != nil {
				_ = dict.Close()
				return suggestion{}, err
			}
			cands = append(cands, candidate{e.Term, d, tfr.Count()})
			_ = tfr.Close()
		}
		_ = dict.Close()
	}
	// The words of the language's dictionary near the word typed are
	// candidates too, by their terms (when the field has them), and
	// spell them: "controlled" for the term "control", whose first
	// sections may all say "control".
	typed := fold(w)
	forms := map[string]string{} // term → its dictionary form nearest the word typed
	if d := s.dictionaries()[lang]; d != nil {
		for _, form := range d.near(typed, maxDist) {
			t := s.analyze(lang, form)
			if len(t) != 1 {
				continue
			}
			if old, ok := forms[t[0]]; ok && editDistance(fold(old), typed) <= editDistance(fold(form), typed) {
				continue
			}
			forms[t[0]] = form
			if slices.ContainsFunc(cands, func(c candidate) bool { return c.term == t[0] }) {
				continue
			}
			tfr, err := r.TermFieldReader(ctx, []byte(t[0]), field, false, false, false)
			if err != nil {
				return suggestion{}, err
			}
			if n := tfr.Count(); n > 0 {
				cands = append(cands, candidate{t[0], uint8(editDistance(fold(form), typed)), n})
			}
			_ = tfr.Close()
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].count > cands[j].count
	})
	// The terms are stems: of the nearest ones, take the one whose spelling
	// in the text is nearest to the word typed, then the most frequent.
	digits := strings.ContainsAny(typed, "0123456789")
	var best suggestion
	for _, c := range cands[:min(len(cands), maxCandidates)] {
		word, err := s.surface(ctx, field, c.term, w, levels, correctionHits)
		if err != nil {
			return suggestion{}, err
		}
		if word == "" || !digits && strings.ContainsAny(word, "0123456789") {
			continue // no visible section has the term
		}
		if form, ok := forms[c.term]; ok && editDistance(fold(form), typed) < editDistance(fold(word), typed) {
			word = form
		}
		d := editDistance(fold(word), typed)
		if d == 0 || d > maxDist {
			continue
		}
		if best.word == "" || d < best.dist || d == best.dist && c.count > best.count {
			best = suggestion{word, d, c.count}
		}
	}
	return best, nil
}

// surfaceHits is how many sections a term's spellings are read from to
// tell whether a word is a word; correctionHits, for a correction, which
// must find the term's spelling nearest the word typed ("controlled" of
// the many "control").
const (
	surfaceHits    = 20
	correctionHits = 50
)

// surface returns term as written in a section the caller may see, the
// spelling nearest to typed in the first n such sections, or "" when none
// has it.
func (s *Service) surface(ctx context.Context, field, term, typed string, levels []string, n int) (string, error) {
	req := request(termQuery(field, term), levels, nil, n, 0)
	req.IncludeLocations = true
	req.Fields = []string{field}
	res, err := s.do(ctx, req)
	if err != nil {
		return "", err
	}
	typed = strings.ToLower(typed)
	best, bestDist := "", 0
	for _, h := range res.Hits {
		body := str(h.Fields[field])
		for _, loc := range h.Locations[field][term] {
			if loc.Start >= loc.End || int(loc.End) > len(body) {
				continue
			}
			word := strings.ToLower(body[loc.Start:loc.End])
			if !utf8.ValidString(word) {
				continue
			}
			if d := editDistance(word, typed); best == "" || d < bestDist {
				best, bestDist = word, d
			}
		}
	}
	return best, nil
}

// editDistance is the edit distance between a and b in runes, a
// transposition of two neighbouring letters counting one ("recieve").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	prev2, prev, cur := rows[0], rows[1], rows[2]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
