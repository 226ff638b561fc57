package engine_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"handbook/search"
	"handbook/search/searchtest"
)

// languageDocs are documents that do not say their language, so it is
// detected: one German, one Spanish, one English. The German and Spanish
// texts hold only the singular of the words the tests look for in the
// plural.
var languageDocs = fstest.MapFS{
	"zoll/kontrollen.txt": {Data: []byte(`Risikoorientierte Kontrolle im Hafen

1 Auswahl der Sendungen

Die Zollbehörde wählt die Sendungen, die geprüft werden, nach einer Analyse der Risiken aus. Dabei werden die
Angaben der Anmeldung mit den Erkenntnissen früherer Prüfungen verglichen. Eine Sendung mit auffälligen Angaben
wird für eine Kontrolle vorgemerkt, bevor sie den Hafen verlässt.

2 Durchführung

Die Beamten öffnen den Container in Anwesenheit des Anmelders und halten das Ergebnis in einem Bericht fest.
Wird eine Unregelmäßigkeit festgestellt, so leitet die Behörde den Fall an den Ermittlungsdienst weiter, der die
Waren beschlagnahmen kann. Der zugelassene Wirtschaftsbeteiligte erhält bei der Auswahl Erleichterungen.
`)},
	"aduanas/control.txt": {Data: []byte(`Control aduanero basado en riesgos

1 Selección de los envíos

La aduana selecciona los envíos que serán examinados según un análisis de riesgos. Para ello compara los datos
de la declaración con los resultados de controles anteriores. Un envío con datos sospechosos queda marcado para
su inspección antes de salir del puerto.

2 Examen físico

Los funcionarios abren el contenedor en presencia del declarante y registran el resultado en un acta. Cuando se
detecta una irregularidad, el expediente se remite al servicio de investigación, que puede incautar la mercancía.
El operador económico autorizado goza de facilidades en la selección.
`)},
	"port/english.txt": {Data: []byte(`Port inspection practice

1 Selecting consignments

The customs office selects the consignments to examine after an analysis of the risks. It compares the data of
each declaration with the results of earlier examinations and marks a suspicious consignment for inspection
before it leaves the port. Officers note that in Spanish the programme is called operador económico autorizado.
`)},
}

func TestGermanAndSpanishDocuments(t *testing.T) {
	svc := searchtest.Service(t, languageDocs)
	ctx := context.Background()
	find := func(t *testing.T, q string, filters map[string][]string) *search.Result {
		t.Helper()
		res, err := svc.Search(ctx, search.Query{Text: q, Filters: filters, Size: search.MaxPageSize})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return res
	}
	docsOf := func(res *search.Result) []string {
		var ids []string
		for _, h := range res.Hits {
			if !slices.Contains(ids, h.DocID) {
				ids = append(ids, h.DocID)
			}
		}
		return ids
	}

	t.Run("detected and faceted", func(t *testing.T) {
		res := find(t, "", nil)
		langs := map[string]int{}
		for _, v := range res.Facets[search.FacetLang] {
			langs[v.Value] = v.Count
		}
		for lang, n := range map[string]int{"de": 3, "es": 3, "en": 2} {
			if langs[lang] != n {
				t.Errorf("lang facet %s = %d, want %d (all: %v)", lang, langs[lang], n, langs)
			}
		}
		for _, h := range res.Hits {
			want := map[string]string{"zoll-kontrollen": "de", "aduanas-control": "es", "port-english": "en"}[h.DocID]
			if h.Lang != want {
				t.Errorf("%s#%s has lang %q, want %q", h.DocID, h.SectionID, h.Lang, want)
			}
		}
		if res := find(t, "", map[string][]string{search.FacetLang: {"es"}}); !slices.Equal(docsOf(res), []string{"aduanas-control"}) {
			t.Errorf("lang=es: documents %v", docsOf(res))
		}
	})

	// Each plural is in no document: its stem finds the singular.
	for _, tc := range []struct{ q, doc string }{
		{"Kontrollen", "zoll-kontrollen"},
		{"Zollbehörden", "zoll-kontrollen"},
		{"Ermittlungsdienste", "zoll-kontrollen"},
		{"mercancías", "aduanas-control"},
		{"declaraciones", "aduanas-control"},
		{"contenedores", "aduanas-control"},
		{"expedientes", "aduanas-control"},
		{"mercancias", "aduanas-control"}, // accents optional
	} {
		t.Run("stemmed "+tc.q, func(t *testing.T) {
			res := find(t, tc.q, nil)
			if got := docsOf(res); !slices.Equal(got, []string{tc.doc}) {
				t.Errorf("%q finds %v, want [%s]", tc.q, got, tc.doc)
			}
		})
	}

	// A glossary form is looked for in its own language's sections: "AEO"
	// brings in the German and Spanish forms in those documents, and the
	// Spanish words quoted in the English one are not a Spanish form there.
	t.Run("glossary forms by language", func(t *testing.T) {
		res := find(t, "AEO", nil)
		got := docsOf(res)
		slices.Sort(got)
		if !slices.Equal(got, []string{"aduanas-control", "zoll-kontrollen"}) {
			t.Errorf("AEO finds %v, want the German and Spanish documents", got)
		}
		for _, h := range res.Hits {
			if !h.ViaGlossary {
				t.Errorf("%s#%s not marked as found through the glossary", h.DocID, h.SectionID)
			}
		}
		if len(res.Expansions) != 1 || !slices.Contains(res.Expansions[0].Forms, "operador económico autorizado") ||
			!slices.Contains(res.Expansions[0].Forms, "zugelassener Wirtschaftsbeteiligter") {
			t.Errorf("expansions %+v", res.Expansions)
		}
		// Typed, the Spanish words are looked for in every language (and
		// their entry's other forms in theirs).
		if got := docsOf(find(t, `"operador económico autorizado"`, nil)); !slices.Contains(got, "port-english") || !slices.Contains(got, "aduanas-control") {
			t.Errorf(`"operador económico autorizado" finds %v, want the Spanish and the English document among them`, got)
		}
	})
}
