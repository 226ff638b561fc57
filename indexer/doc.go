// Package indexer owns the Bleve index: its mapping (field and analyzer names
// as constants), building an index from loaded documents, and the atomic swap
// that makes a freshly built index the one served.
package indexer
