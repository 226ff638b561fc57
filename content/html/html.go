// Package html reads the main content of an HTML page: headings with their
// anchors, paragraphs, list items, tables and preformatted text, without
// navigation, scripts, styles, headers and footers. It knows nothing of
// sections or search; package content turns its blocks into sections.
//
// Main content is the page's <main> (or role="main"), else its only
// <article>, else <body>, less the elements that are navigation or chrome
// by their tag (nav, aside, header and footer outside an article, forms),
// their ARIA role, or a class or id such as "navbar", "sidebar",
// "breadcrumb" or "footer". Readability-style scoring was not used: it
// drops the anchors and headings a handbook's sections are made of.
package html

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// ErrCorrupt is a page the HTML parser gives up on.
var ErrCorrupt = errors.New("the HTML cannot be parsed")

// Kind is what a block is.
type Kind int

// Kinds of block.
const (
	Paragraph Kind = iota
	Heading
	ListItem
	Table
	Pre
)

// Block is a piece of the main content, in reading order.
type Block struct {
	Kind  Kind
	Level int    // heading level 1–6; list nesting from 0
	ID    string // a heading's anchor, if it has one
	Label string // an ordered list item's number as a browser shows it: "3.", "c.", "iv."
	Text  string
}

// Document is a page's main content and metadata.
type Document struct {
	Title, Lang, Description string
	Blocks                   []Block
}

// Decode converts a page to UTF-8 using its byte-order mark or declared
// charset (a <meta> tag); without either, it must be UTF-8, or is taken as
// Windows-1252 as browsers do. It reports invalid UTF-8 in a page that
// declares UTF-8.
func Decode(data []byte) ([]byte, error) {
	enc, name, _ := charset.DetermineEncoding(data, "text/html")
	if name == "utf-8" {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) { // undeclared invalid UTF-8 would have been taken as Windows-1252
			return nil, errors.New("the page declares UTF-8 but is not valid UTF-8")
		}
		return data, nil
	}
	if name == "windows-1252" && ascii(data) {
		return data, nil // the same bytes either way
	}
	out := bytes.NewBuffer(make([]byte, 0, len(data)+len(data)/4))
	if _, err := io.Copy(out, enc.NewDecoder().Reader(bytes.NewReader(data))); err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out.Bytes(), nil
}

func ascii(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// Parse reads a page in UTF-8.
func Parse(data []byte) (doc *Document, err error) {
	return ParseContext(context.Background(), data)
}

// ParseContext is Parse, stopped when ctx ends: the error is then ctx's.
// A page that nests elements deeper than maxDepth is an error (the HTML
// parser refuses it).
func ParseContext(ctx context.Context, data []byte) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	root, err := html.ParseWithOptions(&ctxReader{ctx: ctx, r: bytes.NewReader(data)}, html.ParseOptionEnableScripting(true))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	doc = &Document{}
	var body *html.Node
	var mains, articles []*html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				doc.Lang = attr(n, "lang")
				if doc.Lang == "" {
					doc.Lang = attr(n, "xml:lang")
				}
			case atom.Title:
				if doc.Title == "" {
					doc.Title = collapse(textOf(n))
				}
			case atom.Meta:
				if strings.EqualFold(attr(n, "name"), "description") {
					doc.Description = collapse(attr(n, "content"))
				}
			case atom.Body:
				body = n
			case atom.Main:
				mains = append(mains, n)
			case atom.Article:
				articles = append(articles, n)
			}
			if strings.EqualFold(attr(n, "role"), "main") && n.DataAtom != atom.Main {
				mains = append(mains, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	main := body
	switch {
	case len(mains) == 1:
		main = mains[0]
	case len(articles) == 1:
		main = articles[0]
	}
	if main == nil {
		main = root
	}
	w := &writer{ctx: ctx}
	w.block(main, 0, false)
	w.flush()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	doc.Blocks = w.blocks
	if doc.Title == "" {
		for _, b := range doc.Blocks {
			if b.Kind == Heading {
				doc.Title = b.Text
				break
			}
		}
	}
	return doc, nil
}

// chrome matches class and id tokens of navigation and page furniture.
var chrome = regexp.MustCompile(`(?i)^(nav|navbar|navigation|nav-?links|menu|menubar|breadcrumbs?|sidebar|sphinxsidebar(wrapper)?|related|footer|site-footer|page-footer|site-header|masthead|cookies?|cookie-?banner|banner|skip-?link|skip|docnav|headerlink|share|social|pagination|pager|prev-next|toolbar|searchbox|search-?form|advert(isement)?|ads?)$`)

func isChrome(n *html.Node, inArticle bool) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Svg, atom.Canvas, atom.Form,
		atom.Button, atom.Select, atom.Input, atom.Textarea, atom.Nav, atom.Aside, atom.Object, atom.Embed, atom.Math:
		return true
	case atom.Header:
		return !inArticle
	case atom.Footer:
		return true
	}
	if _, hidden := attrOK(n, "hidden"); hidden || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""); strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "toolbar":
		return true
	}
	for _, tok := range strings.Fields(attr(n, "class") + " " + attr(n, "id")) {
		if chrome.MatchString(tok) {
			return true
		}
	}
	return false
}

