package ingest

import (
	"context"
	"fmt"
	"handbook/content"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// underline matches a line of one repeated = - ~ * ^ # + or _ character.
var underline = underlineMatcher{}

type underlineMatcher struct{}

func (underlineMatcher) MatchString(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 3 || !strings.ContainsRune("=-~*^#+_", rune(s[0])) {
		return false
	}
	return strings.Count(s, s[:1]) == len(s)
}

// TextSections splits plain text into sections. A heading is a line
// underlined (or over- and underlined) with a repeated = - ~ * ^ # + or _,
// the first style met being the outermost; or a numbered line standing alone
// after a blank line ("3.2 Scope", "Article 12", "CHAPTER IV"), where a
// number alone takes the short line after it as its title. Paragraphs are
// separated by blank lines; their line breaks are kept.
//
// A line with a dotted number ("3.2 Scope", "7. Command to be run") is a
// heading only where it continues the document's numbering (see
// numbering.continues): the next sibling of the last numbered heading or of
// one of its parents, or its first child. A numbered list is text: its
// items restart at 1, or go on from an item that was not a heading.
//
// A table of contents near the start is kept out of the sections' text
// (see separateContents).
func TextSections(docID string, text string) []content.Section {
	return textSections(context.Background(), docID, text)
}

// textSections is TextSections, stopped early (with the sections read so
// far) when ctx ends. It reads the text a line at a time, looking at most
// two lines ahead, and holds no more than a section's worth of paragraph.
func textSections(ctx context.Context, docID string, text string) []content.Section {
	ls := &textLines{s: text, prevBlank: true}
	b := NewSectionBuilder(docID, strings.Contains(text, "\f"))
	var styles []string // underline styles in order of first use
	levelOf := func(style string) int {
		for i, s := range styles {
			if s == style {
				return i + 1
			}
		}
		styles = append(styles, style)
		return len(styles)
	}
	var para []string
	paraLen := 0
	page := 1
	flush := func() {
		if len(para) > 0 {
			b.text(strings.Join(para, "\n"))
			para, paraLen = para[:0], 0
		}
	}
	st := &stopper{ctx: ctx}
	var num numbering
	heading := func(level int, raw string) {
		num.accept(raw)
		b.heading(level, raw, "")
	}
	for ; ls.fill(0); ls.advance() {
		if st.stop() {
			break
		}
		line := strings.TrimRight(ls.at(0), " \t")
		if n := strings.Count(line, "\f"); n > 0 {
			flush()
			page += n
			b.Page(page)
			line = strings.ReplaceAll(line, "\f", "")
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
			continue
		// Over- and underlined: ===, title, ===.
		case underline.MatchString(trimmed) && ls.fill(2) && strings.TrimSpace(ls.at(2)) == trimmed && strings.TrimSpace(ls.at(1)) != "":
			flush()
			heading(levelOf("over"+trimmed[:1]), strings.TrimSpace(ls.at(1)))
			ls.advance()
			ls.advance()
			continue
		// Underlined: title, then ===.
		case ls.fill(1) && underline.MatchString(strings.TrimSpace(ls.at(1))) && len(para) == 0 &&
			utf8.RuneCountInString(strings.TrimSpace(ls.at(1))) >= utf8.RuneCountInString(trimmed)*6/10:
			flush()
			heading(levelOf(strings.TrimSpace(ls.at(1))[:1]), trimmed)
			ls.advance()
			continue
		case ls.prevBlank && len(para) == 0:
			if level, keyword, ok := numberedHeading(trimmed); ok && (keyword || num.continues(trimmed)) {
				if number, rest := SplitHeading(trimmed); number != "" && rest == "" && !ls.blank(1) {
					if next := strings.TrimSpace(ls.at(1)); isTitleLine(next) && ls.blank(2) {
						trimmed += " " + next
						ls.advance()
					}
				}
				if ls.blank(1) || keyword {
					heading(level, trimmed)
					continue
				}
			}
			num.text(line)
		}
		para = append(para, line)
		paraLen += len(line) + 1
		if paraLen >= MaxSectionSize {
			flush()
		}
	}
	flush()
	return separateContents(b.Sections())
}

// textLines reads a text a line at a time (lines end at \n, \r\n or \r),
// with the current line and up to two after it in view.
type textLines struct {
	s         string
	pos       int
	eof       bool     // the last line has been read into win
	win       []string // the current line, then those after it read so far
	prevBlank bool     // the line before the current one is blank (or there is none)
}

// fill reads lines until the one k after the current is in view, and says
// whether there is one.
func (l *textLines) fill(k int) bool {
	for len(l.win) <= k {
		if l.eof {
			return false
		}
		i := strings.IndexAny(l.s[l.pos:], "\r\n")
		if i < 0 {
			l.win = append(l.win, l.s[l.pos:])
			l.pos, l.eof = len(l.s), true
			continue
		}
		l.win = append(l.win, l.s[l.pos:l.pos+i])
		l.pos += i + 1
		if l.s[l.pos-1] == '\r' && l.pos < len(l.s) && l.s[l.pos] == '\n' {
			l.pos++
		}
	}
	return true
}

// at is the line k after the current one; fill(k) must have said there is
// one.
func (l *textLines) at(k int) string { return l.win[k] }

// blank says whether the line k after the current one is blank or missing.
func (l *textLines) blank(k int) bool { return !l.fill(k) || strings.TrimSpace(l.win[k]) == "" }

// advance moves to the next line.
func (l *textLines) advance() {
	if !l.fill(0) {
		return
	}
	l.prevBlank = strings.TrimSpace(l.win[0]) == ""
	copy(l.win, l.win[1:])
	l.win = l.win[:len(l.win)-1]
}

// numberedHeading says whether a line alone is a numbered heading, and its
// level: keywords ("Article 12") rank by keywordRank, dotted numbers by
// depth. keyword says which of the two it is.
func numberedHeading(line string) (level int, keyword, ok bool) {
	if utf8.RuneCountInString(line) > 120 || len(strings.Fields(line)) > 16 {
		return 0, false, false
	}
	first, _ := utf8.DecodeRuneInString(line)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return 0, false, false
	}
	number, rest := SplitHeading(line)
	if number == "" || strings.ContainsAny(lastRune(line), ",;:") || (rest != "" && strings.HasSuffix(line, ".")) {
		return 0, false, false
	}
	if rank, ok := keywordRank[strings.ToLower(strings.Fields(number)[0])]; ok {
		return rank, true, unicode.IsUpper([]rune(number)[0])
	}
	if dotted.MatchString(number) && rest != "" {
		return 5 + strings.Count(strings.TrimSuffix(number, "."), ".") + 1, false, true
	}
	return 0, false, false
}

