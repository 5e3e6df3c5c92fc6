package applicationdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// appRow is a row of application.
type appRow struct {
	ID                string         `db:"id"`
	BundleID          sql.NullString `db:"bundle_id"`
	MatterCode        string         `db:"matter_code"`
	MatterName        string         `db:"matter_name"`
	Situation         string         `db:"situation"`
	ApplicantKind     string         `db:"applicant_kind"`
	ApplicantRef      string         `db:"applicant_ref"`
	ApplicantSealed   string         `db:"applicant_sealed"`
	ApplicantDisplay  string         `db:"applicant_display"`
	ActingRef         string         `db:"acting_ref"`
	ActingSealed      string         `db:"acting_sealed"`
	ActingDisplay     string         `db:"acting_display"`
	Relation          string         `db:"relation"`
	Channel           string         `db:"channel"`
	IdempotencyKey    sql.NullString `db:"idempotency_key"`
	FormSealed        string         `db:"form_sealed"`
	Materials         string         `db:"materials"`
	PrerequisitesDone string         `db:"prerequisites_done"`
	SubmittedAt       time.Time      `db:"submitted_at"`
	Status            string         `db:"status"`
	CaseNo            sql.NullString `db:"case_no"`
	Generic           bool           `db:"generic"`
	Step              string         `db:"step"`
	StepName          string         `db:"step_name"`
	Office            string         `db:"office"`
	Comment           string         `db:"comment"`
	ForwardedAt       sql.NullTime   `db:"forwarded_at"`
	AcceptedAt        sql.NullTime   `db:"accepted_at"`
	PromisedBy        sql.NullTime   `db:"promised_by"`
	FinishedAt        sql.NullTime   `db:"finished_at"`
	PendingPrereqs    string         `db:"pending_prereqs"`
	ForwardError      string         `db:"forward_error"`
	LastSeq           int            `db:"last_seq"`
}

const appColumns = `id, bundle_id, matter_code, matter_name, situation, applicant_kind, applicant_ref,
	applicant_sealed, applicant_display, acting_ref, acting_sealed, acting_display, relation, channel,
	idempotency_key, form_sealed, materials, prerequisites_done, submitted_at, status, case_no, generic, step,
	step_name, office, comment, forwarded_at, accepted_at, promised_by, finished_at, pending_prereqs,
	forward_error, last_seq`

// insertApps is the multi-row insert of applications, one (…) per row.
const insertApps = `INSERT INTO application (id, bundle_id, matter_code, matter_name, situation, applicant_kind,
	applicant_ref, applicant_sealed, applicant_display, acting_ref, acting_sealed, acting_display, relation,
	channel, idempotency_key, form_sealed, materials, prerequisites_done, submitted_at, status,
	pending_prereqs, updated_at) VALUES `

