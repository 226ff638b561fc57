package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"handbook/content/sample"
	"handbook/content/store"
	"handbook/search/searchtest"
	"handbook/web"
	"handbook/web/auth"
)

const adminToken = "e2e-admin-token"

// TestAnalyticsAndSavedSearchPages signs in as an admin in a real browser
// and looks at the search analytics and the saved searches, in English and
// French: each page axe clean, without script (a saved search is made with
// the results page's form).
func TestAnalyticsAndSavedSearchPages(t *testing.T) {
	ctx := browser(t)
	svc := searchtest.Service(t, sample.FS())
	sum := sha256.Sum256([]byte(adminToken))
	a, err := auth.New(auth.Config{Users: []auth.User{{Name: "admin", TokenSHA256: hex.EncodeToString(sum[:]), Roles: []string{"admin"},
		Levels: []string{"public", "members-only", "law-enforcement-sensitive", "restricted"}}}})
	if err != nil {
		t.Fatal(err)
	}
	users, err := store.Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { users.Close() })
	srv, err := web.New(svc, web.Options{Auth: a, Packs: users, Audit: users.Audit(), Analytics: users.Analytics(26 * 7 * 24 * time.Hour), Saved: users, Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	base := ts.URL
	// Searches to count: three of each, the least the analytics show.
	for _, q := range []string{"AEO", "joint operations", "zzqxnothing", "contrôle des conteneurs"} {
		for range 3 {
			res, err := http.Get(base + "/search?" + url.Values{"q": {q}}.Encode())
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
	}
	// A saved search with news: saved with nothing matching, then checked.
	if _, err := users.SaveSearch(t.Context(), "admin", "Port controls", "q=port", nil, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.IndexSwapped(t.Context(), svc, "e2e"); err != nil {
		t.Fatal(err)
	}

	var loc string
	run(t, ctx,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(`input[name="token"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="token"]`, adminToken, chromedp.ByQuery),
		chromedp.Submit(`form.stack`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/signout"]`, chromedp.ByQuery),
		chromedp.Navigate(base+"/search?q=AEO"),
		chromedp.WaitVisible(`form.savesearch`, chromedp.ByQuery),
	)
	axe(t, ctx, "results with the save form")
	run(t, ctx,
		chromedp.SetValue(`#saved-name`, "AEO everywhere", chromedp.ByQuery),
		chromedp.Submit(`form.savesearch`, chromedp.ByQuery),
		chromedp.WaitVisible(`section.saved`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "/saved-searches#saved-") {
		t.Fatalf("after saving: %s", loc)
	}
	for _, lang := range []string{"en", "fr"} {
		var text, htmlLang string
		run(t, ctx,
			chromedp.Navigate(base+"/saved-searches?ui="+lang),
			chromedp.WaitVisible(`section.saved .badge`, chromedp.ByQuery),
			chromedp.Text("main", &text, chromedp.ByQuery),
			chromedp.AttributeValue("html", "lang", &htmlLang, nil, chromedp.ByQuery),
		)
		want := map[string]string{"en": " new", "fr": " nouvelles"}[lang]
		if htmlLang != lang || !strings.Contains(text, "AEO everywhere") || !strings.Contains(text, "Port controls") || !strings.Contains(text, want) {
			t.Errorf("saved searches (%s): lang %q, %s", lang, htmlLang, text)
		}
		axe(t, ctx, "saved searches ("+lang+")")
		shot(t, ctx, "saved-searches-"+lang+"-desktop")
		run(t, ctx,
			chromedp.Click(`section.saved form[action$="/feed"] button`, chromedp.ByQuery),
			chromedp.WaitVisible(`input.feedurl`, chromedp.ByQuery),
		)
		axe(t, ctx, "saved searches with a feed address ("+lang+")")

		run(t, ctx,
			chromedp.Navigate(base+"/admin/analytics?ui="+lang),
			chromedp.WaitVisible(`table.chart svg.bars`, chromedp.ByQuery),
			chromedp.Text("main", &text, chromedp.ByQuery),
		)
		if !strings.Contains(text, "zzqxnothing") || !strings.Contains(text, "controle des conteneurs") {
			t.Errorf("analytics (%s): %s", lang, text)
		}
		axe(t, ctx, "analytics ("+lang+")")
		shot(t, ctx, "analytics-"+lang+"-desktop")
	}
}
