// Package announcementdb keeps announcements (公告) in the durable database,
// MySQL or SQLite: the announcement table, and announcement_meta with the
// revision every write moves on and the seed file version last loaded. It
// implements announcement.Store.
//
// Keyword search is LIKE '%词%' over title and body, each term escaped: a
// scan of a few hundred rows, which both databases answer in well under a
// millisecond and which matches Chinese substrings without a tokenizer. At
// tens of thousands of rows, MySQL's FULLTEXT index WITH PARSER ngram would
// be the next step.
package announcementdb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the announcements on MySQL or SQLite. It is safe for concurrent use.
type Store struct {
	db *store.DB
}

var _ announcement.Store = (*Store)(nil)

// New returns the store on db, whose schema has been migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

const columns = `id, category, title, body, source, published_at, effective_from, effective_until,
	pinned, published, version, updated_at`

type row struct {
	ID             string       `db:"id"`
	Category       string       `db:"category"`
	Title          string       `db:"title"`
	Body           string       `db:"body"`
	Source         string       `db:"source"`
	PublishedAt    time.Time    `db:"published_at"`
	EffectiveFrom  sql.NullTime `db:"effective_from"`
	EffectiveUntil sql.NullTime `db:"effective_until"`
	Pinned         bool         `db:"pinned"`
	Published      bool         `db:"published"`
	Version        int64        `db:"version"`
	UpdatedAt      time.Time    `db:"updated_at"`
}

func (r row) announcement() announcement.Announcement {
	return announcement.Announcement{
		ID: r.ID, Category: announcement.Category(r.Category), Title: r.Title, Body: r.Body, Source: r.Source,
		PublishedAt: r.PublishedAt.UTC(), EffectiveFrom: utcOrZero(r.EffectiveFrom), EffectiveUntil: utcOrZero(r.EffectiveUntil),
		Pinned: r.Pinned, Published: r.Published, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC(),
	}
}

func utcOrZero(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// values is a in column order.
func values(a announcement.Announcement) []any {
	return []any{a.ID, string(a.Category), a.Title, a.Body, a.Source, ts(a.PublishedAt), nullTime(a.EffectiveFrom),
		nullTime(a.EffectiveUntil), a.Pinned, a.Published, a.Version, ts(a.UpdatedAt)}
}

// List implements announcement.Store.
func (s *Store) List(ctx context.Context, q announcement.Query) ([]announcement.Announcement, int, error) {
	where, args := filter(q)
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM announcement`+where, args...); err != nil {
		return nil, 0, unavailable(err)
	}
	if total == 0 || q.Offset >= total {
		return nil, total, nil
	}
	var rows []row
	err := s.db.SelectContext(ctx, &rows, `SELECT `+columns+` FROM announcement`+where+
		` ORDER BY pinned DESC, published_at DESC, id LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, unavailable(err)
	}
	out := make([]announcement.Announcement, len(rows))
	for i, r := range rows {
		out[i] = r.announcement()
	}
	return out, total, nil
}

// filter is the WHERE clause of q. '!' escapes LIKE's wildcards in both
// dialects (a backslash would need quoting differently in each).
func filter(q announcement.Query) (string, []any) {
	var conds []string
	var args []any
	if !q.IncludeHidden {
		conds, args = append(conds, "published = ?"), append(args, true)
	}
	if q.Category != "" {
		conds, args = append(conds, "category = ?"), append(args, string(q.Category))
	}
	for _, term := range q.Terms {
		like := "%" + likeEscaper.Replace(term) + "%"
		conds = append(conds, `(title LIKE ? ESCAPE '!' OR body LIKE ? ESCAPE '!')`)
		args = append(args, like, like)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")

// Get implements announcement.Store.
func (s *Store) Get(ctx context.Context, id string) (announcement.Announcement, error) {
	var r row
	err := s.db.GetContext(ctx, &r, `SELECT `+columns+` FROM announcement WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return announcement.Announcement{}, domain.Errorf(domain.NotFound, "该公告已撤下或不存在")
	}
	if err != nil {
		return announcement.Announcement{}, unavailable(err)
	}
	return r.announcement(), nil
}

// Insert implements announcement.Store.
func (s *Store) Insert(ctx context.Context, a announcement.Announcement) error {
	return s.write(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO announcement (`+columns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, values(a)...)
		if store.IsDuplicate(err) {
			return domain.Wrap(err, domain.Conflict, "该公告编号已存在")
		}
		return err
	})
}

// Update implements announcement.Store.
func (s *Store) Update(ctx context.Context, a announcement.Announcement, prev int64) error {
	return s.write(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE announcement SET category = ?, title = ?, body = ?, source = ?,
			published_at = ?, effective_from = ?, effective_until = ?, pinned = ?, published = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, append(values(a)[1:], a.ID, prev)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var exists []string
		if err := tx.SelectContext(ctx, &exists, `SELECT id FROM announcement WHERE id = ?`, a.ID); err != nil {
			return err
		}
		if len(exists) == 0 {
			return domain.Errorf(domain.NotFound, "该公告已撤下或不存在")
		}
		return domain.Errorf(domain.Conflict, "该公告刚被其他管理员修改，请刷新后重试")
	})
}

// Revision implements announcement.Store.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.db.GetContext(ctx, &rev, `SELECT revision FROM announcement_meta WHERE id = 1`)
	return rev, unavailable(err)
}

// Seed implements announcement.Store. Moving the seed version first takes
// the meta row's lock, so of several instances starting together one loads
// the file and the others find it loaded.
func (s *Store) Seed(ctx context.Context, version int64, items []announcement.Announcement) (int, error) {
	added := 0
	err := s.txn(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE announcement_meta SET seed_version = ?, revision = revision + 1
			WHERE id = 1 AND seed_version < ?`, version, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // loaded already
		}
		ignore := "INSERT IGNORE"
		if s.db.Dialect == store.SQLite {
			ignore = "INSERT OR IGNORE"
		}
		for _, a := range items {
			res, err := tx.ExecContext(ctx, ignore+` INTO announcement (`+columns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, values(a)...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
		}
		return nil
	})
	return added, err
}

// write runs fn and moves the revision on, in one transaction.
func (s *Store) write(ctx context.Context, fn func(*sqlx.Tx) error) error {
	return s.txn(ctx, func(tx *sqlx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE announcement_meta SET revision = revision + 1 WHERE id = 1`)
		return err
	})
}

func (s *Store) txn(ctx context.Context, fn func(*sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return unavailable(err)
	}
	return unavailable(tx.Commit())
}

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// unavailable wraps a database failure; nil and domain errors pass.
func unavailable(err error) error {
	var de *domain.Error
	if err == nil || errors.As(err, &de) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, "公告暂时无法访问，请稍后重试")
}
