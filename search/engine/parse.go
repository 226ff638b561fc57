package engine

import (
	"errors"
	"fmt"
	"handbook/search"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field names a user can put before a colon.
const (
	FieldOrg     = "org"
	FieldType    = "type"
	FieldTopic   = "topic"
	FieldLang    = "lang"
	FieldYear    = "year"
	FieldStatus  = "status"
	FieldTitle   = "title"
	FieldHeading = "heading"
	FieldNumber  = "number"
)

// maxDepth bounds nested parentheses.
const maxDepth = 8

// userFields lists the fields a query may name, in the order help shows them.
var userFields = []string{FieldOrg, FieldType, FieldTopic, FieldLang, FieldYear, FieldStatus, FieldTitle, FieldHeading, FieldNumber}

// fieldAliases maps accepted spellings to field names.
var fieldAliases = map[string]string{
	"org": FieldOrg, "organization": FieldOrg, "organisation": FieldOrg,
	"type": FieldType, "topic": FieldTopic, "topics": FieldTopic, "lang": FieldLang, "language": FieldLang,
	"langue": FieldLang, "year": FieldYear, "annee": FieldYear, "année": FieldYear, "status": FieldStatus,
	"title": FieldTitle, "titre": FieldTitle, "heading": FieldHeading, "section": FieldHeading,
	"number": FieldNumber, "no": FieldNumber,
}

// node is a parsed query.
type node interface{ isNode() }

// orNode matches when any child matches.
type orNode struct{ any []node }

// andNode matches when every must child matches and no not child does.
type andNode struct{ must, not []node }

// wordNode is one word. Fuzzy is the edit distance asked for with "~"
// (-1: chosen from the word's length); Prefix is a trailing "*".
type wordNode struct {
	text   string
	field  string // "", FieldTitle or FieldHeading
	fuzzy  int
	prefix bool
	// expanded is set on the forms a glossary expansion added.
	expanded bool
}

// phraseNode is a quoted phrase.
type phraseNode struct {
	text     string
	field    string // "", FieldTitle or FieldHeading
	expanded bool   // added by a glossary expansion
}

// filterNode restricts to a metadata value: org:WCO, year:2018..2022.
type filterNode struct {
	field    string
	value    string
	from, to int // year ranges; 0 when open
}

func (orNode) isNode()     {}
func (andNode) isNode()    {}
func (wordNode) isNode()   {}
func (phraseNode) isNode() {}
func (filterNode) isNode() {}

// parsed is a whole parsed query with facts the service needs.
type parsed struct {
	root node // nil for an empty query
	// plain is true when the query is only words, with no operator, phrase
	// or field: such a query may be relaxed from all words to any word.
	plain bool
	words []string // the words and phrases, for "did you mean" and display
	// expansions are what glossary expansion added to root (nil without).
	expansions []search.Expansion
	// notes say what was read otherwise than written: an operator or a
	// field that could not apply, searched as words or left out.
	notes []string
	// lang is the query's language when its stop words tell it (see
	// dropForeignStopWords), else "".
	lang string
	// class is the query's class as typed, before rewriting (classify).
	class string
}

type tokenKind int

const (
	tokWord tokenKind = iota
	tokPhrase
	tokOpen
	tokClose
	tokOr
	tokNot
)

type token struct {
	kind  tokenKind
	text  string
	field string // for words and phrases written field:value
	pos   int
}

// Parse parses the query syntax documented in the README:
//
//	words            all must match (in any order, with stemming)
//	"exact phrase"   the words in this order
//	-word -"phrase"  exclude (also NOT word)
//	a OR b           either (also a | b); binds tighter than the implicit AND:
//	                 "cash OR currency courier" is (cash OR currency) AND courier
//	( … )            grouping
//	field:value      org: type: topic: lang: year: status: (filters), title: heading: number:
//	year:2015..2020  a range of years
//	word~ word~1     fuzzy match (edit distance 1 or 2; ~ alone picks by length)
//	word*            prefix
//
// Parse forgives: people type questions and text, not syntax. An operator
// or a field that cannot apply (a "?" or "!", an unclosed quotation mark or
// parenthesis, a dangling OR or minus, "file:line", "Note:", "C++",
// "--flag", "a*") is read as words, or left out when it holds none, and a
// note says so. Only what cannot be read at all is an error: a query too
// long, with too many terms, or not UTF-8.
func Parse(q string) (*parsed, error) { return parse(q, search.MaxQueryLength, search.MaxQueryTerms) }

// parse is Parse with other limits on the query's length and terms.
func parse(q string, maxLength, maxTerms int) (*parsed, error) {
	if len(q) > maxLength {
		return nil, &search.QueryError{Msg: fmt.Sprintf("the query is %d characters long; the limit is %d", len(q), maxLength), Pos: -1, Code: "query.too_long", Args: []any{len(q), maxLength}}
	}
	if !utf8.ValidString(q) {
		return nil, &search.QueryError{Msg: "the query is not valid UTF-8 text", Pos: -1, Code: "query.not_utf8"}
	}
	res := &parsed{plain: true}
	toks := tokenize(q, res)
	p := &parser{toks: toks, src: q, res: res}
	var parts []node
	for p.i < len(p.toks) {
		if n := p.parseAnd(0); n != nil {
			parts = append(parts, n)
		}
		if t := p.peek(); t != nil && t.kind == tokClose { // only a stray ")" stops parseAnd early
			p.note("a closing parenthesis had no opening one; it was left out")
			p.i++
		}
	}
	if p.terms > maxTerms {
		return nil, &search.QueryError{Msg: fmt.Sprintf("the query has %d terms; the limit is %d", p.terms, maxTerms), Pos: -1, Code: "query.too_many_terms", Args: []any{p.terms, maxTerms}}
	}
	switch len(parts) {
	case 0:
	case 1:
		res.root = parts[0]
	default:
		var and andNode
		for _, n := range parts {
			if a, ok := n.(andNode); ok {
				and.must, and.not = append(and.must, a.must...), append(and.not, a.not...)
			} else {
				and.must = append(and.must, n)
			}
		}
		res.root = and
	}
	// Plain: only words, with no operator that took effect (one left out
	// with a note does not count), no phrase and no field.
	res.plain = !p.operators
	for _, t := range toks {
		if t.kind == tokPhrase || t.kind == tokWord && (t.field != "" || strings.ContainsAny(t.text, "*~")) {
			res.plain = false
		}
		if t.kind == tokWord && t.field == "" || t.kind == tokPhrase && t.field == "" {
			res.words = append(res.words, t.text)
		}
	}
	if isQuestion(q, toks) {
		dropFiller(res)
	}
	return res, nil
}

// note records, once, that part of the query was read otherwise than
// written.
func (r *parsed) note(msg string) {
	if !slices.Contains(r.notes, msg) {
		r.notes = append(r.notes, msg)
	}
}

// wordPunct is the punctuation that ends (or, for ¿ and ¡, starts) a word
// in running text and means nothing to the search: "AEO?" is "AEO".
const wordPunct = "?!.,;:…¿¡"

func tokenize(q string, res *parsed) []token {
	var toks []token
	i := 0
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			toks = append(toks, token{kind: tokOpen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokClose, pos: i})
			i++
		case r == '|':
			toks = append(toks, token{kind: tokOr, pos: i})
			i++
		case r == '"' || r == '“' || r == '”' || r == '«':
			text, next, ok := quoted(q, i)
			if !ok {
				res.note("a quotation mark was not closed; the words after it were searched as words")
				i += size
				continue
			}
			if strings.Trim(text, wordPunct+" ") != "" {
				toks = append(toks, token{kind: tokPhrase, text: text, pos: i})
			}
			i = next
		case r == '-' && (i == 0 || unicode.IsSpace(rune(q[i-1])) || q[i-1] == '(') && excludes(q[i+1:]):
			toks = append(toks, token{kind: tokNot, pos: i})
			i++
		default:
			start := i
			for i < len(q) {
				r, size := utf8.DecodeRuneInString(q[i:])
				if unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' || r == '“' || r == '”' || r == '«' || r == '|' {
					break
				}
				i += size
			}
			word := q[start:i]
			switch word {
			case "OR", "OU":
				toks = append(toks, token{kind: tokOr, pos: start})
				continue
			case "AND", "ET":
				continue // the default
			case "NOT", "SAUF":
				toks = append(toks, token{kind: tokNot, pos: start})
				continue
			}
			if name, value, ok := strings.Cut(word, ":"); ok && name != "" && isFieldName(name) {
				if field, known := fieldAliases[strings.ToLower(name)]; known {
					if value == "" && i < len(q) && (q[i] == '"' || strings.HasPrefix(q[i:], "“") || strings.HasPrefix(q[i:], "«")) {
						if text, next, ok := quoted(q, i); ok {
							toks = append(toks, token{kind: tokPhrase, text: text, field: field, pos: start})
							i = next
							continue
						}
					}
					if value = strings.TrimRight(value, "?!,;:…"); value != "" { // "year:2015.." keeps its dots
						toks = append(toks, token{kind: tokWord, text: value, field: field, pos: start})
						continue
					}
					res.note(fmt.Sprintf("%s: had no value (for example %s); %s was searched as a word", name, example(field), name))
				} else if value != "" && strings.Trim(value, wordPunct) != "" {
					res.note(fmt.Sprintf("%s is not a field (fields are %s); %s was searched as words", name, strings.Join(userFields, ", "), strings.TrimRight(word, wordPunct)))
				}
			}
			trimmed := strings.TrimLeft(word, "¿¡")
			start += len(word) - len(trimmed)
			if word = strings.TrimRight(trimmed, wordPunct); strings.ContainsFunc(word, isLetterOrDigit) {
				toks = append(toks, token{kind: tokWord, text: word, pos: start})
			}
		}
	}
	return toks
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// excludes reports whether a minus sign followed by rest excludes what
// follows: a word, a phrase or a group, not a dash in running text
// ("cash - currency") or an option ("--purge", searched as written).
func excludes(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(`("“«`, r)
}

