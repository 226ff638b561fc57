package engine_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"handbook/search"
	"handbook/search/searchtest"
)

// A correction comes only from text the caller may see: a word of a
// restricted document is offered to a caller entitled to it, never to
// others.
func TestCorrectionOnlyFromVisibleText(t *testing.T) {
	svc := searchtest.Service(t, os.DirFS("../testdata/behaviour/docs"))
	for _, tc := range []struct {
		levels []string
		want   string
	}{
		{nil, ""},
		{[]string{"public"}, ""},
		{[]string{"public", "restricted"}, "codename"},
	} {
		res, err := svc.Search(context.Background(), search.Query{Text: "codenme", Levels: tc.levels})
		if err != nil {
			t.Fatal(err)
		}
		if res.DidYouMean != tc.want || res.Corrected != tc.want {
			t.Errorf("levels %v: did you mean %q, corrected %q; want %q", tc.levels, res.DidYouMean, res.Corrected, tc.want)
		}
		if tc.want == "" && res.Total != 0 {
			t.Errorf("levels %v: %d hits", tc.levels, res.Total)
		}
	}
}

func TestRelatedIsEntitlementFiltered(t *testing.T) {
	svc := searchtest.Service(t, os.DirFS("../testdata/behaviour/docs"))
	ctx := context.Background()
	// "joint operation" is in the restricted manual as well.
	for _, levels := range [][]string{nil, {"public", "restricted"}} {
		hits, err := svc.Related(ctx, "port-controls", "1-joint-operations-at-ports", levels, 10)
		if err != nil {
			t.Fatal(err)
		}
		restricted := false
		for _, h := range hits {
			if h.DocID == "port-controls" && h.SectionID == "1-joint-operations-at-ports" {
				t.Errorf("related to itself")
			}
			restricted = restricted || h.Level == "restricted"
		}
		if restricted != (len(levels) > 0) {
			t.Errorf("levels %v: restricted among related = %v (%d hits)", levels, restricted, len(hits))
		}
	}
	if _, err := svc.Related(ctx, "restricted", "1-codenames", nil, 5); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("related of a restricted section: %v", err)
	}
}
