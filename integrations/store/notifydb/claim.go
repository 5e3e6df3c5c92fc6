package notifydb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Claim implements notify.Store. Due rows are those whose next attempt has
// come: pending ones, and sending ones whose dispatcher's lease ran out.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Record, error) {
	token := newLease()
	until := ts(now.Add(lease))
	var rows []row
	var err error
	if s.db.Dialect == store.MySQL {
		rows, err = s.claimMySQL(ctx, ts(now), until, token, limit)
	} else {
		err = sqlx.SelectContext(ctx, s.db, &rows, `UPDATE notice SET state = ?, lease = ?, attempts = attempts + 1,
			next_attempt_at = ?, updated_at = ?
			WHERE id IN (SELECT id FROM notice WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)
			RETURNING `+columns, string(notify.StateSending), token, until, ts(now), ts(now), limit)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return records(rows)
}

// claimMySQL locks the due rows with SKIP LOCKED, so that other instances
// take other rows without waiting, leases them and reads them back.
func (s *Store) claimMySQL(ctx context.Context, now, until time.Time, token string, limit int) ([]row, error) {
	var rows []row
	err := s.db.InClaimTx(ctx, func(tx *sqlx.Tx) error {
		var ids []int64
		err := tx.SelectContext(ctx, &ids, `SELECT id FROM notice WHERE next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil || len(ids) == 0 {
			rows = nil
			return err
		}
		q, args, err := s.in(`UPDATE notice SET state = ?, lease = ?, attempts = attempts + 1, next_attempt_at = ?,
			updated_at = ? WHERE id IN (?)`, string(notify.StateSending), token, until, now, ids)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		q, args, err = s.in(`SELECT `+columns+` FROM notice WHERE id IN (?) ORDER BY next_attempt_at, id`, ids)
		if err != nil {
			return err
		}
		rows = rows[:0]
		return tx.SelectContext(ctx, &rows, q, args...)
	})
	return rows, err
}

// MarkInFlight implements notify.Store. The route always differs from the
// one recorded (none, or WeChat before SMS), so a held lease always counts
// as a changed row on MySQL.
func (s *Store) MarkInFlight(ctx context.Context, id int64, lease string, route notify.Route, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE notice SET in_flight = ?, route = ?, updated_at = ?
		WHERE id = ? AND lease = ? AND state = ?`, string(route), string(route), ts(at), id, lease, string(notify.StateSending))
	return held(res, err)
}

// Settle implements notify.Store.
func (s *Store) Settle(ctx context.Context, id int64, lease string, st notify.Settlement) error {
	var next, sent any
	switch st.State {
	case notify.StatePending:
		next = ts(st.NextAttemptAt)
	case notify.StateSent:
		sent = ts(st.At)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE notice SET state = ?, route = ?, message_id = ?, next_attempt_at = ?,
		skip_wechat = ?, last_error = ?, sent_at = ?, lease = '', in_flight = '', updated_at = ?
		WHERE id = ? AND lease = ? AND state = ?`,
		string(st.State), string(st.Route), st.MessageID, next, st.SkipWeChat, clip(st.LastError, 500), sent, ts(st.At),
		id, lease, string(notify.StateSending))
	return held(res, err)
}

// held turns "no row changed" into Conflict: the lease has passed on.
func held(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return unavailable(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return unavailable(err)
	}
	if n == 0 {
		return domain.Errorf(domain.Conflict, "该通知已由其他发送进程接手")
	}
	return nil
}

// newLease returns a random lease token.
func newLease() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
