package pdf

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Char is one character of a page as PDFium reports it, in content-stream
// order. Boxes are in PDF units with y growing upwards; a zero box is a
// character PDFium generated (a space or line break).
type Char struct {
	Rune           rune
	X0, Y0, X1, Y1 float64
	Index          int // PDFium's index, to look up the font
}

// SampleChar returns the index of a character whose font stands for the
// line's: the one in the middle.
func (l Line) SampleChar() int {
	if len(l.sample) == 0 {
		return 0
	}
	return l.sample[len(l.sample)/2]
}

// Line is a run of text on one baseline within one column, or a row of
// cells merged with spaces.
type Line struct {
	Text               string
	X0, Y0, X1, Y1     float64
	Size               float64 // font size in points, as rendered
	Bold, Italic, Mono bool
	// Hyphen says that the line ended with a hyphen at a line break (a soft
	// hyphen, or one PDFium marked as such); it is removed from Text and the
	// next line joins without a space.
	Hyphen bool
	// NewBlock says the line starts a paragraph, list item, heading or
	// other block: it follows a vertical gap, a change of font or column.
	NewBlock bool

	sample []int   // Char.Index of the visible characters, to look up the font
	height float64 // height of the first character's box
}

const hyphenMark = 0x02 // PDFium's code for a hyphen at a line break

// glyph is a character placed on a line, with the gap before it.
type glyph struct {
	r     rune
	gap   float64 // horizontal gap from the previous glyph, in points
	space bool    // a space character came before it
}

// Lines groups characters into lines: a character starts a new line when it
// is not on the current line's baseline, when it goes back to the left, or
// when a wide gap separates it from the previous one (another column or a
// table cell). Words are split at space characters and at gaps wider than
// the line's letter spacing, so letter-spaced headings ("S e c t i o n")
// read as words.
func Lines(chars []Char) []Line {
	var (
		lines  []Line
		cur    *Line
		glyphs []glyph
		lastX1 float64
		space  bool
		hyphen bool
	)
	end := func() {
		if cur == nil {
			return
		}
		cur.Text = lineText(glyphs, cur.height)
		if hyphen {
			cur.Hyphen = true
		}
		if cur.Text != "" {
			lines = append(lines, *cur)
		}
		cur, hyphen, glyphs = nil, false, glyphs[:0]
	}
	for _, c := range chars {
		r := c.Rune
		switch {
		case r == hyphenMark || r == 0xad:
			hyphen = true
			continue
		case r == '\r' || r == '\n' || r == '\t' || unicode.IsSpace(r):
			space = true
			continue
		case r == 0 || r == 0xfffe || r == 0xffff || r == utf8.RuneError || unicode.IsControl(r):
			continue
		}
		if !(c.X1 > c.X0 || c.Y1 > c.Y0) { // no box: keep the character in place
			if cur != nil {
				glyphs = append(glyphs, glyph{r: r, space: space})
				space = false
			}
			continue
		}
		h := c.Y1 - c.Y0
		gap := 0.0
		if cur != nil {
			lh := max(cur.height, h, 1)
			mid := (c.Y0 + c.Y1) / 2
			gap = c.X0 - lastX1
			if mid > cur.Y0-0.1*lh && mid < cur.Y1+0.1*lh && gap > -lh && gap < 2.5*lh {
				hyphen = false // a soft hyphen inside a line is invisible
			} else {
				end()
			}
		}
		if cur == nil {
			cur = &Line{X0: c.X0, Y0: c.Y0, X1: c.X1, Y1: c.Y1, height: h}
			hyphen, gap, space = false, 0, false
		}
		glyphs = append(glyphs, glyph{r: r, gap: gap, space: space})
		space = false
		cur.sample = append(cur.sample, c.Index)
		cur.X0, cur.X1 = min(cur.X0, c.X0), max(cur.X1, c.X1)
		cur.Y0, cur.Y1 = min(cur.Y0, c.Y0), max(cur.Y1, c.Y1)
		lastX1 = c.X1
	}
	end()
	for i := range lines {
		l := &lines[i]
		if !l.Hyphen && strings.HasSuffix(l.Text, "-") && len(l.Text) > 2 {
			prev, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(l.Text, "-"))
			if unicode.IsLower(prev) {
				l.Hyphen = true
				l.Text = strings.TrimSuffix(l.Text, "-")
			}
		}
	}
	return lines
}

