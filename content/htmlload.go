package content

import (
	"strings"

	"handbook/content/html"
)

// parseHTML reads the main content of a page: sections from h1–h6, each
// keeping the heading's anchor as its id; the title from <title>; the
// language from <html lang>.
func parseHTML(docID string, data []byte) (*parsed, error) {
	utf, err := html.Decode(data)
	if err != nil {
		return nil, kindError(ErrNotUTF8, err)
	}
	doc, err := html.Parse(utf)
	if err != nil {
		return nil, kindError(ErrCorrupt, err)
	}
	p := &parsed{format: FormatHTML, title: doc.Title, lang: doc.Lang, summary: doc.Description}
	b := NewSectionBuilder(docID, false)
	for _, bl := range doc.Blocks {
		switch bl.Kind {
		case html.Heading:
			b.HeadingID(bl.Level, bl.Text, bl.ID)
		case html.ListItem:
			b.Text(strings.Repeat("  ", bl.Level) + "- " + bl.Text)
		default:
			b.Text(bl.Text)
		}
	}
	p.sections = b.Sections()
	return p, nil
}
