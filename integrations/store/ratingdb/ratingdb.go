// Package ratingdb keeps service ratings (好差评), their rectifications
// (整改) with every step, and the finished applications awaiting a rating
// reminder, in MySQL or SQLite. It implements rating.Store.
//
// "Once per stage" is the unique key (application_id, stage): two
// concurrent ratings of one stage cannot both land. A bad rating and its
// rectification are written in one transaction, and a rectification moves
// only from the state it was read in (UPDATE … WHERE state = ?), so two
// staff acting at once cannot both win. Statistics are one GROUP BY over
// the rating table with SUM(CASE …) per level, portable to both dialects;
// the Beijing date of each rating is stored (rated_on) so grouping by day
// needs no date functions. Times are stored in UTC to the millisecond.
package ratingdb

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the rating database. It is safe for concurrent use by many
// goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ rating.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated
// (store.NewMigrator).
func New(db *store.DB) *Store { return &Store{db: db} }

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn)
}

// fail translates err (store.Fail), naming what was not found or
// already there.
func fail(err error, what string) error { return store.Fail(err, what, "评价服务") }

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// bj is a stored time as the domain shows it, in Beijing.
func bj(t time.Time) time.Time { return t.In(domain.Beijing) }

// nullTime is t as a nullable column value: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// clip shortens s to at most n characters, for text copied from other
// systems that may run longer than its column.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// exec runs one statement and returns the rows it affected.
func exec(ctx context.Context, db sqlx.ExecerContext, query string, args ...any) (int64, error) {
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("%.40s: %w", query, err)
	}
	return res.RowsAffected()
}
