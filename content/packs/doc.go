// Package packs owns course packs: trainers' collections of cited sections
// with notes, order and headings, kept in a SQLite database in the data
// folder (never in the search index), and their exports with citations as
// Markdown, HTML, DOCX and PDF.
package packs
