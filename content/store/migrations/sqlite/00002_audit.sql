-- The append-only audit log: triggers refuse every UPDATE and DELETE.
-- IF NOT EXISTS for files made before goose, as in 00001.

-- +goose Up
CREATE TABLE IF NOT EXISTS audit_log (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at TEXT NOT NULL,
	user TEXT NOT NULL,
	via TEXT NOT NULL,
	action TEXT NOT NULL,
	doc_id TEXT NOT NULL,
	section_id TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL,
	request_id TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- +goose StatementEnd
