// Package packs makes course packs into documents: their exports with
// citations as Markdown, HTML, DOCX and PDF, the citation of a section, and
// the check of every item against the index (current, changed, removed).
// The packs themselves (trainers' collections of cited sections with notes,
// order and headings) are kept by content/store, never in the search index.
package packs
