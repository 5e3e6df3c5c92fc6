package applicationdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// claimed is an outbox row just leased.
type claimed struct {
	ID       string `db:"application_id"`
	Attempts int    `db:"attempts"`
}

// ClaimDue implements declaration.Outbox. On MySQL a short transaction
// locks the due rows with SKIP LOCKED, so that dispatchers of several
// instances take disjoint rows without waiting, and leases them; on SQLite,
// which has one writer, a single UPDATE … RETURNING does both.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]declaration.Due, error) {
	token := newLease()
	until := ts(now.Add(lease))
	var rows []claimed
	var err error
	if s.db.Dialect == store.MySQL {
		rows, err = s.claimMySQL(ctx, ts(now), until, token, limit)
	} else {
		err = sqlx.SelectContext(ctx, s.db, &rows, `UPDATE outbox SET lease = ?, attempts = attempts + 1, next_attempt_at = ?
			WHERE application_id IN (SELECT application_id FROM outbox WHERE next_attempt_at <= ?
				ORDER BY next_attempt_at LIMIT ?)
			RETURNING application_id, attempts`, token, until, ts(now), limit)
	}
	if err != nil || len(rows) == 0 {
		return nil, store.Translate(err, "待转交申请")
	}
	return s.dueApps(ctx, rows, token)
}

func (s *Store) claimMySQL(ctx context.Context, now, until time.Time, token string, limit int) ([]claimed, error) {
	var rows []claimed
	err := s.db.InClaimTx(ctx, func(tx *sqlx.Tx) error {
		rows = rows[:0]
		err := tx.SelectContext(ctx, &rows, `SELECT application_id, attempts + 1 AS attempts FROM outbox
			WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		q, args, err := s.in(`UPDATE outbox SET lease = ?, attempts = attempts + 1, next_attempt_at = ?
			WHERE application_id IN (?)`, token, until, ids)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, q, args...)
		return err
	})
	return rows, err
}

// dueApps loads the applications of claimed rows.
func (s *Store) dueApps(ctx context.Context, rows []claimed, token string) ([]declaration.Due, error) {
	ids := make([]string, len(rows))
	attempts := make(map[string]int, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		attempts[r.ID] = r.Attempts
	}
	q, args, err := s.in(`SELECT `+appColumns+` FROM application WHERE id IN (?) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	apps, err := s.selectApps(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	out := make([]declaration.Due, 0, len(apps))
	for _, a := range apps {
		out = append(out, declaration.Due{Application: a, Attempts: attempts[a.ID], Lease: token})
	}
	return out, nil
}

// RecordReceipt implements declaration.Outbox. The receipt never overrides
// what events already said: an event may arrive by webhook before the
// dispatcher has stored the receipt of the same case.
func (s *Store) RecordReceipt(ctx context.Context, id string, r acceptance.Receipt, at time.Time) (declaration.Status, error) {
	status := acceptance.StatusInProgress
	if r.Generic {
		status = acceptance.StatusAwaitingRouting
	}
	var now declaration.Status
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE application_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE application SET case_no = ?, generic = ?,
			accepted_at = COALESCE(accepted_at, ?), promised_by = COALESCE(promised_by, ?), pending_prereqs = ?,
			forwarded_at = COALESCE(forwarded_at, ?), status = CASE WHEN status = ? THEN ? ELSE status END,
			updated_at = ? WHERE id = ?`,
			r.CaseNo, r.Generic, nullTime(r.AcceptedAt), nullTime(r.PromisedBy), jsonText(r.PendingPrerequisites),
			ts(at), string(declaration.StatusSubmitted), string(status), ts(at), id)
		if err != nil {
			return err
		}
		return tx.GetContext(ctx, &now, `SELECT status FROM application WHERE id = ?`, id)
	})
	return now, store.Translate(err, "申请")
}

// Reschedule implements declaration.Outbox.
func (s *Store) Reschedule(ctx context.Context, id, lease string, next time.Time, lastErr string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET lease = '', next_attempt_at = ?, last_error = ?
		WHERE application_id = ? AND lease = ?`, ts(next), clip(lastErr, 500), id, lease)
	return store.Translate(err, "待转交申请")
}

// Refuse implements declaration.Outbox.
func (s *Store) Refuse(ctx context.Context, id, reason string, at time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE application_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE application SET status = ?, forward_error = ?, updated_at = ?
			WHERE id = ? AND status = ?`, string(declaration.StatusRefused), clip(reason, 500), ts(at), id,
			string(declaration.StatusSubmitted))
		return err
	})
	return store.Translate(err, "申请")
}

// OldestPending implements declaration.Outbox.
func (s *Store) OldestPending(ctx context.Context) (time.Time, error) {
	var t []time.Time
	err := s.db.SelectContext(ctx, &t, `SELECT created_at FROM outbox ORDER BY created_at LIMIT 1`)
	if err != nil || len(t) == 0 {
		return time.Time{}, store.Translate(err, "待转交申请")
	}
	return t[0], nil
}

// newLease returns a random lease token.
func newLease() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
