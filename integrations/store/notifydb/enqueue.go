package notifydb

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// lockPerson upserts the person's row, which holds its lock until commit.
var lockPerson = map[store.Dialect]string{
	store.MySQL: `INSERT INTO notice_person (person_ref, updated_at) VALUES (?, ?)
		ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)`,
	store.SQLite: `INSERT INTO notice_person (person_ref, updated_at) VALUES (?, ?)
		ON CONFLICT (person_ref) DO UPDATE SET updated_at = excluded.updated_at`,
}

// Add implements notify.Store.
func (s *Store) Add(ctx context.Context, rec notify.Record, since time.Time, slot func([]time.Time) time.Time) (bool, error) {
	params, err := json.Marshal(rec.Params)
	if err != nil {
		return false, domain.Wrap(err, domain.Internal, "通知内容无法保存")
	}
	var added bool
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		added = false
		if _, err := tx.ExecContext(ctx, lockPerson[s.db.Dialect], rec.To.PersonRef, ts(rec.CreatedAt)); err != nil {
			return err
		}
		var seen int
		if err := tx.GetContext(ctx, &seen, `SELECT COUNT(*) FROM notice WHERE dedup_key = ?`, rec.DedupKey); err != nil || seen > 0 {
			return err
		}
		var recent []time.Time
		if err := tx.SelectContext(ctx, &recent, `SELECT slot_at FROM notice WHERE person_ref = ? AND slot_at > ?
			ORDER BY slot_at`, rec.To.PersonRef, ts(since)); err != nil {
			return err
		}
		err := insert(ctx, tx, rec, string(params), ts(slot(recent)))
		if store.IsDuplicate(err) { // the same key for another person, committed meanwhile
			return nil
		}
		added = err == nil
		return err
	})
	return added, unavailable(err)
}

// insert writes a new pending notice due at its slot.
func insert(ctx context.Context, tx *sqlx.Tx, rec notify.Record, params string, slot time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notice (dedup_key, person_ref, phone_sealed, openid, channel, kind,
		params, state, slot_at, next_attempt_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		rec.DedupKey, rec.To.PersonRef, rec.To.PhoneSealed, rec.To.OpenID, string(rec.To.Channel), string(rec.Kind),
		params, string(notify.StatePending), slot, slot, ts(rec.CreatedAt), ts(rec.CreatedAt))
	return err
}
