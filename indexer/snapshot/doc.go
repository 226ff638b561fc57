// Package snapshot publishes a finished index as an immutable, versioned
// snapshot to a shared store (a folder, or S3-compatible object storage),
// and pulls the newest complete one to local disk for a read-only replica.
//
// A store holds, under its root:
//
//	snapshots/<id>/files/<path>    every file of the index folder
//	snapshots/<id>/manifest.json   written after the files: each file's size and SHA-256, sections, documents, mapping version, fingerprint
//	LATEST                         written after the manifest: the newest complete snapshot's id
//
// A snapshot without a manifest is incomplete (being written, or its writer
// died) and is never pulled. Pull copies every file to local disk and checks
// it against the manifest before anything opens it: Bleve's lock and
// memory-mapped files are not to be trusted on a network file system.
package snapshot
