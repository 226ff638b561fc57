package ingest

import (
	"context"
	"strings"

	"handbook/content"
	"handbook/content/html"
)

// parseHTML reads the main content of a page: sections from h1–h6, each
// keeping the heading's anchor as its id; an ordered list's items with
// their numbers as a browser shows them; the title from <title>; the
// language from <html lang>.
func parseHTML(docID string, data []byte) (*parsed, error) {
	return readHTML(context.Background(), docID, data)
}

// readHTML is parseHTML, stopped when ctx ends.
func readHTML(ctx context.Context, docID string, data []byte) (*parsed, error) {
	utf, err := html.Decode(data)
	if err != nil {
		return nil, kindError(ErrNotUTF8, err)
	}
	doc, err := html.ParseContext(ctx, utf)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return nil, kindError(ErrTimeout, err)
		case strings.Contains(err.Error(), "open stack of elements exceeds"):
			return nil, kindf(ErrCorrupt, "the page nests elements more than 512 deep, which the HTML parser refuses")
		}
		return nil, kindError(ErrCorrupt, err)
	}
	p := &parsed{format: content.FormatHTML, title: doc.Title, lang: doc.Lang, summary: doc.Description}
	b := NewSectionBuilder(docID, false)
	for _, bl := range doc.Blocks {
		switch bl.Kind {
		case html.Heading:
			b.heading(bl.Level, bl.Text, bl.ID)
		case html.ListItem:
			b.text(indent(bl.Level) + listMark(bl.Label) + bl.Text)
		default:
			b.text(bl.Text)
		}
	}
	p.sections = b.Sections()
	return p, nil
}