// isFieldName reports whether s looks like a field name (letters only), so
// that "3:2" or "http://…" are not taken for fields.
func isFieldName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func example(field string) string {
	switch field {
	case FieldYear:
		return "year:2020 or year:2015..2020"
	case FieldLang:
		return "lang:fr"
	case FieldOrg:
		return "org:WCO"
	case FieldNumber:
		return `number:"Article 18"`
	}
	return field + `:"some words"`
}

// quoted reads a phrase starting at q[i] (an opening quote) and returns its
// text and the offset after the closing quote; ok is false when the quote
// is not closed.
func quoted(q string, i int) (string, int, bool) {
	open, size := utf8.DecodeRuneInString(q[i:])
	closers := `"`
	switch open {
	case '“', '”':
		closers = `"”“`
	case '«':
		closers = `"»`
	}
	rest := q[i+size:]
	end := strings.IndexAny(rest, closers)
	if end < 0 {
		return "", 0, false
	}
	_, csize := utf8.DecodeRuneInString(rest[end:])
	return strings.TrimSpace(rest[:end]), i + size + end + csize, true
}

type parser struct {
	toks  []token
	src   string
	i     int
	terms int
	res   *parsed
	// operators is set once an operator (OR, NOT, a group) took effect.
	operators bool
}

func (p *parser) note(msg string) { p.res.note(msg) }

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// parseAnd reads terms up to the end or a closing parenthesis. It returns
// nil when they hold nothing to search for.
func (p *parser) parseAnd(depth int) node {
	var and andNode
	for {
		t := p.peek()
		if t == nil || t.kind == tokClose {
			break
		}
		if t.kind == tokOr {
			p.note("OR needs a term on each side; it was left out")
			p.i++
			continue
		}
		negate := false
		if t.kind == tokNot {
			p.i++
			next := p.peek()
			if next == nil || next.kind == tokClose || next.kind == tokOr || next.kind == tokNot {
				p.note("a minus sign or NOT must be followed by what to exclude; it was left out")
				continue
			}
			negate = true
		}
		n := p.parseOrGroup(depth)
		inner, group := n.(andNode)
		switch {
		case n == nil:
		case negate:
			p.operators = true
			and.not = append(and.not, n)
		case group && len(inner.not) == 0: // (a b) c is a b c
			and.must = append(and.must, inner.must...)
		default:
			and.must = append(and.must, n)
		}
	}
	if len(and.must) == 0 && len(and.not) == 0 {
		return nil
	}
	if len(and.must) == 1 && len(and.not) == 0 {
		return and.must[0]
	}
	return and
}

