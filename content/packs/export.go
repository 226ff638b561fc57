package packs

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"handbook/content"
	"handbook/content/store"
)

// Export formats.
const (
	FormatMarkdown = "md"
	FormatHTML     = "html"
	FormatDOCX     = "docx"
	FormatPDF      = "pdf"
)

// Formats lists the export formats with their media types and file
// extensions.
var Formats = map[string]struct{ MediaType, Ext string }{
	FormatMarkdown: {"text/markdown; charset=utf-8", ".md"},
	FormatHTML:     {"text/html; charset=utf-8", ".html"},
	FormatDOCX:     {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
	FormatPDF:      {"application/pdf", ".pdf"},
}

// ExportOptions says how to write links and dates.
type ExportOptions struct {
	// Link gives the permalink of a section (of the document itself when
	// sectionID is ""): the web layer's URL builder with the site's
	// address. Without it exports carry no links.
	Link func(docID, sectionID string) string
	Now  time.Time // the date printed on the export
	// Lang is the language of the export's own words (labels, the date,
	// pages, the cited documents' languages): "en" (the default) or "fr".
	// The pack's and the sections' text stay as written, and so does the
	// marking, a fixed vocabulary that readers of every language know.
	Lang string
}

// Labels are the export's own words: key → {English, French}.
var Labels = map[string][2]string{
	"audience":       {"Audience:", "Public\u202f:"},
	"objectives":     {"Learning objectives:", "Objectifs pédagogiques\u202f:"},
	"prepared":       {"Prepared %s.", "Préparé le %s."},
	"note":           {"Note:", "Remarque\u202f:"},
	"trainer":        {"Trainer's note:", "Note du formateur\u202f:"},
	"source":         {"Source:", "Source\u202f:"},
	"open":           {"Open the section", "Ouvrir la section"},
	"bibliography":   {"Bibliography", "Bibliographie"},
	"unavailable":    {"Unavailable section", "Section indisponible"},
	"unavailabletxt": {"This section is no longer available to you; its text is not included.", "Cette section ne vous est plus accessible\u202f; son texte n'est pas repris."},
	"changedtxt":     {"The current edition of this section differs from the text cited here.", "L'édition en vigueur de cette section diffère du texte cité ici."},
	"removedtxt":     {"This section is no longer in the current edition; the text cited here is kept.", "Cette section ne figure plus dans l'édition en vigueur\u202f; le texte cité est conservé."},
	"withdrawntxt":   {"This document was withdrawn from the library; the text cited here is kept.", "Ce document a été retiré de la bibliothèque\u202f; le texte cité est conservé."},
	"pageof":         {"%s — page %d of %s", "%s — page %d sur %s"},
}

// label is Labels[key] in lang, English unless lang is "fr".
func label(lang, key string, args ...any) string {
	text := Labels[key][0]
	if lang == "fr" {
		text = Labels[key][1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// frenchMonths are the months as French writes them in a date.
var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// formatDate writes t as a date in lang: "27 November 2026", "27 novembre
// 2026" (the first of a month "1er").
func formatDate(lang string, t time.Time) string {
	if lang != "fr" {
		return t.Format("2 January 2006")
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, frenchMonths[t.Month()-1], t.Year())
}

// Export writes p in format to w. Check should have run on p, so that
// changed, removed and unavailable items are marked.
func Export(w io.Writer, p *store.Pack, format string, o ExportOptions) error {
	r := newReader(p, o)
	switch format {
	case FormatMarkdown:
		return r.markdown(w)
	case FormatHTML:
		return r.html(w)
	case FormatDOCX:
		return r.docx(w)
	case FormatPDF:
		return r.pdf(w)
	}
	return fmt.Errorf("%w: unknown export format %q (one of md, html, docx, pdf)", store.ErrInvalid, format)
}

// reader is a pack laid out for export: items under their groups, each with
// its citation, and a bibliography.
type reader struct {
	Pack *store.Pack
	Lang string // of the export's own words, "en" or "fr"
	Date string
	// Marking is printed at the top and bottom of the export (on every page
	// of a paged one): Marking(Level(Pack)), "" when all its text is public.
	// It is the same in every language of the export.
	Marking      string
	Groups       []group
	Bibliography []string
}

type group struct {
	Heading string
	Items   []entry
}

type entry struct {
	N        int
	Title    string // section number and heading
	Where    string // document title › heading path
	Note     string
	Blocks   []content.Block
	Citation string
	Link     string
	Status   string // "" when current, else a sentence for the reader
}

// link is o.Link's permalink, or "" without one.
func (o ExportOptions) link(docID, sectionID string) string {
	if o.Link == nil {
		return ""
	}
	return o.Link(docID, sectionID)
}

func newReader(p *store.Pack, o ExportOptions) *reader {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Lang != "fr" {
		o.Lang = "en"
	}
	r := &reader{Pack: p, Lang: o.Lang, Date: formatDate(o.Lang, o.Now), Marking: Marking(Level(p))}
	seen := map[string]bool{}
	for i, it := range p.Items {
		e := entry{N: i + 1, Note: it.Note}
		switch it.Status {
		case StatusUnavailable:
			e.Title = r.L("unavailable")
			e.Status = r.L("unavailabletxt")
		default:
			s := it.Cited
			e.Title = strings.TrimSpace(s.Number + " " + s.Heading)
			e.Where = s.DocTitle
			if s.Path != "" {
				e.Where += " › " + s.Path
			}
			e.Blocks = content.Blocks(s.Text)
			e.Link = o.link(it.DocID, it.SectionID)
			e.Citation = CitationIn(r.Lang, s, e.Link)
			if !seen[it.DocID] {
				seen[it.DocID] = true
				r.Bibliography = append(r.Bibliography, ReferenceIn(r.Lang, s, o.link(it.DocID, "")))
			}
			switch it.Status {
			case StatusChanged:
				e.Status = r.L("changedtxt")
			case StatusRemoved:
				e.Status = r.L("removedtxt")
			case StatusWithdrawn:
				e.Status = r.L("withdrawntxt")
			}
		}
		if len(r.Groups) == 0 || r.Groups[len(r.Groups)-1].Heading != it.Group {
			r.Groups = append(r.Groups, group{Heading: it.Group})
		}
		g := &r.Groups[len(r.Groups)-1]
		g.Items = append(g.Items, e)
	}
	return r
}

// L is one of the export's own words in its language.
func (r *reader) L(key string, args ...any) string { return label(r.Lang, key, args...) }

func (r *reader) markdown(w io.Writer) error {
	var b bytes.Buffer
	p := r.Pack
	if r.Marking != "" {
		fmt.Fprintf(&b, "**%s**\n\n", r.Marking)
	}
	fmt.Fprintf(&b, "# %s\n\n", mdLine(p.Title))
	if p.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", p.Description)
	}
	if p.Audience != "" {
		fmt.Fprintf(&b, "**%s** %s\n\n", r.L("audience"), mdLine(p.Audience))
	}
	if len(p.Objectives) > 0 {
		fmt.Fprintf(&b, "**%s**\n\n", r.L("objectives"))
		for _, o := range p.Objectives {
			fmt.Fprintf(&b, "- %s\n", mdLine(o))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "*%s*\n\n", r.L("prepared", r.Date))
	for _, g := range r.Groups {
		if g.Heading != "" {
			fmt.Fprintf(&b, "## %s\n\n", mdLine(g.Heading))
		}
		for _, e := range g.Items {
			fmt.Fprintf(&b, "### %d. %s\n\n", e.N, mdLine(e.Title))
			if e.Where != "" {
				fmt.Fprintf(&b, "*%s*\n\n", mdLine(e.Where))
			}
			if e.Status != "" {
				fmt.Fprintf(&b, "> **%s** %s\n\n", r.L("note"), e.Status)
			}
			if e.Note != "" {
				fmt.Fprintf(&b, "> **%s** %s\n\n", r.L("trainer"), strings.ReplaceAll(e.Note, "\n", "\n> "))
			}
			for _, blk := range e.Blocks {
				writeMarkdownBlock(&b, blk)
			}
			if e.Citation != "" {
				fmt.Fprintf(&b, "%s %s\n\n", r.L("source"), e.Citation)
			}
		}
	}
	if len(r.Bibliography) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", r.L("bibliography"))
		for i, ref := range r.Bibliography {
			fmt.Fprintf(&b, "%d. %s\n", i+1, ref)
		}
	}
	if r.Marking != "" {
		if !bytes.HasSuffix(b.Bytes(), []byte("\n\n")) {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "**%s**\n", r.Marking)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdLine keeps a single line from being read as Markdown structure.
func mdLine(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

var mdEscaper = strings.NewReplacer("*", `\*`, "_", `\_`, "#", `\#`, "<", "&lt;", "[", `\[`)

func writeMarkdownBlock(b *bytes.Buffer, blk content.Block) {
	switch blk.Kind {
	case content.BulletList, content.NumberedList:
		for i, item := range blk.Lines {
			indent := ""
			if sub, ok := strings.CutPrefix(item, "  "); ok {
				indent, item = "  ", sub
			}
			if blk.Kind == content.NumberedList && indent == "" {
				fmt.Fprintf(b, "%d. %s\n", i+1, mdLine(item))
			} else {
				fmt.Fprintf(b, "%s- %s\n", indent, mdLine(item))
			}
		}
	case content.Table:
		for i, row := range blk.Rows {
			cells := make([]string, len(row))
			for j, c := range row {
				cells[j] = strings.ReplaceAll(mdLine(c), "|", `\|`)
			}
			fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
			if i == 0 {
				fmt.Fprintf(b, "|%s\n", strings.Repeat(" --- |", len(row)))
			}
		}
	default:
		for i, l := range blk.Lines {
			if i > 0 {
				b.WriteString("  \n")
			}
			b.WriteString(mdLine(l))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

//go:embed export.html.tmpl
var exportFS embed.FS

var htmlExport = template.Must(template.New("export.html.tmpl").Funcs(template.FuncMap{
	"isList":     func(b content.Block) bool { return b.Kind == content.BulletList || b.Kind == content.NumberedList },
	"isNumbered": func(b content.Block) bool { return b.Kind == content.NumberedList },
	"isTable":    func(b content.Block) bool { return b.Kind == content.Table },
	"isSub":      func(s string) bool { return strings.HasPrefix(s, "  ") },
	"trim":       strings.TrimSpace,
}).ParseFS(exportFS, "export.html.tmpl"))

func (r *reader) html(w io.Writer) error {
	var b bytes.Buffer
	if err := htmlExport.Execute(&b, r); err != nil {
		return fmt.Errorf("export html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}
