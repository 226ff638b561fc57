package html

import (
	"strings"
	"testing"
)

func TestAnchorsAndChrome(t *testing.T) {
	page := `<html lang="en"><head><title>Guide</title><meta name="description" content="About ports."></head><body>
<div class="navbar">Home | Search</div><div role="navigation">Menu</div>
<div class="body"><div class="section" id="binary-packages"><h1>3. Binary packages<a class="headerlink" href="#binary-packages">¶</a></h1>
<p>Text one.</p><div class="section"><span id="s-name"></span><h2><a name="name-anchor"></a>3.1 Names</h2><p>Text two.</p></div>
<a id="loose"></a><h3>3.2 Loose</h3><pre>  code
  block</pre></div></div>
<div class="sphinxsidebar">Table of contents</div><div class="footer">© Debian</div></body></html>`
	doc, err := Parse([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Guide" || doc.Lang != "en" || doc.Description != "About ports." {
		t.Errorf("metadata %+v", doc)
	}
	var got []string
	for _, b := range doc.Blocks {
		got = append(got, b.ID+"="+b.Text)
	}
	want := "binary-packages=3. Binary packages|=Text one.|name-anchor=3.1 Names|=Text two.|loose=3.2 Loose|=  code\n  block"
	if strings.Join(got, "|") != want {
		t.Errorf("blocks\n%q\nwant\n%q", strings.Join(got, "|"), want)
	}
}

func TestDecode(t *testing.T) {
	latin := []byte("<meta charset=\"iso-8859-1\"><p>caf\xe9</p>")
	out, err := Decode(latin)
	if err != nil || !strings.Contains(string(out), "café") {
		t.Errorf("latin-1: %q %v", out, err)
	}
	if _, err := Decode([]byte("<meta charset=\"utf-8\"><p>caf\xe9</p>")); err == nil {
		t.Error("invalid UTF-8 in a page that declares UTF-8 was accepted")
	}
}
