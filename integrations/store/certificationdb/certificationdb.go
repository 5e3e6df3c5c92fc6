// Package certificationdb keeps pension certification cycles (待遇资格认证),
// the events owed to the counter core and the reminders sent, in MySQL or
// SQLite. It implements certification.Store.
//
// Concurrency rests on the database, so several BFF instances may serve
// and sweep at once: a cycle is written only over the version it was read
// at (version = version + 1 … WHERE version = ?), a person's cycles are
// unique by (person_ref, seq), and a reminder is claimed by inserting its
// primary key. Each change and the events it makes are one transaction.
//
// Personal data arrives sealed from the domain; nothing here sees a raw ID
// number. Times are stored in UTC to the millisecond and read back in
// Beijing time.
package certificationdb

import (
	"context"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the certification database. It is safe for concurrent use.
type Store struct {
	db *store.DB
}

var _ certification.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated
// (store.NewMigrator).
func New(db *store.DB) *Store { return &Store{db: db} }

// what names a cycle in error messages.
const what = "认证记录"

// msgUnavailable is what a citizen sees when the database fails.
const msgUnavailable = "待遇资格认证暂时无法办理，请稍后再试"

// fail turns a driver error into a domain error: duplicate → Conflict, no
// rows → NotFound, anything else → Unavailable.
func fail(err error) error {
	if err == nil {
		return nil
	}
	err = store.Translate(err, what)
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, msgUnavailable)
}

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock (two instances opening or
// changing the same person's cycles at once).
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn)
}

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// nullTime is t as a nullable column value: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// local is a stored time read back in Beijing time; zero stays zero.
func local(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(domain.Beijing)
}
