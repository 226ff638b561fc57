package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"handbook/content/store"
)

// TestReplicasMigrateAtOnce starts three stores on one new database at the
// same moment, as three replicas of the server (or three processes on one
// data folder) would: the migration lock lets one migrate while the others
// wait, all three open, and each migration is recorded once.
func TestReplicasMigrateAtOnce(t *testing.T) { eachBackend(t, testReplicasMigrateAtOnce) }

func testReplicasMigrateAtOnce(t *testing.T, dsn string) {
	ctx := context.Background()
	for round := range 3 {
		if round > 0 && store.IsPostgres(dsn) {
			dsn = pg.Database(t)
		} else if round > 0 {
			dsn = filepath.Join(t.TempDir(), "user.db")
		}
		var wg, start sync.WaitGroup
		start.Add(1)
		stores := make([]*store.Store, 3)
		errs := make([]error, 3)
		for i := range stores {
			wg.Go(func() {
				start.Wait()
				stores[i], errs[i] = store.Open(dsn)
			})
		}
		start.Done()
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, replica %d: %v", round, i, err)
			}
			defer stores[i].Close()
		}
		applied, distinct, err := store.MigrationsApplied(ctx, stores[0])
		if err != nil {
			t.Fatal(err)
		}
		if want := store.MigrationFiles(stores[0]); applied != want || distinct != want {
			t.Errorf("round %d: %d migrations recorded (%d distinct), want each of the %d once", round, applied, distinct, want)
		}
		p, err := stores[1].Create(ctx, "ann", store.PackInput{Title: ptr("After the race")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stores[2].Get(ctx, "ann", p.ID); err != nil {
			t.Errorf("another replica reads the pack: %v", err)
		}
	}
}

// TestServingRoleCannotRewriteTheAudit sets up the two roles the README
// describes: an owner, whose URL runs the migrations, and a serving role with
// only SELECT and INSERT on the audit log. The server works as the serving
// role, which may not change or delete an entry (the trigger would refuse it
// too).
func TestServingRoleCannotRewriteTheAudit(t *testing.T) {
	c := pg.Cluster(t)
	ctx := context.Background()
	if err := c.Exec(ctx, "postgres",
		"CREATE ROLE handbook_owner LOGIN",
		"CREATE ROLE handbook_app LOGIN",
		"CREATE DATABASE handbook OWNER handbook_owner"); err != nil {
		t.Fatal(err)
	}
	as := func(role string) string {
		u, err := url.Parse(c.URL("handbook"))
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.User(role)
		return u.String()
	}
	owner := open(t, as("handbook_owner"))
	owner.Close()
	conn, err := pgx.Connect(ctx, as("handbook_owner"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, grant := range []string{
		"GRANT SELECT, INSERT, UPDATE, DELETE ON packs, items TO handbook_app",
		"GRANT SELECT, INSERT ON audit_log TO handbook_app",
		"GRANT SELECT ON goose_db_version TO handbook_app",
	} {
		if _, err := conn.Exec(ctx, grant); err != nil {
			t.Fatalf("%s: %v", grant, err)
		}
	}
	app := open(t, as("handbook_app"))
	if err := app.Audit().Record(ctx, store.Entry{User: "ann", Via: "token", Action: store.ActionRead, DocID: "d", Level: "restricted"}); err != nil {
		t.Fatal(err)
	}
	if got, err := app.Audit().List(ctx, 10, 0); err != nil || len(got) != 1 {
		t.Errorf("the serving role lists %+v, %v", got, err)
	}
	p, err := app.Create(ctx, "ann", store.PackInput{Title: ptr("As the serving role")})
	if err != nil {
		t.Fatal(err)
	}
	addN(t, app, "ann", p.ID, 2)
	if err := app.Delete(ctx, "ann", p.ID); err != nil {
		t.Errorf("the serving role deletes a pack: %v", err)
	}
	for _, stmt := range []string{`UPDATE audit_log SET "user" = 'eve'`, "DELETE FROM audit_log", "TRUNCATE audit_log", "DROP TRIGGER audit_log_no_change ON audit_log"} {
		if err := store.ExecRaw(ctx, app, stmt); err == nil || !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("%s as the serving role: %v", stmt, err)
		}
	}
}

// TestSQLiteFileFromBeforeGoose opens a user.db made by the migrations of
// earlier versions (PRAGMA user_version 2, no goose table): its packs and
// audit log are kept, and the append-only triggers still hold.
func TestSQLiteFileFromBeforeGoose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "user.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE packs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
			audience TEXT NOT NULL DEFAULT '', objectives TEXT NOT NULL DEFAULT '[]', version INTEGER NOT NULL DEFAULT 1,
			created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
		`CREATE INDEX packs_owner ON packs(owner, updated_at)`,
		`CREATE TABLE items (id TEXT PRIMARY KEY, pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE, doc_id TEXT NOT NULL,
			section_id TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL, grp TEXT NOT NULL DEFAULT '',
			version INTEGER NOT NULL DEFAULT 1, added_at TEXT NOT NULL, cited TEXT NOT NULL)`,
		`CREATE INDEX items_pack ON items(pack_id, position)`,
		`CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, via TEXT NOT NULL,
			action TEXT NOT NULL, doc_id TEXT NOT NULL, section_id TEXT NOT NULL DEFAULT '', level TEXT NOT NULL, request_id TEXT NOT NULL DEFAULT '')`,
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
		`PRAGMA user_version = 2`,
		`INSERT INTO packs (id, owner, title, version, created_at, updated_at) VALUES ('old', 'ann', 'Kept', 3, '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z')`,
		`INSERT INTO items (id, pack_id, doc_id, section_id, position, added_at, cited) VALUES ('i1', 'old', 'port', 's1', 1, '2025-01-02T03:04:05Z', '{"doc_title":"Port Handbook","text":"Old text."}')`,
		`INSERT INTO audit_log (at, user, via, action, doc_id, level) VALUES ('2025-01-02T03:04:05Z', 'ann', 'token', 'read', 'd', 'restricted')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()
	for range 2 { // the second open finds nothing to do
		s := open(t, path)
		p, err := s.Get(ctx, "ann", "old")
		if err != nil || p.Title != "Kept" || p.Version != 3 || len(p.Items) != 1 || p.Items[0].Cited.Text != "Old text." || p.Created.Year() != 2025 {
			t.Fatalf("the old pack: %+v, %v", p, err)
		}
		if got, err := s.Audit().List(ctx, 10, 0); err != nil || len(got) != 1 || got[0].User != "ann" {
			t.Errorf("the old audit log: %+v, %v", got, err)
		}
		if err := store.ExecRaw(ctx, s, "DELETE FROM audit_log"); err == nil {
			t.Error("the old audit log lost its trigger")
		}
		s.Close()
	}
}

// TestOpenPostgresFailsClearly: a server that is not there is an error that
// names the database without its password.
func TestOpenPostgresFailsClearly(t *testing.T) {
	_, err := store.Open("postgres://handbook:s3cret@127.0.0.1:1/handbook?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("opened a database that does not exist")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error: %v", err)
	}
}
