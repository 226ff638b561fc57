// Package sample embeds the sample knowledge base: illustrative guidance
// written for this project, in English and French, that a new user explores
// before indexing their own documents.
package sample

import (
	"embed"
	"io/fs"
)

//go:embed kb
var files embed.FS

// FS returns the sample knowledge base as a file system of Markdown files.
func FS() fs.FS {
	sub, err := fs.Sub(files, "kb")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