// lineText joins a line's glyphs, with a space where the source has one or
// where the gap is wider than both a word space and the usual gap between
// letters of this line.
func lineText(glyphs []glyph, h float64) string {
	var gaps []float64
	for i, g := range glyphs {
		if i > 0 && !g.space {
			gaps = append(gaps, max(g.gap, 0))
		}
	}
	letter := median(gaps)
	threshold := max(0.18*h, 1.8*letter+0.08*h)
	// Letter-spaced text ("S e c t i o n 1"): most characters stand alone
	// between spaces. Words are then told apart by the wider gaps alone.
	spaced, singles := 0, 0
	for i, g := range glyphs {
		if i > 0 && g.space {
			spaced++
			if unicode.IsLetter(g.r) && (i+1 == len(glyphs) || glyphs[i+1].space) {
				singles++
			}
		}
	}
	letterSpaced := spaced >= 4 && float64(singles) >= 0.6*float64(spaced)
	if letterSpaced {
		var all []float64
		for i, g := range glyphs {
			if i > 0 {
				all = append(all, max(g.gap, 0))
			}
		}
		threshold = 1.5 * median(all)
	}
	var sb strings.Builder
	for i, g := range glyphs {
		if i > 0 && ((g.space && !letterSpaced) || g.gap > threshold) && !strings.HasSuffix(sb.String(), " ") {
			sb.WriteByte(' ')
		}
		sb.WriteRune(g.r)
	}
	return strings.TrimSpace(sb.String())
}

// Order puts a page's lines in reading order. On a page with two columns
// (a vertical gutter that few lines cross, with text filling both sides),
// lines that cross the gutter (titles, wide tables) cut the page into bands
// and each band is read left column first. Otherwise lines are read top to
// bottom. Lines on the same row are merged, left to right.
func Order(lines []Line, width float64) []Line {
	if len(lines) == 0 {
		return lines
	}
	if g, ok := gutter(lines); ok {
		var out, left, right []Line
		var crossing []Line
		for _, l := range lines {
			switch {
			case l.X1 <= g:
				left = append(left, l)
			case l.X0 >= g:
				right = append(right, l)
			default:
				crossing = append(crossing, l)
			}
		}
		sort.SliceStable(crossing, func(i, j int) bool { return mid(crossing[i]) > mid(crossing[j]) })
		take := func(ls []Line, above float64) (in, rest []Line) {
			for _, l := range ls {
				if mid(l) > above {
					in = append(in, l)
				} else {
					rest = append(rest, l)
				}
			}
			return in, rest
		}
		for _, c := range crossing {
			var l, r []Line
			l, left = take(left, mid(c))
			r, right = take(right, mid(c))
			out = append(out, rows(l)...)
			out = append(out, rows(r)...)
			out = append(out, c)
		}
		out = append(out, rows(left)...)
		out = append(out, rows(right)...)
		return out
	}
	return rows(lines)
}

func mid(l Line) float64 { return (l.Y0 + l.Y1) / 2 }

// gutter finds the x of a column gutter, if the lines form two columns.
func gutter(lines []Line) (float64, bool) {
	if len(lines) < 8 {
		return 0, false
	}
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, l := range lines {
		minX, maxX = min(minX, l.X0), max(maxX, l.X1)
	}
	w := maxX - minX
	if w < 100 || math.IsInf(w, 0) || math.IsNaN(w) {
		return 0, false
	}
	// Count, for each candidate x, the lines crossing it and those on each
	// side; the gutter is the widest run of x that few lines cross and that
	// has many lines on both sides.
	type cand struct {
		x             float64
		cross, nl, nr int
	}
	var cands []cand
	minCross, maxSide := len(lines), 0
	step := max(1, math.Ceil(0.4*w/400)) // at most 400 candidates, whatever the page size
	for x := math.Floor(minX + 0.3*w); x <= minX+0.7*w; x += step {
		c := cand{x: x}
		for _, l := range lines {
			switch {
			case l.X1 <= x:
				c.nl++
			case l.X0 >= x:
				c.nr++
			case l.X0 < x-1 && l.X1 > x+1:
				c.cross++
			}
		}
		cands = append(cands, c)
		minCross = min(minCross, c.cross)
		maxSide = max(maxSide, min(c.nl, c.nr))
	}
	slack := max(2, len(lines)/20)
	good := func(c cand) bool {
		return c.cross <= minCross+slack && float64(min(c.nl, c.nr)) >= 0.5*float64(maxSide)
	}
	var runStart, runEnd, bestW float64 = 0, 0, -1
	for i := 0; i < len(cands); {
		if !good(cands[i]) {
			i++
			continue
		}
		j := i
		for j+1 < len(cands) && good(cands[j+1]) {
			j++
		}
		if wd := cands[j].x - cands[i].x; wd > bestW {
			bestW, runStart, runEnd = wd, cands[i].x, cands[j].x
		}
		i = j + 1
	}
	if bestW < 0 {
		return 0, false
	}
	best := (runStart + runEnd) / 2
	bestCross := 0
	for _, l := range lines {
		if l.X0 < best-1 && l.X1 > best+1 {
			bestCross++
		}
	}
	var left, right []float64
	for _, l := range lines {
		switch {
		case l.X1 <= best:
			left = append(left, l.X1-l.X0)
		case l.X0 >= best:
			right = append(right, l.X1-l.X0)
		}
	}
	n := float64(len(lines))
	if float64(bestCross) > 0.25*n || len(left) < 4 || len(right) < 4 || float64(len(left)+len(right)) < 0.6*n {
		return 0, false
	}
	// Both columns must be filled with text, not a table of short cells.
	if median(left) < 0.5*(best-minX) || median(right) < 0.5*(maxX-best) {
		return 0, false
	}
	return best, true
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// rows sorts lines top to bottom and merges those on the same row.
func rows(lines []Line) []Line {
	if len(lines) == 0 {
		return nil
	}
	ls := slices.Clone(lines)
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Y1 > ls[j].Y1 })
	var out []Line
	for i := 0; i < len(ls); {
		row := []Line{ls[i]}
		j := i + 1
		for ; j < len(ls); j++ {
			h := max(ls[i].Y1-ls[i].Y0, 1)
			if math.Abs(mid(ls[j])-mid(ls[i])) > 0.35*h {
				break
			}
			row = append(row, ls[j])
		}
		sort.SliceStable(row, func(a, b int) bool { return row[a].X0 < row[b].X0 })
		m := row[0]
		for _, l := range row[1:] {
			m.Text += " " + l.Text
			m.X0, m.X1 = min(m.X0, l.X0), max(m.X1, l.X1)
			m.Y0, m.Y1 = min(m.Y0, l.Y0), max(m.Y1, l.Y1)
			m.Hyphen = l.Hyphen
		}
		out = append(out, m)
		i = j
	}
	return out
}

