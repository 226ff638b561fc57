package indexer

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"handbook/content"
)

// The same manual often sits in a content folder several times: as PDF, as
// HTML, as DOCX, as plain text. Its sections would come back once per copy,
// so a page of ten results would hold three sections. A build finds the
// sections that are copies of one another and indexes all but one of each
// group as a copy (FieldCopy): searches leave copies out unless a format is
// selected or one document is searched, and the one shown lists the others
// (FieldCopies), as "also as PDF p. 197, DOCX".
//
// Two sections are copies when they are in different documents with the
// same language, handling level, year, edition and status (so two editions
// are never merged, and no copy is seen by someone the shown section is
// not), and their words are nearly the same: 90% of the smaller set of
// words is in the other, which is at most twice as long. A PDF's text and
// the HTML's text of one section differ in hyphenation, spacing, running
// heads and footnote marks, not in their words.

// Copy is one other copy of a section.
type Copy struct {
	DocID     string `json:"doc_id"`
	SectionID string `json:"section_id"`
	Format    string `json:"format"`
	Page      int    `json:"page,omitempty"`
}

// CopyValue is FieldCopy's value on a section that is a copy of another.
const CopyValue = "copy"

const (
	copyMinWords   = 12  // shorter sections are not compared: "See above." is no copy
	copyKeyWords   = 10  // the words at either end that find candidates
	copyMinShare   = 0.9 // share of the smaller word set found in the other
	copyMaxBucket  = 64  // candidates per key; a longer list is boilerplate
	copyMinLengths = 0.5 // shorter over longer, in words
)

// formatRank orders the formats a group's shown section is taken from:
// HTML and Markdown open at the section, DOCX keeps structure, a PDF has
// pages, plain text least of all.
var formatRank = map[string]int{content.FormatHTML: 0, content.FormatMarkdown: 1, content.FormatEPUB: 2, content.FormatDOCX: 3, content.FormatPDF: 4, content.FormatText: 5}

// Copies is what FindCopies found: for the shown section of each group (by
// SectionKey) its other copies, and the sections that are copies.
type Copies struct {
	Others map[string][]Copy
	IsCopy map[string]bool
	// Works lists, by document id, the documents that are the same work in
	// other files: at least half the sections of the shorter one are
	// copies of the other's.
	Works map[string][]string
}

// sameWorkShare is the share of the shorter document's sections that must
// be copies of the other's for the two to be one work in two files.
const sameWorkShare = 0.5

