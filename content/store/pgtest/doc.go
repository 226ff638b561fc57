// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb in a
// temporary folder, a server that listens only on a Unix socket there, and a
// fresh database per test. It looks for the server's programs on PATH, then
// in /usr/lib/postgresql/*/bin (Debian's postgresql package). Run as root, it
// runs them as the postgres user, which initdb requires.
package pgtest
