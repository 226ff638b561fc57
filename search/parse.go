package search

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a user may type.
const (
	MaxQueryLength = 1000 // bytes
	MaxQueryTerms  = 32   // words, phrases and filters together
	maxDepth       = 8    // nested parentheses
)

// ErrBadQuery is wrapped by every error that is the user's input, not ours: a
// syntax error, an unknown field, a page out of range.
var ErrBadQuery = errors.New("bad query")

// QueryError says what is wrong with a query and where.
type QueryError struct {
	Msg string
	Pos int // byte offset in the query, -1 when not about one place
}

func (e *QueryError) Error() string {
	if e.Pos >= 0 {
		return fmt.Sprintf("%s (at character %d)", e.Msg, e.Pos+1)
	}
	return e.Msg
}

func (e *QueryError) Unwrap() error { return ErrBadQuery }

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
	expansions []Expansion
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
func Parse(q string) (*parsed, error) { return parse(q, MaxQueryLength, MaxQueryTerms) }

// parse is Parse with other limits on the query's length and terms.
func parse(q string, maxLength, maxTerms int) (*parsed, error) {
	if len(q) > maxLength {
		return nil, &QueryError{Msg: fmt.Sprintf("the query is %d characters long; the limit is %d", len(q), maxLength), Pos: -1}
	}
	if !utf8.ValidString(q) {
		return nil, &QueryError{Msg: "the query is not valid UTF-8 text", Pos: -1}
	}
	toks, err := tokenize(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, src: q}
	res := &parsed{plain: true}
	if len(toks) == 0 {
		return res, nil
	}
	root, err := p.parseAnd(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) { // only a stray ")" can stop parseAnd early
		return nil, &QueryError{Msg: "a closing parenthesis has no opening one", Pos: p.toks[p.i].pos}
	}
	if p.terms > maxTerms {
		return nil, &QueryError{Msg: fmt.Sprintf("the query has %d terms; the limit is %d", p.terms, maxTerms), Pos: -1}
	}
	for _, t := range toks {
		if t.kind != tokWord || t.field != "" || strings.ContainsAny(t.text, "*~") {
			res.plain = false
		}
		if t.kind == tokWord && t.field == "" || t.kind == tokPhrase && t.field == "" {
			res.words = append(res.words, t.text)
		}
	}
	res.root = root
	return res, nil
}

func tokenize(q string) ([]token, error) {
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
			text, next, err := quoted(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokPhrase, text: text, pos: i})
			i = next
		case r == '-' && (i == 0 || unicode.IsSpace(rune(q[i-1])) || q[i-1] == '('):
			if i+1 == len(q) || unicode.IsSpace(rune(q[i+1])) || q[i+1] == ')' {
				return nil, &QueryError{Msg: "a minus sign or NOT must be followed by the word, phrase or group to exclude", Pos: i}
			}
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
				field, known := fieldAliases[strings.ToLower(name)]
				if !known {
					return nil, &QueryError{Msg: fmt.Sprintf("unknown field %q; known fields are %s (put the text in quotes to search for it as written)", name, strings.Join(userFields, ", ")), Pos: start}
				}
				if value == "" && i < len(q) && (q[i] == '"' || strings.HasPrefix(q[i:], "“") || strings.HasPrefix(q[i:], "«")) {
					text, next, err := quoted(q, i)
					if err != nil {
						return nil, err
					}
					toks = append(toks, token{kind: tokPhrase, text: text, field: field, pos: start})
					i = next
					continue
				}
				if value == "" {
					return nil, &QueryError{Msg: fmt.Sprintf("%s: needs a value, for example %s", name, example(field)), Pos: start}
				}
				toks = append(toks, token{kind: tokWord, text: value, field: field, pos: start})
				continue
			}
			toks = append(toks, token{kind: tokWord, text: word, pos: start})
		}
	}
	return toks, nil
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
// text and the offset after the closing quote.
func quoted(q string, i int) (string, int, error) {
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
		return "", 0, &QueryError{Msg: "a quotation mark is not closed", Pos: i}
	}
	_, csize := utf8.DecodeRuneInString(rest[end:])
	return strings.TrimSpace(rest[:end]), i + size + end + csize, nil
}

type parser struct {
	toks  []token
	src   string
	i     int
	terms int
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) parseAnd(depth int) (node, error) {
	if depth > maxDepth {
		return nil, &QueryError{Msg: fmt.Sprintf("parentheses are nested more than %d deep", maxDepth), Pos: -1}
	}
	var and andNode
	for {
		t := p.peek()
		if t == nil || t.kind == tokClose {
			break
		}
		if t.kind == tokOr {
			return nil, &QueryError{Msg: "OR needs a term on each side", Pos: t.pos}
		}
		negate := false
		if t.kind == tokNot {
			negate = true
			p.i++
			t = p.peek()
			if t == nil || t.kind == tokClose || t.kind == tokOr || t.kind == tokNot {
				pos := len(p.src)
				if t != nil {
					pos = t.pos
				}
				return nil, &QueryError{Msg: "a minus sign or NOT must be followed by the word, phrase or group to exclude", Pos: pos - 1}
			}
		}
		n, err := p.parseOrGroup(depth)
		if err != nil {
			return nil, err
		}
		if negate {
			and.not = append(and.not, n)
		} else {
			and.must = append(and.must, n)
		}
	}
	if len(and.must) == 0 && len(and.not) == 0 {
		pos := len(p.src)
		if t := p.peek(); t != nil {
			pos = t.pos
		}
		return nil, &QueryError{Msg: "expected a word, a phrase or a group here", Pos: pos}
	}
	if len(and.must) == 1 && len(and.not) == 0 {
		return and.must[0], nil
	}
	return and, nil
}

