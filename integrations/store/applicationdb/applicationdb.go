// Package applicationdb stores applications (申请), packages (打包办), the
// outbox to the counter core, progress timelines, drafts and material files
// in MySQL or SQLite. It implements the ports of domain/declaration (Store,
// Outbox, MaterialStore, DraftStore) and domain/progress (Store).
//
// Each write is one short transaction of as few statements as it can be:
// a submission is BEGIN, INSERT application(s), INSERT outbox, COMMIT, and
// idempotency is a unique key on (applicant_ref, idempotency_key) rather
// than a read first, so concurrent repeats of one key queue on the index
// and all but the first find the first's row. Transactions that lose a
// lock race (a MySQL deadlock, a busy SQLite) are retried whole.
//
// Personal data arrives sealed from the domain; nothing here sees a raw ID
// number or phone. Times are stored in UTC to the millisecond.
package applicationdb

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is the database of applications and their progress. It is safe for
// concurrent use by many goroutines and many BFF instances.
type Store struct {
	db    *store.DB
	known knownSet // material hashes known to be stored
}

var (
	_ declaration.Store         = (*Store)(nil)
	_ declaration.Outbox        = (*Store)(nil)
	_ declaration.MaterialStore = (*Store)(nil)
	_ declaration.DraftStore    = (*Store)(nil)
	_ progress.Store            = (*Store)(nil)
)

// New returns a Store over db, whose schema must be migrated
// (store.NewMigrator).
func New(db *store.DB) *Store { return &Store{db: db} }

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.txOnce(ctx, fn)
		if err == nil || attempt == 4 || !transient(err) {
			return err
		}
		time.Sleep(time.Duration(rand.IntN(10*(attempt+1))+1) * time.Millisecond)
	}
}

func (s *Store) txOnce(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// transient reports lock failures worth retrying the transaction for.
func transient(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205 // deadlock, lock wait timeout
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED
	}
	return false
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

// clip shortens s to at most n characters, for columns holding text from
// other systems that may run long.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// in expands the IN (?) of query for args and rebinds it.
func (s *Store) in(query string, args ...any) (string, []any, error) {
	q, a, err := sqlx.In(query, args...)
	if err != nil {
		return "", nil, err
	}
	return s.db.Rebind(q), a, nil
}