var (
	digits     = regexp.MustCompile(`[0-9]+`)
	pageNumber = regexp.MustCompile(`(?i)^(page|p\.|seite|pág\.?|página)?\s*[-–—]?\s*([0-9]{1,4}|[ivxlcdm]{1,7})\s*([-–—]|(of|sur|de|/)\s*[0-9]{1,4})?\s*$`)
)

// removeRunningLines drops running headers and footers: lines near the top
// or bottom of the page whose text, with numbers masked, repeats on many
// pages; and bare page numbers there.
func removeRunningLines(pages []Page) {
	key := func(s string) string {
		return digits.ReplaceAllString(strings.ToLower(strings.Join(strings.Fields(s), " ")), "#")
	}
	margin := func(p Page, l Line) bool {
		h := p.Height
		if h <= 0 {
			return false
		}
		return l.Y0 > 0.88*h || l.Y1 < 0.12*h
	}
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, l := range p.Lines {
			if k := key(l.Text); margin(p, l) && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	threshold := max(3, int(math.Ceil(0.3*float64(len(pages)))))
	for i := range pages {
		p := &pages[i]
		kept := p.Lines[:0]
		for _, l := range p.Lines {
			if margin(*p, l) && (pageNumber.MatchString(l.Text) || (len(pages) >= 3 && count[key(l.Text)] >= threshold)) {
				continue
			}
			kept = append(kept, l)
		}
		p.Lines = kept
	}
}

var listStart = regexp.MustCompile(`^(\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivx]{1,5}\)|[-–—•▪◦·*■□➢])\s`)

// markBlocks sets NewBlock on lines that start a block: after a vertical gap
// larger than the usual line spacing, when going up (a new column), at a
// change of font size or weight, or at a list item after a finished
// sentence.
func markBlocks(lines []Line) {
	var deltas []float64
	for i := 1; i < len(lines); i++ {
		d := lines[i-1].Y0 - lines[i].Y0
		if h := lines[i].Y1 - lines[i].Y0; d > 0 && d < 2.5*h {
			deltas = append(deltas, d)
		}
	}
	leading := median(deltas)
	for i := range lines {
		l := &lines[i]
		if i == 0 {
			l.NewBlock = true
			continue
		}
		p := lines[i-1]
		h := max(l.Y1-l.Y0, 1)
		d := p.Y0 - l.Y0
		lead := leading
		if lead == 0 {
			lead = 1.2 * h
		}
		ended := strings.ContainsAny(lastRune(p.Text), ".:;!?")
		switch {
		case d <= 0.3*h: // went up: another column or band
			l.NewBlock = true
		case d > 1.45*lead && d > 1.1*h:
			l.NewBlock = true
		case math.Abs(l.Size-p.Size) > 0.6 || l.Bold != p.Bold:
			l.NewBlock = true
		case ended && listStart.MatchString(l.Text):
			l.NewBlock = true
		case l.X0 > p.X1 || l.X1 < p.X0: // no horizontal overlap
			l.NewBlock = true
		}
	}
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}
