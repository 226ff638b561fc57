package engine

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"handbook/content"
	"handbook/indexer"
	"handbook/search"
)

// snippetLength is the length of a snippet taken from the start of a
// section when no match lies in its text (a match in the heading only).
const snippetLength = 240

// maxSections bounds the sections read for one document page.
const maxSections = 5000

func lowerKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (s *Service) hit(m *bsearch.DocumentMatch) search.Hit {
	h := search.Hit{
		DocID:     str(m.Fields[indexer.FieldDocID]),
		SectionID: str(m.Fields[indexer.FieldSectionID]),
		Title:     str(m.Fields[indexer.FieldTitle]),
		Section:   str(m.Fields[indexer.FieldPath]),
		Heading:   str(m.Fields[indexer.FieldHeading]),
		Number:    str(m.Fields[indexer.FieldNumber]),
		Page:      num(m.Fields[indexer.FieldPage]),
		PageEnd:   num(m.Fields[indexer.FieldPageEnd]),
		Score:     m.Score,
		Lang:      str(m.Fields[indexer.FieldLang]),
		Org:       strs(m.Fields[indexer.FieldOrg]),
		Type:      str(m.Fields[indexer.FieldType]),
		Topics:    strs(m.Fields[indexer.FieldTopic]),
		Year:      num(m.Fields[indexer.FieldYearNum]),
		Edition:   str(m.Fields[indexer.FieldEdition]),
		Status:    str(m.Fields[indexer.FieldStatus]),
		Level:     str(m.Fields[indexer.FieldLevel]),
	}
	h.Format = str(m.Fields[indexer.FieldFormat])
	for _, c := range indexer.DecodeCopies(str(m.Fields[indexer.FieldCopies])) {
		h.Copies = append(h.Copies, search.Copy{DocID: c.DocID, SectionID: c.SectionID, Format: c.Format, Page: c.Page})
	}
	body := indexer.TextField(indexer.FieldBodyText, h.Lang)
	if frags := m.Fragments[body]; len(frags) > 0 {
		// Bleve's html formatter escapes the text and wraps matches in <mark>.
		for i, f := range frags {
			frags[i] = trimPartialWords(f)
		}
		h.Snippet = strings.Join(frags, " … ")
	} else {
		h.Snippet = html.EscapeString(cut(str(m.Fields[body]), snippetLength))
	}
	if pb := str(m.Fields[indexer.FieldPageBreaks]); pb != "" {
		// The hit's page is the one its snippet's text stands on.
		sec := content.Section{Page: h.Page, PageBreaks: indexer.DecodePageBreaks(pb)}
		if off := snippetOffset(str(m.Fields[body]), h.Snippet); off >= 0 {
			h.Page = sec.PageAt(off)
		}
	}
	h.Snippet = plainSnippet(h.Snippet)
	return h
}

// tableRule is a Markdown table's rule line: "---|:---:|---".
var tableRule = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)

