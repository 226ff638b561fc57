package engine_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/content/sample"
	"handbook/search"
	"handbook/search/searchtest"
)

var marked = regexp.MustCompile(`<mark>(.*?)</mark>`)

// TestSnippetsMarkWhatMatched: a snippet marks the words the query (and
// its glossary forms, in their own languages, phrases whole) matched, and
// reads as text, without Markdown's table pipes or list dashes.
func TestSnippetsMarkWhatMatched(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	res, err := svc.Search(context.Background(), search.Query{Text: "AEO", Size: search.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 20 {
		t.Fatalf("AEO found %d sections", len(res.Hits))
	}
	tables := 0
	for _, h := range res.Hits {
		for _, m := range marked.FindAllStringSubmatch(h.Snippet, -1) {
			w := strings.ToLower(m[1])
			if strings.HasPrefix(w, "agreed") || strings.HasPrefix(w, "authoriz") && !strings.HasPrefix(w, "authorized") {
				t.Errorf("%s#%s marks %q for AEO: %s", h.DocID, h.SectionID, m[1], h.Snippet)
			}
		}
		if strings.Contains(h.Snippet, " | ") || regexp.MustCompile(`(^|\n)- `).MatchString(h.Snippet) {
			t.Errorf("%s#%s snippet has Markdown: %q", h.DocID, h.SectionID, h.Snippet)
		}
		if strings.Contains(h.Snippet, " · ") {
			tables++
		}
	}
	if tables == 0 {
		t.Error("no snippet of a table row among the AEO hits (the sample has AEO tables): the check saw nothing")
	}
}

// TestNoBlankFacetValue: documents without an organization or a type (a
// folder of plain files) add no empty value to those facets.
func TestNoBlankFacetValue(t *testing.T) {
	fsys := fstest.MapFS{
		"typed.md":  {Data: []byte("---\ntitle: Typed\norg: [WCO]\ntype: guidelines\nlang: en\n---\n## 1 Seizures\nSeizures of cash at the border.\n")},
		"plain.txt": {Data: []byte("Plain notes\n\nSeizures of cash reported by the port team.\n")},
	}
	svc := searchtest.Service(t, fsys)
	res, err := svc.Search(context.Background(), search.Query{Text: "seizures"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Fatalf("seizures found %d sections, want 2", res.Total)
	}
	for _, f := range []string{search.FacetOrg, search.FacetType} {
		for _, v := range res.Facets[f] {
			if strings.TrimSpace(v.Value) == "" {
				t.Errorf("facet %s has a blank value: %+v", f, res.Facets[f])
			}
		}
		if len(res.Facets[f]) != 1 {
			t.Errorf("facet %s = %+v, want the typed document's value only", f, res.Facets[f])
		}
	}
}
