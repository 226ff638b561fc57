package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "user.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := st.Audit()
	if err := a.Record(ctx, Entry{User: "ann", Via: "token", Action: ActionRead, DocID: "d", Level: "restricted"}, Entry{User: "bob", Via: "session", Action: ActionExport, DocID: "e", SectionID: "s", Level: "members-only"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.List(ctx, 10, 0)
	if err != nil || len(got) != 2 || got[0].User != "bob" || got[1].User != "ann" || got[0].Time.IsZero() {
		t.Fatalf("list %+v %v", got, err)
	}
	if older, _ := a.List(ctx, 10, got[0].ID); len(older) != 1 || older[0].User != "ann" {
		t.Errorf("paging: %+v", older)
	}
	for _, stmt := range []string{"UPDATE audit_log SET user = 'eve'", "DELETE FROM audit_log"} {
		if _, err := a.db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
}