// plainSnippet reads a snippet (escaped HTML with marks) as running text:
// no Markdown list markers at line starts, a table's cells separated by
// " · " instead of pipes, its rule lines left out.
func plainSnippet(snippet string) string {
	lines := strings.Split(snippet, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if tableRule.MatchString(l) {
			continue
		}
		for _, marker := range []string{"- ", "* ", "+ ", "• "} {
			if rest, ok := strings.CutPrefix(l, marker); ok {
				l = rest
				break
			}
		}
		if strings.Count(l, "|") >= 1 && strings.Contains(l, " | ") {
			cells := strings.Split(strings.Trim(l, "| "), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			l = strings.Join(cells, " · ")
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// snippetOffset finds where a snippet's first match stands in the section's
// text (or where the snippet starts, when nothing is marked), or -1. The
// snippet is escaped HTML with marks and may start or end with an ellipsis.
func snippetOffset(text, snippet string) int {
	frag, _, _ := strings.Cut(snippet, " … ")
	plain := func(h string) string {
		return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h))
	}
	whole := plain(frag)
	body := strings.TrimLeft(whole, "… ")
	lead := len(whole) - len(body)
	probe := strings.TrimSpace(body)
	if len(probe) > 60 {
		probe = probe[:60]
	}
	for len(probe) > 0 && !utf8.ValidString(probe) {
		probe = probe[:len(probe)-1]
	}
	if probe == "" {
		return -1
	}
	start := strings.Index(text, probe)
	if start < 0 {
		return -1
	}
	// The match that counts is where the marks cluster: a phrase's words,
	// or the query's words together, rather than a lone word before them.
	var marks []int
	for i := 0; ; {
		j := strings.Index(frag[i:], "<mark>")
		if j < 0 {
			break
		}
		marks = append(marks, len(plain(frag[:i+j]))-lead)
		i += j + len("<mark>")
	}
	best, bestN := -1, 0
	for a, m := range marks {
		n := 0
		for _, o := range marks[a:] {
			if o-m <= 80 {
				n++
			}
		}
		if n > bestN {
			best, bestN = m, n
		}
	}
	if best > 0 {
		return start + best
	}
	return start
}

// trimPartialWords drops the broken word that Bleve's fragmenter leaves at
// either end of a fragment ("…ere a joint" becomes "… a joint"). It works
// on the escaped fragment, so it never cuts inside a tag or an entity.
func trimPartialWords(f string) string {
	const ell = "…"
	if rest, ok := strings.CutPrefix(f, ell); ok {
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLetter(r) || unicode.IsDigit(r) {
			if i := strings.IndexAny(rest, " \n"); i > 0 && i < 40 && !strings.ContainsAny(rest[:i], "<&") {
				f = ell + rest[i:]
			}
		}
	}
	if rest, ok := strings.CutSuffix(f, ell); ok {
		if r, _ := utf8.DecodeLastRuneInString(rest); unicode.IsLetter(r) || unicode.IsDigit(r) {
			if i := strings.LastIndexAny(rest, " \n"); i >= 0 && len(rest)-i < 40 && !strings.ContainsAny(rest[i:], ">;") {
				f = rest[:i] + " " + ell
			}
		}
	}
	return f
}

// cut shortens s to at most n runes at a word boundary, adding "…".
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + "…"
}

// Document returns a whole document with its sections in reading order. A
// document the caller may not see is ErrNotFound, exactly as one that does
// not exist.
func (s *Service) Document(ctx context.Context, id string, levels []string) (*search.DocumentView, error) {
	d, ok := s.idx.Documents[id]
	if !ok || !Allowed(d.Level, levels) {
		return nil, search.ErrNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	req := lookup(termQuery(indexer.FieldDocID, id), levels, maxSections)
	req.Fields = []string{indexer.FieldSectionID, indexer.FieldPath, indexer.FieldHeading, indexer.FieldNumber,
		indexer.FieldPage, indexer.FieldPageEnd, indexer.FieldOrder, indexer.FieldPageBreaks, indexer.FieldLang}
	for _, lang := range s.languages() { // a section may be in another language than its document
		req.Fields = append(req.Fields, indexer.TextField(indexer.FieldBodyText, lang))
	}
	req.SortBy([]string{indexer.FieldOrder})
	req.Score = "none"
	res, err := s.do(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("read document %s: %w", id, err)
	}
	v := &search.DocumentView{Document: *visibleLinks(d, levels, s.idx.Documents)}
	for _, m := range res.Hits {
		path := str(m.Fields[indexer.FieldPath])
		v.Sections = append(v.Sections, content.Section{
			DocID: id, ID: str(m.Fields[indexer.FieldSectionID]), Path: path,
			Heading: str(m.Fields[indexer.FieldHeading]), Number: str(m.Fields[indexer.FieldNumber]),
			Level: strings.Count(path, content.HeadingPathDivider) + 1,
			Page:  num(m.Fields[indexer.FieldPage]), PageEnd: num(m.Fields[indexer.FieldPageEnd]),
			Order: num(m.Fields[indexer.FieldOrder]), Text: str(m.Fields[indexer.TextField(indexer.FieldBodyText, sectionLang(m, d.Language))]),
			PageBreaks: indexer.DecodePageBreaks(str(m.Fields[indexer.FieldPageBreaks])),
		})
		if l := sectionLang(m, d.Language); l != d.Language {
			v.Sections[len(v.Sections)-1].Lang = l
		}
	}
	for _, other := range s.idx.Catalog {
		if other.ID == id || !Allowed(other.Level, levels) {
			continue
		}
		if other.TranslationOf == id || (d.TranslationOf != "" && (other.ID == d.TranslationOf || other.TranslationOf == d.TranslationOf)) ||
			other.SupersededBy == id || d.SupersededBy == other.ID {
			v.Related = append(v.Related, other)
		}
	}
	return v, nil
}

// Original returns document id as a caller entitled to levels sees it (nil
// when it does not exist or is hidden) and what the build recorded of its
// file (ok false when nothing was), for serving the original only while it
// is the file indexed.
func (s *Service) Original(id string, levels []string) (*content.Document, content.Original, bool) {
	d, found := s.idx.Documents[id]
	if !found || !Allowed(d.Level, levels) {
		return nil, content.Original{}, false
	}
	o, ok := s.idx.Original(id)
	return visibleLinks(d, levels, s.idx.Documents), o, ok
}

// Catalog lists the documents the caller may see, in id order.
func (s *Service) Catalog(levels []string) []*content.Document {
	var out []*content.Document
	for _, d := range s.idx.Catalog {
		if Allowed(d.Level, levels) {
			out = append(out, visibleLinks(d, levels, s.idx.Documents))
		}
	}
	return out
}

// visibleLinks returns d with its links to other documents (translation_of,
// superseded_by) kept only where the caller may see the linked document: a
// link must not tell that a hidden document exists. d itself is shared and
// left as it is; a copy is returned when a link is dropped.
func visibleLinks(d *content.Document, levels []string, docs map[string]*content.Document) *content.Document {
	hidden := func(id string) bool {
		other, ok := docs[id]
		return id != "" && (!ok || !Allowed(other.Level, levels))
	}
	if !hidden(d.TranslationOf) && !hidden(d.SupersededBy) && !slices.ContainsFunc(d.SameWork, hidden) {
		return d
	}
	c := *d
	c.SameWork = slices.DeleteFunc(slices.Clone(d.SameWork), hidden)
	if hidden(c.TranslationOf) {
		c.TranslationOf = ""
	}
	if hidden(c.SupersededBy) {
		c.SupersededBy = ""
	}
	return &c
}

// Ready reports whether the index answers.
func (s *Service) Ready() error {
	_, err := s.idx.DocCount()
	return err
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			return str(v[0])
		}
	}
	return ""
}

func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}

func num(v any) int {
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return 0
}

// sectionLang is a hit's language as indexed (a section's own, else its
// document's), or doc when the hit does not say.
func sectionLang(m *bsearch.DocumentMatch, doc string) string {
	if l := str(m.Fields[indexer.FieldLang]); l != "" {
		return l
	}
	return doc
}
