-- Search analytics: aggregate counters only. One row per ISO week, interface
-- language and normalized query text, with how many searches ran, how many
-- found nothing and how many had a result opened. No user, session, address
-- or time finer than the week is kept, by design.

-- +goose Up
CREATE TABLE analytics_queries (
	week text NOT NULL,
	lang text NOT NULL,
	query text NOT NULL,
	searches bigint NOT NULL DEFAULT 0,
	zero_results bigint NOT NULL DEFAULT 0,
	opened bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (week, lang, query)
);

-- +goose Down
DROP TABLE analytics_queries;
