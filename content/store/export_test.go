package store

import "context"

// ExecRaw runs a statement on the store's database, around every check of
// the store: for tests of what the database itself refuses.
func ExecRaw(ctx context.Context, s *Store, stmt string) error {
	_, err := s.db.ExecContext(ctx, stmt)
	return err
}