// maxDepth bounds the nesting of elements the page is read to.
const maxDepth = 512

// ctxReader reads r until ctx ends, so that the parser stops then.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type writer struct {
	ctx    context.Context
	steps  int
	blocks []Block
	buf    strings.Builder
	list   int       // list nesting
	lists  []counter // the open <ol> and <ul>, innermost last
	item   *Block    // the list item whose text is being read
}

// counter numbers the items of an open list as a browser does: from
// <ol start>, down for <ol reversed>, in the style of <ol type>, and from
// an item's <li value> on.
type counter struct {
	ordered bool
	next    int
	step    int
	style   string // "1", "a", "A", "i" or "I"
}

func newCounter(n *html.Node) counter {
	if n.DataAtom != atom.Ol {
		return counter{}
	}
	c := counter{ordered: true, next: 1, step: 1, style: attr(n, "type")}
	if _, ok := attrOK(n, "reversed"); ok {
		c.step = -1
		c.next = 0
		for li := n.FirstChild; li != nil; li = li.NextSibling {
			if li.Type == html.ElementNode && li.DataAtom == atom.Li {
				c.next++
			}
		}
	}
	if v, err := strconv.Atoi(strings.TrimSpace(attr(n, "start"))); err == nil {
		c.next = v
	}
	return c
}

// label returns the label of the next item, li, and advances the count.
func (c *counter) label(li *html.Node) string {
	if !c.ordered {
		return ""
	}
	if v, err := strconv.Atoi(strings.TrimSpace(attr(li, "value"))); err == nil {
		c.next = v
	}
	style := c.style
	if t := attr(li, "type"); t != "" {
		style = t
	}
	n := c.next
	c.next += c.step
	return formatNumber(n, style) + "."
}

