// Package compare lines up the sections of two editions of a document and
// says what became of each: unchanged, changed (with a word-level diff),
// moved (the same text under another number or in another place), added or
// removed. It works on content.Section values only, whatever file each
// edition was read from (a PDF against a DOCX or a Markdown one), and knows
// nothing of the index or of HTTP.
//
// Sections are paired in passes, each on what the earlier ones left: the
// same text (of at least MinWords words); the same number and heading; the
// same heading (under another number only when the texts are alike too);
// then the most alike of the rest, by the headings' words and the texts'
// words, above a threshold. Numbers are compared in a canonical form
// ("Annexe I" is "Annex I", "Article premier" is "Article 1", "Norme 3.2" is
// "Standard 3.2").
package compare
