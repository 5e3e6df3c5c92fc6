package ratingdb

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
)

const rectColumns = "id, application_id, stage, level, matter_code, matter_name, channel, office, staff, " +
	"state, appealed_from, unfounded, result, opened_at, deadline, closed_at"

// rectRow is a row of the rectification table.
type rectRow struct {
	ID            string       `db:"id"`
	ApplicationID string       `db:"application_id"`
	Stage         string       `db:"stage"`
	Level         int          `db:"level"`
	MatterCode    string       `db:"matter_code"`
	MatterName    string       `db:"matter_name"`
	Channel       string       `db:"channel"`
	Office        string       `db:"office"`
	Staff         string       `db:"staff"`
	State         string       `db:"state"`
	AppealedFrom  string       `db:"appealed_from"`
	Unfounded     bool         `db:"unfounded"`
	Result        string       `db:"result"`
	OpenedAt      time.Time    `db:"opened_at"`
	Deadline      time.Time    `db:"deadline"`
	ClosedAt      sql.NullTime `db:"closed_at"`
}

func (r rectRow) rectification() rating.Rectification {
	out := rating.Rectification{
		ID: r.ID, ApplicationID: r.ApplicationID, Stage: rating.Stage(r.Stage), Level: rating.Level(r.Level),
		MatterCode: r.MatterCode, MatterName: r.MatterName, Channel: domain.Channel(r.Channel),
		Office: r.Office, Staff: r.Staff, State: rating.State(r.State), AppealedFrom: rating.State(r.AppealedFrom),
		Unfounded: r.Unfounded, Result: r.Result, OpenedAt: bj(r.OpenedAt), Deadline: bj(r.Deadline),
	}
	if r.ClosedAt.Valid {
		out.ClosedAt = bj(r.ClosedAt.Time)
	}
	return out
}

// stepRow is a row of the rectification_step table.
type stepRow struct {
	Action string    `db:"action"`
	From   string    `db:"from_state"`
	To     string    `db:"to_state"`
	Actor  string    `db:"actor"`
	Note   string    `db:"note"`
	At     time.Time `db:"at"`
}

// insertRectification writes a newly opened rectification.
func insertRectification(ctx context.Context, tx *sqlx.Tx, r rating.Rectification) error {
	_, err := exec(ctx, tx, "INSERT INTO rectification ("+rectColumns+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		r.ID, r.ApplicationID, string(r.Stage), int(r.Level), clip(r.MatterCode, 64), clip(r.MatterName, 128),
		string(r.Channel), clip(r.Office, 128), clip(r.Staff, 64), string(r.State), string(r.AppealedFrom),
		r.Unfounded, clip(r.Result, 1000), ts(r.OpenedAt), ts(r.Deadline), nullTime(r.ClosedAt))
	return err
}

// Rectification implements rating.Store.
func (s *Store) Rectification(ctx context.Context, id string) (rating.Rectification, error) {
	var row rectRow
	if err := s.db.GetContext(ctx, &row, "SELECT "+rectColumns+" FROM rectification WHERE id = ?", id); err != nil {
		return rating.Rectification{}, fail(err, "整改记录")
	}
	var steps []stepRow
	if err := s.db.SelectContext(ctx, &steps, "SELECT action, from_state, to_state, actor, note, at"+
		" FROM rectification_step WHERE rectification_id = ? ORDER BY id", id); err != nil {
		return rating.Rectification{}, fail(err, "整改记录")
	}
	r := row.rectification()
	for _, st := range steps {
		r.Steps = append(r.Steps, rating.Step{Action: rating.Action(st.Action), From: rating.State(st.From),
			To: rating.State(st.To), By: st.Actor, Note: st.Note, At: bj(st.At)})
	}
	return r, nil
}

// openStates are the states of a rectification not yet closed, written
// out so the (state, deadline) index serves the overdue list.
var openStates = []any{string(rating.StateOpen), string(rating.StateCalledBack), string(rating.StateVerified),
	string(rating.StateFixed), string(rating.StateExplained), string(rating.StateAppealed)}

// Rectifications implements rating.Store.
func (s *Store) Rectifications(ctx context.Context, f rating.RectificationFilter) ([]rating.Rectification, error) {
	q := "SELECT " + rectColumns + " FROM rectification WHERE 1 = 1"
	var args []any
	if f.Office != "" {
		q += " AND office = ?"
		args = append(args, f.Office)
	}
	if f.OpenOnly || !f.OverdueAt.IsZero() {
		q += " AND state IN (?)"
		args = append(args, openStates)
	}
	if !f.OverdueAt.IsZero() {
		q += " AND deadline <= ?"
		args = append(args, ts(f.OverdueAt))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	q += " ORDER BY deadline, id LIMIT ?"
	args = append(args, limit)
	q, args, err := sqlx.In(q, args...)
	if err != nil {
		return nil, err
	}
	var rows []rectRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return nil, fail(err, "整改记录")
	}
	out := make([]rating.Rectification, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.rectification())
	}
	return out, nil
}

// Advance implements rating.Store.
func (s *Store) Advance(ctx context.Context, next rating.Rectification, from rating.State) error {
	if len(next.Steps) == 0 {
		return domain.Errorf(domain.Internal, "整改操作未记录步骤")
	}
	step := next.Steps[len(next.Steps)-1]
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		n, err := exec(ctx, tx, "UPDATE rectification SET state = ?, appealed_from = ?, unfounded = ?, result = ?,"+
			" closed_at = ? WHERE id = ? AND state = ?", string(next.State), string(next.AppealedFrom), next.Unfounded,
			clip(next.Result, 1000), nullTime(next.ClosedAt), next.ID, string(from))
		if err != nil {
			return err
		}
		if n == 0 {
			return s.whyNotAdvanced(ctx, tx, next.ID)
		}
		if _, err := exec(ctx, tx, "INSERT INTO rectification_step (rectification_id, action, from_state, to_state, actor, note, at)"+
			" VALUES (?,?,?,?,?,?,?)", next.ID, string(step.Action), string(step.From), string(step.To),
			clip(step.By, 64), clip(step.Note, 1000), ts(step.At)); err != nil {
			return err
		}
		if next.Unfounded && next.State == rating.StateClosed {
			_, err = exec(ctx, tx, "UPDATE rating SET excluded = 1 WHERE id = ?", next.ID)
		}
		return err
	})
	return fail(err, "整改记录")
}

// whyNotAdvanced tells a missing rectification from one that moved on.
func (s *Store) whyNotAdvanced(ctx context.Context, tx *sqlx.Tx, id string) error {
	var n int
	if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM rectification WHERE id = ?", id); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.NotFound, "未找到该整改记录")
	}
	return domain.Errorf(domain.Conflict, "该整改已由他人办理，请刷新后查看最新状态")
}
