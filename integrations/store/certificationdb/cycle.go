package certificationdb

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
)

const cycleColumns = `id, person_ref, person_sealed, person_display, seq, cycle_year,
	opens_on, due_on, overdue_on, suspend_on, state, overdue_at, suspended_at, certified_at,
	method, channel, actor_kind, actor_ref, actor_sealed, actor_display, relation, evidence,
	next_check_at, version, created_at, updated_at`

// cycleRow is a certification_cycle row.
type cycleRow struct {
	ID            string       `db:"id"`
	PersonRef     string       `db:"person_ref"`
	PersonSealed  string       `db:"person_sealed"`
	PersonDisplay string       `db:"person_display"`
	Seq           int          `db:"seq"`
	Year          int          `db:"cycle_year"`
	OpensOn       time.Time    `db:"opens_on"`
	DueOn         time.Time    `db:"due_on"`
	OverdueOn     time.Time    `db:"overdue_on"`
	SuspendOn     time.Time    `db:"suspend_on"`
	State         string       `db:"state"`
	OverdueAt     sql.NullTime `db:"overdue_at"`
	SuspendedAt   sql.NullTime `db:"suspended_at"`
	CertifiedAt   sql.NullTime `db:"certified_at"`
	Method        string       `db:"method"`
	Channel       string       `db:"channel"`
	ActorKind     string       `db:"actor_kind"`
	ActorRef      string       `db:"actor_ref"`
	ActorSealed   string       `db:"actor_sealed"`
	ActorDisplay  string       `db:"actor_display"`
	Relation      string       `db:"relation"`
	Evidence      string       `db:"evidence"`
	NextCheckAt   sql.NullTime `db:"next_check_at"`
	Version       int          `db:"version"`
	CreatedAt     time.Time    `db:"created_at"`
	UpdatedAt     time.Time    `db:"updated_at"`
}

// cycle is the row as the domain sees it.
func (r cycleRow) cycle() certification.Cycle {
	c := certification.Cycle{
		ID: r.ID, PersonRef: r.PersonRef, PersonSealed: r.PersonSealed, PersonDisplay: r.PersonDisplay,
		Seq: r.Seq, Year: r.Year,
		OpensOn: local(r.OpensOn), DueOn: local(r.DueOn), OverdueOn: local(r.OverdueOn), SuspendOn: local(r.SuspendOn),
		State: certification.State(r.State), OverdueAt: local(r.OverdueAt.Time), SuspendedAt: local(r.SuspendedAt.Time),
		NextCheck: local(r.NextCheckAt.Time), Version: r.Version,
		CreatedAt: local(r.CreatedAt), UpdatedAt: local(r.UpdatedAt),
	}
	if r.CertifiedAt.Valid {
		c.Certification = &certification.Certification{
			At: local(r.CertifiedAt.Time), Method: certification.Method(r.Method), Channel: domain.Channel(r.Channel),
			Evidence: r.Evidence,
			Actor: certification.ActorRecord{Kind: certification.ActorKind(r.ActorKind), Ref: r.ActorRef,
				Sealed: r.ActorSealed, Display: r.ActorDisplay, Relation: certification.Relation(r.Relation)},
		}
	}
	return c
}

// certColumns are the values of the certification columns of c, in the
// order method, channel, actor_kind, actor_ref, actor_sealed,
// actor_display, relation, evidence, certified_at.
func certColumns(c certification.Cycle) []any {
	cert := c.Certification
	if cert == nil {
		return []any{"", "", "", "", "", "", "", "", nil}
	}
	a := cert.Actor
	return []any{string(cert.Method), string(cert.Channel), string(a.Kind), a.Ref, a.Sealed, a.Display,
		string(a.Relation), cert.Evidence, ts(cert.At)}
}

// Latest implements certification.Store.
func (s *Store) Latest(ctx context.Context, personRef string) (certification.Cycle, error) {
	return s.one(ctx, `SELECT `+cycleColumns+` FROM certification_cycle WHERE person_ref = ? ORDER BY seq DESC LIMIT 1`, personRef)
}

