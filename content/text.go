package content

import (
	"context"
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
func TextSections(docID string, text string) []Section {
	return textSections(context.Background(), docID, text)
}

// textSections is TextSections, stopped early (with the sections read so
// far) when ctx ends. It reads the text a line at a time, looking at most
// two lines ahead, and holds no more than a section's worth of paragraph.
func textSections(ctx context.Context, docID string, text string) []Section {
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
			b.heading(levelOf("over"+trimmed[:1]), strings.TrimSpace(ls.at(1)), "")
			ls.advance()
			ls.advance()
			continue
		// Underlined: title, then ===.
		case ls.fill(1) && underline.MatchString(strings.TrimSpace(ls.at(1))) && len(para) == 0 &&
			utf8.RuneCountInString(strings.TrimSpace(ls.at(1))) >= utf8.RuneCountInString(trimmed)*6/10:
			flush()
			b.heading(levelOf(strings.TrimSpace(ls.at(1))[:1]), trimmed, "")
			ls.advance()
			continue
		case ls.prevBlank && len(para) == 0:
			if level, keyword, ok := numberedHeading(trimmed); ok {
				if number, rest := SplitHeading(trimmed); number != "" && rest == "" && !ls.blank(1) {
					if next := strings.TrimSpace(ls.at(1)); isTitleLine(next) && ls.blank(2) {
						trimmed += " " + next
						ls.advance()
					}
				}
				if ls.blank(1) || keyword {
					b.heading(level, trimmed, "")
					continue
				}
			}
		}
		para = append(para, line)
		paraLen += len(line) + 1
		if paraLen >= MaxSectionSize {
			flush()
		}
	}
	flush()
	return b.Sections()
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
