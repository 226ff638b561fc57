// Package engine answers search.Query from a Bleve index built by indexer.
// A search is one plan, in the order its steps run: parse (the forgiving
// query language, question words and stop words of another language left
// out), rewrite (glossary expansions, section citations, the languages a
// word is looked up in), candidates (Bleve, always within the caller's
// handling levels), rank (BM25F over the candidates) and present (the page's
// hits, snippets and facet counts), with correction of typing errors and the
// widening of a short query as named steps. Suggester completes as-you-type
// input from titles, headings and the glossary.
package engine
