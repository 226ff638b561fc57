// Package e2e holds the browser tests: they start the real server on
// loopback over the sample knowledge base and drive Debian's chromium
// through the Chrome DevTools protocol, checking every main page with
// axe-core for WCAG 2.1 AA violations.
package e2e
