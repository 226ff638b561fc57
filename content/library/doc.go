// Package library keeps the documents editors change from the web page:
// an upload is checked (its size, and its type by its content, never by its
// name), written under the content folder with a generated name and a
// sidecar of its metadata (uploads/STAMP-RANDOM/TITLE.EXT and
// TITLE.EXT.meta.yaml, one folder each so that the parse cache reads only
// the new file again), and indexed by a job that runs the same build as
// "handbook index" and swaps the new index in.
//
// Replacing a document with a new edition and withdrawing one are recorded
// in the content folder's .library.json, which Apply lays over every load
// of the folder (the server's and the index command's): a replaced document
// becomes superseded, linked to its successor by superseded_by; a withdrawn
// one is left out of the index (so of search, suggestions and facets) while
// its file stays where it was and its metadata stays in .library.json, so
// that the audit trail and the course packs that cite it keep their
// reference. Nothing here knows of Bleve or HTTP.
package library