// isTitleLine is a short line that can be the title under a number.
func isTitleLine(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 100 || strings.ContainsAny(lastRune(s), ".,;") {
		return false
	}
	n, _ := SplitHeading(s)
	return n == ""
}

// numbering follows the dotted numbers of a text's headings, to tell a
// heading from an item of a numbered list.
type numbering struct {
	last []int // the number of the last numbered heading; nil after a keyword heading or at the start
	// list is the number the next item of a numbered list being read
	// would have (0 when none is being read).
	list int
}

// numberOf returns the parts of a heading's dotted number ("3.2" gives
// [3 2]), or nil.
func numberOf(raw string) []int {
	number, _ := SplitHeading(raw)
	if number == "" || !dotted.MatchString(number) {
		return nil
	}
	var parts []int
	for _, f := range strings.Split(strings.TrimSuffix(number, "."), ".") {
		n := 0
		for _, c := range f {
			n = n*10 + int(c-'0')
		}
		parts = append(parts, n)
	}
	return parts
}

// maxGap is how far a heading's number may skip ahead of the one before
// (a deleted section leaves a gap).
const maxGap = 3

// continues says whether the dotted number of raw goes on from the last
// numbered heading: the next sibling of it or of one of its parents (up to
// maxGap ahead), or its first child (0 or 1, possibly several levels down).
// At the start, and after a keyword heading ("CHAPTER IV"), the numbering
// may begin anywhere. An item numbered as the next of a list
// being read is not a heading. A line without a dotted number continues
// anything.
func (n *numbering) continues(raw string) bool {
	next := numberOf(raw)
	if next == nil {
		return true
	}
	if len(next) == 1 && n.list > 0 && next[0] == n.list {
		return false
	}
	firstChild := func(from int) bool {
		for _, c := range next[from:] {
			if c > 1 {
				return false
			}
		}
		return true
	}
	if n.last == nil {
		// The first number may be anything: a text may begin at chapter 3
		// (an excerpt), and a heading refused here would leave nothing to
		// go on from.
		return true
	}
	last := n.last
	if len(next) > len(last) && slices.Equal(next[:len(last)], last) {
		return firstChild(len(last))
	}
	if len(next) > len(last) {
		return false
	}
	k := len(next) - 1
	return slices.Equal(next[:k], last[:k]) && next[k] > last[k] && next[k] <= last[k]+maxGap
}

