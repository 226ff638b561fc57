package indexer

import (
	"slices"
	"testing"
)

func TestPairAnalyzerReusesTheBodyAnalysis(t *testing.T) {
	m, err := NewMapping(map[string][]string{"en": {"custom", "control", "administr"}})
	if err != nil {
		t.Fatal(err)
	}
	const sentence = "Customs controls at the border; the customs administration of ports and customs control."
	text := []byte(sentence)
	body := m.AnalyzerNamed(AnalyzerEN + "_body")
	pairs, ok := m.AnalyzerNamed(pairAnalyzerName("en")).(pairAnalyzer)
	if body == nil || !ok {
		t.Fatalf("analyzers: body %T, pairs %T", body, m.AnalyzerNamed(pairAnalyzerName("en")))
	}
	var fresh []string
	for _, tok := range pairs.Analyze(text) { // nothing remembered: analyses itself
		fresh = append(fresh, string(tok.Term))
	}
	want := []string{"custom control", "custom administr", "custom control"}
	if !slices.Equal(fresh, want) {
		t.Fatalf("pairs %q, want %q", fresh, want)
	}
	// Bleve gives each field its own copy of the text, and analysis may
	// change it in place.
	body.Analyze([]byte(sentence))
	if _, ok := pairs.body.memo.take([]byte(sentence)); !ok {
		t.Fatal("the body's analysis was not remembered")
	}
	body.Analyze([]byte(sentence))
	var reused []string
	for _, tok := range pairs.Analyze([]byte(sentence)) {
		reused = append(reused, string(tok.Term))
	}
	if !slices.Equal(reused, want) {
		t.Fatalf("pairs from the remembered analysis %q, want %q", reused, want)
	}
	if _, ok := pairs.body.memo.take([]byte(sentence)); ok {
		t.Error("the remembered analysis was not taken")
	}
}
