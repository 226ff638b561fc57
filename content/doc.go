// Package content owns the domain model of the knowledge base: documents, their
// sections and metadata, and the loaders that turn files into them. It knows
// nothing of Bleve or HTTP.
//
// Load reads a folder: Markdown (with YAML front matter, or without),
// plain text, HTML, PDF and DOCX, by extension, checking that each file is
// what its extension says. The format readers live in subpackages (pdf,
// docx, html) and return blocks of text; this package turns every format
// into sections with one SectionBuilder, so numbers, ids, heading paths and
// pages are the same whatever the source. Metadata comes from front matter,
// else a sidecar NAME.meta.yaml, else the folder's catalog.yaml, else
// defaults. Every file that cannot be read is reported with its path and
// reason (ErrEmpty, ErrTooLarge, ErrWrongFormat, ErrNotUTF8, ErrEncrypted,
// ErrCorrupt, ErrTimeout, ErrNoText, or a MetaError), and every other file
// is loaded; Options bounds size, time and unpacked bytes.
package content
