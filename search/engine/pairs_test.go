package engine_test

import (
	"context"
	"slices"
	"testing"

	"handbook/content/sample"
	"handbook/search/engine"
	"handbook/search/searchtest"
)

// A phrase of frequent words is looked up in the word-pair field; it must
// find exactly the sections Bleve's phrase over the body finds. Across a
// stop word the pair is stricter (the word between must be a stop word, not
// any word), so there it may find fewer, never others.
func TestPairPhrasesMatchBodyPhrases(t *testing.T) {
	svc := searchtest.Service(t, sample.FS())
	paired := 0
	for _, tc := range []struct {
		lang, text string
		stop       bool // has a stop word inside
		// literal is how many times the sample has the phrase as written
		// (grep -rhoi): a stop-word phrase that it has must be found.
		literal int
	}{
		{"en", "risk management", false, 0},
		{"en", "customs administration", false, 0},
		{"en", "customs administrations", false, 0},
		{"en", "information exchange", false, 0},
		{"en", "risk management system", false, 0},
		{"en", "customs control", false, 0},
		{"en", "mutual administrative assistance", false, 0},
		{"en", "member states", false, 0},
		{"en", "purpose and scope", true, 0},       // only in headings
		{"en", "exchange of information", true, 0}, // the phrase also finds "exchange risk information"
		{"en", "the customs administration shall", true, 0},
		{"en", "control of goods", true, 1},
		{"en", "information on risk management", true, 1}, // a phrase over pairs with a gap; once, across a line break
		{"fr", "gestion des risques", true, 13},
		{"fr", "administration des douanes", true, 2},
		{"fr", "analyse de risque", true, 13},
		{"fr", "assistance administrative mutuelle", false, 0},
	} {
		pairs, phrase, used, err := engine.PhraseBothWays(context.Background(), svc, tc.lang, tc.text)
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		if !used {
			continue
		}
		paired++
		if tc.stop {
			for _, id := range pairs {
				if !slices.Contains(phrase, id) {
					t.Errorf("%q: pairs found %s, which the phrase does not", tc.text, id)
				}
			}
			if len(pairs) == 0 && tc.literal > 0 {
				t.Errorf("%q: pairs found nothing, the sample has it %d times", tc.text, tc.literal)
			}
			continue
		}
		if !slices.Equal(pairs, phrase) {
			t.Errorf("%q: pairs found %d sections %v, the phrase %d %v", tc.text, len(pairs), pairs, len(phrase), phrase)
		}
		if len(phrase) == 0 {
			t.Errorf("%q: no section has the phrase; pick another", tc.text)
		}
	}
	if paired < 8 {
		t.Errorf("only %d phrases were looked up as pairs", paired)
	}
}
