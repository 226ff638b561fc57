// Package docx reads the text of Word documents (Office Open XML .docx):
// paragraphs with their heading levels, list items with their numbers,
// tables as rows of cells, and the core properties. It knows nothing of
// sections or search; package content turns its blocks into sections.
//
// Only the standard library is used: a .docx is a zip of XML parts. The zip
// is read defensively (see Limits), since a document may come from anyone.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Errors a caller can branch on.
var (
	// ErrNotDOCX is a zip archive without a Word document in it.
	ErrNotDOCX = errors.New("the archive holds no Word document (word/document.xml)")
	// ErrTooLarge is a document that unpacks beyond Limits: a zip bomb, or
	// simply too big.
	ErrTooLarge = errors.New("the document unpacks to more than the limit")
	// ErrCorrupt is a damaged archive or malformed XML.
	ErrCorrupt = errors.New("the Word document is damaged")
)

// Limits bound what Read unpacks.
type Limits struct {
	MaxUncompressed int64 // bytes unpacked from all parts together
	MaxEntries      int   // entries in the zip
}

// Kind is what a block is.
type Kind int

// Kinds of block.
const (
	Paragraph Kind = iota
	Heading
	ListItem
	Table
	Title // the document's title (the Title style)
)

// Block is a paragraph, heading, list item or table, in document order.
type Block struct {
	Kind  Kind
	Level int    // heading level from 1; list nesting from 0
	Label string // a list item's or heading's generated number ("1.", "(a)", "Article 3")
	Text  string // tables: cells joined by " | ", rows by newlines
}

// Core is the document's core properties (docProps/core.xml).
type Core struct {
	Title, Subject, Description, Creator, Keywords, Language string
}

// Document is a Word document's text.
type Document struct {
	Core   Core
	Blocks []Block
}

// maxText bounds the text of one block: a longer paragraph or table at the
// top of the body is handed on in pieces of about this size, and one inside
// a table or text box is cut there.
const maxText = 1 << 20

// Read reads a .docx held in memory.
func Read(data []byte, lim Limits) (*Document, error) {
	doc := &Document{}
	core, err := Stream(context.Background(), data, lim, func(b Block) { doc.Blocks = append(doc.Blocks, b) })
	if err != nil {
		return nil, err
	}
	doc.Core = core
	return doc, nil
}

// Stream reads a .docx held in memory as Read does, but hands each block to
// emit as soon as it is read instead of keeping them, and stops when ctx
// ends (the error is then ctx's). The parts are decoded as they are
// unpacked: the document's XML is never held whole.
func Stream(ctx context.Context, data []byte, lim Limits, emit func(Block)) (Core, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Core{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if lim.MaxEntries > 0 && len(zr.File) > lim.MaxEntries {
		return Core{}, fmt.Errorf("%w: %d entries in the archive, more than the limit of %d", ErrTooLarge, len(zr.File), lim.MaxEntries)
	}
	var declared uint64
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	if lim.MaxUncompressed > 0 && declared > uint64(lim.MaxUncompressed) {
		return Core{}, fmt.Errorf("%w: it declares %d bytes uncompressed, more than the limit of %d (a zip bomb?)", ErrTooLarge, declared, lim.MaxUncompressed)
	}
	budget := lim.MaxUncompressed
	if budget <= 0 {
		budget = 1 << 62
	}
	// read decodes part name with parse, as it is unpacked; a part that is
	// not there is not an error.
	read := func(name string, parse func(io.Reader) error) error {
		f := parts[name]
		if f == nil {
			return nil
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, name, err)
		}
		defer rc.Close()
		pr := &partReader{ctx: ctx, r: rc, budget: &budget, limit: lim.MaxUncompressed, name: name}
		err = parse(pr)
		if pr.err != nil {
			return pr.err
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, name, err)
		}
		return nil
	}
	main := "word/document.xml"
	if parts[main] == nil {
		// The main part may have another name; the content types say which.
		for name := range parts {
			if strings.HasSuffix(name, "/document.xml") || strings.HasSuffix(name, "/document2.xml") {
				main = name
			}
		}
		if parts[main] == nil {
			return Core{}, ErrNotDOCX
		}
	}
	r := &reader{counters: map[string][]int{}, emit: emit}
	var core Core
	if err := read("word/styles.xml", func(in io.Reader) error { r.styles = parseStyles(in); return nil }); err != nil {
		return Core{}, err
	}
	if err := read("word/numbering.xml", func(in io.Reader) error { r.numbering = parseNumbering(in); return nil }); err != nil {
		return Core{}, err
	}
	if err := read("docProps/core.xml", func(in io.Reader) error { core = parseCore(in); return nil }); err != nil {
		return Core{}, err
	}
	if r.styles == nil {
		r.styles = parseStyles(nil)
	}
	if r.numbering.abstract == nil {
		r.numbering = parseNumbering(nil)
	}
	if err := read(main, r.document); err != nil {
		return Core{}, err
	}
	return core, nil
}

