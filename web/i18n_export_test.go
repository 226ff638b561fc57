package web

// Catalogue is the interface's labels, key → {English, French}, for the
// tests of package web_test.
var Catalogue = messages
