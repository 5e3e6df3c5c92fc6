// Package identitydb keeps what domain/identity needs outside the process:
// accounts and registered relatives in the durable database (MySQL or
// SQLite), implementing identity.Store; and verification codes and
// refresh-token families in Redis (Ephemeral), implementing identity.Codes
// and identity.Sessions, where losing them only means signing in again.
//
// "One account per phone" and "one account per person" are unique keys on
// blind indexes. The cap of eight relatives holds under concurrent adds
// because the add counts and inserts while holding the account's row lock
// (SELECT … FOR UPDATE on MySQL; SQLite's IMMEDIATE transactions serialise
// writers anyway). Times are stored in UTC to the millisecond.
package identitydb

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the identity database. It is safe for concurrent use by many
// goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ identity.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

const accountColumns = "id, phone_index, phone_sealed, person_index, person_sealed, masked_name, bound_at, created_at"

type accountRow struct {
	ID           string         `db:"id"`
	PhoneIndex   string         `db:"phone_index"`
	PhoneSealed  string         `db:"phone_sealed"`
	PersonIndex  sql.NullString `db:"person_index"`
	PersonSealed string         `db:"person_sealed"`
	MaskedName   string         `db:"masked_name"`
	BoundAt      sql.NullTime   `db:"bound_at"`
	CreatedAt    time.Time      `db:"created_at"`
}

func (r accountRow) record() identity.AccountRecord {
	a := identity.AccountRecord{ID: r.ID, PhoneIndex: r.PhoneIndex, SealedPhone: r.PhoneSealed,
		PersonIndex: r.PersonIndex.String, SealedPerson: r.PersonSealed, MaskedName: r.MaskedName,
		CreatedAt: bj(r.CreatedAt)}
	if r.BoundAt.Valid {
		a.BoundAt = bj(r.BoundAt.Time)
	}
	return a
}

// CreateAccount implements identity.Store.
func (s *Store) CreateAccount(ctx context.Context, a identity.AccountRecord) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO identity_account (id, phone_index, phone_sealed, created_at) VALUES (?,?,?,?)",
		a.ID, a.PhoneIndex, a.SealedPhone, ts(a.CreatedAt))
	return fail(err, "账户")
}

// AccountByPhone implements identity.Store.
func (s *Store) AccountByPhone(ctx context.Context, phoneIndex string) (identity.AccountRecord, error) {
	return s.account(ctx, s.db, "phone_index = ?", phoneIndex)
}

// Account implements identity.Store.
func (s *Store) Account(ctx context.Context, id string) (identity.AccountRecord, error) {
	return s.account(ctx, s.db, "id = ?", id)
}

func (s *Store) account(ctx context.Context, q sqlx.QueryerContext, where string, arg any) (identity.AccountRecord, error) {
	var row accountRow
	if err := sqlx.GetContext(ctx, q, &row, "SELECT "+accountColumns+" FROM identity_account WHERE "+where, arg); err != nil {
		return identity.AccountRecord{}, fail(err, "账户")
	}
	return row.record(), nil
}

// BindPerson implements identity.Store.
func (s *Store) BindPerson(ctx context.Context, id, personIndex, sealedPerson, maskedName string, at time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := s.account(ctx, tx, "id = ?"+s.forUpdate(), id)
		if err != nil {
			return err
		}
		switch cur.PersonIndex {
		case personIndex:
			return nil // bound already: binding again changes nothing
		case "":
		default:
			return domain.Errorf(domain.Conflict, "本账户已实名绑定其他身份证号码，如需更换请到服务大厅办理")
		}
		_, err = tx.ExecContext(ctx, "UPDATE identity_account SET person_index = ?, person_sealed = ?, masked_name = ?, bound_at = ? WHERE id = ?",
			personIndex, sealedPerson, maskedName, ts(at), id)
		if store.IsDuplicate(err) {
			return domain.Wrap(err, domain.Conflict, "该身份证号码已绑定其他手机号，如非本人操作请到服务大厅办理")
		}
		return err
	})
	return fail(err, "账户")
}

// forUpdate locks the rows read, on the dialect that needs it.
func (s *Store) forUpdate() string {
	if s.db.Dialect == store.MySQL {
		return " FOR UPDATE"
	}
	return ""
}

// inTx runs fn in a transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn) // run again on a deadlock
}

// fail translates err (store.Fail), naming what was not found or
// already there.
func fail(err error, what string) error { return store.Fail(err, what, "账户服务") }

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// bj is a stored time as the domain shows it, in Beijing.
func bj(t time.Time) time.Time { return t.In(domain.Beijing) }
