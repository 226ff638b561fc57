// Package ingest turns files into the content domain: Load reads a folder of
// Markdown (with YAML front matter, or without), plain text, HTML, PDF, DOCX
// and EPUB, by extension, checking that each file is what its extension
// says, and LoadIncremental keeps a cache of parsed documents under the data
// folder so that only changed files are read again.
//
// The format readers live in sibling packages (content/pdf, content/docx,
// content/html, content/epub) and return blocks of text; this package turns
// every format into sections with one SectionBuilder, so numbers, ids,
// heading paths and pages are the same whatever the source. Metadata comes
// from front matter, else a sidecar NAME.meta.yaml, else the folder's
// catalog.yaml, else defaults. Every file that cannot be read is reported
// with its path and reason (ErrEmpty, ErrTooLarge, ErrWrongFormat,
// ErrNotUTF8, ErrEncrypted, ErrCorrupt, ErrTimeout, ErrNoText, or a
// content.MetaError), and every other file is loaded; Options bounds size,
// time and unpacked bytes. Nothing outside the folder is read (DirFS).
package ingest
