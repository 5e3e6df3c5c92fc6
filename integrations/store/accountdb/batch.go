package accountdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// batchRow is a row of ent_batch.
type batchRow struct {
	ID             string       `db:"id"`
	UnitRef        string       `db:"unit_ref"`
	OperatorID     string       `db:"operator_id"`
	Kind           string       `db:"kind"`
	IdempotencyKey string       `db:"idempotency_key"`
	FileDigest     string       `db:"file_digest"`
	RowCount       int          `db:"row_count"`
	RowsSealed     string       `db:"rows_sealed"`
	ApplicationIDs string       `db:"application_ids"`
	Filed          bool         `db:"filed"`
	CreatedAt      time.Time    `db:"created_at"`
	FiledAt        sql.NullTime `db:"filed_at"`
}

const batchColumns = `id, unit_ref, operator_id, kind, idempotency_key, file_digest, row_count, rows_sealed,
	application_ids, filed, created_at, filed_at`

// batchSummary leaves the sealed rows out, for lists.
const batchSummary = `id, unit_ref, operator_id, kind, idempotency_key, file_digest, row_count, '' AS rows_sealed,
	application_ids, filed, created_at, filed_at`

func (r batchRow) domain() account.Batch {
	b := account.Batch{ID: r.ID, UnitRef: r.UnitRef, OperatorID: r.OperatorID, Kind: account.BatchKind(r.Kind),
		IdempotencyKey: r.IdempotencyKey, FileDigest: r.FileDigest, Rows: r.RowCount, SealedRows: r.RowsSealed,
		Filed: r.Filed, CreatedAt: r.CreatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.ApplicationIDs), &b.ApplicationIDs) // written by FinishBatch; "[]" before
	if r.FiledAt.Valid {
		b.FiledAt = r.FiledAt.Time.UTC()
	}
	return b
}

// StartBatch records an accepted batch before its applications are filed.
// When the unit used the idempotency key already it writes nothing and
// returns the earlier batch with existing true.
func (s *Store) StartBatch(ctx context.Context, b account.Batch) (stored account.Batch, existing bool, err error) {
	_, err = s.db.ExecContext(ctx, `INSERT INTO ent_batch (`+batchColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', 0, ?, NULL)`,
		b.ID, b.UnitRef, b.OperatorID, string(b.Kind), b.IdempotencyKey, b.FileDigest, b.Rows, b.SealedRows, ts(b.CreatedAt))
	if err == nil {
		return b, false, nil
	}
	if !store.IsDuplicate(err) {
		return account.Batch{}, false, store.Translate(err, "批次")
	}
	stored, err = s.BatchByKey(ctx, b.UnitRef, b.IdempotencyKey)
	return stored, err == nil, err
}

// BatchByKey returns the unit's batch started with key. Errors: NotFound.
func (s *Store) BatchByKey(ctx context.Context, unitRef, key string) (account.Batch, error) {
	var r batchRow
	err := s.db.GetContext(ctx, &r, `SELECT `+batchColumns+` FROM ent_batch WHERE unit_ref = ? AND idempotency_key = ?`,
		unitRef, key)
	if err != nil {
		return account.Batch{}, store.Translate(err, "批次")
	}
	return r.domain(), nil
}

// FinishBatch lists the applications filed for a batch and marks it filed.
func (s *Store) FinishBatch(ctx context.Context, id string, applicationIDs []string, at time.Time) error {
	ids, err := json.Marshal(applicationIDs)
	if err != nil {
		return domain.Wrap(err, domain.Internal, "批次信息无法保存")
	}
	_, err = s.db.ExecContext(ctx, `UPDATE ent_batch SET application_ids = ?, filed = 1, filed_at = ? WHERE id = ?`,
		string(ids), ts(at), id)
	return store.Translate(err, "批次")
}

// Batch returns one of the unit's batches with its sealed rows. Errors:
// NotFound, also for another unit's batch.
func (s *Store) Batch(ctx context.Context, unitRef, id string) (account.Batch, error) {
	var r batchRow
	err := s.db.GetContext(ctx, &r, `SELECT `+batchColumns+` FROM ent_batch WHERE id = ? AND unit_ref = ?`, id, unitRef)
	if err != nil {
		return account.Batch{}, store.Translate(err, "批次")
	}
	return r.domain(), nil
}

// Batches lists the unit's latest batches, newest first, without their rows.
func (s *Store) Batches(ctx context.Context, unitRef string, limit int) ([]account.Batch, error) {
	var rows []batchRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+batchSummary+` FROM ent_batch WHERE unit_ref = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, unitRef, limit)
	if err != nil {
		return nil, store.Translate(err, "批次")
	}
	out := make([]account.Batch, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
