// Package catalogdb keeps the matter catalogue (事项库) in the durable
// database, MySQL or SQLite: each matter and bundle is a JSON document in
// catalog_matter or catalog_bundle, keyed by code, beside its version and
// update time for whoever reads the tables directly; catalog_meta holds the
// catalog file version last imported and the revision. It implements
// catalog.Store.
//
// Every write is one transaction that first moves the revision on with
// UPDATE … WHERE revision = ?: the row lock orders concurrent writers (on
// MySQL; SQLite transactions are already exclusive) and the loser finds
// the revision moved and gets Conflict. Which catalog wins between the file
// in the binary and the one stored is the catalog service's rule (see
// catalog.Open); this package only stores what it is told, atomically.
package catalogdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// sqliteTime is how SQLite keeps updated_at: fixed width in UTC. The column
// is for people reading the table; the service reads the time from the
// document.
const sqliteTime = "2006-01-02 15:04:05.000"

// Store is the catalog on MySQL or SQLite. It is safe for concurrent use.
type Store struct {
	db *store.DB
}

var _ catalog.Store = (*Store)(nil)

// New returns the catalog store on db, whose schema has been migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

// table is one of the two document tables.
type table string

const (
	matters table = "catalog_matter"
	bundles table = "catalog_bundle"
)

// Load returns the whole catalog, read in one transaction so matters,
// bundles and revision agree. Error: Unavailable when the database fails,
// Internal when a stored document cannot be read.
func (s *Store) Load(ctx context.Context) (catalog.Contents, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return catalog.Contents{}, unavailable(err)
	}
	defer tx.Rollback()
	var c catalog.Contents
	err = tx.QueryRowxContext(ctx, `SELECT file_version, revision FROM catalog_meta WHERE id = 1`).
		Scan(&c.FileVersion, &c.Revision)
	if err != nil {
		return catalog.Contents{}, unavailable(err)
	}
	if c.Matters, err = loadDocs[catalog.Matter](ctx, tx, matters, func(m *catalog.Matter, v int64) { m.Version = v }); err != nil {
		return catalog.Contents{}, err
	}
	if c.Bundles, err = loadDocs[catalog.Bundle](ctx, tx, bundles, func(b *catalog.Bundle, v int64) { b.Version = v }); err != nil {
		return catalog.Contents{}, err
	}
	return c, unavailable(tx.Commit())
}

// docRow is a stored document with its version.
type docRow struct {
	Version int64  `db:"version"`
	Doc     string `db:"doc"`
}

// loadDocs reads every document of t, in code order; the version column is
// authoritative over the document's.
func loadDocs[T any](ctx context.Context, tx *sqlx.Tx, t table, setVersion func(*T, int64)) ([]T, error) {
	var rows []docRow
	if err := tx.SelectContext(ctx, &rows, `SELECT version, doc FROM `+string(t)+` ORDER BY code`); err != nil {
		return nil, unavailable(err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Doc), &out[i]); err != nil {
			return nil, domain.Wrap(fmt.Errorf("%s row %d: %w", t, i, err), domain.Internal, "事项库数据无法读取")
		}
		setVersion(&out[i], r.Version)
	}
	return out, nil
}

// Revision returns the current revision. Error: Unavailable.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.db.QueryRowxContext(ctx, `SELECT revision FROM catalog_meta WHERE id = 1`).Scan(&rev)
	return rev, unavailable(err)
}

// Replace makes c the whole catalog and records its file version.
// Errors: Conflict when the revision moved on from prevRevision;
// Unavailable.
func (s *Store) Replace(ctx context.Context, prevRevision int64, c catalog.Contents) error {
	return s.write(ctx, prevRevision, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_meta SET file_version = ? WHERE id = 1`, c.FileVersion); err != nil {
			return err
		}
		for _, t := range []table{matters, bundles} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+string(t)); err != nil {
				return err
			}
		}
		for _, m := range c.Matters {
			if err := s.put(ctx, tx, matters, m.Code, m.Version, m.UpdatedAt, m); err != nil {
				return err
			}
		}
		for _, b := range c.Bundles {
			if err := s.put(ctx, tx, bundles, b.Code, b.Version, b.UpdatedAt, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveMatter inserts or replaces m. Errors: Conflict when the revision
// moved on from prevRevision; Unavailable.
func (s *Store) SaveMatter(ctx context.Context, m catalog.Matter, prevRevision int64) error {
	return s.write(ctx, prevRevision, func(tx *sqlx.Tx) error {
		return s.put(ctx, tx, matters, m.Code, m.Version, m.UpdatedAt, m)
	})
}

// SaveBundle inserts or replaces b. Errors: Conflict when the revision
// moved on from prevRevision; Unavailable.
func (s *Store) SaveBundle(ctx context.Context, b catalog.Bundle, prevRevision int64) error {
	return s.write(ctx, prevRevision, func(tx *sqlx.Tx) error {
		return s.put(ctx, tx, bundles, b.Code, b.Version, b.UpdatedAt, b)
	})
}

// write runs fn in a transaction after moving the revision on from prev.
func (s *Store) write(ctx context.Context, prev int64, fn func(*sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE catalog_meta SET revision = revision + 1 WHERE id = 1 AND revision = ?`, prev)
	if err != nil {
		return unavailable(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return unavailable(err)
		}
		return domain.Errorf(domain.Conflict, "事项库刚被其他管理员修改，请刷新后重试")
	}
	if err := fn(tx); err != nil {
		return unavailable(err)
	}
	return unavailable(tx.Commit())
}

// put replaces the document of code in t.
func (s *Store) put(ctx context.Context, tx *sqlx.Tx, t table, code string, version int64, at time.Time, doc any) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", t, code, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+string(t)+` WHERE code = ?`, code); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO `+string(t)+` (code, version, updated_at, doc) VALUES (?, ?, ?, ?)`,
		code, version, s.timeArg(at), string(raw))
	return err
}

func (s *Store) timeArg(at time.Time) any {
	at = at.UTC().Truncate(time.Millisecond)
	if s.db.Dialect == store.SQLite {
		return at.Format(sqliteTime)
	}
	return at
}

// unavailable wraps a database failure; nil and domain errors pass.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, "事项库暂时无法访问，请稍后重试")
}
