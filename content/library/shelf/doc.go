// Package shelf is the library's implementation (see content/library for
// its types and what it keeps where): it stages an upload, reads it with
// the loaders as the index will, places it under the content folder and has
// the index rebuilt, one change at a time. It imports the loaders, so the
// web layer, which builds without the PDF engine, sees it only through an
// interface of its own.
package shelf
