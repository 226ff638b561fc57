package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"handbook/content"
	"handbook/content/ingest"
	"handbook/indexer"
	"handbook/search/engine"
	"handbook/search/eval"
)

// evalConfig is the configuration of the eval command.
type evalConfig struct {
	Corpus    string // BEIR corpus.jsonl
	Content   string // or a folder of documents
	Queries   string // BEIR queries.jsonl or qid<TAB>text
	Qrels     string // BEIR qrels tsv or TREC qrels
	Judgments string // or an administrator's judgments file
	Data      string // parent of the temporary index folder
	PerQuery  bool
	JSON      bool
}

func (c *evalConfig) validate() error {
	switch {
	case (c.Corpus == "") == (c.Content == ""):
		return errors.New("give either --corpus (a BEIR corpus.jsonl) or --content (a folder of documents)")
	case c.Judgments != "" && (c.Queries != "" || c.Qrels != ""):
		return errors.New("give either --judgments or --queries with --qrels, not both")
	case c.Judgments != "" && c.Corpus != "":
		return errors.New("--judgments names sections of --content documents; with --corpus give --queries and --qrels")
	case c.Judgments == "" && (c.Queries == "" || c.Qrels == ""):
		return errors.New("--queries and --qrels are both required (or --judgments with --content)")
	}
	if c.Content != "" {
		if err := checkFolder("--content", c.Content); err != nil {
			return err
		}
	}
	if c.Data == "" {
		c.Data = os.TempDir()
	}
	return nil
}

