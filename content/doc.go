// Package content owns the domain model of the knowledge base: documents, their
// sections and metadata, and the loaders that turn files into them. It knows
// nothing of Bleve or HTTP.
package content
