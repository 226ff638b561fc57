package engine

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"handbook/content"
)

// General dictionaries. A word that a general dictionary of the query's
// language lists is a word, even when no section has it ("cannabis" in a
// sample without drugs): it is never corrected. The dictionaries are the
// Debian word lists (packages wamerican and wfrench), one word a line, read
// once per process the first time a correction needs them; a language whose
// list is absent is checked against the index and the glossary only.

// DictionaryPaths maps a language to its word list.
var DictionaryPaths = map[string]string{
	content.LanguageEnglish: "/usr/share/dict/american-english",
	content.LanguageFrench:  "/usr/share/dict/french",
}

// wordList is a sorted set of folded words.
type wordList struct {
	words []string
}

func (l *wordList) has(w string) bool {
	_, ok := slices.BinarySearch(l.words, w)
	return ok
}

// readWordList reads a word list, each word with its accents folded,
// without the names (capitalized) and with a possessive read also without
// its "'s".
func readWordList(path string) (*wordList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if r, _ := utf8.DecodeRuneInString(w); w == "" || unicode.IsUpper(r) {
			continue // a name ("Chanel") does not make "chanel" a word
		}
		w = fold(w)
		words = append(words, w)
		if base, ok := strings.CutSuffix(w, "'s"); ok && base != "" {
			words = append(words, base)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.Sort(words)
	return &wordList{words: slices.Compact(words)}, nil
}

var (
	dictOnce sync.Once
	dicts    map[string]*wordList
)

// dictionaries returns the word lists of DictionaryPaths that could be read.
func dictionaries() map[string]*wordList {
	dictOnce.Do(func() {
		dicts = map[string]*wordList{}
		for lang, path := range DictionaryPaths {
			if l, err := readWordList(path); err == nil && len(l.words) > 0 {
				dicts[lang] = l
			}
		}
	})
	return dicts
}

// HasDictionary reports whether the general dictionary of lang was read.
func HasDictionary(lang string) bool { return dictionaries()[lang] != nil }

// inDictionary reports whether w is a word of the dictionary of lang, or of
// any dictionary when lang is "".
func inDictionary(lang, w string) bool {
	w = fold(w)
	for l, d := range dictionaries() {
		if (lang == "" || l == lang) && d.has(w) {
			return true
		}
	}
	return false
}
