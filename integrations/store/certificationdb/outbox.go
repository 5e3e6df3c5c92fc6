package certificationdb

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain/certification"
)

// eventRow is a certification_event row as the domain needs it.
type eventRow struct {
	ID          string    `db:"id"`
	CycleID     string    `db:"cycle_id"`
	Kind        string    `db:"kind"`
	At          time.Time `db:"at"`
	NextAttempt time.Time `db:"next_attempt_at"`
	Attempts    int       `db:"attempts"`
}

// insertEvents adds events in the transaction of the change that made them.
func insertEvents(ctx context.Context, tx *sqlx.Tx, events []certification.Event) error {
	for _, e := range events {
		_, err := tx.ExecContext(ctx, `INSERT INTO certification_event (id, cycle_id, kind, at, next_attempt_at)
			VALUES (?,?,?,?,?)`, e.ID, e.CycleID, string(e.Kind), ts(e.At), ts(e.NextAttempt))
		if err != nil {
			return err
		}
	}
	return nil
}

// Unforwarded implements certification.Store.
func (s *Store) Unforwarded(ctx context.Context, cycleID string) ([]certification.Event, error) {
	var rows []eventRow
	err := sqlx.SelectContext(ctx, s.db, &rows, `SELECT id, cycle_id, kind, at, next_attempt_at, attempts
		FROM certification_event WHERE cycle_id = ? AND next_attempt_at IS NOT NULL ORDER BY n`, cycleID)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]certification.Event, len(rows))
	for i, r := range rows {
		out[i] = certification.Event{ID: r.ID, CycleID: r.CycleID, Kind: certification.EventKind(r.Kind),
			At: local(r.At), NextAttempt: local(r.NextAttempt), Attempts: r.Attempts}
	}
	return out, nil
}

// RetryDue implements certification.Store.
func (s *Store) RetryDue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	err := sqlx.SelectContext(ctx, s.db, &ids, `SELECT cycle_id FROM certification_event
		WHERE next_attempt_at <= ? GROUP BY cycle_id ORDER BY MIN(next_attempt_at), cycle_id LIMIT ?`, ts(now), limit)
	return ids, fail(err)
}

// Forwarded implements certification.Store.
func (s *Store) Forwarded(ctx context.Context, eventID string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE certification_event SET forwarded_at = ?, next_attempt_at = NULL,
		attempts = attempts + 1, last_error = '' WHERE id = ?`, ts(at), eventID)
	return fail(err)
}

// ForwardFailed implements certification.Store.
func (s *Store) ForwardFailed(ctx context.Context, eventID string, retryAt time.Time, reason string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE certification_event SET next_attempt_at = ?, attempts = attempts + 1,
		last_error = ? WHERE id = ? AND next_attempt_at IS NOT NULL`, ts(retryAt), clip(reason, 500), eventID)
	return fail(err)
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
