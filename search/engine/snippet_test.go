package engine_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

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
