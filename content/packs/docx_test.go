package packs_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"handbook/content/packs"
	"handbook/content/store"
)

// numberedPack is a pack of three sections from three documents, each with a
// four-step numbered list, so its bibliography (a numbered list of three)
// follows three other numbered lists.
func numberedPack(t *testing.T) *store.Pack {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	p, err := s.Create(ctx, "ann", store.PackInput{Title: ptr("Numbered lists")})
	if err != nil {
		t.Fatal(err)
	}
	for i, doc := range []string{"port", "airport", "border"} {
		sec := section(i + 1)
		sec.DocTitle = strings.ToUpper(doc[:1]) + doc[1:] + " Handbook"
		sec.Text = "Steps:\n\n1. select\n2. inspect\n3. record\n4. report"
		if _, err := s.AddItem(ctx, "ann", p.ID, store.ItemInput{DocID: doc, SectionID: "s", Cited: sec}); err != nil {
			t.Fatal(err)
		}
	}
	p, err = s.Get(ctx, "ann", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func exportDOCX(t *testing.T, p *store.Pack) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := packs.Export(&buf, p, packs.FormatDOCX, packs.ExportOptions{Link: link, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxPara is a paragraph of word/document.xml as numbering sees it.
type docxPara struct {
	style, text string
	numID       string // the paragraph's own w:numId; "" when it has none
}

// docxNum is a w:num of word/numbering.xml.
type docxNum struct {
	abstract string
	restart  string // its w:startOverride at level 0; "" when it has none
}

// docxLevel is the first level of a w:abstractNum.
type docxLevel struct {
	start, format string
}

// docxNumbering reads the paragraphs, the numbering instances, the first
// level of each abstract numbering, and the numId of each paragraph style
// that numbers.
func docxNumbering(t *testing.T, data []byte) (paras []docxPara, nums map[string]docxNum, levels map[string]docxLevel, styleNum map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	// walk calls fn with each start element of the part, and each piece of
	// text, with the names of the elements it is in.
	walk := func(name string, fn func(path []string, el *xml.StartElement, text string)) {
		t.Helper()
		f, err := zr.Open(name)
		if err != nil {
			t.Fatalf("docx has no %s: %v", name, err)
		}
		defer f.Close()
		dec := xml.NewDecoder(f)
		var path []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				fn(path, &el, "")
				path = append(path, el.Name.Local)
			case xml.EndElement:
				path = path[:len(path)-1]
			case xml.CharData:
				fn(path, nil, string(el))
			}
		}
	}
	val := func(el *xml.StartElement) string {
		for _, a := range el.Attr {
			if a.Name.Local == "val" {
				return a.Value
			}
		}
		return ""
	}
	attr := func(el *xml.StartElement, name string) string {
		for _, a := range el.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	walk("word/document.xml", func(path []string, el *xml.StartElement, text string) {
		switch {
		case el != nil && el.Name.Local == "p":
			paras = append(paras, docxPara{})
		case len(paras) == 0:
		case el != nil && el.Name.Local == "pStyle":
			paras[len(paras)-1].style = val(el)
		case el != nil && el.Name.Local == "numId" && path[len(path)-1] == "numPr":
			paras[len(paras)-1].numID = val(el)
		case el == nil && len(path) > 0 && path[len(path)-1] == "t":
			paras[len(paras)-1].text += text
		}
	})
	nums, levels, styleNum = map[string]docxNum{}, map[string]docxLevel{}, map[string]string{}
	var num, abstract, lvl string
	walk("word/numbering.xml", func(path []string, el *xml.StartElement, _ string) {
		if el == nil {
			return
		}
		switch el.Name.Local {
		case "abstractNum":
			abstract = attr(el, "abstractNumId")
		case "num":
			num = attr(el, "numId")
			nums[num] = docxNum{}
		case "abstractNumId":
			n := nums[num]
			n.abstract = val(el)
			nums[num] = n
		case "lvl", "lvlOverride":
			lvl = attr(el, "ilvl")
		case "start", "numFmt":
			if lvl == "0" && path[len(path)-1] == "lvl" {
				l := levels[abstract]
				if el.Name.Local == "start" {
					l.start = val(el)
				} else {
					l.format = val(el)
				}
				levels[abstract] = l
			}
		case "startOverride":
			if lvl == "0" {
				n := nums[num]
				n.restart = val(el)
				nums[num] = n
			}
		}
	})
	var style string
	walk("word/styles.xml", func(path []string, el *xml.StartElement, _ string) {
		switch {
		case el == nil:
		case el.Name.Local == "style":
			style = attr(el, "styleId")
		case el.Name.Local == "numId":
			styleNum[style] = val(el)
		}
	})
	return paras, nums, levels, styleNum
}

// TestDOCXNumberedListsRestart: in the DOCX export every numbered list, the
// bibliography after the sections' lists included, has a numbering instance
// of its own that starts at 1, and does not go on from the list before it.
func TestDOCXNumberedListsRestart(t *testing.T) {
	paras, nums, levels, styleNum := docxNumbering(t, exportDOCX(t, numberedPack(t)))
	// Consecutive numbered paragraphs are one list; the bibliography is
	// the list after the "Bibliography" heading.
	type list struct {
		numID string
		items []string
	}
	var lists []list
	bib := -1
	prevNumbered := false
	for _, p := range paras {
		if p.text == "Bibliography" {
			bib = len(lists)
		}
		id := p.numID
		if id == "" {
			id = styleNum[p.style]
		}
		if f := levels[nums[id].abstract].format; id == "" || f == "" || f == "bullet" {
			prevNumbered = false
			continue
		}
		if !prevNumbered {
			lists = append(lists, list{numID: id})
		}
		prevNumbered = true
		l := &lists[len(lists)-1]
		if id != l.numID {
			t.Errorf("list %d mixes numIds %s and %s", len(lists), l.numID, id)
		}
		l.items = append(l.items, p.text)
	}
	if bib < 0 || bib != len(lists)-1 || len(lists) != 4 {
		t.Fatalf("want three step lists, then the bibliography as the last list; found %d lists (%+v), bibliography at %d", len(lists), lists, bib)
	}
	if got := lists[bib].items; len(got) != 3 || !strings.Contains(got[0], "Port Handbook") {
		t.Errorf("bibliography items: %q", got)
	}
	// A list restarts at 1 with a start override, or when it is the first
	// list of its abstract numbering, and that starts at 1.
	used := map[string]bool{}
	for i, l := range lists {
		name := fmt.Sprintf("step list %d", i+1)
		if i == bib {
			name = "bibliography"
		}
		n := nums[l.numID]
		restarts := n.restart == "1" || n.restart == "" && !used[n.abstract] && levels[n.abstract].start == "1"
		used[n.abstract] = true
		if !restarts {
			t.Errorf("%s (numId %s, abstract %s, start override %q) does not restart at 1", name, l.numID, n.abstract, n.restart)
		}
		if i > 0 && l.numID == lists[i-1].numID {
			t.Errorf("%s has the numId %s of the list before it, so it goes on from it", name, l.numID)
		}
	}
}
