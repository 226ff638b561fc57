package indexer_test

import (
	"context"
	"reflect"
	"testing"

	"handbook/content"
	"handbook/indexer"
)

func TestBuildCountsRankStats(t *testing.T) {
	doc := func(id, lang, title string, texts ...string) content.Loaded {
		d := content.Loaded{Document: content.Document{ID: id, Title: title, Language: lang, Level: content.LevelPublic, Status: content.StatusCurrent}}
		for i, text := range texts {
			d.Sections = append(d.Sections, content.Section{DocID: id, ID: string(rune('a' + i)), Path: "Heading " + id, Heading: "Heading", Text: text})
		}
		return d
	}
	docs := []content.Loaded{
		// "the" and "of" are stop words: they are not counted.
		doc("one", "en", "Ivory permits", "ivory permits border", "the seizure of ivory", ""),
		doc("deux", "fr", "Contrôle", "le contrôle des conteneurs"),
	}
	dir := t.TempDir()
	if _, err := indexer.Build(context.Background(), dir, docs, "test"); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	want := indexer.RankStats{
		Sections: map[string]uint64{"en": 3, "fr": 1},
		Fields: map[string]indexer.FieldStats{
			"body_en":    {Sections: 2, Terms: 5},
			"heading_en": {Sections: 3, Terms: 6},
			"title_en":   {Sections: 3, Terms: 6},
			"body_fr":    {Sections: 1, Terms: 2},
			"heading_fr": {Sections: 1, Terms: 2},
			"title_fr":   {Sections: 1, Terms: 1},
		},
	}
	if !reflect.DeepEqual(idx.RankStats, want) {
		t.Errorf("rank stats\n%+v\nwant\n%+v", idx.RankStats, want)
	}
	if got := idx.RankStats.AverageLength("body_en"); got != 2.5 {
		t.Errorf("average body length %v, want 2.5", got)
	}
	if got := idx.RankStats.AverageLength("body_de"); got != 0 {
		t.Errorf("average length of a missing field %v, want 0", got)
	}
}
