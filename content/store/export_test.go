package store

import "context"

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
