// Package notifydb keeps the notice outbox of domain/notify (通知发件箱) in
// MySQL or SQLite: tables notice and notice_person (migration 00060).
//
// Enqueueing is one short transaction that first upserts the person's
// notice_person row — taking its row lock, so that one person's enqueues
// queue behind each other and each sees the slots the others took — then
// reads that person's recent slots and inserts the notice; the UNIQUE
// dedup_key turns a repeat into a no-op. Claiming uses FOR UPDATE SKIP
// LOCKED on MySQL, so dispatchers of several BFF instances take disjoint
// notices without waiting, and a single UPDATE … RETURNING on SQLite, whose
// one writer needs no row locks. Every write after a claim names the lease,
// so a dispatcher that lost its notice to another changes nothing.
//
// The phone arrives sealed and stays so; nothing here sees its digits.
// Times are stored in UTC to the millisecond.
package notifydb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the notice outbox on MySQL or SQLite. It is safe for concurrent
// use by many goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ notify.Store = (*Store)(nil)

// New returns the outbox on db, whose schema must be migrated
// (store.NewMigrator).
func New(db *store.DB) *Store { return &Store{db: db} }

// columns are those a Record is read from, in row's order.
const columns = `id, dedup_key, person_ref, phone_sealed, openid, channel, kind, params, state, route,
	in_flight, skip_wechat, attempts, lease, slot_at, next_attempt_at, message_id, last_error, created_at, sent_at`

// row is one notice as stored.
type row struct {
	ID            int64        `db:"id"`
	DedupKey      string       `db:"dedup_key"`
	PersonRef     string       `db:"person_ref"`
	PhoneSealed   string       `db:"phone_sealed"`
	OpenID        string       `db:"openid"`
	Channel       string       `db:"channel"`
	Kind          string       `db:"kind"`
	Params        string       `db:"params"`
	State         string       `db:"state"`
	Route         string       `db:"route"`
	InFlight      string       `db:"in_flight"`
	SkipWeChat    bool         `db:"skip_wechat"`
	Attempts      int          `db:"attempts"`
	Lease         string       `db:"lease"`
	SlotAt        time.Time    `db:"slot_at"`
	NextAttemptAt sql.NullTime `db:"next_attempt_at"`
	MessageID     string       `db:"message_id"`
	LastError     string       `db:"last_error"`
	CreatedAt     time.Time    `db:"created_at"`
	SentAt        sql.NullTime `db:"sent_at"`
}

// record turns a row into what the domain sees.
func (r row) record() (notify.Record, error) {
	var p notify.Params
	if err := json.Unmarshal([]byte(r.Params), &p); err != nil {
		return notify.Record{}, domain.Wrap(err, domain.Internal, "通知内容无法读取")
	}
	return notify.Record{
		ID: r.ID, DedupKey: r.DedupKey, Kind: notify.Kind(r.Kind), Params: p,
		To:    notify.Recipient{PersonRef: r.PersonRef, PhoneSealed: r.PhoneSealed, OpenID: r.OpenID, Channel: domain.Channel(r.Channel)},
		State: notify.State(r.State), Route: notify.Route(r.Route), InFlight: notify.Route(r.InFlight),
		SkipWeChat: r.SkipWeChat, Attempts: r.Attempts, Lease: r.Lease, SlotAt: r.SlotAt.UTC(),
		NextAttemptAt: r.NextAttemptAt.Time.UTC(), MessageID: r.MessageID, LastError: r.LastError,
		CreatedAt: r.CreatedAt.UTC(), SentAt: r.SentAt.Time.UTC(),
	}, nil
}

// records converts rows, stopping at the first that cannot be read.
func records(rows []row) ([]notify.Record, error) {
	out := make([]notify.Record, 0, len(rows))
	for _, r := range rows {
		rec, err := r.record()
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn)
}

// unavailable reports a database failure in words a citizen can act on;
// domain errors pass through.
func unavailable(err error) error {
	var de *domain.Error
	if err == nil || errors.As(err, &de) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, "消息通知服务暂时不可用，请稍后再试")
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

// clip shortens s to at most n characters, for columns holding other
// systems' error text.
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
