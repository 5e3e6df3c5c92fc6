// Package accountdb keeps the enterprise channel's own data: unit operator
// accounts (单位经办人) and the devices they trust, batch uploads (批量) and
// the follow-ups of staff transfers, in MySQL or SQLite; and, because they
// are the same accounts' concern, the two pieces that are not tables: the
// argon2id password hasher and the Redis store of sessions, SMS codes and
// failure counts (Ephemeral). It implements account.Store, account.Hasher,
// account.Ephemeral and the enterprise channel's BatchStore and
// TransferStore.
//
// Personal data arrives sealed from the domain: nothing here sees a raw ID
// number, phone or credit code, except the hasher, which sees passwords and
// keeps none. Times are stored in UTC to the millisecond.
package accountdb

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the database of operators, devices, batches and transfers. It is
// safe for concurrent use by many goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ account.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated
// (store.NewMigrator).
func New(db *store.DB) *Store { return &Store{db: db} }

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock.
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
