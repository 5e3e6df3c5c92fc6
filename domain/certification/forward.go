package certification

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// The pause before retrying a failed forward doubles from retryBase up to
// retryMax.
const (
	retryBase = time.Minute
	retryMax  = time.Hour
)

// forwardNow forwards the cycle's events right after the change that made
// them. A failure is logged, not returned: the change is committed and the
// next sweep forwards what is left.
func (s *Service) forwardNow(ctx context.Context, cycleID string, now time.Time, rep *SweepReport) {
	n, err := s.forwardCycle(ctx, cycleID, now)
	if rep != nil {
		rep.Forwarded += n
	}
	if err != nil {
		s.log.WarnContext(ctx, "certification event not forwarded; a sweep will retry",
			"cycle", cycleID, "code", domain.ErrorCode(err), "err", err)
	}
}

// forwardCycle forwards the cycle's unforwarded events in the order they
// happened, stopping at the first failure so the counter core never hears
// of a resumption before the suspension it ends. It returns how many it
// forwarded.
func (s *Service) forwardCycle(ctx context.Context, cycleID string, now time.Time) (int, error) {
	events, err := s.store.Unforwarded(ctx, cycleID)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	c, err := s.store.Cycle(ctx, cycleID)
	if err != nil {
		return 0, err
	}
	for i, e := range events {
		if err := s.forwardOne(ctx, c, e); err != nil {
			retry := now.Add(min(retryBase<<min(e.Attempts, 10), retryMax))
			if ferr := s.store.ForwardFailed(ctx, e.ID, retry, clip(domain.MaskText(err.Error()), 500)); ferr != nil {
				s.log.WarnContext(ctx, "certification forward failure not recorded", "event", e.ID, "err", ferr)
			}
			return i, err
		}
		if err := s.store.Forwarded(ctx, e.ID, now); err != nil {
			return i, err
		}
	}
	return len(events), nil
}

// forwardOne builds the notice of e and hands it to the Forwarder.
func (s *Service) forwardOne(ctx context.Context, c Cycle, e Event) error {
	n, err := s.notice(c, e)
	if err != nil {
		return err
	}
	return s.forwarder.Forward(ctx, n)
}

// notice is event e of cycle c as the counter core is told of it.
func (s *Service) notice(c Cycle, e Event) (Notice, error) {
	person, err := privacy.OpenID(s.sealer, c.PersonSealed)
	if err != nil {
		return Notice{}, err
	}
	n := Notice{EventID: e.ID, Kind: e.Kind, At: e.At, Person: person, Display: c.PersonDisplay,
		Year: c.Year, DueOn: c.DueOn, SuspendedAt: c.SuspendedAt}
	if e.Kind == EventSuspended {
		return n, nil
	}
	n.Certification, n.BackPay = c.Certification, c.BackPay()
	if c.Certification != nil && c.Certification.Actor.Kind == Relative {
		if n.ActingFor, err = privacy.OpenID(s.sealer, c.Certification.Actor.Sealed); err != nil {
			return Notice{}, err
		}
	}
	return n, nil
}
