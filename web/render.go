package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"handbook/content"
)

//go:embed templates static
var assets embed.FS

// pageNames are the templates that render a whole page; each is parsed with
// the layout.
var pageNames = []string{"home", "search", "doc", "error", "packs", "pack", "pack_add", "pack_delete", "signin", "audit", "compare", "analytics", "saved", "documents", "job"}

var funcs = template.FuncMap{
	"join":  strings.Join,
	"dots":  dots,
	"add":   func(a, b int) int { return a + b },
	"pages": pageRange,
	"dict":  dict,
}

// dict makes a map of its key and value arguments, for a sub-template.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// renderText turns a section's plain text into escaped HTML paragraphs,
// lists and tables.
func renderText(text string, terms ...string) template.HTML {
	var b strings.Builder
	esc := func(s string) string { return markTerms(s, terms) }
	for _, blk := range content.Blocks(text) {
		switch blk.Kind {
		case content.BulletList, content.NumberedList:
			tag := "ul"
			if blk.Kind == content.NumberedList {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">")
			for _, item := range blk.Lines {
				if sub, ok := strings.CutPrefix(item, "  "); ok {
					b.WriteString(`<li class="sub">` + esc(sub) + "</li>")
				} else {
					b.WriteString("<li>" + esc(item) + "</li>")
				}
			}
			b.WriteString("</" + tag + ">")
		case content.Table:
			b.WriteString(`<div class="table"><table>`)
			for i, row := range blk.Rows {
				cell := "td"
				if i == 0 {
					cell = "th"
				}
				b.WriteString("<tr>")
				for _, c := range row {
					b.WriteString("<" + cell + ">" + esc(c) + "</" + cell + ">")
				}
				b.WriteString("</tr>")
			}
			b.WriteString("</table></div>")
		default:
			b.WriteString("<p>")
			for i, l := range blk.Lines {
				if i > 0 {
					b.WriteString("<br>")
				}
				b.WriteString(esc(l))
			}
			b.WriteString("</p>")
		}
	}
	return template.HTML(b.String()) // every piece of text above is escaped
}

// markTerms escapes s and wraps the words that match a query term in
// <mark>: the same word with accents and case folded, or a longer word that
// starts with a term of four letters or more ("contrôle" marks "contrôles").
func markTerms(s string, terms []string) string {
	if len(terms) == 0 {
		return template.HTMLEscapeString(s)
	}
	var b strings.Builder
	start := -1
	flush := func(end int) {
		w := s[start:end]
		f := content.Fold(strings.ToLower(w))
		hit := false
		for _, t := range terms {
			if f == t || len(t) >= 4 && strings.HasPrefix(f, t) {
				hit = true
				break
			}
		}
		if hit {
			b.WriteString("<mark>" + template.HTMLEscapeString(w) + "</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(w))
		}
		start = -1
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			flush(i)
		}
		if !word {
			b.WriteString(template.HTMLEscapeString(string(r)))
		}
	}
	if start >= 0 {
		flush(len(s))
	}
	return b.String()
}

// queryTerms are the words of a query worth marking on a document page:
// folded, without operators, field names or one-letter words.
func queryTerms(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ':' }) {
		if strings.Contains(w, ":") || w == "OR" || w == "AND" || w == "NOT" || w == "OU" || len(w) < 2 {
			continue
		}
		out = append(out, content.Fold(strings.ToLower(w)))
	}
	return out
}

// pageRange returns the page numbers to link around the current one.
func pageRange(current, last int) []int {
	last = max(last, 1)
	current = min(max(current, 1), last)
	lo, hi := max(1, current-4), min(last, current+4)
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// dots joins the parts that are not empty (a string, or a year that is not
// 0) with " · ", so a document without an organization or a year leaves no
// dangling separator.
func dots(parts ...any) string {
	var out []string
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		case int:
			if v != 0 {
				out = append(out, strconv.Itoa(v))
			}
		}
	}
	return strings.Join(out, " · ")
}
