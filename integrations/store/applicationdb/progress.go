package applicationdb

import (
	"context"
	"database/sql"
	"time"

	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// eventRow is a row of progress_event.
type eventRow struct {
	EventID       string       `db:"event_id"`
	ApplicationID string       `db:"application_id"`
	CaseNo        string       `db:"case_no"`
	Seq           int          `db:"seq"`
	Kind          string       `db:"kind"`
	Status        string       `db:"status"`
	Step          string       `db:"step"`
	StepName      string       `db:"step_name"`
	Office        string       `db:"office"`
	Staff         string       `db:"staff"`
	Comment       string       `db:"comment"`
	PromisedBy    sql.NullTime `db:"promised_by"`
	At            time.Time    `db:"at"`
}

// Apply implements progress.Store: INSERT into the timeline (a duplicate
// event id or case sequence ends it as a no-op), then one conditional
// UPDATE that only a newer sequence passes.
func (s *Store) Apply(ctx context.Context, ev acceptance.Event, received time.Time) (bool, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO progress_event (event_id, application_id, case_no, seq, kind, status,
			step, step_name, office, staff, comment, promised_by, at, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ev.ID, ev.ApplicationID, ev.CaseNo, ev.Seq, string(ev.Kind), string(ev.Status), clip(ev.Step, 64),
			clip(ev.StepName, 64), clip(ev.Office, 128), clip(ev.Staff, 64), clip(ev.Comment, 1000),
			nullTime(ev.PromisedBy), ts(ev.At), ts(received))
		if err != nil {
			return err
		}
		return s.applyState(ctx, tx, ev, received)
	})
	if store.IsDuplicate(err) {
		return false, nil
	}
	return err == nil, store.Translate(err, "办理进度")
}

// applyState makes ev the application's current state if it is newer. The
// comment is assigned first: MySQL evaluates SET left to right, so it still
// compares the old status, as SQLite always does. A comment stays until the
// status changes or staff say something new. The acceptance time is kept
// whatever the order: an accepted event that arrives late still dates the
// case.
func (s *Store) applyState(ctx context.Context, tx *sqlx.Tx, ev acceptance.Event, received time.Time) error {
	if ev.Kind == acceptance.EventAccepted {
		_, err := tx.ExecContext(ctx, `UPDATE application SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?`,
			ts(ev.At), ev.ApplicationID)
		if err != nil {
			return err
		}
	}
	step, stepName, office := ev.Step, ev.StepName, ev.Office
	var finished any
	if ev.Status.Final() {
		step, stepName, office, finished = "", "", "", ts(ev.At)
	}
	comment := clip(ev.Comment, 1000)
	_, err := tx.ExecContext(ctx, `UPDATE application SET
		comment = CASE WHEN ? <> '' THEN ? WHEN status <> ? THEN '' ELSE comment END,
		status = ?, case_no = ?, step = ?, step_name = ?, office = ?,
		promised_by = COALESCE(?, promised_by), finished_at = ?, last_seq = ?, updated_at = ?
		WHERE id = ? AND last_seq < ?`,
		comment, comment, string(ev.Status),
		string(ev.Status), ev.CaseNo, clip(step, 64), clip(stepName, 64), clip(office, 128),
		nullTime(ev.PromisedBy), finished, ev.Seq, ts(received),
		ev.ApplicationID, ev.Seq)
	return err
}

// Timeline implements progress.Store.
func (s *Store) Timeline(ctx context.Context, applicationID string) ([]acceptance.Event, error) {
	var rows []eventRow
	err := s.db.SelectContext(ctx, &rows, `SELECT event_id, application_id, case_no, seq, kind, status, step, step_name,
		office, staff, comment, promised_by, at FROM progress_event WHERE application_id = ? ORDER BY seq`, applicationID)
	if err != nil {
		return nil, store.Translate(err, "办理进度")
	}
	out := make([]acceptance.Event, 0, len(rows))
	for _, r := range rows {
		out = append(out, acceptance.Event{ID: r.EventID, CaseNo: r.CaseNo, Seq: r.Seq, ApplicationID: r.ApplicationID,
			Kind: acceptance.EventKind(r.Kind), Status: acceptance.Status(r.Status), Step: r.Step, StepName: r.StepName,
			Office: r.Office, Staff: r.Staff, Comment: r.Comment, PromisedBy: r.PromisedBy.Time, At: r.At})
	}
	return out, nil
}

// Cursor implements progress.Store.
func (s *Store) Cursor(ctx context.Context, name string) (string, error) {
	var v []string
	if err := s.db.SelectContext(ctx, &v, `SELECT value FROM progress_cursor WHERE name = ?`, name); err != nil {
		return "", store.Translate(err, "进度游标")
	}
	if len(v) == 0 {
		return "", nil
	}
	return v[0], nil
}

// SaveCursor implements progress.Store.
func (s *Store) SaveCursor(ctx context.Context, name, cursor string) error {
	q := `INSERT INTO progress_cursor (name, value, updated_at) VALUES (?, ?, ?) ` + s.upsert("name", "value", "updated_at")
	_, err := s.db.ExecContext(ctx, q, name, cursor, ts(time.Now()))
	return store.Translate(err, "进度游标")
}

// upsert is the clause that turns an INSERT into an update of cols when
// the row with the key exists.
func (s *Store) upsert(key string, cols ...string) string {
	if s.db.Dialect == store.MySQL {
		q := "ON DUPLICATE KEY UPDATE "
		for i, c := range cols {
			if i > 0 {
				q += ", "
			}
			q += c + " = VALUES(" + c + ")"
		}
		return q
	}
	q := "ON CONFLICT (" + key + ") DO UPDATE SET "
	for i, c := range cols {
		if i > 0 {
			q += ", "
		}
		q += c + " = excluded." + c
	}
	return q
}
