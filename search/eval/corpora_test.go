package eval_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"handbook/content/ingest"
	"handbook/search"
	"handbook/search/eval"
)

// Known-item relevance on real public documents nobody here wrote
// (../shared/corpora: an EU directive in EN and FR as Markdown and DOCX,
// the Union Customs Code as a French PDF, US tariff chapters as PDF, the
// Debian handbook in EN and FR as HTML, the Debian policy as HTML, PDF and
// text), with questions written before any tuning, as users type them:
// search/testdata/relevance/corpora-dev.tsv (used to choose settings) and
// corpora-holdout.tsv (kept aside, for the final figure). The figures are
// the README's, from
//
//	handbook eval --content ../shared/corpora --judgments search/testdata/relevance/corpora-dev.tsv
var corporaFigures = map[string]struct{ mrr, success1, success10 float64 }{
	"corpora-dev.tsv":     {0.6482, 0.5541, 0.8378},
	"corpora-holdout.tsv": {0.6570, 0.5405, 0.8378},
}

// corporaSlack is about one query's worth (74 queries per half).
const corporaSlack = 0.015

func TestCorporaKnownItems(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes ../shared/corpora (574 files, PDFs among them)")
	}
	dir := sharedDir(t, "corpora", "README.md")
	ctx := context.Background()
	report, err := ingest.Load(ctx, os.DirFS(dir), ".", ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := evalService(t, report.Documents, "corpora")
	// The Debian policy is there as HTML, PDF and text: one hit per
	// section, with its other formats.
	t.Run("one hit per section", func(t *testing.T) {
		res, err := svc.Search(ctx, search.Query{Text: "maintainer scripts postinst", Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		formats := map[string]bool{}
		for _, h := range res.Hits {
			if prev, dup := seen[h.SectionID]; dup && strings.HasPrefix(h.DocID, "debian-policy") && strings.HasPrefix(prev, "debian-policy") {
				t.Errorf("section %s twice: from %s and %s", h.SectionID, prev, h.DocID)
			}
			seen[h.SectionID] = h.DocID
			for _, c := range h.Copies {
				formats[c.Format] = true
			}
		}
		if !formats["pdf"] || !formats["text"] {
			t.Errorf("no hit lists its PDF and text copies: %v", formats)
		}
	})
	for name, want := range corporaFigures {
		t.Run(name, func(t *testing.T) {
			var queries []eval.Query
			var qrels eval.Qrels
			readFile(t, filepath.Join("..", "testdata", "relevance", name), func(f *os.File) (err error) {
				queries, qrels, err = eval.ReadJudgments(f)
				return err
			})
			if len(queries) < 70 {
				t.Fatalf("only %d queries", len(queries))
			}
			run, refused, err := eval.RunQueries(ctx, svc, queries, eval.Depth, eval.BySection)
			if err != nil {
				t.Fatal(err)
			}
			for id, err := range refused {
				t.Errorf("query %s refused: %v", id, err)
			}
			m := eval.Evaluate(run, qrels).Mean
			t.Logf("%s: %d queries, MRR@10 %.4f, success@1 %.4f, success@10 %.4f", name, len(queries), m.MRR10, m.Success1, m.Success10)
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"MRR@10", m.MRR10, want.mrr}, {"success@1", m.Success1, want.success1}, {"success@10", m.Success10, want.success10}} {
				if c.got < c.want-corporaSlack {
					t.Errorf("%s %.4f is below the recorded %.4f", c.name, c.got, c.want)
				}
			}
		})
	}
}
