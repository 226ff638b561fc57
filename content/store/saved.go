package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Saved searches (migration 4): a user's query and filters, kept as the
// results page's URL parameters, with the set of sections that matched at
// the last check and the sections found new since. After each re-index the
// server checks every saved search (Check) against the new index with the
// owner's handling levels.

// Limits of saved searches.
const (
	MaxSavedPerUser = 50
	MaxSavedName    = 200
	MaxSavedParams  = 2048 // the URL parameters, encoded
	// MaxMatches bounds the matching sections remembered per saved search
	// (a search pages no deeper than its 1,000th hit).
	MaxMatches = 1000
	// MaxNews bounds the new sections kept per saved search, newest kept.
	MaxNews = 100
)

// SavedSearch is one saved search.
type SavedSearch struct {
	ID      string    `json:"id"`
	Owner   string    `json:"-"`
	Name    string    `json:"name"`
	Params  string    `json:"params"` // the results page's URL query: q=…&topic=…
	Levels  []string  `json:"-"`      // the owner's handling levels when last seen
	Created time.Time `json:"created"`
	Checked time.Time `json:"checked"` // the last check against an index
	Seen    time.Time `json:"seen"`    // when the owner last marked the news seen
	IndexID string    `json:"-"`       // the index last checked
	// New counts the sections found new since Seen.
	New     int  `json:"new"`
	HasFeed bool `json:"has_feed"`
}

// SectionRef names a section.
type SectionRef struct {
	DocID     string `json:"doc_id"`
	SectionID string `json:"section_id"`
}

// News is a section that newly matched a saved search, and when.
type News struct {
	SectionRef
	Found time.Time `json:"found"`
}

// matchSet is the compact set of matching sections: 8 bytes of the SHA-256
// of each document and section id, sorted, base64 in the database.
type matchSet map[uint64]bool

func matchKey(r SectionRef) uint64 {
	sum := sha256.Sum256([]byte(r.DocID + "\x00" + r.SectionID))
	return binary.BigEndian.Uint64(sum[:8])
}

