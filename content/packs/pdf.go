package packs

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"handbook/content"
)

// pdf writes the pack as an A4 PDF with embedded Unicode fonts (the Go
// fonts), page numbers, links back to each section, and the marking at the
// top and bottom of every page.
func (r *reader) pdf(w io.Writer) error {
	p := r.Pack
	d := fpdf.New("P", "mm", "A4", "")
	d.SetTitle(p.Title, true)
	d.SetCreator("handbook", true)
	d.AddUTF8FontFromBytes("go", "", goregular.TTF)
	d.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	d.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
	d.SetMargins(20, 20, 20)
	d.SetAutoPageBreak(true, 20)
	d.AliasNbPages("{nb}")
	// The marking, when there is one, heads and foots every page.
	mark := func() {
		d.SetFont("go", "B", 9)
		d.SetTextColor(170, 0, 0)
		d.CellFormat(0, 5, r.Marking, "", 0, "C", false, 0, "")
	}
	if r.Marking != "" {
		d.SetHeaderFuncMode(func() {
			d.SetY(9)
			mark()
		}, true)
	}
	d.SetFooterFunc(func() {
		d.SetY(-15)
		d.SetFont("go", "I", 8)
		d.SetTextColor(90, 90, 90)
		d.CellFormat(0, 5, r.L("pageof", p.Title, d.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
		if r.Marking != "" {
			d.SetY(-10)
			mark()
		}
	})
	d.AddPage()
	text := func(style string, size float64, s string) {
		d.SetFont("go", style, size)
		d.MultiCell(0, size*0.5, s, "", "L", false)
	}
	d.SetTextColor(0, 0, 0)
	text("B", 20, p.Title)
	d.Ln(2)
	if p.Description != "" {
		text("", 11, p.Description)
		d.Ln(1)
	}
	if p.Audience != "" {
		text("", 11, r.L("audience")+" "+p.Audience)
	}
	if len(p.Objectives) > 0 {
		text("B", 11, r.L("objectives"))
		for _, o := range p.Objectives {
			text("", 11, "•  "+o)
		}
	}
	text("I", 10, r.L("prepared", r.Date))
	for _, g := range r.Groups {
		if g.Heading != "" {
			d.Ln(4)
			text("B", 15, g.Heading)
		}
		for _, e := range g.Items {
			d.Ln(3)
			text("B", 12.5, fmt.Sprintf("%d. %s", e.N, e.Title))
			if e.Where != "" {
				d.SetTextColor(70, 70, 70)
				text("I", 9.5, e.Where)
				d.SetTextColor(0, 0, 0)
			}
			if e.Status != "" {
				d.SetTextColor(160, 40, 40)
				text("B", 10, e.Status)
				d.SetTextColor(0, 0, 0)
			}
			if e.Note != "" {
				d.SetFillColor(238, 238, 238)
				d.SetFont("go", "I", 10.5)
				d.MultiCell(0, 5.5, r.L("trainer")+" "+e.Note, "L", "L", true)
			}
			for _, blk := range e.Blocks {
				pdfBlock(d, blk)
			}
			if e.Citation != "" {
				d.SetTextColor(60, 60, 60)
				d.SetFont("go", "", 9)
				d.MultiCell(0, 4.5, r.L("source")+" "+strings.TrimSuffix(e.Citation, " "+e.Link), "", "L", false)
				d.SetTextColor(20, 40, 140)
				d.WriteLinkString(4.5, e.Link, e.Link)
				d.Ln(5)
				d.SetTextColor(0, 0, 0)
			}
		}
	}
	if len(r.Bibliography) > 0 {
		d.Ln(5)
		text("B", 15, r.L("bibliography"))
		for i, ref := range r.Bibliography {
			text("", 10, fmt.Sprintf("%d. %s", i+1, ref))
		}
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("export pdf: %w", err)
	}
	return nil
}

func pdfBlock(d *fpdf.Fpdf, blk content.Block) {
	d.SetFont("go", "", 10.5)
	left, _, _, _ := d.GetMargins()
	switch blk.Kind {
	case content.BulletList, content.NumberedList:
		n := 0
		for _, item := range blk.Lines {
			indent, marker := 4.0, "•"
			if sub, ok := strings.CutPrefix(item, "  "); ok {
				indent, marker, item = 10, "◦", sub
			} else if blk.Kind == content.NumberedList {
				n++
				marker = fmt.Sprintf("%d.", n)
			}
			d.SetX(left + indent)
			d.CellFormat(6, 5.5, marker, "", 0, "L", false, 0, "")
			d.SetLeftMargin(left + indent + 6)
			d.MultiCell(0, 5.5, item, "", "L", false)
			d.SetLeftMargin(left)
		}
	case content.Table:
		for i, row := range blk.Rows {
			style := ""
			if i == 0 {
				style = "B"
			}
			d.SetFont("go", style, 9.5)
			d.MultiCell(0, 5, strings.Join(row, "  |  "), "B", "L", false)
		}
	default:
		d.MultiCell(0, 5.5, strings.Join(blk.Lines, "\n"), "", "L", false)
	}
	d.Ln(1.5)
}
