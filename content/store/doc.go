// Package store owns the user data in one SQLite file (user.db in the data
// folder): course packs, their items and the cited copies of sections,
// versions for optimistic concurrency, and the append-only audit log. One
// list of migrations brings the file's schema up to date, and Backup copies
// it whole while the server runs. Nothing else opens the file.
package store
