package content

import (
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
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
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
	page := 1
	flush := func() {
		if len(para) > 0 {
			b.Text(strings.Join(para, "\n"))
			para = para[:0]
		}
	}
	blank := func(i int) bool { return i < 0 || i >= len(lines) || strings.TrimSpace(lines[i]) == "" }
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
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
		case underline.MatchString(trimmed) && i+2 < len(lines) && strings.TrimSpace(lines[i+2]) == trimmed && strings.TrimSpace(lines[i+1]) != "":
			flush()
			b.Heading(levelOf("over"+trimmed[:1]), strings.TrimSpace(lines[i+1]))
			i += 2
			continue
		// Underlined: title, then ===.
		case i+1 < len(lines) && underline.MatchString(strings.TrimSpace(lines[i+1])) && len(para) == 0 &&
			utf8.RuneCountInString(strings.TrimSpace(lines[i+1])) >= utf8.RuneCountInString(trimmed)*6/10:
			flush()
			b.Heading(levelOf(strings.TrimSpace(lines[i+1])[:1]), trimmed)
			i++
			continue
		case blank(i-1) && len(para) == 0:
			if level, keyword, ok := numberedHeading(trimmed); ok {
				if number, rest := SplitHeading(trimmed); number != "" && rest == "" && !blank(i+1) {
					if next := strings.TrimSpace(lines[i+1]); isTitleLine(next) && blank(i+2) {
						trimmed += " " + next
						i++
					}
				}
				if blank(i+1) || keyword {
					b.Heading(level, trimmed)
					continue
				}
			}
		}
		para = append(para, line)
	}
	flush()
	return b.Sections()
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
