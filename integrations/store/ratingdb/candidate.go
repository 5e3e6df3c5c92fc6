package ratingdb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// candidateRow is a row of the rating_candidate table.
type candidateRow struct {
	ApplicationID string    `db:"application_id"`
	ApplicantRef  string    `db:"applicant_ref"`
	MatterCode    string    `db:"matter_code"`
	MatterName    string    `db:"matter_name"`
	Channel       string    `db:"channel"`
	FinishedAt    time.Time `db:"finished_at"`
}

// AddCandidate implements rating.Store: a repeat leaves the first row,
// and whether it was reminded, as it was.
func (s *Store) AddCandidate(ctx context.Context, c rating.Candidate) error {
	q := "INSERT INTO rating_candidate (application_id, applicant_ref, matter_code, matter_name, channel, finished_at)" +
		" VALUES (?,?,?,?,?,?)"
	if s.db.Dialect == store.MySQL {
		q += " ON DUPLICATE KEY UPDATE application_id = application_id"
	} else {
		q += " ON CONFLICT (application_id) DO NOTHING"
	}
	_, err := exec(ctx, s.db, q, c.ApplicationID, c.ApplicantRef, clip(c.MatterCode, 64), clip(c.MatterName, 128),
		string(c.Channel), ts(c.FinishedAt))
	return fail(err, "评价提醒")
}

// DueCandidates implements rating.Store. The NOT EXISTS covers a rating
// that landed before its application was recorded as a candidate.
func (s *Store) DueCandidates(ctx context.Context, finishedBefore time.Time, limit int) ([]rating.Candidate, error) {
	var rows []candidateRow
	err := s.db.SelectContext(ctx, &rows, "SELECT c.application_id, c.applicant_ref, c.matter_code, c.matter_name,"+
		" c.channel, c.finished_at FROM rating_candidate c WHERE c.reminded_at IS NULL AND c.finished_at <= ?"+
		" AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.application_id = c.application_id AND r.stage = ?)"+
		" ORDER BY c.finished_at, c.application_id LIMIT ?", ts(finishedBefore), string(rating.StageCompleted), limit)
	if err != nil {
		return nil, fail(err, "评价提醒")
	}
	out := make([]rating.Candidate, 0, len(rows))
	for _, r := range rows {
		out = append(out, rating.Candidate{ApplicationID: r.ApplicationID, ApplicantRef: r.ApplicantRef,
			MatterCode: r.MatterCode, MatterName: r.MatterName, Channel: domain.Channel(r.Channel), FinishedAt: bj(r.FinishedAt)})
	}
	return out, nil
}

// MarkReminded implements rating.Store.
func (s *Store) MarkReminded(ctx context.Context, applicationID string, at time.Time) (bool, error) {
	n, err := exec(ctx, s.db, "UPDATE rating_candidate SET reminded_at = ? WHERE application_id = ? AND reminded_at IS NULL",
		ts(at), applicationID)
	return n == 1, fail(err, "评价提醒")
}

// UnmarkReminded implements rating.Store.
func (s *Store) UnmarkReminded(ctx context.Context, applicationID string) error {
	_, err := exec(ctx, s.db, "UPDATE rating_candidate SET reminded_at = NULL WHERE application_id = ?", applicationID)
	return fail(err, "评价提醒")
}
