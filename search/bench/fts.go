package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, with FTS5

	"handbook/content"
	"handbook/search"
)

// FTS5 is the embedded alternative: SQLite FTS5 (porter stemming, accents
// folded) through the pure-Go driver. A request is the page of ten hits by
// bm25 with snippets, and one GROUP BY per facet over the matches.
type FTS5 struct {
	db     *sql.DB
	levels []string
}

// BuildFTS5 writes docs into a new SQLite file in dir, 2,000 sections per
// transaction.
func BuildFTS5(ctx context.Context, dir string, docs []content.Loaded) (*FTS5, IndexReport, error) {
	desc := Describe(docs)
	ResetPeakRSS()
	start := time.Now()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "fts.db")+"?_pragma=journal_mode(wal)&_pragma=synchronous(normal)")
	if err != nil {
		return nil, IndexReport{}, err
	}
	f := &FTS5{db: db, levels: []string{content.LevelPublic}}
	if err := f.load(ctx, docs); err != nil {
		db.Close()
		return nil, IndexReport{}, fmt.Errorf("fts5: %w", err)
	}
	rep := indexReport(desc.Sections, desc.TextBytes, time.Since(start), DirBytes(dir))
	db.SetMaxOpenConns(4)
	return f, rep, nil
}

func (f *FTS5) load(ctx context.Context, docs []content.Loaded) error {
	for _, s := range []string{
		`CREATE VIRTUAL TABLE sec USING fts5(title, heading, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
		`CREATE TABLE meta (id INTEGER PRIMARY KEY, key TEXT, type TEXT, lang TEXT, year INTEGER, level TEXT, filetype TEXT)`,
		`CREATE TABLE sec_topic (id INTEGER, topic TEXT)`,
		`CREATE TABLE sec_org (id INTEGER, org TEXT)`,
	} {
		if _, err := f.db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	var (
		tx  *sql.Tx
		err error
		id  int64
	)
	stmts := make([]*sql.Stmt, 4)
	begin := func() error {
		if tx, err = f.db.BeginTx(ctx, nil); err != nil {
			return err
		}
		for i, s := range []string{
			`INSERT INTO sec (rowid, title, heading, body) VALUES (?, ?, ?, ?)`,
			`INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)`,
			`INSERT INTO sec_topic VALUES (?, ?)`,
			`INSERT INTO sec_org VALUES (?, ?)`,
		} {
			if stmts[i], err = tx.PrepareContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}
	if err := begin(); err != nil {
		return err
	}
	for _, d := range docs {
		doc := d.Document
		for _, s := range d.Sections {
			id++
			if _, err := stmts[0].ExecContext(ctx, id, doc.Title, s.Path, s.Text); err != nil {
				return err
			}
			if _, err := stmts[1].ExecContext(ctx, id, doc.ID+"#"+s.ID, doc.Type, doc.Language, doc.Year, doc.Level, doc.Format); err != nil {
				return err
			}
			for _, t := range doc.Topics {
				if _, err := stmts[2].ExecContext(ctx, id, t); err != nil {
					return err
				}
			}
			for _, o := range doc.Organizations {
				if _, err := stmts[3].ExecContext(ctx, id, o); err != nil {
					return err
				}
			}
			if id%2000 == 0 {
				if err := tx.Commit(); err != nil {
					return err
				}
				if err := begin(); err != nil {
					return err
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, s := range []string{
		`CREATE INDEX sec_topic_id ON sec_topic (id)`, `CREATE INDEX sec_org_id ON sec_org (id)`,
		`INSERT INTO sec(sec) VALUES ('optimize')`, `ANALYZE`,
	} {
		if _, err := f.db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// MatchExpr turns a benchmark query into an FTS5 match expression: every
// word and phrase required, a star kept as a prefix; FTS5 has no fuzzy
// matching, so a word~ is searched as typed.
func MatchExpr(text string) string {
	var (
		parts []string
		cur   strings.Builder
		in    bool
	)
	word := func() {
		w := strings.TrimSuffix(cur.String(), "~")
		cur.Reset()
		prefix := strings.HasSuffix(w, "*")
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' {
				return r
			}
			return ' '
		}, w)
		if strings.TrimSpace(w) == "" {
			return
		}
		p := `"` + strings.Join(strings.Fields(w), " ") + `"`
		if prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	for _, r := range text {
		switch {
		case r == '"':
			word()
			in = !in
		case r == ' ' && !in:
			word()
		default:
			cur.WriteRune(r)
		}
	}
	word()
	return strings.Join(parts, " ")
}

// Search runs q: the page of ten hits with snippets, then the six facets.
// It returns the number of sections found, the sum of the language facet's
// counts (a section has one language), and its statements as requests.
func (f *FTS5) Search(ctx context.Context, q Query) (Found, error) {
	where, args := `sec MATCH ?`, []any{MatchExpr(q.Text)}
	in := func(col string, vs []string) {
		where += " AND " + col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(vs)), ",") + ")"
		for _, v := range vs {
			args = append(args, v)
		}
	}
	in("m.level", f.levels)
	for facet, vs := range q.Filters {
		switch facet {
		case search.FacetTopic:
			in("m.id IN (SELECT id FROM sec_topic WHERE topic", vs)
			where += ")"
		case search.FacetOrg:
			in("m.id IN (SELECT id FROM sec_org WHERE org", vs)
			where += ")"
		case search.FacetYear:
			ys := make([]string, 0, len(vs))
			for _, v := range vs {
				if _, err := strconv.Atoi(v); err == nil {
					ys = append(ys, v)
				}
			}
			in("m.year", ys)
		default:
			in("m."+facet, vs)
		}
	}
	from := ` FROM sec JOIN meta m ON m.id = sec.rowid WHERE ` + where
	rows, err := f.db.QueryContext(ctx, `SELECT m.key, snippet(sec, 2, '<mark>', '</mark>', '…', 24), bm25(sec)`+from+` ORDER BY bm25(sec) LIMIT 10`, args...)
	if err != nil {
		return Found{}, err
	}
	for rows.Next() {
		var key, snip string
		var score float64
		if err := rows.Scan(&key, &snip, &score); err != nil {
			rows.Close()
			return Found{}, err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Found{}, err
	}
	var total uint64
	for _, facet := range search.Facets {
		var sqlText string
		switch facet {
		case search.FacetTopic:
			sqlText = `SELECT t.topic, count(*)` + strings.Replace(from, " WHERE ", " JOIN sec_topic t ON t.id = m.id WHERE ", 1) + ` GROUP BY 1 ORDER BY 2 DESC LIMIT 30`
		case search.FacetOrg:
			sqlText = `SELECT o.org, count(*)` + strings.Replace(from, " WHERE ", " JOIN sec_org o ON o.id = m.id WHERE ", 1) + ` GROUP BY 1 ORDER BY 2 DESC LIMIT 30`
		default:
			sqlText = `SELECT m.` + facet + `, count(*)` + from + ` GROUP BY 1 ORDER BY 2 DESC LIMIT 50`
		}
		rows, err := f.db.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return Found{}, err
		}
		for rows.Next() {
			var v any
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return Found{}, err
			}
			if facet == search.FacetLang {
				total += uint64(n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return Found{}, err
		}
	}
	return Found{Sections: total, Requests: 1 + len(search.Facets)}, nil
}

// Close closes the database.
func (f *FTS5) Close() error { return f.db.Close() }
