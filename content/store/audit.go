package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite
)

// Entry is one audit record: who read or exported which restricted section.
type Entry struct {
	ID        int64     `json:"id"`
	Time      time.Time `json:"time"`
	User      string    `json:"user"`
	Via       string    `json:"via"`
	Action    string    `json:"action"` // "read", "export", "auth_failure", "upload", "replace" or "withdraw"
	DocID     string    `json:"doc_id"`
	SectionID string    `json:"section_id,omitempty"`
	Level     string    `json:"level"`
	RequestID string    `json:"request_id,omitempty"`
}

// Audit actions. An authentication failure (a bearer token, session or
// sign-in token that is not valid) has no document: its DocID names the
// kind of credential and Via the client's address.
const (
	ActionRead        = "read"
	ActionExport      = "export"
	ActionAuthFailure = "auth_failure"
	// An editor's changes to the library: DocID is the document uploaded,
	// replaced (the old edition; the new one has an upload entry) or
	// withdrawn, Level its handling level.
	ActionUpload   = "upload"
	ActionReplace  = "replace"
	ActionWithdraw = "withdraw"
)

// Audit is the append-only audit log, a table of the user data (migration
// 2). Triggers refuse every UPDATE and DELETE (in PostgreSQL also TRUNCATE),
// so not even this program can rewrite it.
type Audit struct {
	db *sql.DB
	d  *dialect
}

// Audit is the store's audit log.
func (s *Store) Audit() *Audit { return &Audit{db: s.db, d: s.d} }

// Record appends entries in one transaction.
func (a *Audit) Record(ctx context.Context, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer tx.Rollback()
	for _, e := range entries {
		if e.Time.IsZero() {
			e.Time = time.Now()
		}
		// "user" quoted: a reserved word in PostgreSQL, a plain name in SQLite.
		if _, err := tx.ExecContext(ctx, a.d.q(`INSERT INTO audit_log (at, "user", via, action, doc_id, section_id, level, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			a.d.stamp(e.Time), e.User, e.Via, e.Action, e.DocID, e.SectionID, e.Level, e.RequestID); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// MaxAuditPage bounds one page of the log.
const MaxAuditPage = 1000

// List returns entries newest first, at most limit, before the entry id
// before (0: from the newest).
func (a *Audit) List(ctx context.Context, limit int, before int64) ([]Entry, error) {
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := a.db.QueryContext(ctx, a.d.q(`SELECT id, at, "user", via, action, doc_id, section_id, level, request_id FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`), before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, stampDest{&e.Time}, &e.User, &e.Via, &e.Action, &e.DocID, &e.SectionID, &e.Level, &e.RequestID); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
