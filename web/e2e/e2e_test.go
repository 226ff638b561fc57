package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"handbook/content/ingest"
	"handbook/content/library"
	"handbook/content/library/shelf"
	"handbook/content/sample"
	"handbook/content/store"
	"handbook/search/engine"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

// missing stops a test whose tool is not installed: under CI, which installs
// every tool, it fails with inCI; elsewhere it skips with why.
func missing(t *testing.T, inCI, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(inCI)
	}
	t.Skip(why)
}

// browser returns a chromedp context on a fresh headless chromium, or skips
// where chromium is absent (never in CI, which installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if found, err := exec.LookPath(p); err == nil {
			path = found
			break
		}
	}
	if path == "" {
		missing(t, "chromium is not installed; .ci/run installs the Debian package chromium",
			"chromium is not installed (Debian package chromium); skipping the browser tests")
	}
	profile, err := os.MkdirTemp("", "handbook-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // waits for the browser to close
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// server serves the sample knowledge base, with suggestions and course
// packs, on a loopback port.
func server(t *testing.T) string {
	t.Helper()
	svc, idx := searchtest.Open(t, sample.FS())
	sug, err := engine.NewSuggester(context.Background(), idx, engine.DefaultGlossary())
	if err != nil {
		t.Fatal(err)
	}
	store, err := store.Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := web.New(svc, web.Options{Suggest: sug, Packs: store, Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// run runs browser actions with a deadline.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// axeSource reads axe-core, installed by npm ci in web/e2e, once.
var axeSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile("node_modules/axe-core/axe.min.js")
})

// axeCore returns axe-core's source, or stops the test (see missing) where
// it is not installed.
func axeCore(t *testing.T) []byte {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		missing(t, "axe-core is missing; .ci/run runs npm ci in web/e2e",
			"axe-core is not installed: run npm ci in web/e2e")
	}
	return src
}

// violation is one rule axe-core found broken, with up to three of the
// elements that break it.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeViolations injects axe-core's source into the page in ctx and returns
// its WCAG 2.1 A and AA violations.
func axeViolations(ctx context.Context, src []byte) ([]violation, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var raw string
	err := chromedp.Run(ctx,
		chromedp.Evaluate(string(src), nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`,
			&raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	var violations []violation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		return nil, fmt.Errorf("axe result: %w", err)
	}
	return violations, nil
}

// axe fails the test on any WCAG 2.1 A or AA violation on the page.
func axe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	violations, err := axeViolations(ctx, axeCore(t))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe %s (%s): %s — %v", page, v.ID, v.Impact, v.Help, v.Nodes)
	}
}

// shot saves a full-page screenshot to $HANDBOOK_SCREENSHOTS (or a
// temporary folder).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HANDBOOK_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	var buf []byte
	run(t, ctx, chromedp.CaptureScreenshot(&buf))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSearchJourney(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var loc, text string
	var n int

	// The start page, checked and pictured.
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByID))
	axe(t, ctx, "home")
	shot(t, ctx, "home-en-desktop")

	// Type a query, pick a suggestion with the keyboard.
	run(t, ctx,
		chromedp.SendKeys("#q", "joint op", chromedp.ByID),
		chromedp.WaitVisible("#suggestions li", chromedp.ByQuery),
		chromedp.Text("#suggestions", &text, chromedp.ByID),
	)
	if !strings.Contains(text, "Joint operations at ports") {
		t.Errorf("suggestions for 'joint op': %q", text)
	}
	shot(t, ctx, "suggestions-en-desktop")
	run(t, ctx,
		chromedp.SendKeys("#q", kb.ArrowDown, chromedp.ByID),
		chromedp.SendKeys("#q", kb.Enter, chromedp.ByID),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitReady("body"),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "/docs/") && !strings.Contains(loc, "/search?") {
		t.Errorf("choosing a suggestion went to %s", loc)
	}

	// Search, then select a facet value and clear it again.
	run(t, ctx,
		chromedp.Navigate(base+"/search?q=controlled+delivery"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
	)
	// What a user waits for and downloads: first contentful paint, and the
	// page's weight by kind (for the notes; no timing is asserted).
	var perf string
	run(t, ctx, chromedp.Evaluate(`JSON.stringify({
		paint: performance.getEntriesByType("paint").map(p => p.name + "=" + Math.round(p.startTime)),
		dom_ready_ms: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
		ttfb_ms: performance.getEntriesByType("navigation")[0].responseStart,
		html_bytes: performance.getEntriesByType("navigation")[0].decodedBodySize,
		assets: performance.getEntriesByType("resource").map(r => r.name.split("/").pop() + "=" + r.decodedBodySize)})`, &perf))
	t.Logf("search page: %s", perf)
	axe(t, ctx, "search")
	shot(t, ctx, "search-en-desktop")
	run(t, ctx,
		chromedp.Click(`#facet-lang + ul a`, chromedp.ByQuery),
		chromedp.WaitVisible(".chips", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".chips a").length`, &n),
	)
	if !strings.Contains(loc, "lang=") || n < 1 {
		t.Errorf("after selecting a language: %s, %d chips", loc, n)
	}
	run(t, ctx,
		chromedp.Click(`.chips a[aria-label^="Remove filter"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".chips").length`, &n),
	)
	if strings.Contains(loc, "lang=") || n != 0 {
		t.Errorf("after removing the filter: %s, %d chip lists", loc, n)
	}

	// Page forward.
	run(t, ctx,
		chromedp.Click(`a[rel="next"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "page=2") {
		t.Errorf("next page went to %s", loc)
	}

	// Open a hit: the document page at that section, with the query marked.
	var target string
	run(t, ctx,
		chromedp.Navigate(base+"/search?q=%22controlled+delivery%22"),
		chromedp.WaitVisible(".hit h2 a", chromedp.ByQuery),
		chromedp.AttributeValue(".hit h2 a", "href", &target, nil, chromedp.ByQuery),
		chromedp.Click(".hit h2 a", chromedp.ByQuery),
		chromedp.WaitVisible(".toc", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector(":target") ? document.querySelector(":target").id : ""`, &text),
		chromedp.Evaluate(`document.querySelectorAll(":target mark").length`, &n),
	)
	_, frag, _ := strings.Cut(target, "#")
	if text == "" || text != frag || n == 0 {
		t.Errorf("document page: target %q (want %q), %d marks in it", text, frag, n)
	}
	axe(t, ctx, "document")
	shot(t, ctx, "document-en-desktop")
}

func TestLanguageKeyboardAndPhone(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var text, lang, focused, loc string

	// Switch to French: labels change, and the choice is remembered.
	run(t, ctx,
		chromedp.Navigate(base+"/search?q=contr%C3%B4les+douaniers"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Click(`a[hreflang="fr"]`, chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Text(".searchbox button", &text, chromedp.ByQuery),
	)
	if lang != "fr" || text != "Rechercher" {
		t.Errorf("after switching: lang %q, button %q", lang, text)
	}
	axe(t, ctx, "search (fr)")
	shot(t, ctx, "search-fr-desktop")
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery), chromedp.Text("h1", &text, chromedp.ByQuery))
	if lang != "fr" || !strings.Contains(text, "citer la section") {
		t.Errorf("French not remembered: lang %q, h1 %q", lang, text)
	}
	shot(t, ctx, "home-fr-desktop")
	run(t, ctx, chromedp.Navigate(base+"/?ui=en"), chromedp.WaitVisible("#q", chromedp.ByID))

	// Keyboard only: the skip link comes first, then the search box; Enter
	// searches.
	run(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.className`, &focused),
	)
	if focused != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
	run(t, ctx,
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	)
	if focused != "q" {
		t.Errorf("third Tab focuses %q, want the search box", focused)
	}
	var typed string
	run(t, ctx,
		chromedp.KeyEvent("cash couriers"),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Evaluate(`document.getElementById("q").value`, &typed),
		chromedp.KeyEvent(kb.Escape),
		chromedp.KeyEvent(kb.Enter),
		chromedp.Sleep(time.Second),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if typed != "cash couriers" {
		t.Errorf("typed into the search box: %q", typed)
	}
	if !strings.Contains(loc, "q=cash+couriers") {
		t.Errorf("keyboard search went to %s", loc)
	}

	// A phone: the filters fold into a drawer.
	var open bool
	run(t, ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/search?q=risk+indicators"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("details.drawer").open`, &open),
		chromedp.WaitVisible("details.drawer > summary", chromedp.ByQuery),
	)
	if open {
		t.Error("the filter drawer is open on a phone")
	}
	axe(t, ctx, "search (phone)")
	shot(t, ctx, "search-en-phone")
	run(t, ctx, chromedp.Navigate(base+"/search?q=risk+indicators&ui=fr"), chromedp.WaitVisible(".groups", chromedp.ByQuery))
	shot(t, ctx, "search-fr-phone")
}

func TestCoursePackPages(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var loc string
	run(t, ctx,
		chromedp.Navigate(base+"/packs/add?doc_id=customs-police-cooperation-handbook&section_id=3-2-joint-operations-at-ports"),
		chromedp.WaitVisible("form.stack", chromedp.ByQuery),
	)
	axe(t, ctx, "add to pack")
	run(t, ctx,
		chromedp.SendKeys(`input[name="new_title"]`, "Port operations", chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="note"]`, "Read before day one.", chromedp.ByQuery),
		chromedp.Submit(`form.stack`, chromedp.ByQuery),
		chromedp.WaitVisible(".item", chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "/packs/") {
		t.Fatalf("after adding: %s", loc)
	}
	axe(t, ctx, "pack")
	shot(t, ctx, "pack-en-desktop")
	var lang string
	packURL, _, _ := strings.Cut(loc, "#")
	packURL, _, _ = strings.Cut(packURL, "?")
	run(t, ctx, chromedp.Navigate(packURL+"?ui=fr"), chromedp.WaitVisible(".item", chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery))
	if lang != "fr" {
		t.Errorf("the pack page in French has lang %q", lang)
	}
	axe(t, ctx, "pack (fr)")
	shot(t, ctx, "pack-fr-desktop")
	run(t, ctx, chromedp.Navigate(packURL+"?ui=en"), chromedp.WaitVisible(".item", chromedp.ByQuery))
	run(t, ctx, chromedp.Navigate(base+"/packs"), chromedp.WaitVisible("h1", chromedp.ByQuery))
	axe(t, ctx, "packs")
	run(t, ctx, chromedp.Navigate(base+"/docs/no-such-document"), chromedp.WaitVisible("h1", chromedp.ByQuery))
	axe(t, ctx, "not found")
}

// TestAxeCatchesViolations proves the accessibility check can fail: a page
// given an image without alternative text and an unlabelled field must be
// reported.
func TestAxeCatchesViolations(t *testing.T) {
	src := axeCore(t)
	ctx := browser(t)
	base := server(t)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.Evaluate(`document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/none.png"><input type="text">'); true`, nil))
	violations, err := axeViolations(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range violations {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "label"} {
		if !found[id] {
			t.Errorf("axe did not report %s on a page with an image without alt text and an unlabelled field; it reported %+v", id, violations)
		}
	}
}

// TestResultsPolishInBrowser: on the results page the skip link's first Tab
// lands on the results; on a phone without script the results stand above
// the filters; suggestions say what they are; a search that finds nothing
// offers ways out, in English and French; axe stays clean.
func TestResultsPolishInBrowser(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var focused, kind string
	run(t, ctx,
		chromedp.Navigate(base+"/search?q=risk+indicators"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	)
	if focused != "results" {
		t.Errorf("the skip link leads to %q, want the results", focused)
	}

	// Suggestions are labelled by kind.
	run(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "aeo", chromedp.ByID),
		chromedp.WaitVisible("#suggestions li", chromedp.ByQuery),
		chromedp.Text("#suggestions li .s-kind", &kind, chromedp.ByQuery),
	)
	if kind != "Glossary" && kind != "GLOSSARY" {
		t.Errorf("the first suggestion for aeo is labelled %q", kind)
	}

	// No results: the advice, each a link, in both languages.
	for _, lang := range []string{"en", "fr"} {
		var links int
		run(t, ctx,
			chromedp.Navigate(base+"/search?q=xylophone+zeppelin&lang=en&ui="+lang),
			chromedp.WaitVisible(".notice.advice", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll(".notice.advice a").length`, &links),
		)
		if links < 3 {
			t.Errorf("%s: %d advice links on the no-results page", lang, links)
		}
		axe(t, ctx, "no results ("+lang+")")
		shot(t, ctx, "no-results-"+lang+"-desktop")
	}

	// A phone without script: results first.
	var resultsTop, filtersTop float64
	run(t, ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/search?q=risk+indicators&ui=en"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
	)
	run(t, ctx,
		emulation.SetScriptExecutionDisabled(false),
		chromedp.Evaluate(`document.querySelector("section.results").getBoundingClientRect().top`, &resultsTop),
		chromedp.Evaluate(`document.querySelector("details.drawer").getBoundingClientRect().top`, &filtersTop),
	)
	if resultsTop >= filtersTop {
		t.Errorf("on a phone the results start at %.0f px, the filters at %.0f px: results should come first", resultsTop, filtersTop)
	}
}

// TestDocumentPageAndEditions follows a hit of a superseded edition to its
// page (the query marked, related sections, the way back, the banner and
// its link to the current edition) and searches within a document, in
// English and French, light and dark.
func TestDocumentPageAndEditions(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var loc, text string
	var n int
	var only bool

	// The superseded edition's hit says so and names the current one.
	run(t, ctx,
		chromedp.Navigate(base+"/search?q=pillar&year=2018&ui=en"),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Text(".group.superseded .superseded-by", &text, chromedp.ByQuery),
	)
	if !strings.Contains(text, "superseded by SAFE Framework of Standards") {
		t.Errorf("superseded hit says %q", text)
	}
	axe(t, ctx, "results with a superseded edition")

	// Its hit leads to the section, with the query marked, its related
	// sections and the way back.
	run(t, ctx,
		chromedp.Click(".group.superseded .hit h2 a", chromedp.ByQuery),
		chromedp.WaitVisible(".superseded-banner", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".sections mark").length`, &n),
	)
	if !strings.Contains(loc, "/docs/safe-framework-of-standards-2018?") || !strings.Contains(loc, "section=") || !strings.Contains(loc, "from=") {
		t.Errorf("hit went to %s", loc)
	}
	if n == 0 {
		t.Error("the query is not marked on the document page")
	}
	run(t, ctx,
		chromedp.WaitVisible("section:target .doc-related li a", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".doc-related li").length`, &n),
	)
	if n < 1 || n > 5 {
		t.Errorf("%d related sections, want 1 to 5", n)
	}
	axe(t, ctx, "superseded document (en)")
	shot(t, ctx, "document-en-desktop")
	run(t, ctx,
		chromedp.EmulateViewport(1280, 900),
		emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
	)
	axe(t, ctx, "superseded document (en, dark)")
	run(t, ctx, emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}))

	// Back to the results: the same search.
	run(t, ctx,
		chromedp.Click(".doc-back a", chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "/search?") || !strings.Contains(loc, "q=pillar") || !strings.Contains(loc, "year=2018") {
		t.Errorf("back to the results went to %s", loc)
	}

	// From the banner to the current edition, then search within it.
	run(t, ctx,
		chromedp.Navigate(base+"/docs/safe-framework-of-standards-2018"),
		chromedp.WaitVisible(".superseded-banner a", chromedp.ByQuery),
		chromedp.Click(".superseded-banner a", chromedp.ByQuery),
		chromedp.WaitVisible("#doc-q", chromedp.ByID),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".superseded-banner").length`, &n),
	)
	if !strings.HasSuffix(loc, "/docs/safe-framework-of-standards") || n != 0 {
		t.Errorf("banner link went to %s (banners there: %d)", loc, n)
	}
	run(t, ctx,
		chromedp.SendKeys("#doc-q", "Standard 1.6", chromedp.ByID),
		chromedp.Submit("form.doc-search", chromedp.ByQuery),
		chromedp.WaitVisible(".doc-scope", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`[...document.querySelectorAll(".hit h2 a")].every(a => a.pathname === "/docs/safe-framework-of-standards")`, &only),
	)
	if !strings.Contains(loc, "doc=safe-framework-of-standards") || !only {
		t.Errorf("search within the document went to %s", loc)
	}
	axe(t, ctx, "results in one document")
	run(t, ctx,
		chromedp.Click(".doc-widen", chromedp.ByQuery),
		chromedp.WaitVisible(".groups", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".doc-scope").length`, &n),
	)
	if strings.Contains(loc, "doc=") || n != 0 {
		t.Errorf("widened search %s still has the scope (%d)", loc, n)
	}

	// French: the banner, the related sections and the search box.
	run(t, ctx,
		chromedp.Navigate(base+"/docs/safe-framework-of-standards-2018?ui=fr&q=pilier&section=pillar-1-customs-to-customs&from="+url.QueryEscape("/search?q=pillar")),
		chromedp.WaitVisible(".superseded-banner", chromedp.ByQuery),
		chromedp.Text(".superseded-banner", &text, chromedp.ByQuery),
	)
	if !strings.Contains(text, "Cette édition est remplacée par") {
		t.Errorf("French banner: %q", text)
	}
	run(t, ctx, chromedp.Text(".doc-related-h", &text, chromedp.ByQuery))
	if text != "Sections apparentées" {
		t.Errorf("French related heading %q", text)
	}
	axe(t, ctx, "superseded document (fr)")
	shot(t, ctx, "document-fr-desktop")
}

// TestPackFromResults adds hits to a course pack from the results page, in
// English and French, without JavaScript (the form posts and comes back to
// the same results) and with it (the API, confirmed in place).
func TestPackFromResults(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	for _, tc := range []struct{ lang, added, open string }{
		{"en", "Added to “", "Open the pack"},
		{"fr", "Ajouté au dossier «\u202f", "Ouvrir le dossier"},
	} {
		results := base + "/search?q=controlled+delivery&view=compact&ui=" + tc.lang

		// Without JavaScript: a plain form, back to the same results.
		var loc, notice, href string
		run(t, ctx,
			emulation.SetScriptExecutionDisabled(true),
			chromedp.Navigate(results),
			chromedp.WaitVisible("form.addpack", chromedp.ByQuery),
		)
		// axe runs as a script: allowed again once the page has loaded
		// without its own (which do not run afterwards).
		run(t, ctx, emulation.SetScriptExecutionDisabled(false))
		axe(t, ctx, tc.lang+" results, no script")
		run(t, ctx,
			emulation.SetScriptExecutionDisabled(true),
			chromedp.Click("form.addpack button[type=submit]", chromedp.ByQuery),
			chromedp.WaitVisible("#added .notice", chromedp.ByQuery),
			chromedp.Location(&loc),
			chromedp.Text("#added .notice", &notice, chromedp.ByQuery),
			chromedp.AttributeValue("#added a", "href", &href, nil, chromedp.ByQuery),
		)
		if !strings.Contains(loc, "q=controlled+delivery") || !strings.Contains(loc, "view=compact") || !strings.Contains(loc, "/search?") {
			t.Errorf("%s without script: back at %s, not the same results", tc.lang, loc)
		}
		if !strings.Contains(notice, tc.added) || !strings.Contains(notice, tc.open) || !strings.HasPrefix(href, "/packs/") {
			t.Errorf("%s without script: notice %q, link %q", tc.lang, notice, href)
		}
		run(t, ctx, emulation.SetScriptExecutionDisabled(false))
		axe(t, ctx, tc.lang+" results with the notice, no script")
		shot(t, ctx, "addpack-"+tc.lang+"-noscript")

		// With JavaScript: the same form, sent through the API, no reload.
		var stayed bool
		notice = ""
		run(t, ctx,
			emulation.SetScriptExecutionDisabled(false),
			chromedp.Navigate(results),
			chromedp.WaitVisible("form.addpack select", chromedp.ByQuery),
			chromedp.Evaluate(`window.notReloaded = true`, nil),
			chromedp.Evaluate(`document.querySelectorAll("form.addpack button[type=submit]")[1].click()`, nil),
			chromedp.WaitVisible(".addpack-status .notice", chromedp.ByQuery),
			chromedp.Text(".addpack-status .notice", &notice, chromedp.ByQuery),
			chromedp.Evaluate(`window.notReloaded === true`, &stayed),
			chromedp.Location(&loc),
		)
		if !stayed || strings.Contains(loc, "added_") {
			t.Errorf("%s with script: the page reloaded (%s)", tc.lang, loc)
		}
		if !strings.Contains(notice, tc.added) || !strings.Contains(notice, tc.open) {
			t.Errorf("%s with script: notice %q", tc.lang, notice)
		}
		axe(t, ctx, tc.lang+" results with the notice, script")
		shot(t, ctx, "addpack-"+tc.lang+"-script")
	}
	// Two sections per language, all in the one pack made first.
	var count int
	run(t, ctx, chromedp.Navigate(base+"/packs"), chromedp.WaitVisible("h1", chromedp.ByQuery),
		chromedp.Evaluate(`fetch("/api/packs").then(r => r.json()).then(j => j.packs.length === 1 ? j.packs[0].item_count : -j.packs.length)`, &count,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if count != 4 {
		t.Errorf("the pack holds %d sections (negative: that many packs), want 4", count)
	}
}

// TestCompareEditions follows the link from a superseded edition to its
// comparison with the current one, in English and French, checks the
// summary, a diff and a pair's anchor, and runs axe on each (light and
// dark).
func TestCompareEditions(t *testing.T) {
	ctx := browser(t)
	base := server(t)
	var loc, text string
	var n int
	run(t, ctx,
		chromedp.Navigate(base+"/docs/safe-framework-of-standards-2018?ui=en"),
		chromedp.WaitVisible(".compare-with a", chromedp.ByQuery),
		chromedp.Click(".compare-with a", chromedp.ByQuery),
		chromedp.WaitVisible(".compare-summary", chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Text(".compare-summary", &text, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".pair.kind-changed .diff del, .pair.kind-changed .diff ins").length`, &n),
	)
	if !strings.HasSuffix(loc, "/docs/safe-framework-of-standards-2018/compare/safe-framework-of-standards") {
		t.Errorf("the link went to %s", loc)
	}
	if text != "11 sections changed, 21 added" {
		t.Errorf("summary %q", text)
	}
	if n == 0 {
		t.Error("no word diff shown")
	}
	axe(t, ctx, "comparison (en)")
	shot(t, ctx, "compare-en-desktop")
	run(t, ctx,
		emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}),
	)
	axe(t, ctx, "comparison (en, dark)")
	run(t, ctx, emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}))

	// A pair's anchor, as a course pack links to it.
	run(t, ctx,
		chromedp.Navigate(base+"/docs/safe-framework-of-standards-2018/compare/safe-framework-of-standards?ui=fr#old-standard-2-5-mutual-recognition"),
		chromedp.WaitVisible(".compare-summary", chromedp.ByQuery),
		chromedp.Text(".compare-summary", &text, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#old-standard-2-5-mutual-recognition .badge.kind").textContent`, &loc),
	)
	if text != "11 sections modifiées, 21 ajoutées" || loc != "Modifiée" {
		t.Errorf("French summary %q, kind %q", text, loc)
	}
	axe(t, ctx, "comparison (fr)")
	shot(t, ctx, "compare-fr-desktop")
}

// libraryServer serves the sample with a library over a temporary content
// folder, anonymous callers being editors. Its rebuild reads the folder
// (the index it serves stays the sample's: the rebuild and swap themselves
// are tested through the router in cmd/handbook).
func libraryServer(t *testing.T) (string, string) {
	t.Helper()
	svc, _ := searchtest.Open(t, sample.FS())
	folder := t.TempDir()
	lib, err := shelf.New(shelf.Options{Content: folder, MaxBytes: 1 << 20, Rebuild: func(ctx context.Context) (*ingest.Report, error) {
		st, err := library.ReadState(folder)
		if err != nil {
			return nil, err
		}
		r, err := ingest.Load(ctx, ingest.DirFS(folder), ".", ingest.Options{})
		if r != nil {
			r.Documents = st.Apply(r.Documents)
		}
		return r, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); lib.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	a, err := auth.New(auth.Config{Anonymous: auth.Grant{Roles: []string{auth.RoleReader, auth.RoleEditor}, Levels: []string{"public", "members-only"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, web.Options{Auth: a, Library: lib, Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	files := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(files, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("port-checks.md", "# Port checks\n\n## 1 Seals\nOfficers compare seals and manifests.\n\n## 2 Scanners\nScanner images are kept for a year.\n")
	write("fake.pdf", "PK\x03\x04 this is not a PDF at all")
	return ts.URL, files
}

// TestUploadPage uploads a document from the page without script, in
// English and in French: the form, the job's page (which reloads itself
// until the job ends) and a refusal; axe stays clean on each.
func TestUploadPage(t *testing.T) {
	ctx := browser(t)
	base, files := libraryServer(t)
	for _, tc := range []struct{ lang, done, refused string }{
		{"en", "Indexed: the document is searchable now.", "not a PDF as its name says"},
		{"fr", "Indexé\u202f: le document est désormais consultable.", "et non un PDF comme l'indique son nom"},
	} {
		var nav, status, refusal string
		run(t, ctx,
			chromedp.Navigate(base+"/admin/documents?ui="+tc.lang),
			chromedp.WaitVisible(`form[enctype="multipart/form-data"]`, chromedp.ByQuery),
			chromedp.Text(`nav.topnav`, &nav, chromedp.ByQuery),
		)
		if !strings.Contains(nav, map[string]string{"en": "Documents", "fr": "Documents"}[tc.lang]) {
			t.Errorf("%s: the header has no documents link: %q", tc.lang, nav)
		}
		axe(t, ctx, "upload form ("+tc.lang+")")
		shot(t, ctx, "upload-"+tc.lang+"-desktop")
		run(t, ctx,
			chromedp.SetUploadFiles(`input[name="file"]`, []string{filepath.Join(files, "port-checks.md")}, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="edition"]`, "2025", chromedp.ByQuery),
			chromedp.Submit(`form.stack`, chromedp.ByQuery),
			chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery),
		)
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(status, tc.done) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the job's page never said it was indexed: %q", tc.lang, status)
			}
			time.Sleep(200 * time.Millisecond)
			run(t, ctx, chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery), chromedp.Text(`main`, &status, chromedp.ByQuery))
		}
		if !strings.Contains(status, "Port checks") {
			t.Errorf("%s: the job's page does not name the document's own title: %q", tc.lang, status)
		}
		axe(t, ctx, "job ("+tc.lang+")")
		shot(t, ctx, "upload-job-"+tc.lang+"-desktop")
		run(t, ctx,
			chromedp.Navigate(base+"/admin/documents?ui="+tc.lang),
			chromedp.WaitVisible(`input[name="file"]`, chromedp.ByQuery),
			chromedp.SetUploadFiles(`input[name="file"]`, []string{filepath.Join(files, "fake.pdf")}, chromedp.ByQuery),
			chromedp.Submit(`form.stack`, chromedp.ByQuery),
			chromedp.WaitVisible(`[role="alert"]`, chromedp.ByQuery),
			chromedp.Text(`[role="alert"]`, &refusal, chromedp.ByQuery),
		)
		if !strings.Contains(refusal, tc.refused) {
			t.Errorf("%s: the refusal says %q, want %q", tc.lang, refusal, tc.refused)
		}
		axe(t, ctx, "upload refused ("+tc.lang+")")
	}
}