// partReader reads a part within what is left of the budget of
// uncompressed bytes, until ctx ends; err is why it stopped, if not at the
// part's end.
type partReader struct {
	ctx    context.Context
	r      io.Reader
	budget *int64
	limit  int64
	name   string
	err    error
}

func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if err := p.ctx.Err(); err != nil {
		p.err = err
		return 0, err
	}
	n, err := p.r.Read(b)
	*p.budget -= int64(n)
	switch {
	case *p.budget < 0:
		p.err = fmt.Errorf("%w: %s unpacks beyond the limit of %d bytes (a zip bomb?)", ErrTooLarge, p.name, p.limit)
		return n, p.err
	case err != nil && err != io.EOF:
		p.err = fmt.Errorf("%w: %s: %w", ErrCorrupt, p.name, err)
		return n, p.err
	}
	return n, err
}

// ---- styles

type style struct {
	name, basedOn string
	outline       int // 0 when unset, else outline level + 1
}

type styles map[string]style

var headingName = regexp.MustCompile(`(?i)^(heading|titre|título|titolo|überschrift|kop|rubrik|nagłówek)\s*([1-9])$`)

// level returns a paragraph style's heading level (1–9), -1 for the Title
// style, 0 for body text. Styles based on a heading style are headings too.
func (s styles) level(id string) int {
	for depth := 0; id != "" && depth < 16; depth++ {
		st, ok := s[id]
		name := st.name
		if !ok {
			name = id
		}
		if m := headingName.FindStringSubmatch(strings.TrimSpace(name)); m != nil {
			n, _ := strconv.Atoi(m[2])
			return n
		}
		if m := headingName.FindStringSubmatch(id); m != nil {
			n, _ := strconv.Atoi(m[2])
			return n
		}
		switch strings.ToLower(name) {
		case "title", "titre":
			return -1
		}
		if st.outline > 0 && st.outline <= 9 {
			return st.outline
		}
		if !ok {
			return 0
		}
		id = st.basedOn
	}
	return 0
}

