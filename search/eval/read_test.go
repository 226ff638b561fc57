package eval

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadCorpus(t *testing.T) {
	var docs []Doc
	if err := ReadCorpus(open(t, "corpus.jsonl"), func(d Doc) error { docs = append(docs, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 4 || docs[0].ID != "d1" || docs[0].Title != "Cash couriers at borders" || docs[3].Title != "" || !strings.HasPrefix(docs[3].Text, "Risk") {
		t.Errorf("docs %+v", docs)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"_id": "a", "text": "x"}` + "\n" + `{"_id": "a", "text": "y"}`, `line 2: bad format: document "a" appears twice`},
		{`{"title": "no id"}`, `line 1: bad format: the document has no "_id"`},
		{`{"_id": "a"`, "line 1: bad format: not a JSON document"},
		{"\n\n[1,2]", "line 3: bad format: not a JSON document"},
	} {
		err := ReadCorpus(strings.NewReader(tc.in), func(Doc) error { return nil })
		var le *LineError
		if !errors.Is(err, ErrFormat) || !errors.As(err, &le) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadCorpus(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	stop := errors.New("stop")
	if err := ReadCorpus(open(t, "corpus.jsonl"), func(Doc) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("the callback's error: %v", err)
	}
}

func TestReadQueriesBothFormats(t *testing.T) {
	want := []Query{
		{"1", "ivory seizures in containers at ports"},
		{"2", "travellers carrying cash across the border"},
		{"3", "surveillance of a drug consignment (controlled delivery)"},
	}
	for _, name := range []string{"queries.jsonl", "queries.tsv"} {
		got, err := ReadQueries(open(t, name))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v %+v", name, err, got)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"1 no tab", "line 1: bad format: want a query id, a tab"},
		{"1\ta\n1\tb", `line 2: bad format: query "1" appears twice`},
		{"\ttext", "line 1: bad format: the query has no id"},
		{`{"_id": "1", "text": "a"}` + "\n" + `{"_id": `, "line 2: bad format: not a JSON query"},
	} {
		if _, err := ReadQueries(strings.NewReader(tc.in)); !errors.Is(err, ErrFormat) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadQueries(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestReadQrelsBothFormats(t *testing.T) {
	want := Qrels{"1": {"d2": 1}, "2": {"d1": 2}, "3": {"d3": 1, "d4": 0}}
	for _, name := range []string{"qrels.tsv", "qrels.trec"} {
		got, err := ReadQrels(open(t, name))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v %+v", name, err, got)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"1 d1 1\n2 d2 x", `line 2: bad format: relevance "x" is not a whole number`},
		{"1 d1", "line 1: bad format: want 3 columns"},
	} {
		if _, err := ReadQrels(strings.NewReader(tc.in)); !errors.Is(err, ErrFormat) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadQrels(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestReadJudgments(t *testing.T) {
	qs, qrels, err := ReadJudgments(open(t, "judgments.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	wantQ := []Query{{"q1", "ivory seizures"}, {"q2", "cash OR currency couriers"}}
	wantR := Qrels{"q1": {"d2#1": 1}, "q2": {"d1#1": 1, "d3#1": 1}}
	if !reflect.DeepEqual(qs, wantQ) || !reflect.DeepEqual(qrels, wantR) {
		t.Errorf("got %+v %+v", qs, qrels)
	}
	for _, tc := range []struct{ in, want string }{
		{"no tab here", "line 1: bad format: want the query, a tab and at least one expected section id"},
		{"query\t  ", "line 1: bad format: want the query"},
		{"# c\nquery\tdoc-without-section", `line 2: bad format: "doc-without-section" is not a section id`},
	} {
		if _, _, err := ReadJudgments(strings.NewReader(tc.in)); !errors.Is(err, ErrFormat) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ReadJudgments(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzReaders checks that no input panics the readers of outside files and
// that every error they return about content is a format error.
func FuzzReaders(f *testing.F) {
	for _, name := range []string{"corpus.jsonl", "queries.jsonl", "queries.tsv", "qrels.tsv", "qrels.trec", "judgments.tsv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		check := func(what string, err error) {
			if err != nil && !errors.Is(err, ErrFormat) {
				t.Fatalf("%s(%q): %v is not a format error", what, in, err)
			}
		}
		check("ReadCorpus", ReadCorpus(strings.NewReader(in), func(Doc) error { return nil }))
		_, err := ReadQueries(strings.NewReader(in))
		check("ReadQueries", err)
		_, err = ReadQrels(strings.NewReader(in))
		check("ReadQrels", err)
		_, _, err = ReadJudgments(strings.NewReader(in))
		check("ReadJudgments", err)
	})
}
