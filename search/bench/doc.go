// Package bench measures the search engine at scale: a seeded generator of
// realistic sections (words drawn with the natural frequencies of the
// embedded sample knowledge base, metadata spread over the facets), a query
// set per class kept in queries.tsv, and the stages of `handbook bench`:
// indexing throughput, in-process latency of the full request (six facets
// and snippets) per class, suggestion latency, an open-loop HTTP load on
// loopback, and the same corpus and queries on two baselines (plain Bleve
// and SQLite FTS5) so every figure is also a ratio.
//
// The HTTP stage takes an http.Handler: cmd plugs the web server in, so this
// package does not depend on web.
package bench
