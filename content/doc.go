// Package content is the domain of the knowledge base: documents, their
// sections and metadata (levels, statuses, types, languages), the blocks a
// section's text is shown as, and the one text folding and id derivation
// that every other package shares. It has no heavy dependency (no Bleve, no
// PDF engine, no database), so anything may import it.
//
// Files become documents in content/ingest; course packs, their exports and
// citations live in content/packs.
package content
