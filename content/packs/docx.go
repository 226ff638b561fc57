package packs

import (
	"fmt"
	"io"
	"strings"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"

	"handbook/content"
)

// docx writes the pack as a Word document with real heading, list and quote
// styles, so it opens in LibreOffice and Word and keeps its outline.
func (r *reader) docx(w io.Writer) error {
	doc, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("export docx: %w", err)
	}
	p := r.Pack
	doc.AddParagraph(p.Title).Style("Title")
	if p.Description != "" {
		doc.AddParagraph(p.Description)
	}
	if p.Audience != "" {
		para := doc.AddEmptyParagraph()
		para.AddText("Audience: ").Bold(true)
		para.AddText(p.Audience)
	}
	if len(p.Objectives) > 0 {
		doc.AddEmptyParagraph().AddText("Learning objectives:").Bold(true)
		for _, o := range p.Objectives {
			doc.AddParagraph(o).Style("ListBullet")
		}
	}
	doc.AddEmptyParagraph().AddText("Prepared " + r.Date + ".").Italic(true)
	for _, g := range r.Groups {
		if g.Heading != "" {
			if _, err := doc.AddHeading(g.Heading, 1); err != nil {
				return fmt.Errorf("export docx: %w", err)
			}
		}
		for _, e := range g.Items {
			if _, err := doc.AddHeading(fmt.Sprintf("%d. %s", e.N, e.Title), 2); err != nil {
				return fmt.Errorf("export docx: %w", err)
			}
			if e.Where != "" {
				doc.AddEmptyParagraph().AddText(e.Where).Italic(true)
			}
			if e.Status != "" {
				doc.AddEmptyParagraph().AddText(e.Status).Bold(true).Color("A33333")
			}
			if e.Note != "" {
				para := doc.AddEmptyParagraph()
				para.Style("Quote")
				para.AddText("Trainer's note: ").Bold(true)
				para.AddText(e.Note)
			}
			for _, blk := range e.Blocks {
				docxBlock(doc, blk)
			}
			if e.Citation != "" {
				para := doc.AddEmptyParagraph()
				para.AddText("Source: ").Bold(true)
				para.AddText(strings.TrimSuffix(e.Citation, " "+e.Link) + " ")
				para.AddLink(e.Link, e.Link)
			}
		}
	}
	if len(r.Bibliography) > 0 {
		if _, err := doc.AddHeading("Bibliography", 1); err != nil {
			return fmt.Errorf("export docx: %w", err)
		}
		list := newNumbered(doc)
		for _, ref := range r.Bibliography {
			list.add(ref)
		}
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("export docx: %w", err)
	}
	return nil
}

// numbered is one numbered list of a DOCX document. The ListNumber style
// alone numbers every paragraph of the document that has it as one list, so
// a list would go on from the previous one (5, 6, 7 for a bibliography after
// a four-step list); each numbered list has a numbering instance of its own,
// which starts again at 1.
type numbered struct {
	doc   *docx.RootDoc
	numID int
}

// docxDecimal is the decimal list numbering godocx defines for
// RootDoc.NewListInstance; each instance of it restarts at 1.
const docxDecimal = 1

func newNumbered(doc *docx.RootDoc) numbered {
	return numbered{doc: doc, numID: doc.NewListInstance(docxDecimal)}
}

// add appends the list's next item.
func (l numbered) add(text string) {
	para := l.doc.AddParagraph(text)
	para.Style("ListNumber")
	para.Numbering(l.numID, 0)
}

func docxBlock(doc *docx.RootDoc, blk content.Block) {
	switch blk.Kind {
	case content.BulletList, content.NumberedList:
		var list numbered
		if blk.Kind == content.NumberedList {
			list = newNumbered(doc)
		}
		for _, item := range blk.Lines {
			if sub, ok := strings.CutPrefix(item, "  "); ok {
				doc.AddParagraph(sub).Style("ListBullet2")
				continue
			}
			if blk.Kind == content.NumberedList {
				list.add(item)
				continue
			}
			doc.AddParagraph(item).Style("ListBullet")
		}
	case content.Table:
		t := doc.AddTable()
		for i, row := range blk.Rows {
			tr := t.AddRow()
			for _, c := range row {
				cell := tr.AddCell().AddEmptyPara()
				run := cell.AddText(c)
				if i == 0 {
					run.Bold(true)
				}
			}
		}
	default:
		doc.AddParagraph(strings.Join(blk.Lines, " "))
	}
}
