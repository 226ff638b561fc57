-- The append-only audit log. "user" is a reserved word in PostgreSQL, so the
-- column is always written quoted (SQLite accepts the same spelling). A
-- trigger refuses every UPDATE, DELETE and TRUNCATE, whoever asks; the README
-- shows a serving role that has no such rights in the first place.

-- +goose Up
CREATE TABLE audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL,
	"user" text NOT NULL,
	via text NOT NULL,
	action text NOT NULL,
	doc_id text NOT NULL,
	section_id text NOT NULL DEFAULT '',
	level text NOT NULL,
	request_id text NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
