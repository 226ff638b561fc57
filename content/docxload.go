package content

import (
	"errors"
	"regexp"
	"strings"

	"handbook/content/docx"
)

// strayHeading is a Markdown heading left inside a paragraph by a converter
// ("… p. 9.# Article 30 - Title"): hashes after the start of the paragraph
// or the end of a sentence, then a numbered heading up to the paragraph's
// end.
var strayHeading = regexp.MustCompile(`(?:^|[\s.;:)\]])(#{1,6})[\s\x{a0}]+(\S[^\n]{0,200})$`)

// parseDOCX reads a Word document: sections from heading styles (and styles
// based on them, or paragraphs with an outline level), list items with their
// numbers, tables as rows; title, summary and language from the core
// properties.
func parseDOCX(docID string, data []byte, opts Options) (*parsed, error) {
	doc, err := docx.Read(data, docx.Limits{MaxUncompressed: opts.MaxUncompressed, MaxEntries: opts.MaxZipEntries})
	if err != nil {
		switch {
		case errors.Is(err, docx.ErrTooLarge):
			return nil, kindError(ErrTooLarge, err)
		case errors.Is(err, docx.ErrNotDOCX):
			return nil, kindf(ErrWrongFormat, "the file is a zip archive, not a Word document")
		}
		return nil, kindError(ErrCorrupt, err)
	}
	p := &parsed{format: FormatDOCX, title: doc.Core.Title, lang: doc.Core.Language, summary: firstNonEmpty(doc.Core.Description, doc.Core.Subject)}
	b := NewSectionBuilder(docID, false)
	for _, bl := range doc.Blocks {
		text := bl.Text
		if bl.Label != "" {
			text = bl.Label + " " + text
		}
		switch bl.Kind {
		case docx.Title:
			if p.title == "" {
				p.title = bl.Text
			}
		case docx.Heading:
			b.Heading(bl.Level, text)
			if p.title == "" && bl.Level == 1 {
				p.title = text
			}
		case docx.ListItem:
			writeWithStrayHeading(b, strings.Repeat("  ", bl.Level)+listMark(bl.Label)+bl.Text)
		default:
			writeWithStrayHeading(b, text)
		}
	}
	p.sections = b.Sections()
	return p, nil
}

func listMark(label string) string {
	if label == "" {
		return "- "
	}
	return label + " "
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// writeWithStrayHeading writes a paragraph, splitting off a Markdown heading
// that a converter left at its end (or that is the whole paragraph).
func writeWithStrayHeading(b *SectionBuilder, text string) {
	if m := strayHeading.FindStringSubmatchIndex(text); m != nil {
		heading := text[m[4]:m[5]]
		if number, _ := SplitHeading(heading); number != "" || m[2] == 0 {
			b.Text(strings.TrimSpace(text[:m[2]]))
			b.Heading(m[3]-m[2], heading)
			return
		}
	}
	b.Text(text)
}
