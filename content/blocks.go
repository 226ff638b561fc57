package content

import (
	"regexp"
	"strconv"
	"strings"
)

// BlockKind says how a block of section text is laid out.
type BlockKind int

const (
	Paragraph BlockKind = iota
	BulletList
	NumberedList
	Table
)

// Block is one paragraph, list or table of a section's plain text. Every
// renderer (the document page, the course-pack exports) lays text out from
// these, so all show the same structure.
type Block struct {
	Kind  BlockKind
	Lines []string   // paragraph lines, or list items (a nested item starts with "  ")
	Rows  [][]string // table rows, the first is the header
}

var (
	listMarker    = regexp.MustCompile(`^(\s*)(?:[-*•]|\d{1,3}[.)])\s+`)
	numberedMaker = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+`)
	autoMarker    = regexp.MustCompile(`^(\d{1,3})\.\s+`)
)

// autoNumbered says whether a chunk of numbered lines is a list that
// automatic numbering shows as its source does: two items or more, none
// nested, numbered "1.", "2.", "3." … in order (lines without a marker go on
// the item above).
func autoNumbered(lines []string) bool {
	n := 0
	for _, l := range lines {
		m := autoMarker.FindStringSubmatch(l)
		switch {
		case m != nil:
			n++
			if m[1] != strconv.Itoa(n) {
				return false
			}
		case listMarker.MatchString(l):
			return false // a nested item or another kind of marker
		}
	}
	return n >= 2
}

// Blocks splits a section's text as the loaders write it: blank lines between
// blocks, "- " and "1. " lines for list items, " | " between table cells.
// A NumberedList is made only where the renderers' numbering 1, 2, 3 … is
// the source's (see autoNumbered); other numbered lines are paragraphs that
// keep their numbers as text, so "2." and "(b)" show as the source prints
// them.
func Blocks(text string) []Block {
	var out []Block
	for _, chunk := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		chunk = strings.Trim(chunk, "\n")
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		lines := strings.Split(chunk, "\n")
		switch {
		case numberedMaker.MatchString(lines[0]) && !autoNumbered(lines):
			// The page and the exports number a list's items 1, 2, 3 …
			// themselves; items numbered otherwise (an article's paragraph
			// "2." standing alone, a list from 3, nested items) stay
			// paragraphs with their own numbers, which a citation needs.
			out = append(out, Block{Kind: Paragraph, Lines: lines})
		case listMarker.MatchString(lines[0]):
			b := Block{Kind: BulletList}
			if numberedMaker.MatchString(lines[0]) {
				b.Kind = NumberedList
			}
			for _, l := range lines {
				if m := listMarker.FindString(l); m != "" {
					indent := ""
					if strings.HasPrefix(m, " ") {
						indent = "  "
					}
					b.Lines = append(b.Lines, indent+strings.TrimSpace(l[len(m):]))
				} else if len(b.Lines) > 0 {
					b.Lines[len(b.Lines)-1] += " " + strings.TrimSpace(l)
				}
			}
			out = append(out, b)
		case len(lines) > 1 && allHave(lines, " | "):
			b := Block{Kind: Table}
			for _, l := range lines {
				cells := strings.Split(l, " | ")
				for i := range cells {
					cells[i] = strings.TrimSpace(cells[i])
				}
				b.Rows = append(b.Rows, cells)
			}
			out = append(out, b)
		default:
			out = append(out, Block{Kind: Paragraph, Lines: lines})
		}
	}
	return out
}

func allHave(lines []string, sep string) bool {
	for _, l := range lines {
		if !strings.Contains(l, sep) {
			return false
		}
	}
	return true
}
