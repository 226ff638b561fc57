package engine

import (
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

// DefaultDictionaries are the word lists of Options.Dictionaries by
// default: Debian's, by language.
func DefaultDictionaries() map[string]string {
	return map[string]string{
		content.LanguageEnglish: "/usr/share/dict/american-english",
		content.LanguageFrench:  "/usr/share/dict/french",
	}
}

// wordList is a sorted set of folded words, with the spelling of those
// that folding changed.
type wordList struct {
	words   []string
	spelled map[string]string // folded → as written, where they differ
}

// near returns the words within dist edits of w (folded) that begin with
// its first letter, as written: the forms a typing error of w may stand
// for.
func (l *wordList) near(w string, dist int) []string {
	r, n := utf8.DecodeRuneInString(w)
	if r == utf8.RuneError {
		return nil
	}
	first := w[:n]
	lo, _ := slices.BinarySearch(l.words, first)
	var out []string
	for _, c := range l.words[lo:] {
		if !strings.HasPrefix(c, first) {
			break
		}
		if d := len(c) - len(w); d > dist+1 || -d > dist+1 { // bytes: accents may add one
			continue
		}
		if editDistance(c, w) <= dist {
			if sp, ok := l.spelled[c]; ok {
				c = sp
			}
			out = append(out, c)
		}
	}
	return out
}

func (l *wordList) has(w string) bool {
	_, ok := slices.BinarySearch(l.words, w)
	return ok
}

// readWordList reads a word list, each word with its accents folded,
// without the names (capitalized) and with a possessive read also without
// its "'s".
func readWordList(path string) (*wordList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	words := make([]string, 0, strings.Count(text, "\n")+1)
	spelled := map[string]string{}
	for line := range strings.Lines(text) {
		w := strings.TrimSpace(line)
		if r, _ := utf8.DecodeRuneInString(w); w == "" || unicode.IsUpper(r) {
			continue // a name ("Chanel") does not make "chanel" a word
		}
		if !plainLower(w) { // most words are: they are kept as read
			f := fold(w)
			if lw := strings.ToLower(w); lw != f {
				spelled[f] = lw
			}
			w = f
		}
		words = append(words, w)
		if base, ok := strings.CutSuffix(w, "'s"); ok && base != "" {
			words = append(words, base)
		}
	}
	slices.Sort(words)
	return &wordList{words: slices.Compact(words), spelled: spelled}, nil
}

// plainLower reports whether w is lower-case ASCII, which folding leaves
// as it is.
func plainLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// wordLists caches the word lists read, by path, for the process: every
// Service over the same lists shares one copy, read once.
var wordLists sync.Map // path → func() *wordList

func cachedWordList(path string) *wordList {
	load, _ := wordLists.LoadOrStore(path, sync.OnceValue(func() *wordList {
		if l, err := readWordList(path); err == nil && len(l.words) > 0 {
			return l
		}
		return nil
	}))
	return load.(func() *wordList)()
}

// dictionaries returns the word lists of s.opts.Dictionaries that could be
// read, by language; the first call reads them (some 0.3 s), so New starts
// it in the background.
func (s *Service) dictionaries() map[string]*wordList { return s.dicts() }

// loadDictionaries reads the lists of paths (language → file).
func loadDictionaries(paths map[string]string) func() map[string]*wordList {
	return sync.OnceValue(func() map[string]*wordList {
		out := map[string]*wordList{}
		for lang, path := range paths {
			if l := cachedWordList(path); l != nil {
				out[lang] = l
			}
		}
		return out
	})
}

// HasDictionary reports whether the general dictionary of lang was read.
func (s *Service) HasDictionary(lang string) bool { return s.dictionaries()[lang] != nil }

// inDictionary reports whether w is a word of the dictionary of lang, or of
// any dictionary when lang is "".
func (s *Service) inDictionary(lang, w string) bool {
	w = fold(w)
	for l, d := range s.dictionaries() {
		if (lang == "" || l == lang) && d.has(w) {
			return true
		}
	}
	return false
}