func encodeMatches(refs []SectionRef) string {
	keys := make([]uint64, 0, min(len(refs), MaxMatches))
	for _, r := range refs {
		keys = append(keys, matchKey(r))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > MaxMatches {
		keys = keys[:MaxMatches]
	}
	b := make([]byte, 8*len(keys))
	for i, k := range keys {
		binary.BigEndian.PutUint64(b[8*i:], k)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decodeMatches(s string) matchSet {
	b, err := base64.StdEncoding.DecodeString(s)
	out := matchSet{}
	if err != nil {
		return out
	}
	for i := 0; i+8 <= len(b); i += 8 {
		out[binary.BigEndian.Uint64(b[i:])] = true
	}
	return out
}

const savedColumns = `id, owner, name, params, levels, created_at, checked_at, seen_at, index_id, feed_sha256 <> ''`

func scanSaved(sc interface{ Scan(...any) error }) (*SavedSearch, error) {
	var v SavedSearch
	var levels string
	if err := sc.Scan(&v.ID, &v.Owner, &v.Name, &v.Params, &levels, stampDest{&v.Created}, stampDest{&v.Checked}, stampDest{&v.Seen}, &v.IndexID, &v.HasFeed); err != nil {
		return nil, err
	}
	if levels != "" {
		v.Levels = strings.Split(levels, ",")
	}
	return &v, nil
}

// SaveSearch saves a search of owner's: name, the URL parameters, the
// owner's levels, and the sections it matches now in the index indexID, so
// that only what matches later is new.
func (s *Store) SaveSearch(ctx context.Context, owner, name, params string, levels []string, indexID string, matches []SectionRef) (*SavedSearch, error) {
	name = strings.TrimSpace(name)
	switch {
	case owner == "":
		return nil, invalid("a saved search needs an owner")
	case name == "" || utf8.RuneCountInString(name) > MaxSavedName || !utf8.ValidString(name):
		return nil, invalid("a saved search's name is 1 to %d characters", MaxSavedName)
	case params == "" || len(params) > MaxSavedParams:
		return nil, invalid("a saved search's parameters are 1 to %d bytes", MaxSavedParams)
	}
	now := s.now()
	v := &SavedSearch{ID: newID(), Owner: owner, Name: name, Params: params, Levels: levels, Created: now, Checked: now, Seen: now, IndexID: indexID}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM saved_searches WHERE owner = ?`), owner).Scan(&n); err != nil {
			return err
		}
		if n >= MaxSavedPerUser {
			return invalid("at most %d saved searches per user", MaxSavedPerUser)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO saved_searches (id, owner, name, params, levels, created_at, checked_at, seen_at, index_id, matches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			v.ID, owner, name, params, strings.Join(levels, ","), s.sortable(now), s.sortable(now), s.sortable(now), indexID, encodeMatches(matches))
		return err
	})
	if err != nil {
		if errors.Is(err, ErrInvalid) {
			return nil, err
		}
		return nil, fmt.Errorf("save search: %w", err)
	}
	return v, nil
}

// SavedSearches lists owner's saved searches, oldest first, each with its
// count of new sections.
func (s *Store) SavedSearches(ctx context.Context, owner string) ([]SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+savedColumns+`, (SELECT COUNT(*) FROM saved_search_news n WHERE n.saved_id = saved_searches.id AND n.found_at > saved_searches.seen_at)
		FROM saved_searches WHERE owner = ? ORDER BY created_at, id`), owner)
	if err != nil {
		return nil, fmt.Errorf("saved searches: %w", err)
	}
	defer rows.Close()
	out := []SavedSearch{}
	for rows.Next() {
		var v SavedSearch
		var levels string
		if err := rows.Scan(&v.ID, &v.Owner, &v.Name, &v.Params, &levels, stampDest{&v.Created}, stampDest{&v.Checked}, stampDest{&v.Seen}, &v.IndexID, &v.HasFeed, &v.New); err != nil {
			return nil, err
		}
		if levels != "" {
			v.Levels = strings.Split(levels, ",")
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SavedSearch returns one of owner's saved searches.
func (s *Store) SavedSearch(ctx context.Context, owner, id string) (*SavedSearch, error) {
	v, err := scanSaved(s.db.QueryRowContext(ctx, s.q(`SELECT `+savedColumns+` FROM saved_searches WHERE owner = ? AND id = ?`), owner, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("saved search: %w", err)
	}
	return v, nil
}

// DeleteSavedSearch deletes one of owner's saved searches, its news and its
// feed.
func (s *Store) DeleteSavedSearch(ctx context.Context, owner, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM saved_searches WHERE owner = ? AND id = ?`), owner, id)
	if err != nil {
		return fmt.Errorf("delete saved search: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// AllSavedSearches lists every saved search, for the checks after a
// re-index.
func (s *Store) AllSavedSearches(ctx context.Context) ([]SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+savedColumns+` FROM saved_searches ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("saved searches: %w", err)
	}
	defer rows.Close()
	var out []SavedSearch
	for rows.Next() {
		v, err := scanSaved(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// Check records what saved search id matches in the index indexID: the
// sections not in the set of the last check are news (found at at), and
// matches becomes the set. It returns how many were new. A saved search
// already checked against indexID (by another replica) is left alone.
func (s *Store) Check(ctx context.Context, id, indexID string, matches []SectionRef, at time.Time) (int, error) {
	added := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var prev, last string
		err := tx.QueryRowContext(ctx, s.q(`SELECT matches, index_id FROM saved_searches WHERE id = ?`+s.d.forUpdate), id).Scan(&prev, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if last == indexID && indexID != "" {
			return nil
		}
		seen := decodeMatches(prev)
		for _, m := range matches {
			if seen[matchKey(m)] {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO saved_search_news (saved_id, doc_id, section_id, found_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (saved_id, doc_id, section_id) DO UPDATE SET found_at = excluded.found_at`), id, m.DocID, m.SectionID, s.sortable(at)); err != nil {
				return err
			}
			added++
		}
		if added > 0 {
			// Keep the newest MaxNews.
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM saved_search_news WHERE saved_id = ? AND (doc_id, section_id) NOT IN
				(SELECT doc_id, section_id FROM saved_search_news WHERE saved_id = ? ORDER BY found_at DESC, doc_id, section_id LIMIT ?)`), id, id, MaxNews); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE saved_searches SET matches = ?, index_id = ?, checked_at = ? WHERE id = ?`), encodeMatches(matches), indexID, s.sortable(at), id)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return 0, err
		}
		return 0, fmt.Errorf("check saved search: %w", err)
	}
	return added, nil
}