// FindCopies groups the sections of docs that are copies of one another.
func FindCopies(docs []content.Loaded) Copies {
	type ref struct{ doc, sec int }
	// An entry keeps its word count only: the words are read again, for
	// the few sections that share a key with another document's, so that a
	// large folder's words are never all in memory at once.
	type entry struct {
		ref
		n   int
		set map[string]struct{}
	}
	var entries []entry
	buckets := map[string][]int{}
	for di, d := range docs {
		m := d.Document
		compat := m.Language + "\x00" + m.Level
		for si, s := range d.Sections {
			words := copyWords(s.Text)
			if len(words) < copyMinWords {
				continue
			}
			e := entry{ref: ref{di, si}, n: len(words)}
			id := len(entries)
			entries = append(entries, e)
			for _, k := range []string{strings.Join(words[:copyKeyWords], " "), strings.Join(words[len(words)-copyKeyWords:], " ")} {
				key := compat + "\x00" + k
				if len(buckets[key]) <= copyMaxBucket {
					buckets[key] = append(buckets[key], id)
				}
			}
		}
	}
	// Union-find over entries, at most one section per document in a group.
	parent := make([]int, len(entries))
	docsOf := make([]map[int]bool, len(entries))
	for i := range parent {
		parent[i] = i
		docsOf[i] = map[int]bool{entries[i].doc: true}
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	set := func(i int) map[string]struct{} {
		if entries[i].set == nil {
			words := copyWords(docs[entries[i].doc].Sections[entries[i].sec].Text)
			entries[i].set = make(map[string]struct{}, len(words))
			for _, w := range words {
				entries[i].set[w] = struct{}{}
			}
		}
		return entries[i].set
	}
	keys := make([]string, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same groups every build
	for _, k := range keys {
		ids := buckets[k]
		if len(ids) < 2 || len(ids) > copyMaxBucket {
			continue
		}
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				a, b := ids[x], ids[y]
				ra, rb := find(a), find(b)
				if ra == rb || entries[a].doc == entries[b].doc {
					continue
				}
				if !mergeable(docs, docsOf[ra], docsOf[rb]) || !lengthsMatch(entries[a].n, entries[b].n) || !similar(set(a), set(b)) {
					continue
				}
				parent[rb] = ra
				for d := range docsOf[rb] {
					docsOf[ra][d] = true
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := range entries {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := Copies{Others: map[string][]Copy{}, IsCopy: map[string]bool{}, Works: map[string][]string{}}
	shared := map[[2]int]int{} // by pair of documents: sections in one group
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for x := range g {
			for y := range g {
				if a, b := entries[g[x]].doc, entries[g[y]].doc; a < b {
					shared[[2]int{a, b}]++
				}
			}
		}
		slices.SortFunc(g, func(a, b int) int {
			da, db := docs[entries[a].doc].Document, docs[entries[b].doc].Document
			return cmp.Or(cmp.Compare(rankOf(da.Format), rankOf(db.Format)), cmp.Compare(da.ID, db.ID))
		})
		shown := docs[entries[g[0]].doc]
		key := SectionKey(shown.Document.ID, shown.Sections[entries[g[0]].sec].ID)
		for _, i := range g[1:] {
			d := docs[entries[i].doc]
			s := d.Sections[entries[i].sec]
			out.Others[key] = append(out.Others[key], Copy{DocID: d.Document.ID, SectionID: s.ID, Format: d.Document.Format, Page: s.Page})
			out.IsCopy[SectionKey(d.Document.ID, s.ID)] = true
		}
	}
	for pair, n := range shared {
		a, b := docs[pair[0]], docs[pair[1]]
		if float64(n) >= sameWorkShare*float64(min(len(a.Sections), len(b.Sections))) {
			out.Works[a.Document.ID] = append(out.Works[a.Document.ID], b.Document.ID)
			out.Works[b.Document.ID] = append(out.Works[b.Document.ID], a.Document.ID)
		}
	}
	for _, ids := range out.Works {
		slices.Sort(ids)
	}
	return out
}

// sameWork reports whether two documents may hold copies of one another:
// the same language and handling level (bucketed already), and no year,
// edition or status that differs where both have one (a file without
// metadata is the same work as its copy with a sidecar).
func sameWork(a, b content.Document) bool {
	switch {
	case a.Language != b.Language || a.Level != b.Level || a.Status != b.Status:
		return false
	case a.Year != 0 && b.Year != 0 && a.Year != b.Year:
		return false
	case a.Edition != "" && b.Edition != "" && a.Edition != b.Edition:
		return false
	}
	return true
}

func rankOf(format string) int {
	if r, ok := formatRank[format]; ok {
		return r
	}
	return len(formatRank)
}

// mergeable reports whether two groups (by the documents their sections
// are in) may be one: no document twice, and every pair of documents the
// same work.
func mergeable(docs []content.Loaded, a, b map[int]bool) bool {
	for x := range a {
		for y := range b {
			if x == y || !sameWork(docs[x].Document, docs[y].Document) {
				return false
			}
		}
	}
	return true
}

// lengthsMatch reports whether two sections of na and nb words may be
// copies: the shorter is at least copyMinLengths of the longer.
func lengthsMatch(na, nb int) bool {
	return float64(min(na, nb)) >= copyMinLengths*float64(max(na, nb))
}

// similar reports whether two word sets are nearly the same.
func similar(a, b map[string]struct{}) bool {
	inter := 0
	for w := range a {
		if _, ok := b[w]; ok {
			inter++
		}
	}
	// Containment rather than Jaccard: a PDF's section may hold running
	// heads and footnotes, or stop at a page where the HTML's goes on.
	return float64(inter) >= copyMinShare*float64(min(len(a), len(b)))
}

// copyWords are the words of text that two copies share: folded, lower
// case, of three letters or more, not numbers (page numbers and footnote
// marks differ between formats).
func copyWords(text string) []string {
	var out []string
	for _, w := range content.Words(text) {
		if utf8.RuneCountInString(w) >= 3 && strings.ContainsFunc(w, unicode.IsLetter) {
			out = append(out, w)
		}
	}
	return out
}

// EncodeCopies is FieldCopies' stored value.
func EncodeCopies(c []Copy) string {
	b, _ := json.Marshal(c) // a slice of plain structs always marshals
	return string(b)
}

// DecodeCopies reads FieldCopies' stored value; nil when there is none.
func DecodeCopies(s string) []Copy {
	if s == "" {
		return nil
	}
	var c []Copy
	if json.Unmarshal([]byte(s), &c) != nil {
		return nil
	}
	return c
}
