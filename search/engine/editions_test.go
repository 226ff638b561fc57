package engine_test

import (
	"context"
	"testing"
	"testing/fstest"

	"handbook/search"
	"handbook/search/searchtest"
)

// The current edition of a work ranks above its superseded editions, which
// stay findable and are marked.
func TestCurrentEditionFirst(t *testing.T) {
	text := "## 3 Criteria for e-commerce platforms\n\nAn e-commerce platform applying for AEO status shows control of its sellers, of the data it sends and of the returns it handles.\n"
	svc := searchtest.Service(t, fstest.MapFS{
		"a-safe-2018.md": {Data: []byte("---\ntitle: SAFE Framework\nlang: en\nyear: 2018\nedition: 2018 edition\nstatus: superseded\nsuperseded_by: b-safe-2021\n---\n" + text)},
		"b-safe-2021.md": {Data: []byte("---\ntitle: SAFE Framework\nlang: en\nyear: 2021\nedition: 2021 edition\n---\n" + text)},
	})
	res, err := svc.Search(context.Background(), search.Query{Text: "AEO criteria for e-commerce platforms"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("%d hits, want both editions", len(res.Hits))
	}
	if res.Hits[0].DocID != "b-safe-2021" || res.Hits[1].DocID != "a-safe-2018" || res.Hits[1].Status != "superseded" {
		t.Errorf("order %s (%s), %s (%s); want the current edition first", res.Hits[0].DocID, res.Hits[0].Status, res.Hits[1].DocID, res.Hits[1].Status)
	}
}

// A query whose stop words tell its language ranks sections in that
// language first; the others are still found.
func TestQueryLanguageFirst(t *testing.T) {
	svc := searchtest.Service(t, fstest.MapFS{
		"control.md":  {Data: []byte("---\ntitle: Guide\nlang: en\n---\n## 1 Document control\n\nControl of documents: each document control is checked.\n")},
		"controle.md": {Data: []byte("---\ntitle: Guide\nlang: fr\n---\n## 1 Contrôle des documents\n\nContrôle des documents au guichet : chaque document est vérifié.\n")},
	})
	res, err := svc.Search(context.Background(), search.Query{Text: "le contrôle des documents"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.DocID)
	}
	if len(ids) != 2 || ids[0] != "controle" {
		t.Errorf("hits %v, want the French section first and the English one found", ids)
	}
}
