// Package followerdb keeps what domain/follower needs outside the process:
// bindings of WeChat openids to persons, and the relatives bound followers
// registered, in the durable database (MySQL or SQLite), implementing
// follower.Store; and H5 sessions in Redis (Sessions), implementing
// follower.Sessions, where losing them only means authorizing again.
//
// "One binding per openid" is the primary key and "one per person" a
// unique key on the blind index; moving a person's binding to a new openid
// deletes the old row and inserts the new one in one transaction. The cap
// on relatives holds under concurrent adds because the add counts and
// inserts while holding the holder's binding row (SELECT … FOR UPDATE on
// MySQL; SQLite's IMMEDIATE transactions serialise writers anyway). Times
// are stored in UTC to the millisecond.
package followerdb

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the follower database. It is safe for concurrent use by many
// goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ follower.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

const bindingColumns = "open_id, person_index, person_sealed, masked_name, method, bound_at"

type bindingRow struct {
	OpenID       string    `db:"open_id"`
	PersonIndex  string    `db:"person_index"`
	PersonSealed string    `db:"person_sealed"`
	MaskedName   string    `db:"masked_name"`
	Method       string    `db:"method"`
	BoundAt      time.Time `db:"bound_at"`
}

func (r bindingRow) record() follower.BindingRecord {
	return follower.BindingRecord{OpenID: r.OpenID, PersonRef: r.PersonIndex, SealedPerson: r.PersonSealed,
		MaskedName: r.MaskedName, Method: follower.Method(r.Method), BoundAt: bj(r.BoundAt)}
}

// Bind implements follower.Store.
func (s *Store) Bind(ctx context.Context, b follower.BindingRecord) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := s.binding(ctx, tx, "open_id = ?"+s.forUpdate(), b.OpenID)
		switch {
		case err == nil && cur.PersonRef == b.PersonRef:
			return nil // bound already: binding again changes nothing
		case err == nil:
			return domain.Errorf(domain.Conflict, "本微信号已绑定其他人的社保身份，请先解绑后再绑定")
		case !domain.IsCode(err, domain.NotFound):
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM wechat_follower WHERE person_index = ?", b.PersonRef); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO wechat_follower ("+bindingColumns+") VALUES (?,?,?,?,?,?)",
			b.OpenID, b.PersonRef, b.SealedPerson, b.MaskedName, string(b.Method), ts(b.BoundAt))
		if store.IsDuplicate(err) {
			return domain.Wrap(err, domain.Conflict, "该身份正在其他微信号上绑定，请稍后重试")
		}
		return err
	})
	return fail(err, "绑定")
}

// Binding implements follower.Store.
func (s *Store) Binding(ctx context.Context, openID string) (follower.BindingRecord, error) {
	return s.binding(ctx, s.db, "open_id = ?", openID)
}

// BindingOf implements follower.Store.
func (s *Store) BindingOf(ctx context.Context, personRef string) (follower.BindingRecord, error) {
	return s.binding(ctx, s.db, "person_index = ?", personRef)
}

func (s *Store) binding(ctx context.Context, q sqlx.QueryerContext, where string, arg any) (follower.BindingRecord, error) {
	var row bindingRow
	if err := sqlx.GetContext(ctx, q, &row, "SELECT "+bindingColumns+" FROM wechat_follower WHERE "+where, arg); err != nil {
		return follower.BindingRecord{}, fail(err, "绑定")
	}
	return row.record(), nil
}

// Unbind implements follower.Store.
func (s *Store) Unbind(ctx context.Context, openID string) (bool, error) {
	found := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := s.binding(ctx, tx, "open_id = ?"+s.forUpdate(), openID)
		if domain.IsCode(err, domain.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		if _, err := tx.ExecContext(ctx, "DELETE FROM wechat_relative WHERE holder_index = ?", cur.PersonRef); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM wechat_follower WHERE open_id = ?", openID)
		return err
	})
	return found, fail(err, "绑定")
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
	return s.db.InTx(ctx, fn) // run again on a deadlock, as two first bindings at once may meet
}

// fail translates err (store.Fail), naming what was not found or
// already there.
func fail(err error, what string) error { return store.Fail(err, what, "公众号服务") }

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// bj is a stored time as the domain shows it.
func bj(t time.Time) time.Time { return t.In(domain.Beijing) }
