package identitydb

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/store"
)

const relativeColumns = "id, account_id, person_index, person_sealed, masked_name, relation, verified_at"

type relativeRow struct {
	ID           string    `db:"id"`
	AccountID    string    `db:"account_id"`
	PersonIndex  string    `db:"person_index"`
	PersonSealed string    `db:"person_sealed"`
	MaskedName   string    `db:"masked_name"`
	Relation     string    `db:"relation"`
	VerifiedAt   time.Time `db:"verified_at"`
}

func (r relativeRow) record() identity.RelativeRecord {
	return identity.RelativeRecord{ID: r.ID, AccountID: r.AccountID, PersonIndex: r.PersonIndex,
		SealedPerson: r.PersonSealed, MaskedName: r.MaskedName, Relation: identity.Relation(r.Relation),
		VerifiedAt: bj(r.VerifiedAt)}
}

// AddRelative implements identity.Store.
func (s *Store) AddRelative(ctx context.Context, r identity.RelativeRecord, max int) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var locked string
		if err := tx.GetContext(ctx, &locked, "SELECT id FROM identity_account WHERE id = ?"+s.forUpdate(), r.AccountID); err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM identity_relative WHERE account_id = ?", r.AccountID); err != nil {
			return err
		}
		if n >= max {
			return domain.Errorf(domain.Rejected, "最多可添加%d位亲属，请先删除不再代办的亲属", max)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO identity_relative ("+relativeColumns+") VALUES (?,?,?,?,?,?,?)",
			r.ID, r.AccountID, r.PersonIndex, r.SealedPerson, r.MaskedName, string(r.Relation), ts(r.VerifiedAt))
		if store.IsDuplicate(err) {
			return domain.Wrap(err, domain.Conflict, "您已添加过该亲属")
		}
		return err
	})
	return fail(err, "账户")
}

// Relatives implements identity.Store.
func (s *Store) Relatives(ctx context.Context, accountID string) ([]identity.RelativeRecord, error) {
	var rows []relativeRow
	if err := s.db.SelectContext(ctx, &rows, "SELECT "+relativeColumns+" FROM identity_relative WHERE account_id = ? ORDER BY verified_at, id", accountID); err != nil {
		return nil, fail(err, "亲属")
	}
	out := make([]identity.RelativeRecord, len(rows))
	for i, row := range rows {
		out[i] = row.record()
	}
	return out, nil
}

// Relative implements identity.Store.
func (s *Store) Relative(ctx context.Context, accountID, id string) (identity.RelativeRecord, error) {
	var row relativeRow
	if err := s.db.GetContext(ctx, &row, "SELECT "+relativeColumns+" FROM identity_relative WHERE id = ? AND account_id = ?", id, accountID); err != nil {
		return identity.RelativeRecord{}, fail(err, "亲属")
	}
	return row.record(), nil
}

// RemoveRelative implements identity.Store.
func (s *Store) RemoveRelative(ctx context.Context, accountID, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM identity_relative WHERE id = ? AND account_id = ?", id, accountID)
	if err != nil {
		return fail(err, "亲属")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return domain.Errorf(domain.NotFound, "未找到该亲属")
	}
	return nil
}
