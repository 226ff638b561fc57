-- Search analytics: aggregate counters only. One row per ISO week, interface
-- language and normalized query text, with how many searches ran, how many
-- found nothing and how many had a result opened. No user, session, address
-- or time finer than the week is kept, by design.

-- +goose Up
CREATE TABLE analytics_queries (
	week TEXT NOT NULL,
	lang TEXT NOT NULL,
	query TEXT NOT NULL,
	searches INTEGER NOT NULL DEFAULT 0,
	zero_results INTEGER NOT NULL DEFAULT 0,
	opened INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (week, lang, query)
);

-- +goose Down
DROP TABLE analytics_queries;
