package certification

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// SweepReport counts what one Sweep did, for the log and the metrics.
type SweepReport struct {
	Checked   int // cycles looked at
	Opened    int // next year's cycles opened
	Overdue   int // cycles that fell overdue
	Suspended int // benefits suspended
	Reminded  int // reminders sent
	Forwarded int // events the counter core took
	Failed    int // cycles or events left for the next sweep after an error
}

// sweepPage is how many cycles one Store read returns.
const sweepPage = 200

// maxRetryPages bounds the outbox pages one Sweep retries.
const maxRetryPages = 50

// Sweep does what time calls for at now: it opens the cycles whose window
// has come, moves cycles overdue and suspends benefits (forwarding each
// suspension), sends the reminders owed — each once, so sweeping twice
// sends nothing new — and retries the events the counter core has not
// taken yet. Run it every few minutes from one or more instances; they
// share the work safely. A failure on one cycle is logged and counted and
// the sweep goes on; the error returned is the Store's when it cannot list
// the work at all.
func (s *Service) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var cur CheckCursor
	for {
		cycles, err := s.store.DueChecks(ctx, now, cur, sweepPage)
		if err != nil {
			return rep, err
		}
		for _, c := range cycles {
			rep.Checked++
			if err := s.check(ctx, c, now, &rep); err != nil {
				rep.Failed++
				s.log.WarnContext(ctx, "certification cycle not swept; the next sweep retries",
					"cycle", c.ID, "code", domain.ErrorCode(err), "err", err)
			}
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
		}
		if len(cycles) < sweepPage {
			break
		}
		last := cycles[len(cycles)-1]
		cur = CheckCursor{At: last.NextCheck, ID: last.ID}
	}
	return rep, s.retryForwards(ctx, now, &rep)
}

// check does what is due for c at now and sets when to look at it next.
// After a failure it leaves NextCheck as it was, so the next sweep retries.
func (s *Service) check(ctx context.Context, c Cycle, now time.Time, rep *SweepReport) error {
	c, err := s.advance(ctx, c, now, true, rep)
	if err != nil {
		return err
	}
	if err := s.remind(ctx, c, now, rep); err != nil {
		return err
	}
	next := s.rules.checkAfter(c, now)
	if next.Equal(c.NextCheck) {
		return nil
	}
	c.NextCheck, c.UpdatedAt = next, now
	_, err = s.store.Update(ctx, c, nil) // false: changed meanwhile, and rescheduled by whoever changed it
	return err
}

// remind sends the reminder c is owed at now, if it was not sent already.
func (s *Service) remind(ctx context.Context, c Cycle, now time.Time, rep *SweepReport) error {
	kind := s.rules.reminderAt(c, now)
	if kind == "" {
		return nil
	}
	claimed, err := s.store.ClaimReminder(ctx, c.ID, kind, now)
	if err != nil || !claimed {
		return err
	}
	if err := s.sendReminder(ctx, c, kind, now); err != nil {
		if rerr := s.store.ReleaseReminder(ctx, c.ID, kind); rerr != nil {
			s.log.WarnContext(ctx, "certification reminder claim not released; it will not be retried",
				"cycle", c.ID, "reminder", kind, "err", rerr)
		}
		return err
	}
	rep.Reminded++
	return nil
}

func (s *Service) sendReminder(ctx context.Context, c Cycle, kind ReminderKind, now time.Time) error {
	person, err := privacy.OpenID(s.sealer, c.PersonSealed)
	if err != nil {
		return err
	}
	r := Reminder{CycleID: c.ID, Kind: kind, Person: person, Display: c.PersonDisplay, Year: c.Year,
		DueOn: c.DueOn, Deadline: deadline(c), SuspendOn: c.SuspendOn}
	if left := r.Deadline.Sub(day(now)); left > 0 {
		r.DaysLeft = int(left.Round(24*time.Hour) / (24 * time.Hour))
	}
	return s.reminders.Remind(ctx, r)
}

// retryForwards forwards the events earlier attempts left behind.
func (s *Service) retryForwards(ctx context.Context, now time.Time, rep *SweepReport) error {
	for range maxRetryPages {
		ids, err := s.store.RetryDue(ctx, now, sweepPage)
		if err != nil {
			return err
		}
		for _, id := range ids {
			n, err := s.forwardCycle(ctx, id, now)
			rep.Forwarded += n
			if err != nil {
				rep.Failed++
				s.log.WarnContext(ctx, "certification event not forwarded; the next sweep retries",
					"cycle", id, "code", domain.ErrorCode(err), "err", err)
			}
		}
		if len(ids) < sweepPage || ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}
