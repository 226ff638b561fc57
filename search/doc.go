// Package search owns querying: it parses what a user types into its own
// syntax tree, turns that into Bleve queries per language, re-ranks Bleve's
// candidates with exact BM25F, heading and proximity evidence (rank.go), and
// returns hits at section level with escaped, highlighted snippets, facet
// counts and paging. Around that: glossary expansion of acronyms and terms
// across languages (expand.go), correction of typing errors from the words
// the caller may see (correct.go), citation lookup by section number
// (cite.go), related sections (related.go) and year ranges (years.go). It
// returns its own types, never Bleve's, and it enforces
// which handling levels a caller may see. Its subpackage eval measures the
// ranking.
package search