func parseStyles(in io.Reader) styles {
	out := styles{}
	if in == nil {
		return out
	}
	d := xml.NewDecoder(in)
	var cur *style
	var curID string
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				cur, curID = &style{}, attr(t, "styleId")
			case "name":
				if cur != nil {
					cur.name = attr(t, "val")
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
						cur.outline = n + 1
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" && cur != nil && len(out) < maxDefinitions {
				out[curID] = *cur
				cur = nil
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// ---- numbering

type level struct {
	format, text string
	start        int
}

type numbering struct {
	abstract map[string]map[int]level // abstractNumId → ilvl → level
	nums     map[string]string        // numId → abstractNumId
	// overrides are a list instance's own levels (w:lvlOverride): a
	// w:startOverride sets only the start, a w:lvl the whole level.
	overrides map[string]map[int]override // numId → ilvl → override
}

type override struct {
	start    int  // the start, when hasStart
	hasStart bool // a w:startOverride was given
	level    *level
}

// levels returns the levels of list numID: its abstract numbering's, with
// the list's own overrides.
func (n numbering) levels(numID string) map[int]level {
	levels := n.abstract[n.nums[numID]]
	ov := n.overrides[numID]
	if len(ov) == 0 {
		return levels
	}
	out := make(map[int]level, len(levels)+len(ov))
	for i, lv := range levels {
		out[i] = lv
	}
	for i, o := range ov {
		lv, ok := out[i]
		if o.level != nil {
			lv, ok = *o.level, true
		}
		if o.hasStart {
			lv.start = o.start
		}
		if ok || o.hasStart {
			out[i] = lv
		}
	}
	return out
}

func parseNumbering(in io.Reader) numbering {
	n := numbering{abstract: map[string]map[int]level{}, nums: map[string]string{}, overrides: map[string]map[int]override{}}
	if in == nil {
		return n
	}
	d := xml.NewDecoder(in)
	var abs string
	var lvl = -1
	var cur level
	var num string
	overLvl := -1 // the level of the w:lvlOverride being read
	setOverride := func(f func(*override)) {
		if num == "" || overLvl < 0 || overLvl > 9 || len(n.overrides) >= maxDefinitions {
			return
		}
		if n.overrides[num] == nil {
			n.overrides[num] = map[int]override{}
		}
		o := n.overrides[num][overLvl]
		f(&o)
		n.overrides[num][overLvl] = o
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return n
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = attr(t, "abstractNumId")
				if len(n.abstract) >= maxDefinitions {
					abs = ""
					continue
				}
				n.abstract[abs] = map[int]level{}
			case "lvl":
				lvl, _ = strconv.Atoi(attr(t, "ilvl"))
				cur = level{start: 1}
			case "start":
				if lvl >= 0 {
					cur.start, _ = strconv.Atoi(attr(t, "val"))
				}
			case "lvlOverride":
				overLvl, _ = strconv.Atoi(attr(t, "ilvl"))
			case "startOverride":
				v, err := strconv.Atoi(attr(t, "val"))
				if err == nil {
					setOverride(func(o *override) { o.start, o.hasStart = v, true })
				}
			case "numFmt":
				if lvl >= 0 {
					cur.format = attr(t, "val")
				}
			case "lvlText":
				if lvl >= 0 {
					cur.text = attr(t, "val")
				}
			case "num":
				num = attr(t, "numId")
			case "abstractNumId":
				if num != "" && len(n.nums) < maxDefinitions {
					n.nums[num] = attr(t, "val")
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "lvl":
				switch {
				case num != "" && overLvl >= 0: // a level redefined by one list
					lv := cur
					setOverride(func(o *override) { o.level = &lv })
				case num == "" && abs != "" && lvl >= 0 && lvl < 10:
					n.abstract[abs][lvl] = cur
				}
				lvl = -1
			case "abstractNum":
				abs = ""
			case "lvlOverride":
				overLvl = -1
			case "num":
				num = ""
			}
		}
	}
}

// label returns the generated label of the next item of list numID at ilvl,
// and advances the counters.
func (r *reader) label(numID string, ilvl int) string {
	if numID == "" || numID == "0" || ilvl < 0 || ilvl > 9 {
		return ""
	}
	if _, ok := r.numbering.nums[numID]; !ok {
		return "" // no such list: no label, and no counters to keep
	}
	levels := r.numbering.levels(numID)
	c := r.counters[numID]
	if len(c) < 10 {
		c = make([]int, 10)
		for i := range c {
			c[i] = levels[i].start - 1
			if levels[i].start == 0 {
				c[i] = 0
			}
		}
	}
	c[ilvl]++
	for i := ilvl + 1; i < len(c); i++ {
		c[i] = levels[i].start - 1
		if levels[i].start == 0 {
			c[i] = 0
		}
	}
	r.counters[numID] = c
	lv, ok := levels[ilvl]
	if !ok || lv.format == "bullet" || lv.format == "none" || lv.text == "" {
		return ""
	}
	out := lv.text
	for i := 0; i <= ilvl; i++ {
		out = strings.ReplaceAll(out, "%"+strconv.Itoa(i+1), formatNumber(c[i], levels[i].format))
	}
	return strings.TrimSpace(out)
}

func formatNumber(n int, format string) string {
	switch format {
	case "lowerLetter":
		return letters(n, 'a')
	case "upperLetter":
		return letters(n, 'A')
	case "lowerRoman":
		return strings.ToLower(roman(n))
	case "upperRoman":
		return roman(n)
	}
	return strconv.Itoa(n)
}

func letters(n int, base rune) string {
	if n <= 0 {
		return ""
	}
	ch := string(base + rune((n-1)%26))
	return strings.Repeat(ch, (n-1)/26+1)
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var sb strings.Builder
	for i, v := range vals {
		for n >= v {
			sb.WriteString(syms[i])
			n -= v
		}
	}
	return sb.String()
}

// ---- core properties

// maxField bounds a core property, maxDefinitions the styles and lists
// read: a document needs far fewer, and a crafted one cannot fill memory
// with them.
const (
	maxField       = 4 << 10
	maxDefinitions = 20000
)

func parseCore(in io.Reader) Core {
	var c Core
	if in == nil {
		return c
	}
	d := xml.NewDecoder(in)
	var field *string
	for {
		tok, err := d.Token()
		if err != nil {
			return c
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "title":
				field = &c.Title
			case "subject":
				field = &c.Subject
			case "description":
				field = &c.Description
			case "creator":
				field = &c.Creator
			case "keywords":
				field = &c.Keywords
			case "language":
				field = &c.Language
			default:
				field = nil
			}
		case xml.CharData:
			if field != nil {
				if len(*field) < maxField {
					*field += string(t[:min(len(t), maxField)])
				}
			}
		case xml.EndElement:
			if field != nil {
				*field = strings.Join(strings.Fields(*field), " ")
			}
			field = nil
		}
	}
}