const appPlaceholders = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)`

func appArgs(a declaration.Application) []any {
	return []any{a.ID, nullString(a.BundleID), a.MatterCode, a.MatterName, a.Situation, string(a.Applicant.Kind),
		a.Applicant.Ref, a.Applicant.SealedID, a.Applicant.Display, a.ActingFor.Ref, a.ActingFor.SealedID,
		a.ActingFor.Display, a.Relation, string(a.Channel), nullString(a.IdempotencyKey), a.SealedForm,
		jsonText(a.Materials), jsonText(a.PrerequisitesDone), ts(a.SubmittedAt), string(a.State.Status), ts(a.SubmittedAt)}
}

// Create implements declaration.Store: one transaction of at most three
// statements, whatever the number of applications.
func (s *Store) Create(ctx context.Context, f declaration.Filed) (declaration.Filed, bool, error) {
	if len(f.Applications) == 0 {
		return declaration.Filed{}, false, domain.Errorf(domain.Internal, "申请内容为空")
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if b := f.Bundle; b.ID != "" {
			_, err := tx.ExecContext(ctx, `INSERT INTO bundle (id, code, name, applicant_ref, channel, idempotency_key,
				created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, b.ID, b.Code, b.Name, b.ApplicantRef, string(b.Channel),
				b.IdempotencyKey, ts(b.CreatedAt))
			if err != nil {
				return err
			}
		}
		apps := make([]string, 0, len(f.Applications))
		outbox := make([]string, 0, len(f.Applications))
		var appArgv, outArgv []any
		for _, a := range f.Applications {
			apps = append(apps, appPlaceholders)
			appArgv = append(appArgv, appArgs(a)...)
			outbox = append(outbox, "(?, ?, ?)")
			outArgv = append(outArgv, a.ID, ts(a.SubmittedAt), ts(a.SubmittedAt))
		}
		if _, err := tx.ExecContext(ctx, insertApps+strings.Join(apps, ", "), appArgv...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (application_id, created_at, next_attempt_at) VALUES `+
			strings.Join(outbox, ", "), outArgv...)
		return err
	})
	if err == nil {
		return f, false, nil
	}
	if !store.IsDuplicate(err) {
		return declaration.Filed{}, false, store.Translate(err, "申请")
	}
	existing, lookErr := s.byKey(ctx, f)
	if lookErr != nil {
		if domain.IsCode(lookErr, domain.NotFound) { // a clash of ids, not of keys: astronomically rare
			return declaration.Filed{}, false, store.Translate(err, "申请")
		}
		return declaration.Filed{}, false, lookErr
	}
	return existing, true, nil
}

// byKey returns the filing that already holds f's idempotency key.
func (s *Store) byKey(ctx context.Context, f declaration.Filed) (declaration.Filed, error) {
	if b := f.Bundle; b.ID != "" {
		var id string
		err := s.db.GetContext(ctx, &id, `SELECT id FROM bundle WHERE applicant_ref = ? AND idempotency_key = ?`,
			b.ApplicantRef, b.IdempotencyKey)
		if err != nil {
			return declaration.Filed{}, store.Translate(err, "申请")
		}
		return s.Bundle(ctx, id)
	}
	a := f.Applications[0]
	app, err := s.getApp(ctx, s.db, `WHERE applicant_ref = ? AND idempotency_key = ?`, a.Applicant.Ref, a.IdempotencyKey)
	if err != nil {
		return declaration.Filed{}, err
	}
	return declaration.Filed{Applications: []declaration.Application{app}}, nil
}

// Application implements declaration.Store and progress.Store.
func (s *Store) Application(ctx context.Context, id string) (declaration.Application, error) {
	return s.getApp(ctx, s.db, `WHERE id = ?`, id)
}

// ApplicationByCase implements progress.Store.
func (s *Store) ApplicationByCase(ctx context.Context, caseNo string) (declaration.Application, error) {
	return s.getApp(ctx, s.db, `WHERE case_no = ?`, caseNo)
}

// ApplicationsOf implements progress.Store.
func (s *Store) ApplicationsOf(ctx context.Context, ref, before string, limit int) ([]declaration.Application, error) {
	q := `SELECT ` + appColumns + ` FROM application WHERE (applicant_ref = ? OR acting_ref = ?)`
	args := []any{ref, ref}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	return s.selectApps(ctx, s.db, q+` ORDER BY id DESC LIMIT ?`, args...)
}

// Bundle implements progress.Store.
func (s *Store) Bundle(ctx context.Context, id string) (declaration.Filed, error) {
	var b struct {
		ID             string    `db:"id"`
		Code           string    `db:"code"`
		Name           string    `db:"name"`
		ApplicantRef   string    `db:"applicant_ref"`
		Channel        string    `db:"channel"`
		IdempotencyKey string    `db:"idempotency_key"`
		CreatedAt      time.Time `db:"created_at"`
	}
	err := s.db.GetContext(ctx, &b, `SELECT id, code, name, applicant_ref, channel, idempotency_key, created_at
		FROM bundle WHERE id = ?`, id)
	if err != nil {
		return declaration.Filed{}, store.Translate(err, "打包申请")
	}
	apps, err := s.selectApps(ctx, s.db, `SELECT `+appColumns+` FROM application WHERE bundle_id = ? ORDER BY id`, id)
	if err != nil {
		return declaration.Filed{}, err
	}
	return declaration.Filed{Bundle: declaration.Bundle{ID: b.ID, Code: b.Code, Name: b.Name, ApplicantRef: b.ApplicantRef,
		Channel: domain.Channel(b.Channel), IdempotencyKey: b.IdempotencyKey, CreatedAt: b.CreatedAt}, Applications: apps}, nil
}

// WithdrawUnforwarded implements declaration.Store: the outbox row goes
// first, so that this transaction and a dispatcher's take their locks in
// the same order.
func (s *Store) WithdrawUnforwarded(ctx context.Context, id, reason string, at time.Time) (bool, error) {
	done := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `DELETE FROM outbox WHERE application_id = ? AND (lease = '' OR next_attempt_at <= ?)`,
			id, ts(at)))
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE application SET status = ?, comment = ?, finished_at = ?, updated_at = ?
			WHERE id = ?`, string(acceptance.StatusWithdrawn), clip(reason, 1000), ts(at), ts(at), id)
		done = err == nil
		return err
	})
	return done, store.Translate(err, "申请")
}

