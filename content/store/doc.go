// Package store owns the user data: course packs, their items and the cited
// copies of sections, versions for optimistic concurrency, and the
// append-only audit log, saved searches with their news and feed tokens
// (kept hashed), and the search analytics (aggregate counters by week,
// language and normalized query, nobody's identity). They live in one
// SQLite file (user.db in the data folder) or, for several replicas of the
// server, in one PostgreSQL database (Open tells them apart by the address). The same statements serve both;
// goose migrations per database (migrations/sqlite, migrations/postgres)
// bring the schema up to date at start, under an advisory lock in
// PostgreSQL. Backup copies a SQLite file whole while the server runs;
// PostgreSQL is backed up with pg_dump. Nothing else opens the data.
package store
