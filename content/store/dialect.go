package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The two databases a Store runs on.
const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// dialect is what differs between SQLite and PostgreSQL for the store's
// statements.
type dialect struct {
	name      string        // also the folder of its migrations under migrations/
	goose     goose.Dialect // for the migration tool
	numbered  bool          // placeholders are $1, $2, … instead of ?
	forUpdate string        // appended to the statement that locks a pack's row
	// timeStamps says whether time stamps are kept as timestamptz (passed as
	// time.Time) rather than RFC 3339 text.
	timeStamps bool
}

var (
	sqliteDialect   = &dialect{name: dialectSQLite, goose: goose.DialectSQLite3}
	postgresDialect = &dialect{name: dialectPostgres, goose: goose.DialectPostgres, numbered: true, forUpdate: " FOR UPDATE", timeStamps: true}
)

// q rewrites the ? placeholders of query as $1, $2, … where the database
// wants those. The store's statements hold no ? inside string literals.
func (d *dialect) q(query string) string {
	if !d.numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stamp is the value a time stamp is stored as, in UTC.
func (d *dialect) stamp(t time.Time) any {
	if d.timeStamps {
		return t.UTC()
	}
	return stamp(t.UTC())
}

// IsPostgres says whether dsn names a PostgreSQL database (a URL with the
// scheme postgres:// or postgresql://) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Redact returns dsn with any password replaced, for messages and logs.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Pool limits of a PostgreSQL store: each replica holds at most this many
// connections, so several replicas stay well within the server's default
// max_connections of 100.
const (
	pgMaxOpen = 10
	pgMaxIdle = 5
)

func openPostgres(dsn string) (*Store, error) {
	name := Redact(dsn)
	// database/sql over pgx's stdlib driver: the store's statements, its
	// transactions and goose (which takes a *sql.DB) then serve both
	// databases unchanged.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	db.SetMaxOpenConns(pgMaxOpen)
	db.SetMaxIdleConns(pgMaxIdle)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	s := &Store{db: db, d: postgresDialect, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(context.Background(), ""); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return s, nil
}

// migrations holds the schema of each dialect as goose SQL files, in
// migrations/sqlite and migrations/postgres. The two lists keep the same
// version numbers: a change to the schema adds a file to each.
//
//go:embed migrations
var migrations embed.FS

// migrateLockID is the PostgreSQL advisory lock held while migrating.
const migrateLockID = 0x68616e64626f6f6b // "handbook"

// migrateWait bounds a migration, the wait for another's lock included.
const migrateWait = 5 * time.Minute

// migrate applies the migrations not yet applied. Meanwhile it holds a lock
// (in PostgreSQL a session advisory lock; for a SQLite file, sqlitePath,
// an flock beside it), so that replicas or processes that start at once
// migrate one after the other (the later ones find nothing left to do).
// SQLite files made before goose (PRAGMA user_version 1 or 2) already hold
// the tables of migrations 1 and 2, which create them only if they do not
// exist.
func (s *Store) migrate(ctx context.Context, sqlitePath string) error {
	ctx, cancel := context.WithTimeout(ctx, migrateWait)
	defer cancel()
	fsys, err := fs.Sub(migrations, "migrations/"+s.d.name)
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.d.name == dialectPostgres {
		// Probe every second for up to five minutes (goose's default
		// probes every five seconds).
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrateLockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else {
		opts = append(opts, goose.WithLocker(&fileLocker{path: sqlitePath + "-lock"}))
	}
	p, err := goose.NewProvider(s.d.goose, s.db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Not p.Close: that would close s.db.
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > target {
		return fmt.Errorf("the database has schema version %d, newer than this program's %d", current, target)
	}
	return nil
}
