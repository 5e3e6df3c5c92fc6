package sim

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// caseRow is a row of csim_cases.
type caseRow struct {
	ID               int64        `db:"id"`
	CaseNo           string       `db:"case_no"`
	ApplicationID    string       `db:"application_id"`
	MatterCode       string       `db:"matter_code"` // "" while a generic intake waits for routing
	MatterName       string       `db:"matter_name"`
	RequestedMatter  string       `db:"requested_matter"` // the code the BFF sent, kept for idempotency checks
	Generic          bool         `db:"generic"`
	ApplicantKind    string       `db:"applicant_kind"`
	ApplicantRef     string       `db:"applicant_ref"`
	ApplicantDisplay string       `db:"applicant_display"`
	Channel          string       `db:"channel"`
	BundleID         string       `db:"bundle_id"`
	Form             string       `db:"form"`
	Materials        string       `db:"materials"`       // JSON array of counter.Material
	PrereqsClaimed   string       `db:"prereqs_claimed"` // JSON array of matter codes
	PrereqsPending   string       `db:"prereqs_pending"` // JSON array, as reported in the receipt
	Status           string       `db:"status"`
	Step             string       `db:"step"` // current step; the last one once final
	Comment          string       `db:"comment"`
	SupplyHash       string       `db:"supply_hash"`
	LastSeq          int          `db:"last_seq"`
	AcceptedAt       time.Time    `db:"accepted_at"`
	PromisedBy       string       `db:"promised_by"`
	FinishedAt       sql.NullTime `db:"finished_at"`
}

const caseColumns = `id, case_no, application_id, matter_code, matter_name, requested_matter, generic,
	applicant_kind, applicant_ref, applicant_display, channel, bundle_id, form, materials, prereqs_claimed,
	prereqs_pending, status, step, comment, supply_hash, last_seq, accepted_at, promised_by, finished_at`

// taskRow is a row of csim_tasks.
type taskRow struct {
	ID        int64          `db:"id"`
	CaseID    int64          `db:"case_id"`
	Step      string         `db:"step"`
	StepName  string         `db:"step_name"`
	Role      string         `db:"role"`
	Office    string         `db:"office"`
	State     string         `db:"state"`
	ClaimedBy sql.NullString `db:"claimed_by"`
	ClaimedAt sql.NullTime   `db:"claimed_at"`
	Locked    bool           `db:"locked"`
	Outcome   string         `db:"outcome"`
	DoneBy    string         `db:"done_by"`
	DoneAt    sql.NullTime   `db:"done_at"`
	Comment   string         `db:"comment"`
	CreatedAt time.Time      `db:"created_at"`
}

const taskColumns = `id, case_id, step, step_name, role, office, state, claimed_by, claimed_at, locked,
	outcome, done_by, done_at, comment, created_at`

// eventRow is a row of csim_events.
type eventRow struct {
	ID            int64     `db:"id"`
	CaseID        int64     `db:"case_id"`
	CaseNo        string    `db:"case_no"`
	ApplicationID string    `db:"application_id"`
	Seq           int       `db:"seq"`
	Kind          string    `db:"kind"`
	Status        string    `db:"status"`
	Step          string    `db:"step"`
	StepName      string    `db:"step_name"`
	Office        string    `db:"office"`
	Staff         string    `db:"staff"`
	Comment       string    `db:"comment"`
	PromisedBy    string    `db:"promised_by"`
	At            time.Time `db:"at"`
}

const eventColumns = `id, case_id, case_no, application_id, seq, kind, status, step, step_name, office,
	staff, comment, promised_by, at`

// inTx runs fn in a transaction and commits it, retrying the whole of it a
// few times when the database gives up on a lock (a MySQL deadlock, a busy
// SQLite), which concurrent staff and the auto-staff can cause.
func (s *Sim) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.db.InTx(ctx, fn)
}

// forUpdate is the locking clause of a read inside a write transaction.
// SQLite needs none: its transactions begin IMMEDIATE and hold the write
// lock throughout.
func (s *Sim) forUpdate() string {
	if s.db.Dialect == store.MySQL {
		return " FOR UPDATE"
	}
	return ""
}

// lockCase reads a case inside tx, locking it on MySQL. Every change to a
// case or its tasks locks the case first, so changes to one case serialise
// and never deadlock on lock order.
func (s *Sim) lockCase(ctx context.Context, tx *sqlx.Tx, id int64) (*caseRow, error) {
	var c caseRow
	err := tx.GetContext(ctx, &c, `SELECT `+caseColumns+` FROM csim_cases WHERE id = ?`+s.forUpdate(), id)
	if err != nil {
		return nil, store.Translate(err, "办件")
	}
	return &c, nil
}

// saveCase writes the mutable columns of c.
func saveCase(ctx context.Context, tx *sqlx.Tx, c *caseRow) error {
	_, err := tx.ExecContext(ctx, `UPDATE csim_cases SET matter_code = ?, matter_name = ?, materials = ?,
		prereqs_pending = ?, status = ?, step = ?, comment = ?, supply_hash = ?, last_seq = ?, promised_by = ?,
		finished_at = ? WHERE id = ?`,
		c.MatterCode, c.MatterName, c.Materials, c.PrereqsPending, c.Status, c.Step, c.Comment, c.SupplyHash,
		c.LastSeq, c.PromisedBy, c.FinishedAt, c.ID)
	return err
}

// insertTask opens a task at step for c, held by holder (nil: in the pool).
func insertTask(ctx context.Context, tx *sqlx.Tx, c *caseRow, step stepDef, holder *staff) (int64, error) {
	at := now()
	var claimedBy sql.NullString
	var claimedAt sql.NullTime
	if holder != nil {
		claimedBy = sql.NullString{String: holder.ID, Valid: true}
		claimedAt = sql.NullTime{Time: at, Valid: true}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO csim_tasks (case_id, step, step_name, role, office, state,
		claimed_by, claimed_at, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
		c.ID, step.Code, step.Name, step.Role, step.Office, claimedBy, claimedAt, at)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// openTask returns the case's open task, if any.
func (s *Sim) openTask(ctx context.Context, q sqlx.QueryerContext, caseID int64) (*taskRow, error) {
	var t taskRow
	err := sqlx.GetContext(ctx, q, &t, `SELECT `+taskColumns+` FROM csim_tasks
		WHERE case_id = ? AND state = 'open' ORDER BY id DESC LIMIT 1`, caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// affected returns the rows a conditional UPDATE changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
