package engine_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/content/sample"
	"handbook/indexer"
	"handbook/search"
	"handbook/search/engine"
)

func sampleSuggester(t testing.TB) *engine.Suggester {
	t.Helper()
	r := ingest.LoadFS(sample.FS(), ".")
	dir := t.TempDir()
	if _, err := indexer.Build(context.Background(), dir, r.Documents, indexer.SourceSample); err != nil {
		t.Fatal(err)
	}
	idx, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	s, err := engine.NewSuggester(context.Background(), idx, engine.DefaultGlossary())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func texts(ss []search.Suggestion) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Kind+":"+s.Text)
	}
	return out
}

func TestSuggest(t *testing.T) {
	s := sampleSuggester(t)
	public := []string{content.LevelPublic}
	tests := []struct {
		q     string
		first string   // the first suggestion, kind:text
		has   []string // also among the suggestions
	}{
		{"aeo", "glossary:AEO", []string{"heading:Standard 2.8 Performance of the AEO programme"}},
		{"joint op", "", []string{"heading:3.2 Joint operations at ports"}},
		{"contrôles doua", "", []string{"heading:Module 5 Contrôles douaniers et examen des marchandises"}},
		{"controles doua", "", []string{"heading:Module 5 Contrôles douaniers et examen des marchandises"}},
		{"customs–police coop", "title:Customs–Police Cooperation Handbook", nil},
		{"trade-based", "", []string{"glossary:trade-based money laundering"}},
	}
	for _, tc := range tests {
		got := texts(s.Suggest(tc.q, public, 10))
		if tc.first != "" && (len(got) == 0 || got[0] != tc.first) {
			t.Errorf("Suggest(%q) = %v, want %s first", tc.q, got, tc.first)
		}
		for _, h := range tc.has {
			if !slices.Contains(got, h) {
				t.Errorf("Suggest(%q) = %v, lacks %s", tc.q, got, h)
			}
		}
	}
	// The restricted controlled-delivery handbook is suggested only to those
	// who may see it.
	restricted := "title:Controlled Delivery Handbook"
	for _, lv := range [][]string{public, content.Levels} {
		got := texts(s.Suggest("controlled delivery hand", lv, 20))
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, restricted)
		}
		if found != (len(lv) > 1) {
			t.Errorf("levels %v: suggestions %v", lv, got)
		}
	}
	if got := s.Suggest("   ", public, 10); len(got) != 0 {
		t.Errorf("empty query suggests %v", got)
	}
	if got := s.Suggest("zzzqqq", public, 10); len(got) != 0 {
		t.Errorf("nonsense suggests %v", got)
	}
}

// BenchmarkSuggest measures keystrokes over the sample base and reports the
// 99th percentile.
func BenchmarkSuggest(b *testing.B) {
	s := sampleSuggester(b)
	keys := []string{"a", "ae", "aeo", "jo", "joint", "joint op", "con", "contr", "controlled de", "tr", "trade-based", "risk ind", "ca", "cash cou", "re", "red fl"}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		res := s.Suggest(keys[i%len(keys)], []string{content.LevelPublic}, 10)
		lat = append(lat, time.Since(start))
		if res == nil {
			b.Fatal("nil")
		}
		i++
	}
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// TestSuggestToleratesOneTypo: when nothing completes what was typed, a
// word with one typing error (swapped, missing, extra or wrong letter)
// still completes; what completes as typed is never replaced, and a word
// two errors away gets nothing.
func TestSuggestToleratesOneTypo(t *testing.T) {
	s := sampleSuggester(t)
	public := []string{content.LevelPublic}
	has := func(q, want string) bool {
		for _, sg := range s.Suggest(q, public, 10) {
			if strings.Contains(strings.ToLower(sg.Text), want) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct{ q, want string }{
		{"secuirty", "security"},                   // two swapped
		{"controled deliv", "controlled delivery"}, // one left out
		{"liaisson", "liaison"},                    // one too many
		{"integrety", "integrity"},                 // one changed
	} {
		if !has(tc.q, tc.want) {
			t.Errorf("Suggest(%q) does not offer %q: %v", tc.q, tc.want, s.Suggest(tc.q, public, 10))
		}
	}
	if got := s.Suggest("scurity", public, 10); len(got) == 0 || !has("scurity", "security") {
		t.Errorf("Suggest(scurity) = %v", got)
	}
	if got := s.Suggest("zzzzqqqq", public, 10); len(got) != 0 {
		t.Errorf("Suggest(zzzzqqqq) = %v, want nothing", got)
	}
	if got := s.Suggest("secu", public, 10); len(got) == 0 || !strings.HasPrefix(strings.ToLower(got[0].Text), "secu") && !strings.Contains(strings.ToLower(got[0].Text), " secu") {
		t.Errorf("a prefix that completes as typed: %v", got)
	}
}
