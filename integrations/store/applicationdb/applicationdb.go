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
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
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
