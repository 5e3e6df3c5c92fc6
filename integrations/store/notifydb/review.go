package notifydb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Find implements notify.Store.
func (s *Store) Find(ctx context.Context, dedupKey string) (notify.Record, error) {
	var r row
	err := s.db.GetContext(ctx, &r, `SELECT `+columns+` FROM notice WHERE dedup_key = ?`, dedupKey)
	if err != nil {
		return notify.Record{}, unavailable(store.Translate(err, "通知"))
	}
	return r.record()
}

// Reviews implements notify.Store.
func (s *Store) Reviews(ctx context.Context, limit int) ([]notify.Record, error) {
	if limit < 1 || limit > 1000 {
		limit = 100
	}
	var rows []row
	err := s.db.SelectContext(ctx, &rows, `SELECT `+columns+` FROM notice WHERE state = ? ORDER BY id LIMIT ?`,
		string(notify.StateReview), limit)
	if err != nil {
		return nil, unavailable(err)
	}
	return records(rows)
}

// Resolve implements notify.Store.
func (s *Store) Resolve(ctx context.Context, id int64, delivered bool, at time.Time) error {
	state, next, sent := notify.StatePending, any(ts(at)), any(nil)
	if delivered {
		state, next, sent = notify.StateSent, nil, ts(at)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE notice SET state = ?, next_attempt_at = ?, sent_at = ?, in_flight = '',
		updated_at = ? WHERE id = ? AND state = ?`, string(state), next, sent, ts(at), id, string(notify.StateReview))
	if err = held(res, err); domain.IsCode(err, domain.Conflict) {
		return domain.Errorf(domain.NotFound, "未找到待核查的该条通知")
	}
	return err
}