// News lists saved search id's new sections, newest first, at most limit
// (at most MaxNews).
func (s *Store) News(ctx context.Context, id string, limit int) ([]News, error) {
	if limit <= 0 || limit > MaxNews {
		limit = MaxNews
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT doc_id, section_id, found_at FROM saved_search_news WHERE saved_id = ? ORDER BY found_at DESC, doc_id, section_id LIMIT ?`), id, limit)
	if err != nil {
		return nil, fmt.Errorf("news: %w", err)
	}
	defer rows.Close()
	out := []News{}
	for rows.Next() {
		var n News
		if err := rows.Scan(&n.DocID, &n.SectionID, stampDest{&n.Found}); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkSeen says owner has seen the news of saved search id: its count of
// new sections starts again from zero.
func (s *Store) MarkSeen(ctx context.Context, owner, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE saved_searches SET seen_at = ? WHERE owner = ? AND id = ?`), s.sortable(s.now()), owner, id)
	if err != nil {
		return fmt.Errorf("mark seen: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// RememberLevels keeps owner's current handling levels on their saved
// searches, for the feeds of owners the auth file does not list.
func (s *Store) RememberLevels(ctx context.Context, owner string, levels []string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE saved_searches SET levels = ? WHERE owner = ? AND levels <> ?`), strings.Join(levels, ","), owner, strings.Join(levels, ","))
	if err != nil {
		return fmt.Errorf("remember levels: %w", err)
	}
	return nil
}

// feedHash is what the store keeps of a feed token.
func feedHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewFeedToken gives saved search id of owner's a new random feed token,
// which it returns; the previous one stops working. Only its SHA-256 is
// kept, so the token is shown once.
func (s *Store) NewFeedToken(ctx context.Context, owner, id string) (string, error) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE saved_searches SET feed_sha256 = ? WHERE owner = ? AND id = ?`), feedHash(token), owner, id)
	if err != nil {
		return "", fmt.Errorf("feed token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrNotFound
	}
	return token, nil
}

// RevokeFeed stops the feed of saved search id of owner's.
func (s *Store) RevokeFeed(ctx context.Context, owner, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE saved_searches SET feed_sha256 = '' WHERE owner = ? AND id = ?`), owner, id)
	if err != nil {
		return fmt.Errorf("revoke feed: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SavedSearchByFeed returns the saved search whose feed token is token.
func (s *Store) SavedSearchByFeed(ctx context.Context, token string) (*SavedSearch, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNotFound
	}
	v, err := scanSaved(s.db.QueryRowContext(ctx, s.q(`SELECT `+savedColumns+` FROM saved_searches WHERE feed_sha256 = ?`), feedHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return v, nil
}

// sortable is a time stamp that compares as time does in either database:
// a timestamptz in PostgreSQL, fixed-width text in SQLite (RFC 3339 with
// nanoseconds drops trailing zeros, and "05Z" would sort after "05.1Z").
func (s *Store) sortable(t time.Time) any {
	if s.d.timeStamps {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}