// formatNumber writes n as a list marker of the given <ol type>; letters
// and roman numerals only from 1 (a browser falls back to digits).
func formatNumber(n int, style string) string {
	switch {
	case n <= 0 || style == "" || style == "1":
	case style == "a" || style == "A":
		var b []byte
		for m := n; m > 0; m = (m - 1) / 26 {
			b = append([]byte{style[0] + byte((m-1)%26)}, b...)
		}
		return string(b)
	case (style == "i" || style == "I") && n < 4000:
		r := roman(n)
		if style == "i" {
			r = strings.ToLower(r)
		}
		return r
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// stopped says, every 1024 calls, whether the context has ended.
func (w *writer) stopped() bool {
	w.steps++
	return w.steps%1024 == 0 && w.ctx.Err() != nil
}

func (w *writer) flush() {
	if t := collapse(w.buf.String()); t != "" {
		b := Block{Kind: Paragraph, Text: t}
		if w.item != nil { // the text of a list item, up to its first nested block
			b, w.item = *w.item, nil
			b.Text = t
		}
		w.blocks = append(w.blocks, b)
	}
	w.buf.Reset()
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Blockquote, atom.Ul, atom.Ol, atom.Li, atom.Dl,
		atom.Dt, atom.Dd, atom.Table, atom.Pre, atom.Figure, atom.Figcaption, atom.Address, atom.Hr, atom.Details,
		atom.Summary, atom.Body, atom.Center, atom.Fieldset, atom.Caption:
		return true
	}
	return headingLevel(a) > 0
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// block writes the content of n: inline text into the open paragraph,
// block elements as blocks of their own.
func (w *writer) block(n *html.Node, depth int, inArticle bool) {
	if depth > maxDepth || w.ctx.Err() != nil {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if w.stopped() {
			return
		}
		switch c.Type {
		case html.TextNode:
			w.buf.WriteString(c.Data)
			continue
		case html.ElementNode:
		default:
			continue
		}
		if isChrome(c, inArticle) {
			continue
		}
		a := c.DataAtom
		if lv := headingLevel(a); lv > 0 {
			w.flush()
			if t := collapse(textOf(c)); t != "" {
				w.blocks = append(w.blocks, Block{Kind: Heading, Level: lv, ID: anchor(c), Text: t})
			}
			continue
		}
		switch a {
		case atom.Br:
			w.buf.WriteString("\n")
			continue
		case atom.Img:
			continue
		case atom.Pre:
			w.flush()
			if t := strings.Trim(textOf(c), "\n"); strings.TrimSpace(t) != "" {
				w.blocks = append(w.blocks, Block{Kind: Pre, Text: t})
			}
			continue
		case atom.Table:
			w.flush()
			if t := tableText(c); t != "" {
				w.blocks = append(w.blocks, Block{Kind: Table, Text: t})
			}
			continue
		case atom.Ol, atom.Ul:
			w.flush()
			w.lists = append(w.lists, newCounter(c))
			w.block(c, depth+1, inArticle)
			w.flush()
			w.lists = w.lists[:len(w.lists)-1]
			continue
		case atom.Li:
			w.flush()
			label := ""
			if len(w.lists) > 0 {
				label = w.lists[len(w.lists)-1].label(c)
			}
			outer := w.item
			w.list++
			// The item's text is what comes before its first nested block
			// (flush writes it), or else all of it.
			w.item = &Block{Kind: ListItem, Level: max(w.list-1, 0), Label: label}
			start := len(w.blocks)
			w.block(c, depth+1, inArticle || a == atom.Article)
			w.list--
			if item := w.item; item != nil {
				item.Text = collapse(w.buf.String())
				w.buf.Reset()
				if item.Text != "" { // the item's text comes before its nested blocks
					w.blocks = append(w.blocks[:start], append([]Block{*item}, w.blocks[start:]...)...)
				}
			} else {
				w.flush() // text after a nested block
			}
			w.item = outer
			continue
		}
		if isBlock(a) {
			w.flush()
			w.block(c, depth+1, inArticle || a == atom.Article)
			w.flush()
			continue
		}
		w.block(c, depth+1, inArticle)
	}
}

// anchor finds a heading's id: its own, else that of an anchor inside it,
// else that of the section it opens.
func anchor(h *html.Node) string {
	if id := attr(h, "id"); id != "" {
		return id
	}
	var found string
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == ""; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if id := attr(c, "id"); id != "" {
				found = id
				return
			}
			if c.DataAtom == atom.A && attr(c, "name") != "" {
				found = attr(c, "name")
				return
			}
			find(c)
		}
	}
	find(h)
	if found != "" {
		return found
	}
	// <section id=…><h2>, or Sphinx's <div class="section" id=…><h2>, possibly
	// inside wrapper divs whose first element is the heading.
	for n := h; n.Parent != nil; n = n.Parent {
		if firstElement(n.Parent) != n {
			break
		}
		if id := attr(n.Parent, "id"); id != "" {
			return id
		}
	}
	// A preceding empty anchor: <a id="x"></a><h2>.
	for p := h.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) == "" {
			continue
		}
		if p.Type == html.ElementNode && p.DataAtom == atom.A && collapse(textOf(p)) == "" {
			if id := attr(p, "id"); id != "" {
				return id
			}
			return attr(p, "name")
		}
		break
	}
	return ""
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return nil
		}
	}
	return nil
}

func tableText(t *html.Node) string {
	var rows []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || isChrome(c, true) {
				continue
			}
			if c.DataAtom == atom.Tr {
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, collapse(textOf(td)))
					}
				}
				if strings.TrimSpace(strings.Join(cells, "")) != "" {
					rows = append(rows, strings.Join(cells, " | "))
				}
				continue
			}
			walk(c)
		}
	}
	walk(t)
	return strings.Join(rows, "\n")
}

// textOf returns the text inside n, less chrome; <br> becomes a newline.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				sb.WriteString(c.Data)
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				sb.WriteString("\n")
			case c.Type == html.ElementNode && !isChrome(c, true):
				if isBlock(c.DataAtom) && sb.Len() > 0 {
					sb.WriteString(" ")
				}
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return sb.String()
}

// collapse folds white space (keeping explicit line breaks) and trims.
func collapse(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) || (a.Namespace != "" && strings.EqualFold(a.Namespace+":"+a.Key, key)) {
			return a.Val, true
		}
	}
	return "", false
}
