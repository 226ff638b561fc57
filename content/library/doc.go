// Package library holds the types of the documents editors change from the
// web page (jobs, refusals, warnings), the check of an upload's type by its
// content (Detect, never by its name), and the state of replaced and
// withdrawn documents. It imports only content, so the web layer may use
// it; content/library/shelf does the work: it stages an upload, reads it as
// the index will, places it under the content folder with a generated name
// and a sidecar of its metadata (uploads/STAMP-RANDOM/NAME.EXT and
// NAME.EXT.meta.yaml, one folder each so that the parse cache reads only
// the new file again), and has the index rebuilt beside the served one and
// swapped in.
//
// Replacing a document with a new edition and withdrawing one are recorded
// in the content folder's .library.json, which Apply lays over every load
// of the folder (the server's and the index command's): a replaced document
// becomes superseded, linked to its successor by superseded_by; a withdrawn
// one is left out of the index (so of search, suggestions and facets) while
// its file stays where it was and its metadata stays in .library.json, so
// that the audit trail and the course packs that cite it keep their
// reference. Nothing here knows of the loaders, Bleve or HTTP.
package library