// accept records a heading.
func (n *numbering) accept(raw string) {
	n.list = 0
	if parts := numberOf(raw); parts != nil {
		n.last = parts
		return
	}
	if number, _ := SplitHeading(raw); number != "" {
		n.last = nil // "CHAPTER IV": the numbering under it may start again
	}
}

// text records the first line of a paragraph: an item of a numbered list
// sets the number the next item would have; a paragraph that is not
// indented (an item's own paragraphs are) ends the list.
func (n *numbering) text(line string) {
	if parts := numberOf(strings.TrimSpace(line)); len(parts) == 1 {
		n.list = parts[0] + 1
		return
	}
	if line != "" && line[0] != ' ' && line[0] != '\t' {
		n.list = 0
	}
}

// A table of contents (or an index, or a list of figures or tables) repeats
// the headings with their page numbers. Left in the text, it sits in the
// first section and matches any query made of heading words. contentsTitle
// matches the titles such a block goes by.
var contentsTitle = regexp.MustCompile(`(?i)^(contents|table of contents|index|general index|list of (figures|tables|illustrations|annexes|boxes)|table des mati[eè]res|sommaire|liste des (figures|tableaux|annexes|illustrations)|[íi]ndice( general)?|tabla de contenidos?|contenido|inhalt|inhaltsverzeichnis|abbildungsverzeichnis|tabellenverzeichnis|sumário|indice|sommario|inhoud|inhoudsopgave|содержание|оглавление|المحتويات|الفهرس)\s*:?$`)

// tocLeader is the dot leader and page number that end an entry of a table
// of contents ("Scope ........ 3", "Scope … 3" as the PDF loader writes
// it).
var tocLeader = regexp.MustCompile(`\s*(?:(?:\.\s?){4,}|…+|_{4,}|·{3,})\s*(?:[0-9]{1,4}|[ivxlcdmIVXLCDM]{1,7})\b\s*`)

// pageNumber is a page number at the end of an entry without a leader
// ("1 About this manual 3").
var pageNumber = regexp.MustCompile(`\s+(?:[0-9]{1,4}|[ivxlcdm]{1,7})$`)

// isContentsTitle says whether a heading or a paragraph alone is the title
// of a table of contents, an index or a list of figures.
func isContentsTitle(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) <= 60 && contentsTitle.MatchString(s)
}

// pageLeading is a page number before a running head ("2 CONTENTS").
var pageLeading = regexp.MustCompile(`^(?:[0-9]{1,4}|[ivxlcdm]{1,7})\s+`)

// isContentsHead says whether a paragraph is the title of a table of
// contents, alone or as the running head of one of its pages, with the
// page number before or after it ("CONTENTS 1", "ii Contents").
func isContentsHead(s string) bool {
	s = strings.TrimSpace(s)
	return isContentsTitle(s) || isContentsTitle(pageNumber.ReplaceAllString(s, "")) || isContentsTitle(pageLeading.ReplaceAllString(s, ""))
}

