// Package auth owns identity: who is asking, with which roles, and which
// handling levels they may see. It reads the --auth YAML file (API tokens
// stored as SHA-256 hashes, a trusted reverse-proxy mode), signs session
// cookies for the web page, and keeps the append-only audit log. The
// entitlement it yields is passed into the search service, which enforces it.
package auth
