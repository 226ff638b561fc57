package ingest

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"handbook/content"
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
	return readDOCX(context.Background(), docID, data, opts)
}

// readDOCX is parseDOCX, stopped when ctx ends. The blocks go into the
// sections as they are read, so the document is held once, as sections.
func readDOCX(ctx context.Context, docID string, data []byte, opts Options) (*parsed, error) {
	p := &parsed{format: content.FormatDOCX}
	b := NewSectionBuilder(docID, false)
	title := ""
	core, err := docx.Stream(ctx, data, docx.Limits{MaxUncompressed: opts.MaxUncompressed, MaxEntries: opts.MaxZipEntries}, func(bl docx.Block) {
		text := bl.Text
		if bl.Label != "" {
			text = bl.Label + " " + text
		}
		switch bl.Kind {
		case docx.Title:
			if title == "" {
				title = bl.Text
			}
		case docx.Heading:
			b.heading(bl.Level, text, "")
			if title == "" && bl.Level == 1 {
				title = text
			}
		case docx.ListItem:
			writeWithStrayHeading(b, indent(bl.Level)+listMark(bl.Label)+bl.Text)
		default:
			writeWithStrayHeading(b, text)
		}
	})
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, kindError(ErrTimeout, err)
		case errors.Is(err, docx.ErrTooLarge):
			return nil, kindError(ErrTooLarge, err)
		case errors.Is(err, docx.ErrNotDOCX):
			return nil, kindf(ErrWrongFormat, "the file is a zip archive, not a Word document")
		}
		return nil, kindError(ErrCorrupt, err)
	}
	p.title, p.lang, p.summary = firstNonEmpty(core.Title, title), core.Language, firstNonEmpty(core.Description, core.Subject)
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
			b.text(strings.TrimSpace(text[:m[2]]))
			b.heading(m[3]-m[2], heading, "")
			return
		}
	}
	b.text(text)
}
