package accountdb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// operatorRow is a row of unit_operator.
type operatorRow struct {
	ID           string    `db:"id"`
	UnitRef      string    `db:"unit_ref"`
	UnitSealed   string    `db:"unit_sealed"`
	Name         string    `db:"name"`
	PhoneSealed  string    `db:"phone_sealed"`
	Role         string    `db:"role"`
	PasswordHash string    `db:"password_hash"`
	Disabled     bool      `db:"disabled"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

const operatorColumns = `id, unit_ref, unit_sealed, name, phone_sealed, role, password_hash, disabled, created_at, updated_at`

func (r operatorRow) domain() account.Operator {
	return account.Operator{ID: r.ID, UnitRef: r.UnitRef, SealedUnit: r.UnitSealed, Name: r.Name, SealedPhone: r.PhoneSealed,
		Role: account.Role(r.Role), PasswordHash: r.PasswordHash, Disabled: r.Disabled,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateOperator implements account.Store.
func (s *Store) CreateOperator(ctx context.Context, op account.Operator) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO unit_operator (`+operatorColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		op.ID, op.UnitRef, op.SealedUnit, op.Name, op.SealedPhone, string(op.Role), op.PasswordHash, op.Disabled,
		ts(op.CreatedAt), ts(op.UpdatedAt))
	return store.Translate(err, "经办人账号")
}

// UpdateOperator implements account.Store.
func (s *Store) UpdateOperator(ctx context.Context, op account.Operator) error {
	res, err := s.db.ExecContext(ctx, `UPDATE unit_operator SET role = ?, phone_sealed = ?, password_hash = ?,
		disabled = ?, updated_at = ? WHERE id = ?`, string(op.Role), op.SealedPhone, op.PasswordHash, op.Disabled,
		ts(op.UpdatedAt), op.ID)
	if err != nil {
		return store.Translate(err, "经办人账号")
	}
	// MySQL counts changed rows, so an update that changes nothing reports
	// 0; ask whether the row exists before calling it missing.
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := s.Operator(ctx, op.ID)
		return err
	}
	return nil
}

// Operator implements account.Store.
func (s *Store) Operator(ctx context.Context, id string) (account.Operator, error) {
	return s.getOperator(ctx, `WHERE id = ?`, id)
}

// OperatorByName implements account.Store.
func (s *Store) OperatorByName(ctx context.Context, unitRef, name string) (account.Operator, error) {
	return s.getOperator(ctx, `WHERE unit_ref = ? AND name = ?`, unitRef, name)
}

func (s *Store) getOperator(ctx context.Context, where string, args ...any) (account.Operator, error) {
	var r operatorRow
	if err := s.db.GetContext(ctx, &r, `SELECT `+operatorColumns+` FROM unit_operator `+where, args...); err != nil {
		return account.Operator{}, store.Translate(err, "经办人账号")
	}
	return r.domain(), nil
}

// Operators implements account.Store.
func (s *Store) Operators(ctx context.Context, unitRef string) ([]account.Operator, error) {
	var rows []operatorRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+operatorColumns+` FROM unit_operator WHERE unit_ref = ? ORDER BY name`, unitRef)
	if err != nil {
		return nil, store.Translate(err, "经办人账号")
	}
	out := make([]account.Operator, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// TrustDevice implements account.Store: an insert, or the last-seen time
// of a device already trusted.
func (s *Store) TrustDevice(ctx context.Context, operatorID, deviceHash string, at time.Time) error {
	q := `INSERT INTO unit_operator_device (operator_id, device_hash, trusted_at, last_seen_at) VALUES (?, ?, ?, ?) `
	if s.db.Dialect == store.MySQL {
		q += `ON DUPLICATE KEY UPDATE last_seen_at = VALUES(last_seen_at)`
	} else {
		q += `ON CONFLICT (operator_id, device_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at`
	}
	_, err := s.db.ExecContext(ctx, q, operatorID, deviceHash, ts(at), ts(at))
	return store.Translate(err, "设备")
}

// Trusted implements account.Store.
func (s *Store) Trusted(ctx context.Context, operatorID, deviceHash string) (bool, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM unit_operator_device WHERE operator_id = ? AND device_hash = ?`,
		operatorID, deviceHash)
	if err != nil {
		return false, store.Translate(err, "设备")
	}
	return n > 0, nil
}

// ForgetDevices implements account.Store.
func (s *Store) ForgetDevices(ctx context.Context, operatorID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM unit_operator_device WHERE operator_id = ?`, operatorID)
	return store.Translate(err, "设备")
}
