package pdf

import (
	"strings"
	"testing"
)

// place lays out text as characters: each rune 6 points wide, 10 high, with
// its baseline at y.
func place(text string, x, y float64, index *int) []Char {
	var cs []Char
	for _, r := range text {
		c := Char{Rune: r, X0: x, X1: x + 6, Y0: y, Y1: y + 10, Index: *index}
		if r == ' ' {
			c.X0, c.X1, c.Y0, c.Y1 = 0, 0, 0, 0 // a generated space has no box
		}
		cs = append(cs, c)
		*index++
		x += 6
	}
	return cs
}

func texts(lines []Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestTwoColumnsReadLeftThenRight(t *testing.T) {
	var chars []Char
	i := 0
	chars = append(chars, place("A TITLE ACROSS BOTH COLUMNS OF THE PAGE", 150, 760, &i)...)
	// The content stream interleaves the columns line by line.
	for row := range 10 {
		y := 700 - float64(row)*14
		chars = append(chars, place("left column line number "+string(rune('a'+row))+" here", 40, y, &i)...)
		chars = append(chars, place("right column line number "+string(rune('a'+row))+" here", 320, y, &i)...)
	}
	lines := Order(Lines(chars), 612)
	got := texts(lines)
	if got[0] != "A TITLE ACROSS BOTH COLUMNS OF THE PAGE" || !strings.HasPrefix(got[1], "left column line number a") ||
		!strings.HasPrefix(got[10], "left column line number j") || !strings.HasPrefix(got[11], "right column line number a") {
		t.Errorf("reading order:\n%s", strings.Join(got, "\n"))
	}
}

func TestHyphenAndLetterSpacing(t *testing.T) {
	i := 0
	var chars []Char
	chars = append(chars, place("the proce", 40, 700, &i)...)
	chars = append(chars, Char{Rune: hyphenMark, Index: i})
	i++
	chars = append(chars, place("dure ends", 40, 686, &i)...)
	// "S e c t i o n 1": letters 4 points apart, words 12 apart.
	x := 40.0
	for _, r := range "Section" {
		chars = append(chars, Char{Rune: r, X0: x, X1: x + 6, Y0: 600, Y1: 610}, Char{Rune: ' '})
		x += 10
	}
	chars = append(chars, Char{Rune: '1', X0: x + 8, X1: x + 14, Y0: 600, Y1: 610})
	lines := Lines(chars)
	if len(lines) != 3 || lines[0].Text != "the proce" || !lines[0].Hyphen || lines[1].Text != "dure ends" || lines[2].Text != "Section 1" {
		for _, l := range lines {
			t.Logf("%q hyphen=%v", l.Text, l.Hyphen)
		}
		t.Error("lines wrong")
	}
}

func TestRunningHeadersAndPageNumbersDropped(t *testing.T) {
	var pages []Page
	for p := 1; p <= 4; p++ {
		i := 0
		var chars []Char
		chars = append(chars, place("Official Journal L 269/"+string(rune('0'+p)), 40, 780, &i)...)
		chars = append(chars, place("Body text of page "+string(rune('0'+p)), 40, 500, &i)...)
		chars = append(chars, place(string(rune('0'+p)), 300, 30, &i)...)
		pages = append(pages, Page{Number: p, Width: 612, Height: 792, Lines: Order(Lines(chars), 612)})
	}
	removeRunningLines(pages)
	for _, p := range pages {
		if len(p.Lines) != 1 || !strings.HasPrefix(p.Lines[0].Text, "Body text") {
			t.Errorf("page %d: %q", p.Number, texts(p.Lines))
		}
	}
}

// FuzzLayout checks that any characters lay out without panics and that no
// text is lost or invented.
func FuzzLayout(f *testing.F) {
	f.Add([]byte("left column\x00right column\x01title"), 3.0, 7.0)
	f.Add([]byte{0x02, 'a', 0xad, ' ', 'b'}, -5.0, 1e9)
	f.Fuzz(func(t *testing.T, data []byte, dx, dy float64) {
		var chars []Char
		x, y := 0.0, 700.0
		for i, b := range data {
			switch {
			case b < 8:
				x, y = float64(b)*dx, y-float64(b)*dy
				continue
			}
			chars = append(chars, Char{Rune: rune(b), X0: x, X1: x + 5, Y0: y, Y1: y + 9, Index: i})
			x += 5
		}
		lines := Lines(chars)
		pages := []Page{{Number: 1, Width: 612, Height: 792, Lines: Order(lines, 612)}}
		removeRunningLines(pages)
		markBlocks(pages[0].Lines)
		for _, l := range pages[0].Lines {
			if l.Text == "" || strings.TrimSpace(l.Text) != l.Text {
				t.Fatalf("bad line %q", l.Text)
			}
		}
	})
}
