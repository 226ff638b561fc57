package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed templates static
var assets embed.FS

// pageNames are the templates that render a whole page; each is parsed with
// the layout.
var pageNames = []string{"home", "search", "doc", "error"}

var funcs = template.FuncMap{
	"facetLabel": facetLabel,
	"valueLabel": valueLabel,
	"join":       strings.Join,
	"add":        func(a, b int) int { return a + b },
	"pages":      pageRange,
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

var facetLabels = map[string]string{"topic": "Topic", "org": "Organization", "type": "Document type", "lang": "Language", "year": "Year"}

func facetLabel(name string) string {
	if l, ok := facetLabels[name]; ok {
		return l
	}
	return name
}

var languageNames = map[string]string{"en": "English", "fr": "Français"}

func valueLabel(facet, value string) string {
	if facet == "lang" {
		if n, ok := languageNames[value]; ok {
			return n
		}
	}
	return value
}

var (
	listItem  = regexp.MustCompile(`^(\s*)(?:[-*•]|\d{1,3}[.)])\s+`)
	orderedLI = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+`)
)

// renderText turns a section's plain text into escaped HTML: blank lines
// separate paragraphs, "- " and "1. " lines become lists, lines with " | "
// between cells become a table.
func renderText(text string) template.HTML {
	var b strings.Builder
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		block = strings.Trim(block, "\n")
		if strings.TrimSpace(block) == "" {
			continue
		}
		lines := strings.Split(block, "\n")
		switch {
		case listItem.MatchString(lines[0]):
			tag := "ul"
			if orderedLI.MatchString(lines[0]) {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">")
			open := false
			for _, l := range lines {
				if m := listItem.FindString(l); m != "" {
					if open {
						b.WriteString("</li>")
					}
					b.WriteString("<li>")
					if strings.HasPrefix(m, " ") {
						b.WriteString("<span class=\"sub\">")
						b.WriteString(template.HTMLEscapeString(strings.TrimSpace(l[len(m):])))
						b.WriteString("</span>")
					} else {
						b.WriteString(template.HTMLEscapeString(strings.TrimSpace(l[len(m):])))
					}
					open = true
					continue
				}
				b.WriteString(" " + template.HTMLEscapeString(strings.TrimSpace(l)))
			}
			if open {
				b.WriteString("</li>")
			}
			b.WriteString("</" + tag + ">")
		case len(lines) > 1 && allContain(lines, " | "):
			b.WriteString(`<div class="table"><table>`)
			for i, l := range lines {
				cell := "td"
				if i == 0 {
					cell = "th"
				}
				b.WriteString("<tr>")
				for _, c := range strings.Split(l, " | ") {
					b.WriteString("<" + cell + ">" + template.HTMLEscapeString(strings.TrimSpace(c)) + "</" + cell + ">")
				}
				b.WriteString("</tr>")
			}
			b.WriteString("</table></div>")
		default:
			b.WriteString("<p>")
			for i, l := range lines {
				if i > 0 {
					b.WriteString("<br>")
				}
				b.WriteString(template.HTMLEscapeString(l))
			}
			b.WriteString("</p>")
		}
	}
	return template.HTML(b.String()) // every piece of text above is escaped
}

func allContain(lines []string, sep string) bool {
	for _, l := range lines {
		if !strings.Contains(l, sep) {
			return false
		}
	}
	return true
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
