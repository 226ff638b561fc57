package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"handbook/content/store"
)

func TestAuditIsAppendOnly(t *testing.T) { eachBackend(t, testAuditIsAppendOnly) }

func testAuditIsAppendOnly(t *testing.T, dsn string) {
	ctx := context.Background()
	st := open(t, dsn)
	a := st.Audit()
	if err := a.Record(ctx, store.Entry{User: "ann", Via: "token", Action: store.ActionRead, DocID: "d", Level: "restricted"}, store.Entry{User: "bob", Via: "session", Action: store.ActionExport, DocID: "e", SectionID: "s", Level: "members-only"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.List(ctx, 10, 0)
	if err != nil || len(got) != 2 || got[0].User != "bob" || got[1].User != "ann" || got[0].Time.IsZero() || got[0].Time.Location() != time.UTC {
		t.Fatalf("list %+v %v", got, err)
	}
	if older, _ := a.List(ctx, 10, got[0].ID); len(older) != 1 || older[0].User != "ann" {
		t.Errorf("paging: %+v", older)
	}
	stmts := []string{`UPDATE audit_log SET "user" = 'eve'`, "DELETE FROM audit_log"}
	if store.IsPostgres(dsn) {
		stmts = append(stmts, "TRUNCATE audit_log")
	}
	for _, stmt := range stmts {
		if err := store.ExecRaw(ctx, st, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	if got, _ := a.List(ctx, 10, 0); len(got) != 2 || got[0].User != "bob" {
		t.Errorf("after the refused changes: %+v", got)
	}
}
