package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLine bounds one line of an input file (a corpus line holds a whole
// document).
const maxLine = 64 << 20

// Doc is one document of a BEIR corpus.
type Doc struct {
	ID    string `json:"_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Query is one query of a collection.
type Query struct {
	ID   string
	Text string
}

// Qrels holds relevance judgments: query id → document id → grade. A grade
// of 1 or more is relevant; 0 or less is judged not relevant.
type Qrels map[string]map[string]int

// LineError is a line of an input file that could not be read.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// ErrFormat is wrapped by every error about the content of an input file.
var ErrFormat = errors.New("bad format")

func formatErr(line int, format string, args ...any) error {
	return &LineError{Line: line, Err: fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))}
}

// lines calls fn for each line of r, numbered from 1, without its line end.
func lines(r io.Reader, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if !utf8.ValidString(line) {
			return formatErr(n, "not valid UTF-8")
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("after line %d: %w", n, err)
	}
	return nil
}

// ReadCorpus reads a BEIR corpus.jsonl ({"_id","title","text"} per line) and
// calls fn for each document, in file order. Blank lines are skipped; a
// document without an id, or an id seen before, is an error.
func ReadCorpus(r io.Reader, fn func(Doc) error) error {
	seen := map[string]bool{}
	return lines(r, func(n int, line string) error {
		if strings.TrimSpace(line) == "" {
			return nil
		}
		var d Doc
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			return formatErr(n, "not a JSON document: %v", err)
		}
		d.ID = strings.TrimSpace(d.ID)
		if d.ID == "" {
			return formatErr(n, `the document has no "_id"`)
		}
		if seen[d.ID] {
			return formatErr(n, "document %q appears twice", d.ID)
		}
		seen[d.ID] = true
		return fn(d)
	})
}

// ReadQueries reads queries as BEIR queries.jsonl ({"_id","text"} per line)
// or as a "qid<TAB>text" file, telling them apart by the first non-blank
// character ('{' is JSON).
func ReadQueries(r io.Reader) ([]Query, error) {
	var (
		out    []Query
		isJSON *bool
		seen   = map[string]bool{}
	)
	err := lines(r, func(n int, line string) error {
		if strings.TrimSpace(line) == "" {
			return nil
		}
		if isJSON == nil {
			j := strings.HasPrefix(strings.TrimSpace(line), "{")
			isJSON = &j
		}
		var q Query
		if *isJSON {
			var v struct {
				ID   json.RawMessage `json:"_id"`
				Text string          `json:"text"`
			}
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				return formatErr(n, "not a JSON query: %v", err)
			}
			q = Query{ID: rawID(v.ID), Text: v.Text}
		} else {
			id, text, ok := strings.Cut(line, "\t")
			if !ok {
				return formatErr(n, "want a query id, a tab and the query text")
			}
			q = Query{ID: id, Text: text}
		}
		q.ID, q.Text = strings.TrimSpace(q.ID), strings.TrimSpace(q.Text)
		if q.ID == "" {
			return formatErr(n, "the query has no id")
		}
		if seen[q.ID] {
			return formatErr(n, "query %q appears twice", q.ID)
		}
		seen[q.ID] = true
		out = append(out, q)
		return nil
	})
	return out, err
}

// rawID accepts a JSON string or number as an id.
func rawID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// ReadQrels reads relevance judgments as BEIR's "query-id<TAB>corpus-id<TAB>
// score" (a header line is skipped) or as TREC's "qid 0 docid rel", telling
// them apart by the number of columns. The last judgment of a pair wins.
func ReadQrels(r io.Reader) (Qrels, error) {
	out := Qrels{}
	err := lines(r, func(n int, line string) error {
		f := strings.Fields(line)
		var qid, did, grade string
		switch len(f) {
		case 0:
			return nil
		case 3:
			qid, did, grade = f[0], f[1], f[2]
		case 4:
			qid, did, grade = f[0], f[2], f[3]
		default:
			return formatErr(n, "want 3 columns (query-id corpus-id score) or 4 (qid 0 docid rel), found %d", len(f))
		}
		g, err := strconv.Atoi(grade)
		if err != nil {
			if n == 1 { // a header such as "query-id corpus-id score"
				return nil
			}
			return formatErr(n, "relevance %q is not a whole number", grade)
		}
		if out[qid] == nil {
			out[qid] = map[string]int{}
		}
		out[qid][did] = g
		return nil
	})
	return out, err
}

// ReadJudgments reads an administrator's relevance file: one query per line,
// a tab, then the ids of the sections that should come first
// ("document-id#section-id"), separated by spaces. Blank lines and lines
// starting with "#" are skipped. Queries are numbered "q1", "q2", … in file
// order; each listed section has grade 1.
//
//	# query<TAB>expected section ids
//	joint operation at a port	customs-police-cooperation-handbook#3-2-joint-operations
func ReadJudgments(r io.Reader) ([]Query, Qrels, error) {
	var queries []Query
	qrels := Qrels{}
	err := lines(r, func(n int, line string) error {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			return nil
		}
		text, ids, ok := strings.Cut(line, "\t")
		text = strings.TrimSpace(text)
		if !ok || text == "" || len(strings.Fields(ids)) == 0 {
			return formatErr(n, "want the query, a tab and at least one expected section id")
		}
		q := Query{ID: "q" + strconv.Itoa(len(queries)+1), Text: text}
		rel := map[string]int{}
		for _, id := range strings.Fields(ids) {
			if !strings.Contains(id, "#") {
				return formatErr(n, "%q is not a section id (document-id#section-id)", id)
			}
			rel[id] = 1
		}
		queries = append(queries, q)
		qrels[q.ID] = rel
		return nil
	})
	return queries, qrels, err
}
