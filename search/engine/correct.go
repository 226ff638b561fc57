package engine

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// Typing errors. When a query finds fewer than fewResults sections, each of
// its plain words that no section the caller may see contains is replaced by
// the nearest term of the per-language body fields (edit distance 1 or 2 by
// the word's length; the closest, then the most common) that a section the
// caller may see contains, spelt as in that section's text. Terms found only
// in text the caller may not see are never offered. The corrected query is
// did_you_mean; when the query found nothing (or no section with every word)
// and the corrected one finds something (sections with every word), its hits
// are shown instead ("corrected").

// fewResults is the total below which a query is checked for typing errors.
const fewResults = 3

// maxCandidates bounds the dictionary terms checked for one word.
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
		if corrected != "" {
			alt.Query, alt.Corrected, alt.DidYouMean = q.Text, corrected, corrected
		}
		*res = *alt
	}
	return nil
}

// correction decides how a query that found little (total sections, relaxed
// when none had every word) is answered, the same for a page (Search) and a
// ranking (Rank): with its unknown words corrected (corrected, "did you
// mean"), the corrected query's results replacing its own when it found
// nothing or only some of the words; or, when no word has a correction and
// nothing was found, with typing errors allowed in every word. try runs a
// query and keeps its result; use says whether that result replaces the
// first.
func (s *Service) correction(ctx context.Context, q search.Query, total uint64, relaxed bool, try func(search.Query) (uint64, bool, error)) (use bool, corrected string, err error) {
	corrected, err = s.correct(ctx, q)
	if err != nil {
		return false, "", err
	}
	if corrected == "" {
		if total > 0 {
			return false, "", nil
		}
		// No word of the dictionary is near enough: allow typing errors
		// in every word, titles and headings included.
		fq := q
		fq.Fuzzy = true
		n, _, err := try(fq)
		if errors.Is(err, search.ErrBadQuery) { // too many expansions: keep the answer
			return false, "", nil
		}
		return err == nil && n > 0, "", err
	}
	if total > 0 && !relaxed {
		return false, corrected, nil
	}
	cq := q
	cq.Text = corrected
	n, r, err := try(cq)
	if err != nil || n == 0 || total > 0 && r {
		return false, corrected, err
	}
	return true, corrected, nil
}

// correct returns q's text with its unknown words corrected, or "" when no
// word needs or finds a correction.
func (s *Service) correct(ctx context.Context, q search.Query) (string, error) {
	toks := tokenize(q.Text, &parsed{})
	text := q.Text
	changed := false
	for i := len(toks) - 1; i >= 0; i-- { // from the end: offsets stay valid
		t := toks[i]
		if t.kind != tokWord || t.field != "" || strings.ContainsAny(t.text, "*~:") || autoFuzziness(t.text) == 0 {
			continue
		}
		if _, ok := s.opts.Glossary.Lookup(t.text); ok {
			continue
		}
		known, err := s.visible(ctx, t.text, q.Levels)
		if err != nil || known {
			if err != nil {
				return "", err
			}
			continue
		}
		w, err := s.nearest(ctx, t.text, q.Levels)
		if err != nil {
			return "", err
		}
		if w != "" && !strings.EqualFold(w, t.text) {
			text = text[:t.pos] + w + text[t.pos+len(t.text):]
			changed = true
		}
	}
	if !changed {
		return "", nil
	}
	return text, nil
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

// nearest returns the word of a visible section nearest to w, or "".
func (s *Service) nearest(ctx context.Context, w string, levels []string) (string, error) {
	r, err := s.idx.Reader()
	if err != nil {
		return "", err
	}
	defer r.Close()
	fz, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return "", nil
	}
	type candidate struct {
		field, term string
		dist        uint8
		count       uint64
	}
	var cands []candidate
	for _, lang := range content.Languages {
		toks := s.analyze(lang, w)
		if len(toks) != 1 {
			continue
		}
		field := indexer.TextField(indexer.FieldBodyText, lang)
		// Terms are stems, and the stem of a misspelt word may be far from
		// the right one's ("benefical" is "benef", "beneficial" "benefici"):
		// look near the stem and near the word itself.
		for _, near := range dedupe([]string{toks[0], fold(w)}) {
			dict, auto, err := fz.FieldDictFuzzyAutomaton(field, near, autoFuzziness(w), "")
			if err != nil {
				return "", err
			}
			for {
				e, err := dict.Next()
				if err != nil {
					_ = dict.Close()
					return "", err
				}
				if e == nil {
					break
				}
				_, d := auto.MatchAndDistance(e.Term)
				if !slices.ContainsFunc(cands, func(c candidate) bool { return c.field == field && c.term == e.Term }) {
					cands = append(cands, candidate{field, e.Term, d, e.Count})
				}
			}
			_ = dict.Close()
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].count > cands[j].count
	})
	// The terms are stems: of the nearest ones, take the one whose spelling
	// in the text is nearest to the word typed.
	best, bestDist := "", 0
	for _, c := range cands[:min(len(cands), maxCandidates)] {
		word, err := s.surface(ctx, c.field, c.term, w, levels)
		if err != nil {
			return "", err
		}
		if d := editDistance(word, strings.ToLower(w)); word != "" && (best == "" || d < bestDist) {
			best, bestDist = word, d
		}
	}
	return best, nil
}

// surfaceHits is how many sections surface reads a term's spellings from.
const surfaceHits = 20

// surface returns term as written in a section the caller may see, the
// spelling nearest to typed, or "" when no such section has it.
func (s *Service) surface(ctx context.Context, field, term, typed string, levels []string) (string, error) {
	req := request(termQuery(field, term), levels, nil, surfaceHits, 0)
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

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