func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	var c evalConfig
	fs.StringVar(&c.Corpus, "corpus", "", "BEIR corpus.jsonl to index: one document of one section each")
	fs.StringVar(&c.Content, "content", "", "folder of documents to index instead of a corpus")
	fs.StringVar(&c.Queries, "queries", "", "queries: BEIR queries.jsonl or a qid<TAB>text file")
	fs.StringVar(&c.Qrels, "qrels", "", "relevance judgments: BEIR qrels tsv or TREC qrels")
	fs.StringVar(&c.Judgments, "judgments", "", "with --content: a file of queries<TAB>expected section ids")
	fs.StringVar(&c.Data, "data", getenv("HANDBOOK_DATA"), "folder under which the temporary index is built (default the system's temporary folder; env HANDBOOK_DATA)")
	fs.BoolVar(&c.PerQuery, "per-query", false, "also print each query's figures")
	fs.BoolVar(&c.JSON, "json", false, `print {"ndcg@10":…, "map":…, "recall@100":…, "mrr@10":…}`)
	fs.Usage = func() {
		io.WriteString(fs.Output(), `Usage: handbook eval --corpus corpus.jsonl --queries queries.tsv --qrels qrels.tsv [--per-query] [--json]
       handbook eval --content DIR --judgments FILE [--per-query] [--json]

Indexes the documents into a temporary index with the server's analysis, mapping and ranking,
runs every query as a search would, and prints nDCG@10, MAP, recall@100 and MRR@10
(trec_eval semantics; each query's ranking holds 1,000 sections).

A judgments file has one query per line, a tab, then the ids of the sections that should
come first (document-id#section-id, as in a hit's URL), separated by spaces; lines starting
with # are comments. Queries are searched as typed, with the query syntax. Corpus queries
are searched as plain words.

`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if err := c.validate(); err != nil {
		return err
	}
	log := newLogger(stderr)

	queries, qrels, err := c.readQueries()
	if err != nil {
		return err
	}
	docs, err := c.readDocuments(log.Warn)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(c.Data, "handbook-eval-*")
	if err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	defer os.RemoveAll(dir)
	log.Info("eval_indexing", "documents", len(docs), "dir", dir)
	stats, err := indexer.Build(ctx, dir, docs, "eval")
	if err != nil {
		return err
	}
	log.Info("eval_indexed", "sections", stats.Sections, "seconds", stats.Duration.Seconds())
	idx, err := indexer.Open(dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	svc, err := engine.New(idx, eval.ServiceOptions())
	if err != nil {
		return err
	}
	key := eval.ByDocument
	if c.Content != "" {
		key = eval.BySection
	}
	start := time.Now()
	run, refused, err := eval.RunQueries(ctx, svc, queries, eval.Depth, key)
	if err != nil {
		return err
	}
	for id, err := range refused {
		log.Warn("eval_query_refused", "query", id, "err", err)
	}
	log.Info("eval_searched", "queries", len(queries), "seconds", time.Since(start).Seconds())
	rep := eval.Evaluate(run, qrels)
	if rep.Queries == 0 {
		return errors.New("no query has a relevant judgment: check that the query ids of --qrels match --queries")
	}
	texts := make(map[string]string, len(queries))
	for _, q := range queries {
		texts[q.ID] = q.Text
	}
	if c.JSON {
		return printEvalJSON(stdout, rep, c.PerQuery)
	}
	printEval(stdout, rep, c.PerQuery, texts)
	return nil
}

// readQueries reads the queries with their judgments. Corpus queries are
// natural-language questions: they are searched as plain words.
func (c evalConfig) readQueries() ([]eval.Query, eval.Qrels, error) {
	if c.Judgments != "" {
		var (
			qs    []eval.Query
			qrels eval.Qrels
		)
		err := readFile("--judgments", c.Judgments, func(r io.Reader) (err error) {
			qs, qrels, err = eval.ReadJudgments(r)
			return err
		})
		return qs, qrels, err
	}
	var (
		qs    []eval.Query
		qrels eval.Qrels
	)
	if err := readFile("--queries", c.Queries, func(r io.Reader) (err error) {
		qs, err = eval.ReadQueries(r)
		return err
	}); err != nil {
		return nil, nil, err
	}
	if err := readFile("--qrels", c.Qrels, func(r io.Reader) (err error) {
		qrels, err = eval.ReadQrels(r)
		return err
	}); err != nil {
		return nil, nil, err
	}
	if c.Corpus != "" {
		for i := range qs {
			qs[i].Text = engine.PlainText(qs[i].Text)
		}
	}
	return qs, qrels, nil
}

// readDocuments reads the corpus or the content folder; files of the folder
// that cannot be read are reported and left out.
func (c evalConfig) readDocuments(warn func(string, ...any)) ([]content.Loaded, error) {
	if c.Content != "" {
		report := ingest.LoadFS(ingest.DirFS(c.Content), ".")
		for _, e := range report.Skipped {
			warn("file_skipped", "path", e.Path, "reason", e.Err.Error())
		}
		if len(report.Documents) == 0 {
			return nil, fmt.Errorf("--content: no documents could be read from %s", c.Content)
		}
		return report.Documents, nil
	}
	var docs []content.Loaded
	err := readFile("--corpus", c.Corpus, func(r io.Reader) error {
		return eval.ReadCorpus(r, func(d eval.Doc) error {
			docs = append(docs, eval.Loaded(d))
			return nil
		})
	})
	if err == nil && len(docs) == 0 {
		err = fmt.Errorf("--corpus: %s holds no document", c.Corpus)
	}
	return docs, err
}

func readFile(flagName, path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", flagName, err)
	}
	defer f.Close()
	if err := read(f); err != nil {
		return fmt.Errorf("%s: %s: %w", flagName, filepath.Base(path), err)
	}
	return nil
}

func printEval(w io.Writer, rep *eval.Report, perQuery bool, texts map[string]string) {
	fmt.Fprintf(w, "%d queries\nnDCG@10     %.4f\nMAP         %.4f\nrecall@100  %.4f\nMRR@10      %.4f\nsuccess@1   %.4f\nsuccess@10  %.4f\n",
		rep.Queries, rep.Mean.NDCG10, rep.Mean.MAP, rep.Mean.Recall100, rep.Mean.MRR10, rep.Mean.Success1, rep.Mean.Success10)
	if !perQuery {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "query\tnDCG@10\tAP\tR@100\tRR@10\tfirst relevant\trelevant\ttext")
	for _, q := range rep.PerQuery {
		first := "-"
		if q.FirstRelevant > 0 {
			first = fmt.Sprint(q.FirstRelevant)
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%d\t%s\n", q.ID, q.NDCG10, q.MAP, q.Recall100, q.MRR10, first, q.Relevant, texts[q.ID])
	}
	tw.Flush()
}

func printEvalJSON(w io.Writer, rep *eval.Report, perQuery bool) error {
	out := struct {
		eval.Scores
		Queries  int                `json:"queries"`
		PerQuery []eval.QueryScores `json:"per_query,omitempty"`
	}{Scores: rep.Mean, Queries: rep.Queries}
	if perQuery {
		out.PerQuery = rep.PerQuery
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
