package bench

import (
	"bytes"
	"context"
	"errors"
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

func TestRequireAll(t *testing.T) {
	for in, want := range map[string]string{
		`customs`:                   `+customs`,
		`customs  border control`:   `+customs +border +control`,
		`"controlled delivery"`:     `+"controlled delivery"`,
		`joint "port of" entry`:     `+joint +"port of" +entry`,
		`launde* -cash +money`:      `+launde* -cash +money`,
		`cat~ contrl~ contorlled~`:  `+cat +contrl~ +contorlled~2`,
		`l'administration douane`:   `+l'administration +douane`,
		`title:customs "a b"~ word`: `+title:customs +"a b"~ +word`,
	} {
		if got := RequireAll(in); got != want {
			t.Errorf("RequireAll(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]int{`customs border`: 2, `a b c d`: 4, `"a b" c`: 0, `a* b`: 0, `a~ b`: 0, `-a b`: 0, `anti-fraud unit`: 2} {
		if got := plainWords(in); got != want {
			t.Errorf("plainWords(%q) = %d, want %d", in, got, want)
		}
	}
}

// failing is an engine whose queries of one class fail.
type failing struct{ class string }

func (f failing) Search(_ context.Context, q Query) (Found, error) {
	if q.Class == f.class {
		return Found{}, errors.New("broken")
	}
	return Found{Sections: 1, Requests: 2}, nil
}

// TestLatencyCountsFailures checks that a failed query is counted, per
// class and in the failures, rather than left out unseen.
func TestLatencyCountsFailures(t *testing.T) {
	qs := DefaultQueries()
	classes, fails, err := Latency(context.Background(), failing{ClassFuzzy}, qs, LatencyOptions{Passes: 2, Warmup: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range qs {
		if q.Class == ClassFuzzy {
			n++
		}
	}
	if got := classes[ClassFuzzy]; got.Errors != 2*n || got.N != 0 {
		t.Errorf("fuzzy: %+v, want %d errors and no timings", got, 2*n)
	}
	if got := classes[ClassAll]; got.Errors != 2*n || got.N != 2*(len(qs)-n) || got.Hits != uint64(len(qs)-n) || got.Requests != 2 {
		t.Errorf("all: %+v", got)
	}
	if fails.Total != 2*n || fails.Warmup != n || fails.Classes[ClassFuzzy] != 2*n || len(fails.Classes) != 1 {
		t.Errorf("failures %+v", fails)
	}
	if err := fails.Err(); !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "broken") {
		t.Errorf("Failures.Err() = %v", err)
	}
	_, fails, err = Latency(context.Background(), failing{}, qs, LatencyOptions{Passes: 1})
	if err != nil || fails.Err() != nil {
		t.Errorf("no failures: %v, %v", err, fails.Err())
	}
}

// checkHits fails the test unless the queries of every class but those in
// skip found sections, and at least share of those queries found some.
func checkHits(t *testing.T, engine string, classes map[string]Percentiles, qs []Query, share float64, skip ...string) {
	t.Helper()
	perClass := map[string]int{}
	for _, q := range qs {
		perClass[q.Class]++
	}
	var n, empty int
	for _, c := range Classes {
		if contains(skip, c) {
			continue
		}
		n, empty = n+perClass[c], empty+classes[c].Empty
		if p := classes[c]; p.Hits == 0 || p.Empty == perClass[c] {
			t.Errorf("%s: class %s found %d sections, nothing for %d of its %d queries", engine, c, p.Hits, p.Empty, perClass[c])
		}
	}
	if found := n - empty; classes[ClassAll].Hits == 0 || float64(found) < share*float64(n) {
		t.Errorf("%s: %d of %d queries found something (%d sections), want at least %.0f%%", engine, found, n, classes[ClassAll].Hits, 100*share)
	}
}

// TestStages runs every in-process stage on a small corpus: a smoke check
// that every query is answered and most find sections, with no timing
// assertions. On 300 sections many three-word phrases and filtered queries
// find nothing, so a share of the queries is asserted, and every class
// finding something.
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
	classes, fails, err := Latency(ctx, hb, qs, LatencyOptions{Passes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := fails.Err(); err != nil {
		t.Errorf("handbook: %v", err)
	}
	for _, c := range append(Classes, ClassAll) {
		if classes[c].N == 0 {
			t.Errorf("class %s: no measurement (%+v)", c, classes[c])
		}
	}
	checkHits(t, "handbook", classes, qs, 0.7)
	if p, err := SuggestLatency(ctx, hb.Suggest, qs, hb.Levels, 1); err != nil || p.N == 0 || p.Hits == 0 {
		t.Errorf("suggest: %+v, %v", p, err)
	}
	sessions, fails, err := hb.SessionLatency(ctx, qs, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := fails.Err(); err != nil {
		t.Errorf("sessions: %v", err)
	}
	// Every query's session runs the query; those that find something
	// click twice and turn the page.
	if n := sessions[StepQuery].N; n != len(qs) {
		t.Errorf("session queries measured %d, want %d", n, len(qs))
	}
	found := len(qs) - classes[ClassAll].Empty
	for _, step := range []string{StepFacet1, StepFacet2, StepPage2} {
		if n := sessions[step].N; n != found {
			t.Errorf("session step %s measured %d times, want %d (the queries that found something)", step, n, found)
		}
	}
	if n := sessions[StepFollowUps].N; n != 3*found {
		t.Errorf("follow-ups measured %d, want %d", n, 3*found)
	}
	pb, _, err := BuildPlainBleve(ctx, t.TempDir(), docs)
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()
	pc, fails, err := Latency(ctx, pb, qs, LatencyOptions{Passes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := fails.Err(); err != nil {
		t.Errorf("plain bleve: %v", err)
	}
	checkHits(t, "plain bleve", pc, qs, 0.7)
	f, _, err := BuildFTS5(ctx, t.TempDir(), docs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fc, fails, err := Latency(ctx, f, qs, LatencyOptions{Passes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := fails.Err(); err != nil || fc[ClassAll].Errors > 0 {
		t.Errorf("fts5: %d errors, %v", fc[ClassAll].Errors, err)
	}
	checkHits(t, "fts5", fc, qs, 0.4, ClassFuzzy) // no fuzzy matching: a misspelt word finds nothing
	for _, c := range append(Classes, ClassAll) {
		t.Logf("%-8s hits/empty: handbook %d/%d, plain bleve %d/%d, fts5 %d/%d", c,
			classes[c].Hits, classes[c].Empty, pc[c].Hits, pc[c].Empty, fc[c].Hits, fc[c].Empty)
	}
}
