package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: the binary stays cgo-free
)

// Errors callers branch on.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict means the caller edited from a stale version: reload and
	// apply the change again.
	ErrConflict = errors.New("the pack was changed elsewhere; reload it and try again")
	ErrInvalid  = errors.New("invalid")
	// ErrBackupWithPgDump is Backup's answer for a PostgreSQL database,
	// which pg_dump backs up.
	ErrBackupWithPgDump = errors.New("a PostgreSQL database is backed up with pg_dump")
)

// Limits on what a trainer may store.
const (
	MaxTitle       = 200
	MaxText        = 4000 // description, note, objectives together
	MaxItems       = 500
	MaxPacksPerUse = 1000
)

// Pack is a trainer's course pack.
type Pack struct {
	ID          string    `json:"id"`
	Owner       string    `json:"owner"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Audience    string    `json:"audience"`
	Objectives  []string  `json:"objectives"`
	Version     int       `json:"version"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	ItemCount   int       `json:"item_count"`
	Items       []Item    `json:"items,omitempty"`
}

// Item is one cited section in a pack, with the text as it was when cited.
type Item struct {
	ID        string    `json:"id"`
	DocID     string    `json:"doc_id"`
	SectionID string    `json:"section_id"`
	Note      string    `json:"note"`
	Position  int       `json:"position"` // 1-based order in the pack
	Group     string    `json:"group"`    // the trainer's heading for this item
	Version   int       `json:"version"`
	Added     time.Time `json:"added"`
	Cited     Section   `json:"cited"` // the section as it was when added (or last accepted)
	// Status is set by Check: StatusCurrent, StatusChanged, StatusRemoved or
	// StatusUnavailable. Current holds the indexed text when it changed.
	Status  string   `json:"status,omitempty"`
	Current *Section `json:"current,omitempty"`
}

// Section is what a citation needs to know of a section.
type Section struct {
	DocTitle string   `json:"doc_title"`
	Org      []string `json:"org"`
	Edition  string   `json:"edition,omitempty"`
	Year     int      `json:"year,omitempty"`
	Lang     string   `json:"lang"`
	Level    string   `json:"level"`
	Number   string   `json:"number,omitempty"`
	Heading  string   `json:"heading"`
	Path     string   `json:"path"`
	Page     int      `json:"page,omitempty"`
	PageEnd  int      `json:"page_end,omitempty"`
	Text     string   `json:"text"`
}

// Store keeps the user data in a SQLite file or a PostgreSQL database (see
// Open). Both run the same statements, written with ? placeholders and
// rewritten for PostgreSQL by q; where the two differ (row locks, time
// stamps, backups) the dialect says how.
type Store struct {
	db  *sql.DB
	d   *dialect
	now func() time.Time
}

