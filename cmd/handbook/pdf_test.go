package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"handbook/search"
)

// TestPDFHitPage indexes the French Union Customs Code PDF from the shared
// corpora and searches for phrases whose printed page is known (checked with
// pdftotext): each hit's page is the page its snippet stands on, not merely
// where its section starts.
func TestPDFHitPage(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "eu-ucc-fr")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" { // CI always has ../shared: a CI without it must not pass by skipping
			t.Fatalf("shared corpora not found at %s (CI must have ../shared): %v", dir, err)
		}
		t.Skipf("shared corpora not found at %s: %v", dir, err)
	}
	data := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"index", "--data", data, "--content", dir}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("index: %v\n%s", err, out.String())
	}
	tests := []struct {
		q    string
		page int
	}{
		{`"ce délai ne peut excéder dix jours à compter de la notification"`, 45},
		{`"La sous-position ou l'autre subdivision déterminée conformément aux paragraphes 1 et 2"`, 30},
	}
	for _, tc := range tests {
		out.Reset()
		if err := run(context.Background(), []string{"search", "--data", data, "--json", tc.q}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var res search.Result
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hit", tc.q)
			continue
		}
		h := res.Hits[0]
		if h.Page != tc.page || h.Number == "" {
			t.Errorf("%s: hit %s (%s) on page %d (section pages %d–%d), want page %d", tc.q, h.SectionID, h.Number, h.Page, h.Page, h.PageEnd, tc.page)
		}
	}
}