// ---- the document body

type reader struct {
	styles    styles
	numbering numbering
	counters  map[string][]int
	blocks    []Block // of the paragraph or table being read
	depth     int
	emit      func(Block)
}

const maxDepth = 64 // nesting of tables and text boxes

// drain hands the blocks read so far on.
func (r *reader) drain() {
	for _, b := range r.blocks {
		r.emit(b)
	}
	clear(r.blocks)
	r.blocks = r.blocks[:0]
}

func (r *reader) document(in io.Reader) error {
	d := xml.NewDecoder(in)
	d.Strict = false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "p":
			if err := r.paragraph(d); err != nil {
				return err
			}
			r.drain()
		case "tbl":
			text, err := r.table(d)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) != "" {
				r.emit(Block{Kind: Table, Text: text})
			}
		case "del", "moveFrom", "instrText", "delText":
			if err := d.Skip(); err != nil {
				return err
			}
		}
	}
}

// paragraph reads a w:p up to its end and appends it as a block, followed
// by the paragraphs of any text box inside it.
func (r *reader) paragraph(d *xml.Decoder) error {
	var (
		text           strings.Builder
		styleID, numID string
		ilvl, outline  = 0, 0
		inner          []Block
		hasNum         bool
	)
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return errors.New("paragraphs nested too deep")
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "pStyle":
				styleID = attr(t, "val")
			case "numId":
				numID, hasNum = attr(t, "val"), true
			case "ilvl":
				ilvl, _ = strconv.Atoi(attr(t, "val"))
				ilvl = min(max(ilvl, 0), 9)
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
					outline = n + 1
				}
			case "t":
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return err
				}
				switch {
				case text.Len() < maxText:
					text.WriteString(s)
				case r.depth == 1:
					// A paragraph at the top of the body goes on in
					// pieces; one in a table or text box is cut.
					if piece := cleanText(text.String()); piece != "" {
						r.emit(Block{Kind: Paragraph, Text: piece})
					}
					text.Reset()
					text.WriteString(s)
				}
			case "tab", "ptab":
				text.WriteByte('\t')
			case "br", "cr":
				text.WriteByte('\n')
			case "noBreakHyphen":
				text.WriteByte('-')
			case "del", "moveFrom", "instrText", "delText", "rPr", "footnoteReference", "endnoteReference", "fallback", "Fallback":
				if err := d.Skip(); err != nil {
					return err
				}
			case "p": // a text box inside a run
				saved := r.blocks
				r.blocks = nil
				if err := r.paragraph(d); err != nil {
					return err
				}
				inner = append(inner, r.blocks...)
				r.blocks = saved
			case "tbl":
				tt, err := r.table(d)
				if err != nil {
					return err
				}
				inner = append(inner, Block{Kind: Table, Text: tt})
			}
		case xml.EndElement:
			if t.Name.Local != "p" {
				continue
			}
			s := cleanText(text.String())
			level := r.styles.level(styleID)
			if outline > 0 {
				level = outline
			}
			label := ""
			if hasNum {
				label = r.label(numID, ilvl)
			}
			switch {
			case s == "":
			case level == -1:
				r.blocks = append(r.blocks, Block{Kind: Title, Text: s})
			case level > 0:
				r.blocks = append(r.blocks, Block{Kind: Heading, Level: level, Label: label, Text: s})
			case hasNum && numID != "0":
				r.blocks = append(r.blocks, Block{Kind: ListItem, Level: ilvl, Label: label, Text: s})
			default:
				r.blocks = append(r.blocks, Block{Kind: Paragraph, Text: s})
			}
			r.blocks = append(r.blocks, inner...)
			return nil
		}
	}
}

