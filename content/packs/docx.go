package packs

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"handbook/content"
)

// docx writes the pack as a Word document with real heading, list and quote
// styles, so it opens in LibreOffice and Word and keeps its outline.
func (r *reader) docx(w io.Writer) error {
	doc, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("export docx: %w", err)
	}
	if r.Marking != "" {
		if err := docxMark(doc, r.Marking); err != nil {
			return fmt.Errorf("export docx: %w", err)
		}
	}
	p := r.Pack
	doc.AddParagraph(p.Title).Style("Title")
	if p.Description != "" {
		doc.AddParagraph(p.Description)
	}
	if p.Audience != "" {
		para := doc.AddEmptyParagraph()
		para.AddText(r.L("audience") + " ").Bold(true)
		para.AddText(p.Audience)
	}
	if len(p.Objectives) > 0 {
		doc.AddEmptyParagraph().AddText(r.L("objectives")).Bold(true)
		for _, o := range p.Objectives {
			doc.AddParagraph(o).Style("ListBullet")
		}
	}
	doc.AddEmptyParagraph().AddText(r.L("prepared", r.Date)).Italic(true)
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
				para.AddText(r.L("trainer") + " ").Bold(true)
				para.AddText(e.Note)
			}
			for _, blk := range e.Blocks {
				docxBlock(doc, blk)
			}
			if e.Citation != "" {
				para := doc.AddEmptyParagraph()
				para.AddText(r.L("source") + " ").Bold(true)
				para.AddText(strings.TrimSuffix(e.Citation, " "+e.Link) + " ")
				para.AddLink(e.Link, e.Link)
			}
		}
	}
	if len(r.Bibliography) > 0 {
		if _, err := doc.AddHeading(r.L("bibliography"), 1); err != nil {
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

// Parts, relationships and content types of a DOCX header and footer.
const (
	docxRelHeader  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
	docxRelFooter  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
	docxTypeHeader = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
	docxTypeFooter = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
)

// docxMark gives the document a header and a footer (word/header1.xml and
// word/footer1.xml, referenced from the body's section properties) that
// carry the marking, so Word and LibreOffice print it on every page.
// godocx writes the references but has no header or footer parts, so they
// are written here as parts of the package.
func docxMark(doc *docx.RootDoc, marking string) error {
	var text strings.Builder
	if err := xml.EscapeText(&text, []byte(marking)); err != nil {
		return err
	}
	body := doc.Document.Body
	if body.SectPr == nil {
		body.SectPr = ctypes.NewSectionProper()
	}
	for _, part := range []struct{ root, file, rel, ctype string }{
		{"w:hdr", "header1.xml", docxRelHeader, docxTypeHeader},
		{"w:ftr", "footer1.xml", docxRelFooter, docxTypeFooter},
	} {
		xmlText := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<` + part.root + ` xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="AA0000"/><w:sz w:val="20"/></w:rPr><w:t>` +
			text.String() + `</w:t></w:r></w:p></` + part.root + `>`
		doc.FileMap.Store("word/"+part.file, []byte(xmlText))
		if err := doc.ContentType.AddOverride("/word/"+part.file, part.ctype); err != nil {
			return err
		}
		id := "rId" + strconv.Itoa(doc.Document.IncRelationID())
		doc.Document.DocRels.Relationships = append(doc.Document.DocRels.Relationships, &docx.Relationship{ID: id, Type: part.rel, Target: part.file})
		if part.root == "w:hdr" {
			body.SectPr.HeaderReference = &ctypes.HeaderReference{Type: stypes.HdrFtrDefault, ID: id}
		} else {
			body.SectPr.FooterReference = &ctypes.FooterReference{Type: stypes.HdrFtrDefault, ID: id}
		}
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
