package store

import (
	"context"
	"fmt"
	"time"
)

// ExecRaw runs a statement on the store's database, around every check of
// the store: for tests of what the database itself refuses.
func ExecRaw(ctx context.Context, s *Store, stmt string) error {
	_, err := s.db.ExecContext(ctx, stmt)
	return err
}

// MigrationsApplied counts the migrations goose recorded as applied, and
// how many distinct ones.
func MigrationsApplied(ctx context.Context, s *Store) (applied, distinct int, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0").Scan(&applied, &distinct)
	return applied, distinct, err
}

// Columns lists the columns of table, as the database describes it.
func Columns(ctx context.Context, s *Store, table string) ([]string, error) {
	stmt := "SELECT name FROM pragma_table_info(?) ORDER BY name"
	if s.d.name == dialectPostgres {
		stmt = "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name"
	}
	rows, err := s.db.QueryContext(ctx, stmt, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Rows returns every row of table as text, columns joined by "|".
func Rows(ctx context.Context, s *Store, table string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		line := ""
		for i, v := range vals {
			if i > 0 {
				line += "|"
			}
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			line += fmt.Sprint(v)
		}
		out = append(out, line)
	}
	return out, rows.Err()
}

// MigrationFiles counts the store's migrations for its database.
func MigrationFiles(s *Store) int {
	entries, _ := migrations.ReadDir("migrations/" + s.d.name)
	return len(entries)
}

// SetClock makes the store read the time from now.
func SetClock(s *Store, now func() time.Time) { s.now = now }