// separateContents keeps tables of contents out of the text of the first
// sections (the first three, and any headed as a table of contents):
//
//   - a run of paragraphs whose entries are mostly the document's own later
//     headings (with or without their numbers), or end in a dot leader and
//     a page number, is dropped, with the title above it: the sections
//     themselves hold that structure;
//   - a block headed "Contents" (or another title of contentsTitle) whose
//     entries are not this document's headings (a file that is a table of
//     contents of other files) is the document's content: it goes, from its
//     title to the end of the section, into a section of its own headed by
//     that title, so the introduction no longer holds it.
func separateContents(secs []content.Section) []content.Section {
	if len(secs) == 0 {
		return secs
	}
	// later[i] holds the folded headings of the sections after i.
	keys := map[string]int{} // folded heading → index of the last section with it
	for i, s := range secs {
		if f := fold(s.Number + s.Heading); len(f) >= 4 {
			keys[f] = i
		}
		if f := fold(s.Heading); len(f) >= 4 {
			keys[f] = i
		}
	}
	var out []content.Section
	changed := false
	for i, s := range secs {
		if i >= 3 && !isContentsTitle(s.Heading) {
			out = append(out, secs[i:]...)
			break
		}
		later := func(piece string) bool {
			piece = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(piece), "*-•·–—"))
			piece = pageNumber.ReplaceAllString(piece, "")
			for _, p := range []string{piece, headingRest(piece)} {
				if j, ok := keys[fold(p)]; ok && j > i {
					return true
				}
			}
			return false
		}
		kept, moved, did := splitContents(s, later)
		changed = changed || did
		if kept.Text != "" || kept.Heading != "Introduction" || kept.Number != "" {
			out = append(out, kept)
		}
		if moved != nil {
			out = append(out, *moved)
		}
	}
	if !changed {
		return secs
	}
	ids := map[string]bool{}
	for _, s := range out {
		ids[s.ID] = true
	}
	for i := range out {
		if out[i].ID == "" { // a section made here
			id := content.Slug(out[i].Heading)
			for n := 2; ids[id]; n++ {
				id = fmt.Sprintf("%s-%d", content.Slug(out[i].Heading), n)
			}
			ids[id] = true
			out[i].ID = id
		}
		out[i].Order = i
	}
	return out
}

func headingRest(s string) string {
	_, rest := SplitHeading(s)
	return rest
}

// paragraph is a paragraph of a section's text: Text[start:end].
type paragraph struct{ start, end int }

func paragraphsOf(text string) []paragraph {
	var ps []paragraph
	for pos := 0; pos < len(text); {
		i := strings.Index(text[pos:], "\n\n")
		end := len(text)
		if i >= 0 {
			end = pos + i
		}
		if strings.TrimSpace(text[pos:end]) != "" {
			ps = append(ps, paragraph{pos, end})
		}
		if i < 0 {
			break
		}
		pos = end + 2
	}
	return ps
}

// entries counts the entries of a paragraph, and those that are entries
// of a table of contents: a later heading of the document, or a title
// with a dot leader and a page number.
func entries(text string, later func(string) bool) (n, toc int) {
	// An entry wrapped over several lines goes on in lines that start with
	// neither a bullet nor a number.
	var items []string
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		r, _ := utf8.DecodeRuneInString(t)
		if len(items) == 0 || strings.ContainsRune("*-•·–—", r) || unicode.IsDigit(r) || line == t {
			items = append(items, t)
			continue
		}
		items[len(items)-1] += " " + t
	}
	for _, item := range items {
		pieces := tocLeader.Split(item, -1)
		for k, piece := range pieces {
			if strings.TrimSpace(piece) == "" {
				continue
			}
			n++
			if k < len(pieces)-1 || later(piece) {
				toc++
			}
		}
	}
	return n, toc
}

// listLike says whether a paragraph reads as a list of titles rather than
// prose: most of its words capitalised, or many of them numbers.
func listLike(text string) bool {
	words := strings.Fields(text)
	if len(words) == 0 {
		return false
	}
	caps, nums := 0, 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
			caps++
		case unicode.IsDigit(r):
			nums++
		}
	}
	return caps*10 >= len(words)*4 || nums*100 >= len(words)*8
}

