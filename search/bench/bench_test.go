package bench

import (
	"bytes"
	"context"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite queries.tsv from DrawQueries")

func vocabularies(t *testing.T) Vocabularies {
	t.Helper()
	v, _, err := SampleVocabularies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVocabulary(t *testing.T) {
	v := vocabularies(t)
	for _, lang := range []string{"en", "fr"} {
		voc := v[lang]
		if voc == nil || len(voc.Words) < 1000 {
			t.Fatalf("%s: vocabulary too small", lang)
		}
		for i := 1; i < len(voc.Count); i++ {
			if voc.Count[i] > voc.Count[i-1] {
				t.Fatalf("%s: counts not in descending order at %d", lang, i)
			}
		}
		if len(voc.pairs) == 0 || len(voc.triples) == 0 {
			t.Errorf("%s: no word pairs or triples", lang)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	v := vocabularies(t)
	a, err := Generate(v, CorpusOptions{Sections: 500, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(v, CorpusOptions{Sections: 500, Seed: 7})
	c, _ := Generate(v, CorpusOptions{Sections: 500, Seed: 8})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave two corpora")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("two seeds gave the same corpus")
	}
	d := Describe(a)
	if d.Sections != 500 {
		t.Errorf("sections = %d, want 500", d.Sections)
	}
	langs, keys := map[string]int{}, map[string]bool{}
	for _, doc := range a {
		if err := doc.Document.Validate(doc.Document.ID); err != nil {
			t.Error(err)
		}
		langs[doc.Document.Language]++
		for _, s := range doc.Sections {
			if n := countWords(s.Text); n < 50 || n > 400 {
				t.Errorf("%s#%s: %d words", s.DocID, s.ID, n)
			}
			k := s.DocID + "#" + s.ID
			if keys[k] {
				t.Errorf("duplicate section %s", k)
			}
			keys[k] = true
		}
	}
	if langs["en"] == 0 || langs["fr"] == 0 {
		t.Errorf("languages: %v", langs)
	}
}

func TestQueriesFile(t *testing.T) {
	drawn := DrawQueries(vocabularies(t), 1)
	if *update {
		var b bytes.Buffer
		if err := WriteQueries(&b, drawn); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("queries.tsv", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	qs := DefaultQueries()
	for _, c := range Classes {
		n := 0
		for _, q := range qs {
			if q.Class == c {
				n++
			}
		}
		if n < 5 {
			t.Errorf("class %s has %d queries, want at least 5", c, n)
		}
	}
	if !reflect.DeepEqual(qs, drawn) {
		t.Error("queries.tsv differs from DrawQueries(sample, 1): run go test ./search/bench -run TestQueriesFile -update")
	}
}

func TestReadQueriesErrors(t *testing.T) {
	for _, in := range []string{"", "rare\n", "nope\tword\n", "rare\tword\t%zz\n"} {
		if _, err := ReadQueries(strings.NewReader(in)); err == nil {
			t.Errorf("ReadQueries(%q): no error", in)
		}
	}
}

func TestMatchExpr(t *testing.T) {
	for in, want := range map[string]string{
		`customs`:                 `"customs"`,
		`"controlled delivery"`:   `"controlled delivery"`,
		`launde*`:                 `"launde"*`,
		`contrl~`:                 `"contrl"`,
		`joint "port of" entry`:   `"joint" "port of" "entry"`,
		`l'administration douane`: `"l administration" "douane"`,
	} {
		if got := MatchExpr(in); got != want {
			t.Errorf("MatchExpr(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestStages runs every in-process stage on a small corpus: a smoke check,
// no timing assertions.
func TestStages(t *testing.T) {
	ctx := context.Background()
	v := vocabularies(t)
	docs, err := Generate(v, CorpusOptions{Sections: 300})
	if err != nil {
		t.Fatal(err)
	}
	qs := DefaultQueries()
	hb, rep, err := BuildHandbook(ctx, t.TempDir(), docs, searchOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer hb.Close()
	if rep.Sections != 300 || rep.Bytes == 0 || rep.SectionsPerS == 0 {
		t.Errorf("index report %+v", rep)
	}
	classes, err := Latency(ctx, hb, qs, LatencyOptions{Passes: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(Classes, ClassAll) {
		if classes[c].N == 0 {
			t.Errorf("class %s: no measurement (%+v)", c, classes[c])
		}
	}
	if p, err := SuggestLatency(ctx, hb.Suggest, qs, hb.Levels, 1); err != nil || p.N == 0 {
		t.Errorf("suggest: %+v, %v", p, err)
	}
	pb, _, err := BuildPlainBleve(ctx, t.TempDir(), docs)
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()
	if _, err := Latency(ctx, pb, qs, LatencyOptions{Passes: 1}); err != nil {
		t.Error(err)
	}
	f, _, err := BuildFTS5(ctx, t.TempDir(), docs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fc, err := Latency(ctx, f, qs, LatencyOptions{Passes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if fc[ClassAll].Errors > 0 {
		t.Errorf("fts5: %d errors", fc[ClassAll].Errors)
	}
}
