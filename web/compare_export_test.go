package web

// SummaryText is summaryText, for the tests of package web_test.
var SummaryText = summaryText
