package web_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/search/searchtest"
	"handbook/web"
)

// One manual as Markdown and as text is one entry of the start page, which
// names the other file; a hit lists the section's copy.
func TestOneWorkInSeveralFiles(t *testing.T) {
	var md, txt strings.Builder
	md.WriteString("---\ntitle: Container manual\nlang: en\n---\n")
	for i := range 4 {
		body := fmt.Sprintf("Part %d of the manual explains how officers select containers for inspection, seal them and record each seizure with the consignee and the route of the goods in question number %d.", i, i)
		fmt.Fprintf(&md, "## %d Part\n\n%s\n\n", i+1, body)
		fmt.Fprintf(&txt, "%d Part\n\n%s\n\n", i+1, body)
	}
	svc := searchtest.Service(t, fstest.MapFS{"manual.md": {Data: []byte(md.String())}, "manual.txt": {Data: []byte(txt.String())}})
	srv, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	home := get(t, srv.Handler(), "/").Body.String()
	if strings.Count(home, ">Container manual</a>") != 1 || !strings.Contains(home, `href="/docs/manual-txt">text</a>`) {
		t.Errorf("start page:\n%s", home)
	}
	page := get(t, srv.Handler(), "/search?q=seizure+consignee").Body.String()
	if strings.Count(page, `class="hit"`) != 4 || !strings.Contains(page, `href="/docs/manual-txt#`) {
		t.Errorf("results page lists copies as hits or omits them:\n%s", page)
	}
}