// SetStatus implements declaration.Store.
func (s *Store) SetStatus(ctx context.Context, id string, status declaration.Status, comment string, added []acceptance.Material, at time.Time) error {
	finished := any(nil)
	if status.Final() {
		finished = ts(at)
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var materials string
		if err := tx.GetContext(ctx, &materials, `SELECT materials FROM application WHERE id = ?`+s.forUpdate(), id); err != nil {
			return err
		}
		if len(added) > 0 {
			var list []acceptance.Material
			json.Unmarshal([]byte(materials), &list)
			materials = jsonText(append(list, added...))
		}
		_, err := tx.ExecContext(ctx, `UPDATE application SET status = ?, comment = ?, materials = ?,
			finished_at = COALESCE(?, finished_at), updated_at = ? WHERE id = ?`,
			string(status), clip(comment, 1000), materials, finished, ts(at), id)
		return err
	})
	return store.Translate(err, "申请")
}

// forUpdate is the locking clause of a read inside a write transaction;
// SQLite's transactions hold the write lock from BEGIN.
func (s *Store) forUpdate() string {
	if s.db.Dialect == store.MySQL {
		return " FOR UPDATE"
	}
	return ""
}

func (s *Store) getApp(ctx context.Context, q sqlx.QueryerContext, where string, args ...any) (declaration.Application, error) {
	var r appRow
	if err := sqlx.GetContext(ctx, q, &r, `SELECT `+appColumns+` FROM application `+where, args...); err != nil {
		return declaration.Application{}, store.Translate(err, "申请")
	}
	return r.domain(), nil
}

func (s *Store) selectApps(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) ([]declaration.Application, error) {
	var rows []appRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, store.Translate(err, "申请")
	}
	out := make([]declaration.Application, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.domain())
	}
	return out, nil
}

// domain converts a row to the domain's Application.
func (r appRow) domain() declaration.Application {
	a := declaration.Application{
		ID: r.ID, BundleID: r.BundleID.String, MatterCode: r.MatterCode, MatterName: r.MatterName, Situation: r.Situation,
		Applicant: declaration.Applicant{Kind: acceptance.ApplicantKind(r.ApplicantKind), Ref: r.ApplicantRef,
			SealedID: r.ApplicantSealed, Display: r.ApplicantDisplay},
		ActingFor:      declaration.Applicant{Ref: r.ActingRef, SealedID: r.ActingSealed, Display: r.ActingDisplay},
		Relation:       r.Relation,
		Channel:        domain.Channel(r.Channel),
		IdempotencyKey: r.IdempotencyKey.String,
		SealedForm:     r.FormSealed,
		SubmittedAt:    r.SubmittedAt,
		State: declaration.State{
			Status: declaration.Status(r.Status), CaseNo: r.CaseNo.String, Generic: r.Generic,
			Step: r.Step, StepName: r.StepName, Office: r.Office, Comment: r.Comment,
			ForwardedAt: r.ForwardedAt.Time, AcceptedAt: r.AcceptedAt.Time, PromisedBy: r.PromisedBy.Time,
			FinishedAt: r.FinishedAt.Time, ForwardError: r.ForwardError, LastSeq: r.LastSeq,
		},
	}
	if a.ActingFor.Ref != "" {
		a.ActingFor.Kind = acceptance.Person
	}
	json.Unmarshal([]byte(r.Materials), &a.Materials)
	json.Unmarshal([]byte(r.PrerequisitesDone), &a.PrerequisitesDone)
	json.Unmarshal([]byte(r.PendingPrereqs), &a.State.PendingPrerequisites)
	return a
}

// jsonText is v as a JSON column value; a nil slice is "[]".
func jsonText[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v) // slices of plain structs and strings always marshal
	return string(b)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// affected returns the rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
