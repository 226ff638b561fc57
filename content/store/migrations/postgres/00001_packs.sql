-- Course packs and their items. Times are timestamptz; objectives and the
-- cited section are JSON kept as text, exactly as the SQLite store keeps them.

-- +goose Up
CREATE TABLE packs (
	id text PRIMARY KEY,
	owner text NOT NULL,
	title text NOT NULL,
	description text NOT NULL DEFAULT '',
	audience text NOT NULL DEFAULT '',
	objectives text NOT NULL DEFAULT '[]',
	version integer NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX packs_owner ON packs(owner, updated_at);
CREATE TABLE items (
	id text PRIMARY KEY,
	pack_id text NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
	doc_id text NOT NULL,
	section_id text NOT NULL,
	note text NOT NULL DEFAULT '',
	position integer NOT NULL,
	grp text NOT NULL DEFAULT '',
	version integer NOT NULL DEFAULT 1,
	added_at timestamptz NOT NULL,
	cited text NOT NULL
);
CREATE INDEX items_pack ON items(pack_id, position);
