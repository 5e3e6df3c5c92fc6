// Package contributiondb keeps contribution payment orders (缴费订单), the
// months each holds and the payments recorded, in MySQL or SQLite. It
// implements contribution.Store.
//
// Three keys carry the rules. (payer_ref, idempotency_key) makes a double
// tap one order. The primary key (payer_ref, month) of the month claims
// keeps two open or paid orders off one month. The payment's primary key
// is the order id, and the settling UPDATE moves only a pending order, so
// a notification delivered twice — or racing a query of the same outcome —
// records one payment. Times are stored in UTC to the millisecond.
package contributiondb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the contribution database. It is safe for concurrent use by
// many goroutines and many BFF instances.
type Store struct {
	db *store.DB
}

var _ contribution.Store = (*Store)(nil)

// New returns a Store over db, whose schema must be migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

const orderColumns = "o.id, o.payer_kind, o.payer_ref, o.payer_sealed, o.payer_display, o.actor_ref, o.channel, " +
	"o.idempotency_key, o.insurance, o.first_month, o.last_month, o.tier, o.base, o.monthly, o.amount, " +
	"o.description, o.status, o.channel_order_no, o.pay_url, o.fail_reason, o.created_at, o.settled_at"

const paymentColumns = "p.receipt_no, p.notify_id, p.channel_order_no AS paid_channel_order_no, p.amount AS paid_amount, p.paid_at, p.recorded_at"

// selectOrders reads orders with their payments.
const selectOrders = "SELECT " + orderColumns + ", " + paymentColumns +
	" FROM contribution_order o LEFT JOIN contribution_payment p ON p.order_id = o.id"

type orderRow struct {
	ID             string       `db:"id"`
	PayerKind      string       `db:"payer_kind"`
	PayerRef       string       `db:"payer_ref"`
	PayerSealed    string       `db:"payer_sealed"`
	PayerDisplay   string       `db:"payer_display"`
	ActorRef       string       `db:"actor_ref"`
	Channel        string       `db:"channel"`
	IdempotencyKey string       `db:"idempotency_key"`
	Insurance      string       `db:"insurance"`
	FirstMonth     int          `db:"first_month"`
	LastMonth      int          `db:"last_month"`
	Tier           int          `db:"tier"`
	Base           int64        `db:"base"`
	Monthly        int64        `db:"monthly"`
	Amount         int64        `db:"amount"`
	Description    string       `db:"description"`
	Status         string       `db:"status"`
	ChannelOrderNo string       `db:"channel_order_no"`
	PayURL         string       `db:"pay_url"`
	FailReason     string       `db:"fail_reason"`
	CreatedAt      time.Time    `db:"created_at"`
	SettledAt      sql.NullTime `db:"settled_at"`

	ReceiptNo          sql.NullString `db:"receipt_no"`
	NotifyID           sql.NullString `db:"notify_id"`
	PaidChannelOrderNo sql.NullString `db:"paid_channel_order_no"`
	PaidAmount         sql.NullInt64  `db:"paid_amount"`
	PaidAt             sql.NullTime   `db:"paid_at"`
	RecordedAt         sql.NullTime   `db:"recorded_at"`
}

func (r orderRow) order() contribution.Order {
	o := contribution.Order{ID: r.ID, PayerKind: contribution.PayerKind(r.PayerKind), PayerRef: r.PayerRef,
		SealedPayer: r.PayerSealed, PayerDisplay: r.PayerDisplay, ActorRef: r.ActorRef, Channel: domain.Channel(r.Channel),
		IdempotencyKey: r.IdempotencyKey, Insurance: insured.InsuranceType(r.Insurance), First: insured.Month(r.FirstMonth),
		Last: insured.Month(r.LastMonth), Tier: r.Tier, Base: domain.Fen(r.Base), Monthly: domain.Fen(r.Monthly),
		Amount: domain.Fen(r.Amount), Description: r.Description, Status: payment.Status(r.Status),
		ChannelOrderNo: r.ChannelOrderNo, PayURL: r.PayURL, FailReason: r.FailReason, CreatedAt: bj(r.CreatedAt)}
	if r.SettledAt.Valid {
		o.SettledAt = bj(r.SettledAt.Time)
	}
	if r.ReceiptNo.Valid {
		o.Payment = &contribution.Payment{OrderID: r.ID, ReceiptNo: r.ReceiptNo.String, NotifyID: r.NotifyID.String,
			ChannelOrderNo: r.PaidChannelOrderNo.String, Amount: domain.Fen(r.PaidAmount.Int64),
			PaidAt: bj(r.PaidAt.Time), RecordedAt: bj(r.RecordedAt.Time)}
	}
	return o
}