// Open opens the user data: a PostgreSQL database when dsn is a URL with the
// scheme postgres:// or postgresql:// (see IsPostgres), else the SQLite file
// at the path dsn (created if needed). Either way it brings the schema up to
// date first.
func Open(dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

func openSQLite(path string) (*Store, error) {
	// User data (who cited or read what) is readable by this program's
	// user only: created 0600, and tightened if it was made looser.
	if err := PrivateFile(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, d: sqliteDialect, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(context.Background(), path); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// q rewrites a statement's ? placeholders for the store's database.
func (s *Store) q(query string) string { return s.d.q(query) }

// Backup writes a consistent copy of the database to path, safely while
// others read and write it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.name == dialectPostgres {
		return ErrBackupWithPgDump
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func newID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// stampDest scans a time stamp as either database keeps it: RFC 3339 text in
// SQLite, a timestamptz (a time.Time) in PostgreSQL.
type stampDest struct{ t *time.Time }

func (d stampDest) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*d.t = v.UTC()
	case string:
		*d.t = parseStamp(v)
	case []byte:
		*d.t = parseStamp(string(v))
	case nil:
		*d.t = time.Time{}
	default:
		return fmt.Errorf("a time stamp of type %T", v)
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// PackInput is what a trainer sets on a pack. Nil fields are left as they are.
type PackInput struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Audience    *string   `json:"audience"`
	Objectives  *[]string `json:"objectives"`
}

func (in PackInput) validate(creating bool) error {
	if creating && (in.Title == nil || strings.TrimSpace(*in.Title) == "") {
		return invalid("a pack needs a title")
	}
	if in.Title != nil && (strings.TrimSpace(*in.Title) == "" || len(*in.Title) > MaxTitle) {
		return invalid("the title must be 1 to %d characters", MaxTitle)
	}
	n := 0
	for _, p := range []*string{in.Description, in.Audience} {
		if p != nil {
			n += len(*p)
		}
	}
	if in.Objectives != nil {
		for _, o := range *in.Objectives {
			n += len(o)
		}
	}
	if n > MaxText {
		return invalid("description, audience and objectives may hold at most %d characters", MaxText)
	}
	return nil
}

func cleanLines(in []string) []string {
	out := []string{}
	for _, l := range in {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Create makes a new pack owned by owner.
func (s *Store) Create(ctx context.Context, owner string, in PackInput) (*Pack, error) {
	if err := in.validate(true); err != nil {
		return nil, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, s.q("SELECT count(*) FROM packs WHERE owner = ?"), owner).Scan(&n); err != nil {
		return nil, err
	}
	if n >= MaxPacksPerUse {
		return nil, invalid("you already have %d packs, the limit", n)
	}
	now := s.now()
	p := &Pack{ID: newID(), Owner: owner, Title: strings.TrimSpace(*in.Title), Version: 1, Created: now, Updated: now, Objectives: []string{}}
	apply(p, in)
	obj, _ := json.Marshal(p.Objectives)
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO packs (id, owner, title, description, audience, objectives, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`), p.ID, owner, p.Title, p.Description, p.Audience, string(obj), s.d.stamp(now), s.d.stamp(now))
	if err != nil {
		return nil, fmt.Errorf("create pack: %w", err)
	}
	return p, nil
}

func apply(p *Pack, in PackInput) {
	if in.Title != nil {
		p.Title = strings.TrimSpace(*in.Title)
	}
	if in.Description != nil {
		p.Description = strings.TrimSpace(*in.Description)
	}
	if in.Audience != nil {
		p.Audience = strings.TrimSpace(*in.Audience)
	}
	if in.Objectives != nil {
		p.Objectives = cleanLines(*in.Objectives)
	}
}

// List returns owner's packs, most recently changed first, without items.
func (s *Store) List(ctx context.Context, owner string) ([]Pack, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT p.id, p.owner, p.title, p.description, p.audience, p.objectives, p.version, p.created_at, p.updated_at,
		(SELECT count(*) FROM items i WHERE i.pack_id = p.id) FROM packs p WHERE p.owner = ? ORDER BY p.updated_at DESC, p.id`), owner)
	if err != nil {
		return nil, fmt.Errorf("list packs: %w", err)
	}
	defer rows.Close()
	out := []Pack{}
	for rows.Next() {
		p, err := scanPack(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanPack(r scanner) (*Pack, error) {
	var p Pack
	var obj string
	if err := r.Scan(&p.ID, &p.Owner, &p.Title, &p.Description, &p.Audience, &obj, &p.Version, stampDest{&p.Created}, stampDest{&p.Updated}, &p.ItemCount); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	_ = json.Unmarshal([]byte(obj), &p.Objectives)
	if p.Objectives == nil {
		p.Objectives = []string{}
	}
	return &p, nil
}

// Get returns owner's pack with its items in order. Another owner's pack is
// ErrNotFound.
func (s *Store) Get(ctx context.Context, owner, id string) (*Pack, error) {
	p, err := scanPack(s.db.QueryRowContext(ctx, s.q(`SELECT p.id, p.owner, p.title, p.description, p.audience, p.objectives, p.version, p.created_at, p.updated_at,
		(SELECT count(*) FROM items i WHERE i.pack_id = p.id) FROM packs p WHERE p.id = ? AND p.owner = ?`), id, owner))
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, doc_id, section_id, note, position, grp, version, added_at, cited
		FROM items WHERE pack_id = ? ORDER BY position, added_at`), id)
	if err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	defer rows.Close()
	p.Items = []Item{}
	for rows.Next() {
		var it Item
		var cited string
		if err := rows.Scan(&it.ID, &it.DocID, &it.SectionID, &it.Note, &it.Position, &it.Group, &it.Version, stampDest{&it.Added}, &cited); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cited), &it.Cited); err != nil {
			return nil, fmt.Errorf("item %s: %w", it.ID, err)
		}
		p.Items = append(p.Items, it)
	}
	return p, rows.Err()
}

// Update changes a pack's title, description, audience or objectives. version
// must be the pack's current version (0 skips the check).
func (s *Store) Update(ctx context.Context, owner, id string, version int, in PackInput) (*Pack, error) {
	if err := in.validate(false); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.lockPack(ctx, tx, owner, id, version)
		if err != nil {
			return err
		}
		apply(p, in)
		obj, _ := json.Marshal(p.Objectives)
		_, err = tx.ExecContext(ctx, s.q(`UPDATE packs SET title = ?, description = ?, audience = ?, objectives = ?, version = version + 1, updated_at = ? WHERE id = ?`),
			p.Title, p.Description, p.Audience, string(obj), s.d.stamp(s.now()), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, owner, id)
}

// lockPack reads the pack inside a write transaction, checking owner and
// version. Every change to a pack or its items starts here, so the pack's
// row is the lock that orders them: SQLite's write transactions run one at a
// time anyway, and in PostgreSQL the row is taken FOR UPDATE, so that two
// replicas reordering or adding items to one pack wait for each other.
func (s *Store) lockPack(ctx context.Context, tx *sql.Tx, owner, id string, version int) (*Pack, error) {
	p, err := scanPack(tx.QueryRowContext(ctx, s.q(`SELECT id, owner, title, description, audience, objectives, version, created_at, updated_at,
		0 FROM packs WHERE id = ? AND owner = ?`+s.d.forUpdate), id, owner))
	if err != nil {
		return nil, err
	}
	// Counted once the lock is held, in a statement of its own: in
	// PostgreSQL the locking statement sees the items as they were before
	// it waited.
	if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM items WHERE pack_id = ?"), id).Scan(&p.ItemCount); err != nil {
		return nil, err
	}
	if version != 0 && version != p.Version {
		return nil, ErrConflict
	}
	return p, nil
}

func (s *Store) touch(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, s.q("UPDATE packs SET version = version + 1, updated_at = ? WHERE id = ?"), s.d.stamp(s.now()), id)
	return err
}

// Delete removes a pack and its items.
func (s *Store) Delete(ctx context.Context, owner, id string) error {
	res, err := s.db.ExecContext(ctx, s.q("DELETE FROM packs WHERE id = ? AND owner = ?"), id, owner)
	if err != nil {
		return fmt.Errorf("delete pack: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Duplicate copies a pack with its items under a new title.
func (s *Store) Duplicate(ctx context.Context, owner, id, title string) (*Pack, error) {
	src, err := s.Get(ctx, owner, id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(title) == "" {
		title = src.Title + " (copy)"
	}
	var newPack *Pack
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		newPack = &Pack{ID: newID(), Owner: owner, Title: title, Description: src.Description, Audience: src.Audience, Objectives: src.Objectives, Version: 1, Created: now, Updated: now}
		obj, _ := json.Marshal(src.Objectives)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO packs (id, owner, title, description, audience, objectives, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`),
			newPack.ID, owner, title, src.Description, src.Audience, string(obj), s.d.stamp(now), s.d.stamp(now)); err != nil {
			return err
		}
		// The items as they are now, each under a new id made here (SQLite's
		// randomblob has no PostgreSQL twin). All are read before the first
		// insert: a transaction runs one statement at a time.
		rows, err := tx.QueryContext(ctx, s.q(`SELECT doc_id, section_id, note, position, grp, added_at, cited FROM items WHERE pack_id = ? ORDER BY position, added_at`), id)
		if err != nil {
			return err
		}
		var items []Item
		var cited []string
		for rows.Next() {
			var it Item
			var c string
			if err := rows.Scan(&it.DocID, &it.SectionID, &it.Note, &it.Position, &it.Group, stampDest{&it.Added}, &c); err != nil {
				rows.Close()
				return err
			}
			items, cited = append(items, it), append(cited, c)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i, it := range items {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO items (id, pack_id, doc_id, section_id, note, position, grp, version, added_at, cited) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`),
				newID(), newPack.ID, it.DocID, it.SectionID, it.Note, it.Position, it.Group, s.d.stamp(it.Added), cited[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("duplicate pack: %w", err)
	}
	return s.Get(ctx, owner, newPack.ID)
}

// ItemInput adds a section to a pack.
type ItemInput struct {
	DocID     string  `json:"doc_id"`
	SectionID string  `json:"section_id"`
	Note      string  `json:"note"`
	Group     string  `json:"group"`
	Cited     Section `json:"-"` // filled by the caller from the index
}

// AddItem appends a section to a pack. Adding never conflicts with other
// edits: two tabs adding at once both keep their items.
func (s *Store) AddItem(ctx context.Context, owner, packID string, in ItemInput) (*Item, error) {
	if in.DocID == "" || in.SectionID == "" {
		return nil, invalid("doc_id and section_id are required")
	}
	if len(in.Note) > MaxText || len(in.Group) > MaxTitle {
		return nil, invalid("the note may hold at most %d characters and the group %d", MaxText, MaxTitle)
	}
	cited, err := json.Marshal(in.Cited)
	if err != nil {
		return nil, err
	}
	it := &Item{ID: newID(), DocID: in.DocID, SectionID: in.SectionID, Note: strings.TrimSpace(in.Note), Group: strings.TrimSpace(in.Group), Version: 1, Cited: in.Cited}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.lockPack(ctx, tx, owner, packID, 0)
		if err != nil {
			return err
		}
		if p.ItemCount >= MaxItems {
			return invalid("a pack holds at most %d items", MaxItems)
		}
		it.Position = p.ItemCount + 1
		it.Added = s.now()
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO items (id, pack_id, doc_id, section_id, note, position, grp, version, added_at, cited) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`),
			it.ID, packID, it.DocID, it.SectionID, it.Note, it.Position, it.Group, s.d.stamp(it.Added), string(cited)); err != nil {
			return err
		}
		return s.touch(ctx, tx, packID)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// ItemPatch changes an item. Nil fields are left as they are. Version, when
// not 0, must be the item's current version.
type ItemPatch struct {
	Note     *string  `json:"note"`
	Group    *string  `json:"group"`
	Position *int     `json:"position"`
	Version  int      `json:"version"`
	Cited    *Section `json:"-"` // set when the trainer accepts the current text
}

// UpdateItem applies a patch; a new position moves the item and renumbers the
// others.
func (s *Store) UpdateItem(ctx context.Context, owner, packID, itemID string, p ItemPatch) (*Item, error) {
	if p.Note != nil && len(*p.Note) > MaxText || p.Group != nil && len(*p.Group) > MaxTitle {
		return nil, invalid("the note may hold at most %d characters and the group %d", MaxText, MaxTitle)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		pack, err := s.lockPack(ctx, tx, owner, packID, 0)
		if err != nil {
			return err
		}
		var version, position int
		err = tx.QueryRowContext(ctx, s.q("SELECT version, position FROM items WHERE id = ? AND pack_id = ?"), itemID, packID).Scan(&version, &position)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if p.Version != 0 && p.Version != version {
			return ErrConflict
		}
		if p.Note != nil {
			if _, err := tx.ExecContext(ctx, s.q("UPDATE items SET note = ? WHERE id = ?"), strings.TrimSpace(*p.Note), itemID); err != nil {
				return err
			}
		}
		if p.Group != nil {
			if _, err := tx.ExecContext(ctx, s.q("UPDATE items SET grp = ? WHERE id = ?"), strings.TrimSpace(*p.Group), itemID); err != nil {
				return err
			}
		}
		if p.Cited != nil {
			cited, _ := json.Marshal(p.Cited)
			if _, err := tx.ExecContext(ctx, s.q("UPDATE items SET cited = ? WHERE id = ?"), string(cited), itemID); err != nil {
				return err
			}
		}
		if p.Position != nil {
			to := min(max(*p.Position, 1), pack.ItemCount)
			if to != position {
				if err := s.move(ctx, tx, packID, itemID, position, to); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE items SET version = version + 1 WHERE id = ?"), itemID); err != nil {
			return err
		}
		return s.touch(ctx, tx, packID)
	})
	if err != nil {
		return nil, err
	}
	pack, err := s.Get(ctx, owner, packID)
	if err != nil {
		return nil, err
	}
	for _, it := range pack.Items {
		if it.ID == itemID {
			return &it, nil
		}
	}
	return nil, ErrNotFound
}

// move shifts the items between from and to by one and puts itemID at to.
func (s *Store) move(ctx context.Context, tx *sql.Tx, packID, itemID string, from, to int) error {
	var err error
	if to < from {
		_, err = tx.ExecContext(ctx, s.q("UPDATE items SET position = position + 1 WHERE pack_id = ? AND position >= ? AND position < ?"), packID, to, from)
	} else {
		_, err = tx.ExecContext(ctx, s.q("UPDATE items SET position = position - 1 WHERE pack_id = ? AND position > ? AND position <= ?"), packID, from, to)
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q("UPDATE items SET position = ? WHERE id = ?"), to, itemID)
	return err
}

// RemoveItem deletes an item and closes the gap in the order.
func (s *Store) RemoveItem(ctx context.Context, owner, packID, itemID string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockPack(ctx, tx, owner, packID, 0); err != nil {
			return err
		}
		var position int
		err := tx.QueryRowContext(ctx, s.q("SELECT position FROM items WHERE id = ? AND pack_id = ?"), itemID, packID).Scan(&position)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM items WHERE id = ?"), itemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE items SET position = position - 1 WHERE pack_id = ? AND position > ?"), packID, position); err != nil {
			return err
		}
		return s.touch(ctx, tx, packID)
	})
}

// PrivateFile creates the user-data file path with mode 0600 if it does not
// exist, and removes the group's and others' permissions if it does. Every
// store that opens user.db (packs here, the audit log in web/auth) calls it
// first.
func PrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return f.Chmod(st.Mode().Perm() &^ 0o077)
	}
	return nil
}
