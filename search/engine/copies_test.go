package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/search"
	"handbook/search/searchtest"
)

// One manual in three formats, and another manual: every section of the
// manual is one hit that lists its other formats, and facets count it once.
func TestOneHitPerSectionAcrossFormats(t *testing.T) {
	parts := []struct{ heading, text string }{
		{"Inspection of containers", "Officers select containers for inspection with risk indicators such as a new consignee, an unusual route and a mismatch between the declared goods and their weight."},
		{"Sealing and seizure", "When the inspection finds undeclared goods the container is sealed, the seizure is recorded and the prosecutor is informed within the time the law allows for it."},
		{"Cooperation with police", "A joint team of customs and police officers shares the inspection results, the seizure records and the intelligence on the consignee with the other agencies."},
	}
	var md, html, txt strings.Builder
	md.WriteString("---\ntitle: Container manual\nlang: en\nyear: 2022\n---\n")
	html.WriteString("<html lang=en><head><title>Container manual</title></head><body><main><h1>Container manual</h1>\n")
	txt.WriteString("Container manual\n\n")
	for i, p := range parts {
		fmt.Fprintf(&md, "## %d %s\n\n%s\n\n", i+1, p.heading, p.text)
		fmt.Fprintf(&html, "<h2>%d %s</h2>\n<p>%s</p>\n", i+1, p.heading, strings.Replace(p.text, " the ", "\n the ", 2))
		fmt.Fprintf(&txt, "%d %s\n\n%s\n\n", i+1, p.heading, p.text)
	}
	html.WriteString("</main></body></html>\n")
	other := "---\ntitle: Port manual\nlang: en\nyear: 2022\n---\n## 1 Inspection at the port\n\nThe port inspection of containers follows its own risk indicators and a different procedure for the seizure of goods and the records.\n"
	// The same text in another edition is no copy: editions stay apart.
	edition := strings.Replace(md.String(), "year: 2022", "year: 2018", 1)
	svc := searchtest.Service(t, fstest.MapFS{
		"manual.md":     {Data: []byte(md.String())},
		"manual.html":   {Data: []byte(html.String())},
		"manual.txt":    {Data: []byte(txt.String())},
		"port.md":       {Data: []byte(other)},
		"old/manual.md": {Data: []byte(edition)},
	})
	search1 := func(text string, filters map[string][]string, doc string) *search.Result {
		t.Helper()
		res, err := svc.Search(context.Background(), search.Query{Text: text, Filters: filters, Doc: doc, Size: search.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := search1("inspection containers seizure", nil, "")
	var shown []string
	for _, h := range res.Hits {
		shown = append(shown, h.DocID+"#"+h.SectionID)
	}
	perDoc := map[string]int{}
	for _, h := range res.Hits {
		perDoc[h.DocID]++
	}
	// manual-md (Markdown is preferred over text; HTML over both) or
	// manual-html: one of the three, never two.
	if n := perDoc["manual-md"] + perDoc["manual-html"] + perDoc["manual-txt"]; n != perDoc["manual-html"] || n == 0 {
		t.Errorf("the manual's sections come from several copies: %v", shown)
	}
	if perDoc["old-manual"] == 0 || perDoc["port"] == 0 {
		t.Errorf("another edition or another manual was taken for a copy: %v", shown)
	}
	for _, h := range res.Hits {
		if h.DocID != "manual-html" {
			continue
		}
		var formats []string
		for _, c := range h.Copies {
			formats = append(formats, c.Format)
		}
		slices.Sort(formats)
		if strings.Join(formats, ",") != "markdown,text" || h.Format != "html" {
			t.Errorf("%s#%s (%s) lists copies %v, want markdown and text", h.DocID, h.SectionID, h.Format, formats)
		}
	}
	if int(res.Total) != len(res.Hits) {
		t.Errorf("total %d, hits %d", res.Total, len(res.Hits))
	}
	counted := 0
	for _, v := range res.Facets[search.FacetFileType] {
		counted += v.Count
	}
	if counted != int(res.Total) {
		t.Errorf("format facet counts %d sections, total %d: %+v", counted, res.Total, res.Facets[search.FacetFileType])
	}
	// A format filter shows that format's sections, copies included.
	pdf := search1("inspection containers seizure", map[string][]string{search.FacetFileType: {"text"}}, "")
	if len(pdf.Hits) == 0 || slices.ContainsFunc(pdf.Hits, func(h search.Hit) bool { return h.DocID != "manual-txt" }) {
		t.Errorf("format=text: %d hits", len(pdf.Hits))
	}
	// Searching one document shows its sections, copies or not.
	if one := search1("seizure", nil, "manual-txt"); one.Total == 0 {
		t.Error("a search within the text copy finds nothing")
	}
}

// The start page's catalog knows which documents are one work in several
// files.
func TestSameWorkInCatalog(t *testing.T) {
	var md, txt strings.Builder
	md.WriteString("---\ntitle: Container manual\nlang: en\n---\n")
	for i := range 4 {
		body := fmt.Sprintf("Part %d of the manual explains how officers select containers for inspection, seal them and record each seizure with the consignee and the route of the goods in question number %d.", i, i)
		fmt.Fprintf(&md, "## %d Part\n\n%s\n\n", i+1, body)
		fmt.Fprintf(&txt, "%d Part\n\n%s\n\n", i+1, body)
	}
	svc := searchtest.Service(t, fstest.MapFS{
		"manual.md":  {Data: []byte(md.String())},
		"manual.txt": {Data: []byte(txt.String())},
		"other.md":   {Data: []byte("---\ntitle: Other\nlang: en\n---\n## 1 Other\n\nSomething else entirely about passengers and their luggage at airports and harbours of the region.\n")},
	})
	works := map[string][]string{}
	for _, d := range svc.Catalog(nil) {
		works[d.ID] = d.SameWork
	}
	if fmt.Sprint(works["manual-md"]) != "[manual-txt]" || fmt.Sprint(works["manual-txt"]) != "[manual-md]" || len(works["other"]) != 0 {
		t.Errorf("same work: %v", works)
	}
}
