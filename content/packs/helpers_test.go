package packs_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"handbook/content/store"
)

// open opens a store in a temporary folder, closed when the test ends: the
// export tests build their packs through the real store.
func open(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ptr[T any](v T) *T { return &v }

// section is the cited copy of step n of a port handbook.
func section(n int) store.Section {
	return store.Section{DocTitle: "Port Handbook", Org: []string{"WCO"}, Year: 2023, Lang: "en", Level: "public",
		Number: fmt.Sprintf("3.%d", n), Heading: fmt.Sprintf("Step %d", n), Path: fmt.Sprintf("3 Ports › 3.%d Step %d", n, n), Page: 10 + n, Text: fmt.Sprintf("Text of step %d.", n)}
}

// link is the permalink the web layer gives exports, on a test site.
func link(docID, sectionID string) string {
	u := "https://hb.example/docs/" + docID
	if sectionID != "" {
		u += "#" + sectionID
	}
	return u
}
