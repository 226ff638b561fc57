package indexer_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"handbook/content"
	"handbook/indexer"
)

// sectionsIndex builds an index of docs documents of per sections each, so
// that scorch makes more than one segment and VisitStored more than one
// range of numbers.
func sectionsIndex(t *testing.T, docs, per int) *indexer.Index {
	t.Helper()
	var loaded []content.Loaded
	for d := range docs {
		id := fmt.Sprintf("doc-%03d", d)
		l := content.Loaded{Document: content.Document{ID: id, Title: "Document " + id, Language: "en", Level: content.LevelPublic, Status: content.StatusCurrent}}
		for s := range per {
			sid := fmt.Sprintf("s%d", s)
			l.Sections = append(l.Sections, content.Section{DocID: id, ID: sid, Number: fmt.Sprint(s + 1), Path: "Heading " + sid, Heading: "Heading " + sid, Text: "text of " + id + " " + sid})
		}
		loaded = append(loaded, l)
	}
	dir := t.TempDir()
	if _, err := indexer.Build(context.Background(), dir, loaded, "test"); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// TestSectionNumbers checks what the engine's per-section arrays rely on:
// every section's internal id decodes to a number, the numbers are distinct
// and dense from 0 in a built (read-only) index.
func TestSectionNumbers(t *testing.T) {
	const docs, per = 30, 200
	idx := sectionsIndex(t, docs, per)
	r, err := idx.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	seen := make([]bool, docs*per)
	for d := range docs {
		for s := range per {
			id, err := r.InternalID(fmt.Sprintf("doc-%03d#s%d", d, s))
			if err != nil || id == nil {
				t.Fatalf("internal id of doc-%03d#s%d: %v", d, s, err)
			}
			n, ok := indexer.SectionNumber(id)
			if !ok || int(n) >= len(seen) || seen[n] {
				t.Fatalf("section doc-%03d#s%d has number %d (ok %v): not distinct or not below %d", d, s, n, ok, len(seen))
			}
			seen[n] = true
			if back := indexer.InternalID(n); !bytes.Equal(back, id) {
				t.Fatalf("InternalID(%d) = %x, the index's id is %x", n, []byte(back), []byte(id))
			}
		}
	}
	if _, ok := indexer.SectionNumber([]byte{1, 2, 3}); ok {
		t.Error("a 3-byte id decoded as a section number")
	}
}

// TestVisitStored: reading stored fields segment by segment in parallel
// gives exactly what looking every section up by id gives.
func TestVisitStored(t *testing.T) {
	const docs, per = 30, 200
	idx := sectionsIndex(t, docs, per)
	fields := []string{indexer.FieldDocID, indexer.FieldSectionID, indexer.FieldNumber}
	var mu sync.Mutex
	var fast []string
	err := idx.VisitStored(context.Background(), fields, 3, func() func([][]byte) {
		return func(v [][]byte) {
			mu.Lock()
			fast = append(fast, string(v[0])+"#"+string(v[1])+" "+string(v[2]))
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var slow []string
	if err := indexer.VisitStoredByID(context.Background(), idx, fields, func(v [][]byte) {
		slow = append(slow, string(v[0])+"#"+string(v[1])+" "+string(v[2]))
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(fast)
	slices.Sort(slow)
	if len(fast) != docs*per || !slices.Equal(fast, slow) {
		t.Fatalf("VisitStored read %d sections, by id %d; want %d, the same", len(fast), len(slow), docs*per)
	}
	if !slices.Contains(fast, "doc-007#s41 42") {
		t.Errorf("doc-007#s41 missing or with the wrong number: %v", fast[:3])
	}
}
