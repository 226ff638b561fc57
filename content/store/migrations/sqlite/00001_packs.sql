-- Course packs and their items. IF NOT EXISTS: a user.db made before goose
-- (PRAGMA user_version 1 or 2) already holds these tables, and this
-- migration then only records itself.

-- +goose Up
CREATE TABLE IF NOT EXISTS packs (
	id TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	audience TEXT NOT NULL DEFAULT '',
	objectives TEXT NOT NULL DEFAULT '[]',
	version INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS packs_owner ON packs(owner, updated_at);
CREATE TABLE IF NOT EXISTS items (
	id TEXT PRIMARY KEY,
	pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
	doc_id TEXT NOT NULL,
	section_id TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL,
	grp TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	added_at TEXT NOT NULL,
	cited TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_pack ON items(pack_id, position);
