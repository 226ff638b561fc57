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
	text := []byte("Customs controls at the border; the customs administration of ports and customs control.")
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
	body.Analyze(text)
	if _, ok := pairs.body.memo.take(text); !ok {
		t.Fatal("the body's analysis was not remembered")
	}
	body.Analyze(text)
	var reused []string
	for _, tok := range pairs.Analyze(text) {
		reused = append(reused, string(tok.Term))
	}
	if !slices.Equal(reused, want) {
		t.Fatalf("pairs from the remembered analysis %q, want %q", reused, want)
	}
	if _, ok := pairs.body.memo.take(text); ok {
		t.Error("the remembered analysis was not taken")
	}
}
