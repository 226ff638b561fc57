package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"handbook/content"
	"handbook/content/epub"
	"handbook/content/html"
)

// parseEPUB reads an EPUB publication: the XHTML documents of its spine in
// reading order, each read as an HTML page is (sections from h1–h6 with
// their anchors), into one document; title, language and description from
// the package metadata.
func parseEPUB(docID string, data []byte, opts Options) (*parsed, error) {
	return readEPUB(context.Background(), docID, data, opts)
}

// readEPUB is parseEPUB, stopped when ctx ends. The zip is bounded as a
// DOCX is (Options.MaxUncompressed, Options.MaxZipEntries), and one part
// may not unpack to more than Options.MaxFileSize.
func readEPUB(ctx context.Context, docID string, data []byte, opts Options) (*parsed, error) {
	opts = opts.withDefaults()
	b := NewSectionBuilder(docID, false)
	firstHeading, pageLang := "", ""
	lim := epub.Limits{MaxUncompressed: opts.MaxUncompressed, MaxEntries: opts.MaxZipEntries, MaxPart: opts.MaxFileSize}
	meta, err := epub.Read(ctx, data, lim, func(name string, x []byte) error {
		utf, err := html.Decode(x)
		if err != nil {
			return kindError(ErrNotUTF8, fmt.Errorf("%s: %w", name, err))
		}
		doc, err := html.ParseContext(ctx, utf)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			if strings.Contains(err.Error(), "open stack of elements exceeds") {
				return kindf(ErrCorrupt, "%s nests elements more than 512 deep, which the HTML parser refuses", name)
			}
			return kindError(ErrCorrupt, fmt.Errorf("%s: %w", name, err))
		}
		if pageLang == "" {
			pageLang = doc.Lang
		}
		for _, bl := range doc.Blocks {
			switch bl.Kind {
			case html.Heading:
				b.heading(bl.Level, bl.Text, bl.ID)
				if firstHeading == "" {
					firstHeading = bl.Text
				}
			case html.ListItem:
				b.text(indent(bl.Level) + "- " + bl.Text)
			default:
				b.text(bl.Text)
			}
		}
		return nil
	})
	if err != nil {
		var ke *kindErr
		switch {
		case ctx.Err() != nil:
			return nil, kindError(ErrTimeout, err)
		case errors.As(err, &ke):
			return nil, err
		case errors.Is(err, epub.ErrTooLarge):
			return nil, kindError(ErrTooLarge, err)
		case errors.Is(err, epub.ErrNotEPUB):
			return nil, kindf(ErrWrongFormat, "the file is a zip archive, not an EPUB (it has no META-INF/container.xml naming a package document)")
		}
		return nil, kindError(ErrCorrupt, err)
	}
	p := &parsed{format: content.FormatEPUB, title: firstNonEmpty(meta.Title, firstHeading), lang: firstNonEmpty(meta.Language, pageLang), summary: meta.Description}
	p.sections = b.Sections()
	return p, nil
}
