package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// InTx runs fn in a transaction and commits it. When the database gives
// up on a lock — a MySQL deadlock or lock-wait timeout, a busy SQLite —
// it runs the whole of fn again in a new transaction, up to five times in
// all after short random pauses, as concurrent writers on one row make it
// do now and then. fn must do nothing outside the transaction that cannot
// be repeated.
func (db *DB) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.txOnce(ctx, fn)
		if err == nil || attempt == 4 || !IsTransient(err) {
			return err
		}
		time.Sleep(time.Duration(rand.IntN(10*(attempt+1))+1) * time.Millisecond)
	}
}

func (db *DB) txOnce(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// IsTransient reports lock failures worth running a transaction again for.
func IsTransient(err error) bool {
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
