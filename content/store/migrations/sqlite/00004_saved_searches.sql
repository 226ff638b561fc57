-- Saved searches: a user's query and filters (the results page's URL
-- parameters), the compact set of the sections that matched at the last
-- check (sorted 8-byte hashes of document and section id, base64), and the
-- sections found new since, for the "new" count and the Atom feed. The feed
-- token is kept only as its SHA-256. levels are the owner's handling levels
-- when last seen, for owners the auth file does not list (a proxy's users).

-- +goose Up
CREATE TABLE saved_searches (
	id TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	name TEXT NOT NULL,
	params TEXT NOT NULL,
	levels TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	checked_at TEXT NOT NULL,
	seen_at TEXT NOT NULL,
	index_id TEXT NOT NULL DEFAULT '',
	matches TEXT NOT NULL DEFAULT '',
	feed_sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX saved_searches_owner ON saved_searches(owner, created_at);
CREATE INDEX saved_searches_feed ON saved_searches(feed_sha256);
CREATE TABLE saved_search_news (
	saved_id TEXT NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
	doc_id TEXT NOT NULL,
	section_id TEXT NOT NULL,
	found_at TEXT NOT NULL,
	PRIMARY KEY (saved_id, doc_id, section_id)
);
CREATE INDEX saved_search_news_found ON saved_search_news(saved_id, found_at);

-- +goose Down
DROP TABLE saved_search_news;
DROP TABLE saved_searches;
