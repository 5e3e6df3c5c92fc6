package certificationdb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// ClaimReminder implements certification.Store.
func (s *Store) ClaimReminder(ctx context.Context, cycleID string, kind certification.ReminderKind, at time.Time) (bool, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO certification_reminder (cycle_id, kind, sent_at) VALUES (?,?,?)`,
		cycleID, string(kind), ts(at))
	if store.IsDuplicate(err) {
		return false, nil
	}
	return err == nil, fail(err)
}

// ReleaseReminder implements certification.Store.
func (s *Store) ReleaseReminder(ctx context.Context, cycleID string, kind certification.ReminderKind) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM certification_reminder WHERE cycle_id = ? AND kind = ?`, cycleID, string(kind))
	return fail(err)
}