// Create implements contribution.Store.
func (s *Store) Create(ctx context.Context, o contribution.Order) (contribution.Order, bool, error) {
	if prior, err := s.OrderByKey(ctx, o.PayerRef, o.IdempotencyKey); err == nil {
		return prior, true, nil
	} else if !domain.IsCode(err, domain.NotFound) {
		return contribution.Order{}, false, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := insertOrder(ctx, tx, o); err != nil {
			return err
		}
		return claimMonths(ctx, tx, o)
	})
	if store.IsDuplicate(err) {
		// The key won a race with this request, or a month is taken.
		if prior, err := s.OrderByKey(ctx, o.PayerRef, o.IdempotencyKey); err == nil {
			return prior, true, nil
		}
		return contribution.Order{}, false, domain.Wrap(err, domain.Conflict,
			"所选月份已有待支付或已支付的缴费订单，请在“我的缴费订单”中查看")
	}
	if err != nil {
		return contribution.Order{}, false, fail(err)
	}
	stored, err := s.Order(ctx, o.ID)
	return stored, false, err
}

func insertOrder(ctx context.Context, tx *sqlx.Tx, o contribution.Order) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO contribution_order (id, payer_kind, payer_ref, payer_sealed, payer_display, "+
		"actor_ref, channel, idempotency_key, insurance, first_month, last_month, tier, base, monthly, amount, description, "+
		"status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		o.ID, string(o.PayerKind), o.PayerRef, o.SealedPayer, o.PayerDisplay, o.ActorRef, string(o.Channel),
		o.IdempotencyKey, string(o.Insurance), int(o.First), int(o.Last), o.Tier, int64(o.Base), int64(o.Monthly),
		int64(o.Amount), o.Description, string(o.Status), ts(o.CreatedAt))
	return err
}

// claimMonths writes one claim per month of o, in one statement.
func claimMonths(ctx context.Context, tx *sqlx.Tx, o contribution.Order) error {
	var q strings.Builder
	q.WriteString("INSERT INTO contribution_order_month (payer_ref, month, order_id) VALUES ")
	var args []any
	for m := o.First; m <= o.Last; m = m.AddMonths(1) {
		if len(args) > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?,?)")
		args = append(args, o.PayerRef, int(m), o.ID)
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

// OrderByKey implements contribution.Store.
func (s *Store) OrderByKey(ctx context.Context, payerRef, key string) (contribution.Order, error) {
	var row orderRow
	err := s.db.GetContext(ctx, &row, selectOrders+" WHERE o.payer_ref = ? AND o.idempotency_key = ?", payerRef, key)
	if err != nil {
		return contribution.Order{}, fail(err)
	}
	return row.order(), nil
}

// Order implements contribution.Store.
func (s *Store) Order(ctx context.Context, id string) (contribution.Order, error) {
	var row orderRow
	if err := s.db.GetContext(ctx, &row, selectOrders+" WHERE o.id = ?", id); err != nil {
		return contribution.Order{}, fail(err)
	}
	return row.order(), nil
}

// Orders implements contribution.Store.
func (s *Store) Orders(ctx context.Context, payerRef, before string, limit int) ([]contribution.Order, error) {
	q, args := selectOrders+" WHERE o.payer_ref = ?", []any{payerRef}
	if before != "" {
		q, args = q+" AND o.id < ?", append(args, before)
	}
	var rows []orderRow
	if err := s.db.SelectContext(ctx, &rows, q+" ORDER BY o.id DESC LIMIT ?", append(args, limit)...); err != nil {
		return nil, fail(err)
	}
	out := make([]contribution.Order, len(rows))
	for i, r := range rows {
		out[i] = r.order()
	}
	return out, nil
}

// SetCheckout implements contribution.Store.
func (s *Store) SetCheckout(ctx context.Context, id, channelOrderNo, payURL string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE contribution_order SET channel_order_no = ?, pay_url = ? WHERE id = ? AND status = ?",
		channelOrderNo, payURL, id, string(payment.Pending))
	return fail(err)
}

// Settle implements contribution.Store.
func (s *Store) Settle(ctx context.Context, id string, status payment.Status, p contribution.Payment, failReason string, at time.Time) (bool, error) {
	settled := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE contribution_order SET status = ?, fail_reason = ?, settled_at = ? WHERE id = ? AND status = ?",
			string(status), clip(failReason, 200), ts(at), id, string(payment.Pending))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // settled already: nothing to do
		}
		settled = true
		if status == payment.Paid {
			_, err = tx.ExecContext(ctx, "INSERT INTO contribution_payment (order_id, receipt_no, notify_id, channel_order_no, "+
				"amount, paid_at, recorded_at) VALUES (?,?,?,?,?,?,?)", id, p.ReceiptNo, clip(p.NotifyID, 64),
				clip(p.ChannelOrderNo, 64), int64(p.Amount), ts(p.PaidAt), ts(p.RecordedAt))
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM contribution_order_month WHERE order_id = ?", id)
		return err
	})
	if err != nil {
		return false, fail(err)
	}
	return settled, nil
}

// inTx runs fn in a transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn) // run again on a deadlock
}

// fail translates err (store.Fail): no rows is an order not found.
func fail(err error) error { return store.Fail(err, "缴费订单", "缴费服务") }

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// bj is a stored time as the domain shows it, in Beijing.
func bj(t time.Time) time.Time { return t.In(domain.Beijing) }

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
