package engine_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"handbook/search"
	"handbook/search/searchtest"
)

// A French manual with a section left in English: that section is indexed,
// stemmed and faceted as English, and shown on the document page.
func TestSectionInAnotherLanguage(t *testing.T) {
	fr := "Les agents des douanes contrôlent les conteneurs dans le port et vérifient les déclarations des importateurs avant la mainlevée des marchandises. "
	en := "The officers inspected the shipping containers at the harbour and they checked the declarations of the importers before the goods were released. "
	svc := searchtest.Service(t, fstest.MapFS{"manuel.md": {Data: []byte("---\ntitle: Manuel des contrôles\nlang: fr\n---\n## 1 Contrôles au port\n\n" +
		strings.Repeat(fr, 5) + "\n\n## 2 Inspections\n\n" + strings.Repeat(en, 5) + "\n")}})
	res, err := svc.Search(context.Background(), search.Query{Text: "inspecting importer declaration"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].SectionID != "2-inspections" || res.Hits[0].Lang != "en" {
		t.Fatalf("an English stemmed query: %+v", res.Hits)
	}
	langs := map[string]int{}
	for _, v := range res.Facets[search.FacetLang] {
		langs[v.Value] = v.Count
	}
	if langs["en"] != 1 {
		t.Errorf("lang facet %v, want the English section counted as en", langs)
	}
	if fres, _ := svc.Search(context.Background(), search.Query{Text: "contrôle conteneur"}); len(fres.Hits) == 0 || fres.Hits[0].Lang != "fr" {
		t.Errorf("the French section: %+v", fres.Hits)
	}
	doc, err := svc.Document(context.Background(), "manuel", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sections) != 2 || !strings.Contains(doc.Sections[1].Text, "harbour") || doc.Sections[1].Lang != "en" || doc.Sections[0].Lang != "" {
		t.Errorf("document page sections: %+v", doc.Sections)
	}
}
