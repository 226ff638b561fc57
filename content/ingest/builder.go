package ingest

import (
	"fmt"
	"handbook/content"
	"strings"
	"unicode"
)

// SectionBuilder accumulates sections from a stream of headings, text and
// page breaks. Every loader uses it, so numbering, ids, heading paths and
// pages are the same for all formats.
//
// Text before the first heading becomes an "Introduction" section. A heading
// closes the section before it; a section without text is kept only when it
// has a heading.
type SectionBuilder struct {
	docID    string
	sections []content.Section
	cur      *content.Section
	buf      strings.Builder
	stack    []stackEntry // open headings, outermost first
	ids      map[string]int
	pageNow  int
	lastPage int // page of the last text written to the current section
}

type stackEntry struct {
	level int
	title string
}

// NewSectionBuilder starts the sections of document docID. paged says
// whether the source has page numbers; if so, text starts on page 1 until
// the first Page call.
func NewSectionBuilder(docID string, paged bool) *SectionBuilder {
	b := &SectionBuilder{docID: docID, ids: map[string]int{}}
	if paged {
		b.pageNow = 1
	}
	return b
}

// Page records that what follows stands on page p. The current section
// reaches the new page only if text follows before the next heading.
func (b *SectionBuilder) Page(p int) { b.pageNow = p }

// Heading opens a section at the given heading level (1 for the top). raw is
// the heading as printed; a citation number at its start ("Article 12",
// "3.2") becomes the section's Number. The section's id is a slug of the
// heading, made unique within the document.
func (b *SectionBuilder) Heading(level int, raw string) { b.HeadingID(level, raw, "") }

// HeadingID is Heading with an id chosen by the source (an HTML anchor). An
// empty, repeated or unusual anchor (see safeAnchor) falls back to the slug
// of the heading.
func (b *SectionBuilder) HeadingID(level int, raw, anchor string) {
	b.flush()
	number, rest := SplitHeading(raw)
	for len(b.stack) > 0 && b.stack[len(b.stack)-1].level >= level {
		b.stack = b.stack[:len(b.stack)-1]
	}
	s := content.Section{DocID: b.docID, ID: anchor, Number: number, Heading: rest, Level: len(b.stack) + 1, Page: b.pageNow, PageEnd: b.pageNow}
	b.stack = append(b.stack, stackEntry{level: level, title: s.Title()})
	titles := make([]string, len(b.stack))
	for i, e := range b.stack {
		titles[i] = e.title
	}
	s.Path = strings.Join(titles, content.HeadingPathDivider)
	b.cur = &s
	b.lastPage = b.pageNow
}

// Text appends a paragraph (or any block of text) to the current section.
func (b *SectionBuilder) Text(t string) { b.write(t, "\n\n") }

// Continue appends text to the current paragraph, separated by sep (a space,
// or nothing after a hyphen that was joined). A paragraph that runs on from
// one page to the next uses it, so the page break falls inside it.
func (b *SectionBuilder) Continue(t, sep string) { b.write(t, sep) }

func (b *SectionBuilder) write(t, sep string) {
	t = strings.TrimSpace(t)
	if t == "" {
		return
	}
	if b.cur == nil {
		b.cur = &content.Section{DocID: b.docID, Heading: "Introduction", Path: "Introduction", Level: 1, Page: b.pageNow, PageEnd: b.pageNow}
		b.lastPage = b.pageNow
	}
	if b.buf.Len() > 0 {
		b.buf.WriteString(sep)
	}
	if b.pageNow != b.lastPage && b.pageNow > 0 {
		b.cur.PageBreaks = append(b.cur.PageBreaks, content.PageBreak{Page: b.pageNow, Offset: b.buf.Len()})
		b.lastPage = b.pageNow
	}
	b.buf.WriteString(t)
	if b.cur.PageEnd < b.pageNow {
		b.cur.PageEnd = b.pageNow
	}
}

func (b *SectionBuilder) flush() {
	if b.cur == nil {
		return
	}
	s := *b.cur
	s.Text = b.buf.String()
	b.buf.Reset()
	b.cur = nil
	if s.Text == "" && s.Heading == "" && s.Number == "" {
		return
	}
	s.ID = b.uniqueID(s.ID, content.Slug(s.Title()))
	s.Order = len(b.sections)
	if s.PageEnd < s.Page {
		s.PageEnd = s.Page
	}
	b.sections = append(b.sections, s)
}

// safeAnchor says whether a source's anchor can serve as a section id as it
// is: 1–128 bytes of letters, digits and - _ . : (what HTML generators use).
func safeAnchor(a string) bool {
	if a == "" || len(a) > 128 {
		return false
	}
	for _, r := range a {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.:", r) {
			return false
		}
	}
	return true
}

func (b *SectionBuilder) uniqueID(anchor, slug string) string {
	if safeAnchor(anchor) && b.ids[anchor] == 0 {
		b.ids[anchor]++
		return anchor
	}
	id := slug
	if id == "" {
		id = "section"
	}
	b.ids[id]++
	for n := b.ids[id]; n > 1; n++ {
		cand := fmt.Sprintf("%s-%d", id, n)
		if b.ids[cand] == 0 {
			b.ids[id] = n
			b.ids[cand]++
			return cand
		}
	}
	return id
}

// Sections closes the last section and returns them all, in reading order.
func (b *SectionBuilder) Sections() []content.Section {
	b.flush()
	return b.sections
}
