package engine

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"handbook/indexer"
	"handbook/search"
)

// Citation lookup: a query that is only a section number ("Article 18",
// "art. 18", "Standard 3.2", "3.2.1") lists the sections with exactly that
// number first (within the selected filters), then the sections whose text
// matches the query.

// maxCited bounds the sections a citation puts first.
const maxCited = 100

var citationPattern = regexp.MustCompile(`(?i)^\s*(?:(article|art\.?|standard|std\.?|norme|section|sect?\.?|§|chapter|chapitre|chap\.?|annex|annexe|rule|règle|regle)\s*)?(\d+(?:\.\d+)*[a-z]?|[a-z])\s*$`)

// citationWords maps how a user names a kind of section to how numbers
// spell it.
var citationWords = map[string][]string{
	"article": {"Article"}, "art": {"Article"}, "art.": {"Article"},
	"standard": {"Standard", "Norme"}, "std": {"Standard"}, "std.": {"Standard"}, "norme": {"Norme", "Standard"},
	"section": {"", "Section"}, "sec": {"", "Section"}, "sec.": {"", "Section"}, "sect": {"", "Section"},
	"sect.": {"", "Section"}, "§": {"", "Section"},
	"chapter": {"Chapter", "Chapitre"}, "chapitre": {"Chapitre", "Chapter"}, "chap": {"Chapter", "Chapitre"},
	"chap.": {"Chapter", "Chapitre"},
	"annex": {"Annex", "Annexe"}, "annexe": {"Annexe", "Annex"},
	"rule": {"Rule", "Règle"}, "règle": {"Règle", "Rule"}, "regle": {"Règle", "Rule"},
}

// citation returns the section numbers of the index that text names, as
// indexed; none when text is not a citation.
func (s *Service) citation(text string) []string {
	m := citationPattern.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	kind, num := strings.ToLower(m[1]), m[2]
	var spellings []string
	switch {
	case kind != "":
		spellings = citationWords[kind]
	case strings.Contains(num, "."): // a bare "3.2.1"; a bare "18" stays a word
		spellings = []string{"", "Standard", "Norme"}
	default:
		return nil
	}
	var out []string
	for _, w := range spellings {
		c := strings.TrimSpace(w + " " + num)
		if v, ok := s.canon[FieldNumber][strings.ToLower(c)]; ok && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// cite runs a citation query: the sections with the number first, then
// those that match the query's words. It returns nil when q is not a
// citation or no section the caller may see has the number.
func (s *Service) cite(ctx context.Context, p *parsed, q search.Query, filters map[string]query.Query, from, size int, page bool, res *search.Result) (*found, error) {
	numbers := s.citation(q.Text)
	if len(numbers) == 0 {
		return nil, nil
	}
	alts := make([]query.Query, len(numbers))
	for i, n := range numbers {
		alts[i] = termQuery(indexer.FieldNumber, n)
	}
	cited := disjunction(alts)
	req := request(cited, q.Levels, filters, maxCited, 0)
	req.Score = "none"
	exact, err := s.do(ctx, req)
	if err != nil || exact.Total == 0 {
		return nil, err
	}
	first := make(map[string]bool, len(exact.Hits))
	for _, h := range exact.Hits {
		first[h.ID] = true
	}
	text := cited
	if words := (translator{s: s, fuzzy: q.Fuzzy}).query(p.root); words != nil {
		text = disjunction([]query.Query{cited, words})
	}
	f, err := s.match(ctx, text, nil, first, q.Levels, filters, from, size, page)
	if err != nil {
		return nil, err
	}
	res.Citation, res.Citations = strings.Join(numbers, ", "), int(exact.Total)
	return f, nil
}