// table reads a w:tbl: cells joined by " | ", rows by newlines; nested
// tables are flattened into their cell.
func (r *reader) table(d *xml.Decoder) (string, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return "", errors.New("tables nested too deep")
	}
	var rows []string
	var cells []string
	var cell []string
	size := 0 // bytes in rows, cells and cell
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tr":
				cells = nil
			case "tc":
				cell = nil
			case "p":
				saved := r.blocks
				r.blocks = nil
				if err := r.paragraph(d); err != nil {
					return "", err
				}
				for _, b := range r.blocks {
					if size >= maxText {
						break
					}
					size += len(b.Label) + len(b.Text) + 1
					if b.Label != "" {
						cell = append(cell, b.Label+" "+b.Text)
					} else {
						cell = append(cell, b.Text)
					}
				}
				r.blocks = saved
				if size >= maxText && r.depth == 1 {
					// A table at the top of the body goes on in pieces;
					// one inside another is cut.
					part := append(append(rows[:len(rows):len(rows)], cells...), strings.Join(cell, " "))
					if t := strings.Join(part, "\n"); strings.TrimSpace(t) != "" {
						r.emit(Block{Kind: Table, Text: t})
					}
					rows, cells, cell, size = nil, nil, nil, 0
				}
			case "tbl":
				tt, err := r.table(d)
				if err != nil {
					return "", err
				}
				if size < maxText {
					cell = append(cell, tt)
					size += len(tt)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "tc":
				cells = append(cells, strings.Join(cell, " "))
			case "tr":
				if strings.TrimSpace(strings.Join(cells, "")) != "" {
					rows = append(rows, strings.Join(cells, " | "))
				}
			case "tbl":
				return strings.Join(rows, "\n"), nil
			}
		}
	}
}

// cleanText trims a paragraph and folds runs of spaces, keeping line breaks.
func cleanText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
