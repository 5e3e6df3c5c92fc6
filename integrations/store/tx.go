package store

import (
	"context"
	"database/sql"
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
	return db.inTx(ctx, nil, fn)
}

// InClaimTx is InTx for claiming queued rows (SELECT … FOR UPDATE SKIP
// LOCKED): on MySQL it reads committed data, so that its range scan takes
// no gap locks that would hold up the INSERTs queueing new rows behind it
// (under the default REPEATABLE READ they wait for every claim).
func (db *DB) InClaimTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if db.Dialect != MySQL {
		return db.inTx(ctx, nil, fn)
	}
	return db.inTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted}, fn)
}

func (db *DB) inTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.txOnce(ctx, opts, fn)
		if err == nil || attempt == 4 || !IsTransient(err) {
			return err
		}
		time.Sleep(time.Duration(rand.IntN(10*(attempt+1))+1) * time.Millisecond)
	}
}

func (db *DB) txOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, opts)
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
