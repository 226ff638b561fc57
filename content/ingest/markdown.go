package ingest

import (
	"bytes"
	"context"
	"fmt"
	"handbook/content"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// markdown is the Markdown parser: CommonMark with GitHub tables and
// strikethrough. Raw HTML is never passed through; only page markers
// (<!-- page 12 -->) are read from it.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

var pageMarker = regexp.MustCompile(`(?i)<!--\s*page\s*:?\s*(\d{1,5})\s*-->`)

// ParseMarkdown reads one Markdown file: YAML front matter for the metadata
// and one section per heading. id becomes the document id; path names the
// file in errors and is kept as the document's source.
func ParseMarkdown(id, path string, data []byte) (*content.Loaded, error) {
	return parseMarkdown(context.Background(), id, path, data)
}

// parseMarkdown is ParseMarkdown, stopped early when ctx ends.
func parseMarkdown(ctx context.Context, id, path string, data []byte) (*content.Loaded, error) {
	if !bytes.HasPrefix(data, []byte("---")) {
		return nil, &content.MetaError{Path: path, Msg: "missing YAML front matter (a --- line, the metadata, another --- line)"}
	}
	meta, body, err := splitFrontMatter(data)
	if err != nil {
		return nil, &content.MetaError{Path: path, Msg: err.Error()}
	}
	doc, err := decodeFrontMatter(path, meta)
	if err != nil {
		return nil, err
	}
	doc.ID = id
	doc.Source = path
	if err := doc.Validate(path); err != nil {
		return nil, err
	}
	sections := markdownSections(ctx, id, body)
	if len(sections) == 0 {
		return nil, &content.MetaError{Path: path, Msg: "the document has no text"}
	}
	return &content.Loaded{Document: *doc, Sections: sections}, nil
}

// splitFrontMatter returns the YAML between the opening and closing --- lines
// and the body after it.
func splitFrontMatter(data []byte) (meta, body []byte, err error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || strings.TrimSpace(string(first)) != "---" {
		return nil, nil, fmt.Errorf("front matter must start with a line of three dashes")
	}
	if bytes.HasPrefix(rest, []byte("---\n")) || bytes.Equal(rest, []byte("---")) {
		return nil, rest[min(len(rest), 4):], nil
	}
	end := bytes.Index(rest, []byte("\n---"))
	for end >= 0 {
		after := rest[end+4:]
		if len(after) == 0 || after[0] == '\n' || after[0] == '\r' || strings.TrimSpace(string(firstLine(after))) == "" {
			return rest[:end+1], bytes.TrimPrefix(after, []byte("\n")), nil
		}
		next := bytes.Index(after, []byte("\n---"))
		if next < 0 {
			break
		}
		end += 4 + next
	}
	return nil, nil, fmt.Errorf("front matter is not closed by a line of three dashes")
}

func firstLine(b []byte) []byte {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return line
}

// numberPattern finds the citation number at the start of a heading:
// "Article 18", "Standard 1.2", "Annex A", "3.2", "Part II", "Recital (12)".
var numberPattern = regexp.MustCompile(`(?i)^((?:chapter|chapitre|article|art\.|standard|norme|annex|annexe|appendix|appendice|part|partie|section|module|case|cas|pillar|pilier|paragraph|paragraphe|recital|considérant|recommendation|recommandation|title|titre|rule|règle|step|étape|indicator|indicateur|volume|schedule|practice example|exemple pratique|exercise|exercice|lesson|leçon)\s+(?:[0-9]{1,4}(?:bis|ter|quater|[a-z])?(?:\.[0-9]{1,3})*\b|[IVXLCDM]{1,6}\b|[A-Z]\b|premier\b|première|1er\b|\([0-9]{1,4}\))|[0-9]{1,3}(?:\.[0-9]{1,3})+\.?|[0-9]{1,3}\.?(?:\s)|[IVXLC]{1,6}\.\s|[A-Z]\.\s)`)

// SplitHeading separates a heading's citation number from its text:
// "3.2 Joint operations" gives "3.2" and "Joint operations".
func SplitHeading(h string) (number, rest string) {
	h = strings.TrimSpace(strings.Join(strings.Fields(h), " "))
	m := numberPattern.FindString(h + " ")
	if m == "" {
		return "", h
	}
	number = strings.TrimRight(strings.TrimSpace(m), ".")
	if len(m) > len(h) {
		return number, ""
	}
	rest = strings.TrimSpace(h[len(m):])
	rest = strings.TrimSpace(strings.TrimLeft(rest, "—–-:.·"))
	return number, rest
}

// MarkdownSections splits a Markdown body into sections at its headings.
// Text before the first heading becomes an "Introduction" section. Page
// markers (<!-- page N -->) set the page of what follows.
//
// A line may open at most maxNesting block quotes and list items; the
// markers beyond are dropped (their text is kept), and list items deeper
// than maxIndent levels are indented as much as those at maxIndent.
func MarkdownSections(docID string, body []byte) []content.Section {
	return markdownSections(context.Background(), docID, body)
}

// markdownSections is MarkdownSections, stopped early (with the sections
// read so far) when ctx ends.
func markdownSections(ctx context.Context, docID string, body []byte) []content.Section {
	return markdownPieces(ctx, docID, body, markdownChunk)
}

// markdownPieces is markdownSections with pieces of the given size.
func markdownPieces(ctx context.Context, docID string, body []byte, size int) []content.Section {
	body = capNesting(body)
	st := &stopper{ctx: ctx}
	b := NewSectionBuilder(docID, pageMarker.Match(body))
	for _, chunk := range markdownChunks(body, size) {
		if ctx.Err() != nil {
			break
		}
		markdownInto(b, st, chunk)
	}
	return b.Sections()
}

// markdownChunk is the size of the pieces a long Markdown body is parsed
// in (see markdownChunks): the parser's tree of one piece is held at a
// time, not that of the whole body, which takes some ten times its size.
const markdownChunk = 1 << 20

// markdownChunks cuts a body longer than 4×size into pieces of about size
// bytes, each parsed alone. A cut falls only where what is open ends or
// goes on alike when parsed apart: before a line at the left margin after
// a blank line (but a numbered item), or before a bullet item at the left margin right after
// another (a long list becomes several), outside fenced code and
// multi-line HTML (comments, declarations, processing instructions,
// CDATA, script, pre, style, textarea). Shorter bodies are parsed
// whole, as before: a cut may separate a reference link from its
// definition.
func markdownChunks(body []byte, size int) [][]byte {
	if len(body) <= 4*size {
		return [][]byte{body}
	}
	var out [][]byte
	start := 0
	prevBlank, prevItem := false, false
	var fence []byte   // the fence of an open code block
	var closing string // what ends an open HTML block
	for pos := 0; pos < len(body); {
		end := bytes.IndexByte(body[pos:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		line := body[pos:end]
		trimmed := bytes.TrimLeft(line, " ")
		blank := len(bytes.TrimSpace(line)) == 0
		switch {
		case fence != nil:
			if len(line)-len(trimmed) < 4 && bytes.HasPrefix(trimmed, fence) && len(bytes.TrimSpace(bytes.TrimLeft(trimmed, string(fence[:1])))) == 0 {
				fence = nil
			}
		case closing != "":
			if bytes.Contains(bytes.ToLower(line), []byte(closing)) {
				closing = ""
			}
		default:
			if !blank && pos-start >= size && (prevBlank && line[0] != ' ' && line[0] != '\t' && !isNumbered(line) || prevItem && isItem(line)) {
				out = append(out, body[start:pos])
				start = pos
			}
			if len(line)-len(trimmed) < 4 {
				fence, closing = opens(trimmed)
			}
		}
		prevBlank = blank
		prevItem = fence == nil && closing == "" && isItem(line)
		pos = end + 1
	}
	return append(out, body[start:])
}

// isItem says whether a line at the left margin starts a bullet list item
// with text: such a line always starts an item, even after a paragraph (an
// empty item or a numbered one may be a paragraph's lazy continuation).
func isItem(line []byte) bool {
	if len(line) < 3 || strings.IndexByte("-*+", line[0]) < 0 || line[1] != ' ' && line[1] != '\t' {
		return false
	}
	return len(bytes.TrimSpace(line[2:])) > 0
}

// isNumbered says whether a line starts a numbered list item: one that
// goes on a list above it is numbered from that list's start, so it is not
// cut from it.
func isNumbered(line []byte) bool {
	i := 0
	for i < len(line) && i < 9 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t')
}

// opens says whether a line (less its indentation) opens a fenced code
// block (its fence) or an HTML block that blank lines do not end (what
// ends it), and the block does not end on the same line.
func opens(line []byte) (fence []byte, closing string) {
	for _, f := range []string{"```", "~~~"} {
		if bytes.HasPrefix(line, []byte(f)) {
			n := len(line) - len(bytes.TrimLeft(line, f[:1]))
			return line[:n], ""
		}
	}
	lower := bytes.ToLower(line[:min(len(line), 12)])
	if len(line) > 2 && line[0] == '<' && line[1] == '!' && (line[2] >= 'a' && line[2] <= 'z' || line[2] >= 'A' && line[2] <= 'Z') && !bytes.Contains(line[2:], []byte(">")) {
		return nil, ">" // a declaration
	}
	for _, o := range [][2]string{{"<!--", "-->"}, {"<![cdata[", "]]>"}, {"<?", "?>"}, {"<script", "</script>"}, {"<pre", "</pre>"}, {"<style", "</style>"}, {"<textarea", "</textarea>"}} {
		if bytes.HasPrefix(lower, []byte(o[0])) && !bytes.Contains(bytes.ToLower(line[len(o[0]):]), []byte(o[1])) {
			return nil, o[1]
		}
	}
	return nil, ""
}

// markdownInto parses one piece of Markdown into b.
func markdownInto(b *SectionBuilder, st *stopper, body []byte) {
	root := markdown.Parser().Parse(&stoppingReader{Reader: text.NewReader(body), st: st})
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if st.stop() {
			break
		}
		switch n := n.(type) {
		case *ast.Heading:
			var buf strings.Builder
			writeInline(&buf, n, body)
			b.heading(n.Level, buf.String(), "")
		case *ast.HTMLBlock:
			var raw bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				raw.Write(seg.Value(body))
			}
			if m := pageMarker.FindSubmatch(raw.Bytes()); m != nil {
				p, _ := strconv.Atoi(string(m[1]))
				b.Page(p)
			}
		default:
			var buf strings.Builder
			writeBlock(&buf, n, body, 0)
			b.text(buf.String())
		}
	}
}

// stoppingReader is the parser's source, ended early when the stopper says
// so: the parser then sees the end of the input.
type stoppingReader struct {
	text.Reader
	st      *stopper
	stopped bool
}

func (r *stoppingReader) PeekLine() ([]byte, text.Segment) {
	if !r.stopped && r.st.stop() {
		r.stopped = true
	}
	line, seg := r.Reader.PeekLine()
	if r.stopped {
		return nil, seg
	}
	return line, seg
}

func (r *stoppingReader) SkipBlankLines() (text.Segment, int, bool) {
	if r.stopped {
		_, seg := r.Reader.PeekLine()
		return seg, 0, false
	}
	return r.Reader.SkipBlankLines()
}

// capNesting drops the container markers (">", "-", "*", "+", "1.", "1)")
// beyond the first maxNesting at the start of a line: "- - - … item" would
// otherwise nest one level per marker, each indented one more step. body
// is returned as it is when no line has that many.
func capNesting(body []byte) []byte {
	var out []byte
	done := 0 // body[:done] is in out
	for start := 0; start < len(body); {
		end := bytes.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		keep, drop := containerPrefix(body[start:end])
		if drop > keep {
			out = append(out, body[done:start+keep]...)
			done = start + drop
		}
		start = end + 1
	}
	if out == nil {
		return body
	}
	return append(out, body[done:]...)
}

// containerPrefix scans the container markers at the start of line: keep
// is the length of the first maxNesting of them, drop that of all (0, 0
// when there are no more than maxNesting).
func containerPrefix(line []byte) (keep, drop int) {
	i, n := 0, 0
	for {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		if j >= len(line) {
			break
		}
		k := j
		switch c := line[j]; {
		case c == '>':
			k = j + 1
		case c == '-' || c == '*' || c == '+':
			if j+1 < len(line) && (line[j+1] == ' ' || line[j+1] == '\t') {
				k = j + 1
			}
		case c >= '0' && c <= '9':
			d := j
			for d < len(line) && d-j < 9 && line[d] >= '0' && line[d] <= '9' {
				d++
			}
			if d < len(line)-1 && (line[d] == '.' || line[d] == ')') && (line[d+1] == ' ' || line[d+1] == '\t') {
				k = d + 1
			}
		}
		if k == j {
			break
		}
		i = k
		n++
		if n == maxNesting {
			keep = i
		}
	}
	if n <= maxNesting {
		return 0, 0
	}
	// Drop the markers up to the white space before the text.
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if keep < i && (line[keep] == ' ' || line[keep] == '\t') {
		return keep + 1, i
	}
	return keep, i
}

// writeBlock appends the plain text of a block node: paragraphs separated by
// blank lines, list items as "- " lines, table rows with " | " between cells.
func writeBlock(buf *strings.Builder, n ast.Node, src []byte, depth int) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		writeInline(buf, n, src)
	case *ast.Heading:
		writeInline(buf, n, src)
	case *ast.List:
		i := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			if item != n.FirstChild() {
				buf.WriteString("\n")
			}
			buf.WriteString(indent(depth))
			if n.IsOrdered() {
				fmt.Fprintf(buf, "%d%c ", i, n.Marker)
				i++
			} else {
				buf.WriteString("- ")
			}
			first := true
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				if !first {
					buf.WriteString("\n")
				}
				if _, nested := c.(*ast.List); nested {
					writeBlock(buf, c, src, depth+1)
				} else {
					writeBlock(buf, c, src, depth)
				}
				first = false
			}
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			buf.Write(seg.Value(src))
		}
	case *east.Table:
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			if row != n.FirstChild() {
				buf.WriteString("\n")
			}
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if cell != row.FirstChild() {
					buf.WriteString(" | ")
				}
				writeInline(buf, cell, src)
			}
		}
	case *ast.HTMLBlock, *ast.ThematicBreak:
		// Raw HTML is not text; a rule is layout.
	default: // block quotes and other containers
		first := true
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if !first {
				buf.WriteString("\n\n")
			}
			writeBlock(buf, c, src, depth)
			first = false
		}
	}
}

// writeInline appends the text of a node's inline children, dropping markup.
func writeInline(buf *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			buf.Write(c.Segment.Value(src))
			if c.HardLineBreak() {
				buf.WriteString("\n")
			} else if c.SoftLineBreak() {
				buf.WriteString(" ")
			}
		case *ast.String:
			buf.Write(c.Value)
		case *ast.AutoLink:
			buf.Write(c.URL(src))
		case *ast.RawHTML:
			// dropped
		default:
			writeInline(buf, c, src)
		}
	}
}