// parseOrGroup reads terms joined by OR, which binds tighter than the
// implicit AND: "cash OR currency courier" is (cash OR currency) AND courier.
func (p *parser) parseOrGroup(depth int) node {
	var alts []node
	if n := p.parsePrimary(depth); n != nil {
		alts = append(alts, n)
	}
	for {
		t := p.peek()
		if t == nil || t.kind != tokOr {
			break
		}
		p.i++
		next := p.peek()
		if next == nil || next.kind == tokClose || next.kind == tokOr || next.kind == tokNot || len(alts) == 0 {
			p.note("OR needs a term on each side; it was left out")
			break
		}
		if n := p.parsePrimary(depth); n != nil {
			alts = append(alts, n)
		}
	}
	switch len(alts) {
	case 0:
		return nil
	case 1:
		return alts[0]
	}
	p.operators = true
	return orNode{any: alts}
}

func (p *parser) parsePrimary(depth int) node {
	t := p.peek()
	p.i++
	switch t.kind {
	case tokOpen:
		if depth == maxDepth {
			p.note(fmt.Sprintf("parentheses nested more than %d deep were read as one group", maxDepth))
		}
		n := p.parseAnd(min(depth+1, maxDepth))
		if c := p.peek(); c != nil && c.kind == tokClose {
			p.i++
		} else {
			p.note("a parenthesis was not closed; it was closed at the end")
		}
		// Parentheses around words change nothing ("Debian (DFSG)"): only
		// an OR, an exclusion or a field inside makes the query more than
		// words.
		return n
	case tokPhrase:
		p.terms++
		switch t.field {
		case "", FieldTitle, FieldHeading:
			return phraseNode{text: t.text, field: t.field}
		}
		return p.filter(t)
	case tokWord:
		p.terms++
		switch t.field {
		case "", FieldTitle, FieldHeading:
			return p.word(t)
		}
		return p.filter(t)
	case tokClose:
		p.i-- // parseAnd's caller deals with it
	}
	return nil
}