// parseOrGroup reads terms joined by OR, which binds tighter than the
// implicit AND: "cash OR currency courier" is (cash OR currency) AND courier.
func (p *parser) parseOrGroup(depth int) (node, error) {
	first, err := p.parsePrimary(depth)
	if err != nil {
		return nil, err
	}
	alts := []node{first}
	for {
		t := p.peek()
		if t == nil || t.kind != tokOr {
			break
		}
		p.i++
		next := p.peek()
		if next == nil || next.kind == tokClose || next.kind == tokOr {
			return nil, &QueryError{Msg: "OR needs a term on each side", Pos: t.pos}
		}
		if next.kind == tokNot {
			return nil, &QueryError{Msg: "an exclusion cannot be one side of OR; group it instead, as in a OR (b -c)", Pos: next.pos}
		}
		n, err := p.parsePrimary(depth)
		if err != nil {
			return nil, err
		}
		alts = append(alts, n)
	}
	if len(alts) == 1 {
		return first, nil
	}
	return orNode{any: alts}, nil
}

func (p *parser) parsePrimary(depth int) (node, error) {
	t := p.peek()
	p.i++
	switch t.kind {
	case tokOpen:
		if next := p.peek(); next != nil && next.kind == tokClose {
			return nil, &QueryError{Msg: "empty parentheses", Pos: t.pos}
		}
		if p.peek() == nil {
			return nil, &QueryError{Msg: "a parenthesis is not closed", Pos: t.pos}
		}
		n, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != tokClose {
			return nil, &QueryError{Msg: "a parenthesis is not closed", Pos: t.pos}
		}
		p.i++
		return n, nil
	case tokPhrase:
		p.terms++
		if t.text == "" {
			return nil, &QueryError{Msg: "empty quotation marks", Pos: t.pos}
		}
		switch t.field {
		case "", FieldTitle, FieldHeading:
			return phraseNode{text: t.text, field: t.field}, nil
		}
		return p.filter(t)
	case tokWord:
		p.terms++
		switch t.field {
		case "", FieldTitle, FieldHeading:
			return word(t)
		}
		return p.filter(t)
	}
	return nil, &QueryError{Msg: "unexpected " + strconv.Quote(t.text), Pos: t.pos}
}

func word(t *token) (node, error) {
	w := wordNode{text: t.text, field: t.field}
	if base, dist, ok := strings.Cut(w.text, "~"); ok {
		w.text, w.fuzzy = base, -1
		if dist != "" {
			n, err := strconv.Atoi(dist)
			if err != nil || n < 0 || n > 2 {
				return nil, &QueryError{Msg: fmt.Sprintf("fuzzy distance must be 1 or 2, as in %s~1", base), Pos: t.pos}
			}
			w.fuzzy = n
		}
	}
	if strings.HasSuffix(w.text, "*") {
		w.text, w.prefix = strings.TrimRight(w.text, "*"), true
		if w.fuzzy != 0 {
			return nil, &QueryError{Msg: "a word cannot be both a prefix (*) and fuzzy (~)", Pos: t.pos}
		}
		if utf8.RuneCountInString(w.text) < 2 {
			return nil, &QueryError{Msg: "a prefix needs at least two letters before the *", Pos: t.pos}
		}
	}
	if strings.ContainsAny(w.text, "*?") {
		return nil, &QueryError{Msg: "* is only allowed at the end of a word", Pos: t.pos}
	}
	if w.text == "" {
		return nil, &QueryError{Msg: "expected a word before ~", Pos: t.pos}
	}
	return w, nil
}

func (p *parser) filter(t *token) (node, error) {
	f := filterNode{field: t.field, value: strings.TrimSpace(t.text)}
	if f.field == FieldYear {
		from, to, ranged := strings.Cut(f.value, "..")
		var err error
		if f.from, err = yearValue(from); err != nil && (!ranged || from != "") {
			return nil, &QueryError{Msg: fmt.Sprintf("year:%s is not a year or a range such as year:2015..2020", f.value), Pos: t.pos}
		}
		f.to = f.from
		if ranged {
			if f.to, err = yearValue(to); err != nil && to != "" {
				return nil, &QueryError{Msg: fmt.Sprintf("year:%s is not a year or a range such as year:2015..2020", f.value), Pos: t.pos}
			}
			if f.from != 0 && f.to != 0 && f.from > f.to {
				return nil, &QueryError{Msg: fmt.Sprintf("year:%s starts after it ends", f.value), Pos: t.pos}
			}
		}
	}
	return f, nil
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
