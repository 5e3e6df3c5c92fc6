package accountdb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/transfer"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// transferRow is a row of ent_transfer.
type transferRow struct {
	ApplicationID string    `db:"application_id"`
	UnitRef       string    `db:"unit_ref"`
	UnitSealed    string    `db:"unit_sealed"`
	OperatorID    string    `db:"operator_id"`
	Direction     string    `db:"direction"`
	Insurance     string    `db:"insurance"`
	FromCode      string    `db:"from_code"`
	FromName      string    `db:"from_name"`
	ToCode        string    `db:"to_code"`
	ToName        string    `db:"to_name"`
	PersonSealed  string    `db:"person_sealed"`
	Person        string    `db:"person"`
	PhoneSealed   string    `db:"phone_sealed"`
	Number        string    `db:"number"`
	Status        string    `db:"status"`
	Notified      string    `db:"notified"`
	CreatedAt     time.Time `db:"created_at"`
	UpdatedAt     time.Time `db:"updated_at"`
}

const transferColumns = `application_id, unit_ref, unit_sealed, operator_id, direction, insurance, from_code, from_name, to_code,
	to_name, person_sealed, person, phone_sealed, number, status, notified, created_at, updated_at`

func (r transferRow) domain() account.TransferFollow {
	return account.TransferFollow{ApplicationID: r.ApplicationID, UnitRef: r.UnitRef, SealedUnit: r.UnitSealed, OperatorID: r.OperatorID,
		Direction: transfer.Direction(r.Direction), Insurance: transfer.Insurance(r.Insurance),
		From: transfer.Region{Code: r.FromCode, Name: r.FromName}, To: transfer.Region{Code: r.ToCode, Name: r.ToName},
		SealedPerson: r.PersonSealed, Person: r.Person, SealedPhone: r.PhoneSealed, Number: r.Number,
		Status: transfer.Status(r.Status), Notified: transfer.Status(r.Notified),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// AddTransfer records the follow-up of a transfer filed as an application.
// Adding the same application again changes nothing and returns what is
// stored, so a repeated submission finds its first follow-up.
func (s *Store) AddTransfer(ctx context.Context, t account.TransferFollow) (account.TransferFollow, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO ent_transfer (`+transferColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ApplicationID, t.UnitRef, t.SealedUnit, t.OperatorID, string(t.Direction), string(t.Insurance), t.From.Code, t.From.Name,
		t.To.Code, t.To.Name, t.SealedPerson, t.Person, t.SealedPhone, t.Number, string(t.Status), string(t.Notified),
		ts(t.CreatedAt), ts(t.UpdatedAt))
	if err != nil && !store.IsDuplicate(err) {
		return account.TransferFollow{}, store.Translate(err, "转移申请")
	}
	return s.Transfer(ctx, t.UnitRef, t.ApplicationID)
}

// Transfer returns one of the unit's transfers. Errors: NotFound, also for
// another unit's.
func (s *Store) Transfer(ctx context.Context, unitRef, applicationID string) (account.TransferFollow, error) {
	var r transferRow
	err := s.db.GetContext(ctx, &r, `SELECT `+transferColumns+` FROM ent_transfer WHERE application_id = ? AND unit_ref = ?`,
		applicationID, unitRef)
	if err != nil {
		return account.TransferFollow{}, store.Translate(err, "转移申请")
	}
	return r.domain(), nil
}

// Transfers lists the unit's latest transfers, newest first.
func (s *Store) Transfers(ctx context.Context, unitRef string, limit int) ([]account.TransferFollow, error) {
	return s.selectTransfers(ctx, `WHERE unit_ref = ? ORDER BY created_at DESC, application_id DESC LIMIT ?`, unitRef, limit)
}

// OpenTransfers lists transfers not yet completed or returned, least
// recently looked at first, for a poller to follow.
func (s *Store) OpenTransfers(ctx context.Context, limit int) ([]account.TransferFollow, error) {
	return s.selectTransfers(ctx, `WHERE status NOT IN (?, ?) ORDER BY updated_at LIMIT ?`,
		string(transfer.Completed), string(transfer.Returned), limit)
}

func (s *Store) selectTransfers(ctx context.Context, where string, args ...any) ([]account.TransferFollow, error) {
	var rows []transferRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+transferColumns+` FROM ent_transfer `+where, args...); err != nil {
		return nil, store.Translate(err, "转移申请")
	}
	out := make([]account.TransferFollow, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SawTransfer records the platform's number and status of a transfer as
// just seen.
func (s *Store) SawTransfer(ctx context.Context, applicationID, number string, status transfer.Status, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE ent_transfer SET number = ?, status = ?, updated_at = ? WHERE application_id = ?`,
		number, string(status), ts(at), applicationID)
	return store.Translate(err, "转移申请")
}

// MarkNotified moves the last texted status from from to to, and reports
// whether this call did: of two instances seeing the same change, only
// one texts the person.
func (s *Store) MarkNotified(ctx context.Context, applicationID string, from, to transfer.Status) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE ent_transfer SET notified = ? WHERE application_id = ? AND notified = ?`,
		string(to), applicationID, string(from))
	if err != nil {
		return false, store.Translate(err, "转移申请")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