// word reads a word with its "~" or "*". A marker that cannot apply is
// dropped with a note, and the word searched as written.
func (p *parser) word(t *token) node {
	w := wordNode{text: t.text, field: t.field}
	if base, dist, ok := strings.Cut(w.text, "~"); ok && base != "" && !strings.ContainsAny(dist, "~*") {
		w.text, w.fuzzy = base, -1
		if dist != "" {
			n, err := strconv.Atoi(dist)
			switch {
			case err != nil || n < 0:
				w.text, w.fuzzy = t.text, 0 // "~" in running text
			case n > 2:
				p.note(fmt.Sprintf("fuzzy matching allows 1 or 2 typing errors; %s~2 was searched", base))
				w.fuzzy = 2
			default:
				w.fuzzy = n
			}
		}
	}
	if strings.HasSuffix(w.text, "*") {
		base := strings.TrimRight(w.text, "*")
		switch {
		case w.fuzzy != 0:
			p.note("a word cannot be both a prefix (*) and fuzzy (~); it was searched as a prefix")
			w.fuzzy = 0
			w.text, w.prefix = base, true
		case utf8.RuneCountInString(base) < 2 || strings.ContainsAny(base, "*~"):
			if base != "" {
				p.note(fmt.Sprintf("a prefix needs at least two letters before the *; %s was searched as a word", base))
			}
			w.text = base
		default:
			w.text, w.prefix = base, true
		}
	}
	if w.text == "" {
		return nil
	}
	if w.prefix || w.fuzzy != 0 {
		p.operators = true
	} else if name, rest, ok := strings.Cut(w.text, ":"); ok && name != "" && rest != "" && isFieldName(name) {
		// "file:line:column" is one term where the text has it so, and
		// the words in that order where it is written otherwise.
		return orNode{any: []node{w, phraseNode{text: strings.ReplaceAll(w.text, ":", " "), field: w.field}}}
	}
	return w
}

// filter reads field:value. A year that is not a year is searched as
// words; a range given backwards is turned round.
func (p *parser) filter(t *token) node {
	f := filterNode{field: t.field, value: strings.TrimSpace(t.text)}
	if f.field == FieldYear {
		from, to, ranged := strings.Cut(f.value, "..")
		var err error
		bad := false
		if f.from, err = yearValue(from); err != nil && (!ranged || from != "") {
			bad = true
		}
		f.to = f.from
		if ranged {
			if f.to, err = yearValue(to); err != nil && to != "" {
				bad = true
			}
			if f.from != 0 && f.to != 0 && f.from > f.to {
				p.note(fmt.Sprintf("year:%s starts after it ends; year:%d..%d was searched", f.value, f.to, f.from))
				f.from, f.to = f.to, f.from
			}
		}
		if bad {
			p.note(fmt.Sprintf("year:%s is not a year or a range such as year:2015..2020; it was searched as words", f.value))
			return phraseNode{text: "year " + f.value}
		}
	}
	p.operators = true
	return f
}

func yearValue(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1000 || n > 9999 {
		return 0, errors.New("not a year")
	}
	return n, nil
}

// PlainText rewrites text so that the query syntax reads it as plain words:
// quotation marks, parentheses, "|", "*", "~" and ":" become spaces, a minus
// sign before a word is dropped, and the operator words (OR, AND, NOT and
// their French forms) are lower-cased. Evaluation uses it to search for
// natural-language questions as they are written.
func PlainText(text string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range text {
		switch r {
		case '"', '“', '”', '«', '»', '(', ')', '|', '*', '~', ':':
			r = ' '
		case '-':
			if unicode.IsSpace(prev) {
				r = ' '
			}
		}
		b.WriteRune(r)
		prev = r
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		switch w {
		case "OR", "OU", "AND", "ET", "NOT", "SAUF":
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}
