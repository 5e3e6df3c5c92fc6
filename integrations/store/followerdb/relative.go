package followerdb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/store"
)

const relativeColumns = "id, holder_index, person_index, person_sealed, masked_name, relation, verified_at"

type relativeRow struct {
	ID           string    `db:"id"`
	HolderIndex  string    `db:"holder_index"`
	PersonIndex  string    `db:"person_index"`
	PersonSealed string    `db:"person_sealed"`
	MaskedName   string    `db:"masked_name"`
	Relation     string    `db:"relation"`
	VerifiedAt   time.Time `db:"verified_at"`
}

func (r relativeRow) record() follower.RelativeRecord {
	return follower.RelativeRecord{ID: r.ID, HolderRef: r.HolderIndex, PersonRef: r.PersonIndex,
		SealedPerson: r.PersonSealed, MaskedName: r.MaskedName, Relation: identity.Relation(r.Relation),
		VerifiedAt: bj(r.VerifiedAt)}
}

// AddRelative implements follower.Store.
func (s *Store) AddRelative(ctx context.Context, r follower.RelativeRecord, max int) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var locked string
		err := tx.GetContext(ctx, &locked, "SELECT open_id FROM wechat_follower WHERE person_index = ?"+s.forUpdate(), r.HolderRef)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.Forbidden, "请先绑定本人社保身份")
		}
		if err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM wechat_relative WHERE holder_index = ?", r.HolderRef); err != nil {
			return err
		}
		if n >= max {
			return domain.Errorf(domain.Rejected, "最多可添加%d位亲属，请先删除不再代办的亲属", max)
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO wechat_relative ("+relativeColumns+") VALUES (?,?,?,?,?,?,?)",
			r.ID, r.HolderRef, r.PersonRef, r.SealedPerson, r.MaskedName, string(r.Relation), ts(r.VerifiedAt))
		if store.IsDuplicate(err) {
			return domain.Wrap(err, domain.Conflict, "您已添加过该亲属")
		}
		return err
	})
	return fail(err, "亲属")
}

// Relatives implements follower.Store.
func (s *Store) Relatives(ctx context.Context, holderRef string) ([]follower.RelativeRecord, error) {
	var rows []relativeRow
	if err := s.db.SelectContext(ctx, &rows, "SELECT "+relativeColumns+" FROM wechat_relative WHERE holder_index = ? ORDER BY verified_at, id", holderRef); err != nil {
		return nil, fail(err, "亲属")
	}
	out := make([]follower.RelativeRecord, len(rows))
	for i, row := range rows {
		out[i] = row.record()
	}
	return out, nil
}

// Relative implements follower.Store.
func (s *Store) Relative(ctx context.Context, holderRef, id string) (follower.RelativeRecord, error) {
	var row relativeRow
	if err := s.db.GetContext(ctx, &row, "SELECT "+relativeColumns+" FROM wechat_relative WHERE id = ? AND holder_index = ?", id, holderRef); err != nil {
		return follower.RelativeRecord{}, fail(err, "亲属")
	}
	return row.record(), nil
}

// RemoveRelative implements follower.Store.
func (s *Store) RemoveRelative(ctx context.Context, holderRef, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM wechat_relative WHERE id = ? AND holder_index = ?", id, holderRef)
	if err != nil {
		return fail(err, "亲属")
	}
	if n, err := res.RowsAffected(); err != nil {
		return fail(err, "亲属")
	} else if n == 0 {
		return domain.Errorf(domain.NotFound, "未找到该亲属")
	}
	return nil
}