// splitContents takes the tables of contents out of one section's text
// (see separateContents): kept is the section without them, moved the
// section made of a table of contents that is the document's content.
func splitContents(s content.Section, later func(string) bool) (kept content.Section, moved *content.Section, changed bool) {
	ps := paragraphsOf(s.Text)
	type cut struct{ from, to int } // paragraphs [from, to)
	var cuts []cut
	for i := 0; i < len(ps); {
		title := isContentsTitle(s.Text[ps[i].start:ps[i].end])
		j, total := i, 0
		if title {
			j++
		}
		for ; j < len(ps); j++ {
			if isContentsHead(s.Text[ps[j].start:ps[j].end]) {
				continue // the running head of a page of contents
			}
			n, toc := entries(s.Text[ps[j].start:ps[j].end], later)
			if n == 0 || toc*10 < n*6 {
				break
			}
			total += toc
		}
		if total >= 3 {
			cuts = append(cuts, cut{i, j})
			i = j
			continue
		}
		i++
	}
	if len(cuts) > 0 {
		// The running heads of pages of contents ("CONTENTS 1") left
		// between other paragraphs go too.
		in := func(i int) bool {
			for _, c := range cuts {
				if i >= c.from && i < c.to {
					return true
				}
			}
			return false
		}
		for i := range ps {
			if !in(i) && isContentsHead(s.Text[ps[i].start:ps[i].end]) {
				cuts = append(cuts, cut{i, i + 1})
			}
		}
		sort.Slice(cuts, func(a, b int) bool { return cuts[a].from < cuts[b].from })
	}
	headed := isContentsTitle(s.Heading)
	var move *cut
	if !headed {
		// A titled block of entries that are not this document's
		// headings, up to the end of the section.
		for i := range ps {
			if len(cuts) > 0 && i >= cuts[len(cuts)-1].from {
				break
			}
			if !isContentsTitle(s.Text[ps[i].start:ps[i].end]) || i == len(ps)-1 {
				continue
			}
			all := true
			for _, p := range ps[i+1:] {
				all = all && listLike(s.Text[p.start:p.end])
			}
			if all && len(cuts) == 0 {
				move = &cut{i, len(ps)}
			}
			break
		}
	}
	if len(cuts) == 0 && move == nil {
		return s, nil, false
	}
	if move != nil {
		at := ps[move.from].start
		m := s
		m.ID, m.Number, m.Level, m.Order = "", "", 1, 0
		m.Heading = strings.TrimSuffix(strings.TrimSpace(s.Text[ps[move.from].start:ps[move.from].end]), ":")
		m.Path = m.Heading
		m.Page = s.PageAt(at)
		m.Text, m.PageBreaks = "", nil
		start := ps[move.from+1].start
		for _, b := range s.PageBreaks {
			if b.Offset > start {
				m.PageBreaks = append(m.PageBreaks, content.PageBreak{Page: b.Page, Offset: b.Offset - start})
			} else if b.Offset >= at {
				m.Page = b.Page
			}
		}
		m.Text = s.Text[start:]
		s = cutText(s, at, len(s.Text))
		return s, &m, true
	}
	// Drop the cuts, from the last, so that offsets stay valid.
	for k := len(cuts) - 1; k >= 0; k-- {
		c := cuts[k]
		from, to := ps[c.from].start, len(s.Text)
		if c.to < len(ps) {
			to = ps[c.to].start
		}
		s = cutText(s, from, to)
	}
	return s, nil, true
}

// cutText removes s.Text[from:to] (then the white space left at its end),
// moving the page breaks after it back and those inside it to from.
func cutText(s content.Section, from, to int) content.Section {
	if to >= len(s.Text) {
		for from > 0 && unicode.IsSpace(rune(s.Text[from-1])) {
			from--
		}
		to = len(s.Text)
	}
	var breaks []content.PageBreak
	for _, b := range s.PageBreaks {
		switch {
		case b.Offset < from:
			breaks = append(breaks, b)
		case b.Offset >= to:
			if to < len(s.Text) {
				off := b.Offset - (to - from)
				if n := len(breaks); n > 0 && breaks[n-1].Offset == off {
					breaks = breaks[:n-1]
				}
				breaks = append(breaks, content.PageBreak{Page: b.Page, Offset: off})
			}
		default: // inside the cut: the text at from now stands on its page
			if to < len(s.Text) {
				if n := len(breaks); n > 0 && breaks[n-1].Offset == from {
					breaks = breaks[:n-1]
				}
				breaks = append(breaks, content.PageBreak{Page: b.Page, Offset: from})
			}
		}
	}
	s.Text = s.Text[:from] + s.Text[to:]
	if len(breaks) == 0 {
		breaks = nil
	}
	s.PageBreaks = breaks
	if s.Text == "" {
		s.PageEnd = s.Page
	} else if n := len(breaks); n > 0 {
		s.PageEnd = breaks[n-1].Page
	} else {
		s.PageEnd = s.Page
	}
	return s
}