// Cycle implements certification.Store.
func (s *Store) Cycle(ctx context.Context, id string) (certification.Cycle, error) {
	return s.one(ctx, `SELECT `+cycleColumns+` FROM certification_cycle WHERE id = ?`, id)
}

func (s *Store) one(ctx context.Context, q string, args ...any) (certification.Cycle, error) {
	var r cycleRow
	if err := sqlx.GetContext(ctx, s.db, &r, q, args...); err != nil {
		return certification.Cycle{}, fail(err)
	}
	return r.cycle(), nil
}

// Insert implements certification.Store.
func (s *Store) Insert(ctx context.Context, c certification.Cycle) error {
	return fail(insertCycle(ctx, s.db, c))
}

func insertCycle(ctx context.Context, db sqlx.ExecerContext, c certification.Cycle) error {
	args := []any{c.ID, c.PersonRef, c.PersonSealed, c.PersonDisplay, c.Seq, c.Year,
		ts(c.OpensOn), ts(c.DueOn), ts(c.OverdueOn), ts(c.SuspendOn), string(c.State),
		nullTime(c.OverdueAt), nullTime(c.SuspendedAt)}
	args = append(args, certColumns(c)...)
	args = append(args, nullTime(c.NextCheck), c.Version, ts(c.CreatedAt), ts(c.UpdatedAt))
	_, err := db.ExecContext(ctx, `INSERT INTO certification_cycle (id, person_ref, person_sealed, person_display,
		seq, cycle_year, opens_on, due_on, overdue_on, suspend_on, state, overdue_at, suspended_at,
		method, channel, actor_kind, actor_ref, actor_sealed, actor_display, relation, evidence, certified_at,
		next_check_at, version, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...)
	return err
}

// Open implements certification.Store.
func (s *Store) Open(ctx context.Context, prev, next certification.Cycle) error {
	return fail(s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE certification_cycle SET next_check_at = NULL, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ?`, ts(next.CreatedAt), prev.ID, prev.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return domain.Errorf(domain.Conflict, "认证周期已由其他请求更新")
		}
		return insertCycle(ctx, tx, next)
	}))
}

// Update implements certification.Store.
func (s *Store) Update(ctx context.Context, c certification.Cycle, events []certification.Event) (bool, error) {
	updated := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		args := []any{string(c.State), nullTime(c.OverdueAt), nullTime(c.SuspendedAt)}
		args = append(args, certColumns(c)...)
		args = append(args, nullTime(c.NextCheck), ts(c.UpdatedAt), c.ID, c.Version)
		res, err := tx.ExecContext(ctx, `UPDATE certification_cycle SET state = ?, overdue_at = ?, suspended_at = ?,
			method = ?, channel = ?, actor_kind = ?, actor_ref = ?, actor_sealed = ?, actor_display = ?,
			relation = ?, evidence = ?, certified_at = ?, next_check_at = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		updated = true
		return insertEvents(ctx, tx, events)
	})
	if err != nil {
		return false, fail(err)
	}
	return updated, nil
}

// DueChecks implements certification.Store.
func (s *Store) DueChecks(ctx context.Context, now time.Time, after certification.CheckCursor, limit int) ([]certification.Cycle, error) {
	q := `SELECT ` + cycleColumns + ` FROM certification_cycle WHERE next_check_at <= ?`
	args := []any{ts(now)}
	if !after.At.IsZero() {
		q += ` AND (next_check_at > ? OR (next_check_at = ? AND id > ?))`
		args = append(args, ts(after.At), ts(after.At), after.ID)
	}
	q += ` ORDER BY next_check_at, id LIMIT ?`
	var rows []cycleRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, append(args, limit)...); err != nil {
		return nil, fail(err)
	}
	out := make([]certification.Cycle, len(rows))
	for i, r := range rows {
		out[i] = r.cycle()
	}
	return out, nil
}
