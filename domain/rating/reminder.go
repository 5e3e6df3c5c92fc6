package rating

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// Candidate is a finished application whose applicant may be reminded to
// rate it (邀评提醒).
type Candidate struct {
	ApplicationID string
	ApplicantRef  string
	MatterCode    string
	MatterName    string
	Channel       domain.Channel
	FinishedAt    time.Time
}

// Completed records that an application reached a final status, so that
// its applicant is reminded to rate it if they have not after the
// configured delay. The wiring calls it when progress reports a final
// status; calling it twice is harmless. A withdrawn application is not
// recorded: the applicant stopped it themselves. Error: Invalid when the
// status is not final.
func (s *Service) Completed(ctx context.Context, f Facts) error {
	if !f.Status.Final() {
		return domain.Errorf(domain.Invalid, "申请尚未办结，不能加入评价提醒")
	}
	if f.Status == acceptance.StatusWithdrawn {
		return nil
	}
	at := f.FinishedAt
	if at.IsZero() {
		at = s.now()
	}
	return s.store.AddCandidate(ctx, Candidate{
		ApplicationID: f.ApplicationID, ApplicantRef: f.ApplicantRef, MatterCode: f.MatterCode,
		MatterName: f.MatterName, Channel: f.Channel, FinishedAt: at,
	})
}

// RemindUnrated reminds, once each, the applicants of applications
// finished at least Config.RemindAfter before now and still not rated at
// the completed stage, and returns how many reminders it sent. A run
// claims each candidate before sending, so instances running together do
// not remind twice; a reminder that fails with Unavailable or Timeout is
// released and the run stops, to try again next time, while any other
// failure gives that one reminder up and is returned, joined with the
// others, once the run is over. If the process dies between claim
// and send, that reminder is lost: a courtesy, not worth a second one.
func (s *Service) RemindUnrated(ctx context.Context, now time.Time) (int, error) {
	due, err := s.store.DueCandidates(ctx, now.Add(-s.cfg.RemindAfter), s.cfg.RemindBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	var givenUp []error
	for _, c := range due {
		mine, err := s.store.MarkReminded(ctx, c.ApplicationID, now)
		if err != nil {
			return sent, err
		}
		if !mine {
			continue
		}
		err = s.reminders.RemindToRate(ctx, c)
		switch {
		case err == nil:
			sent++
		case domain.IsCode(err, domain.Unavailable) || domain.IsCode(err, domain.Timeout):
			if uerr := s.store.UnmarkReminded(ctx, c.ApplicationID); uerr != nil {
				return sent, uerr
			}
			return sent, err
		default:
			givenUp = append(givenUp, fmt.Errorf("remind to rate application %s: %w", c.ApplicationID, err))
		}
	}
	return sent, errors.Join(givenUp...)
}
