package progress

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// cursorName is the name the polling cursor of the core is saved under.
const cursorName = "counter"

// HandleWebhook verifies one webhook post and applies its event. The bff
// answers 2xx on nil, so the core stops re-posting; a replayed or repeated
// event is a nil no-op. Errors: Unauthenticated for a bad signature or a
// timestamp older than five minutes (answer 401), Invalid for a body that is
// not an event (400), in both cases with nothing changed; Unavailable or
// Internal when it could not be recorded (5xx: the core posts it again).
func (s *Service) HandleWebhook(ctx context.Context, header func(name string) string, body []byte) error {
	ev, err := s.cfg.Verifier.Verify(header, body)
	if err != nil {
		reason := "signature"
		if domain.IsCode(err, domain.Invalid) {
			reason = "invalid"
		}
		if s.cfg.Metrics.Refused != nil {
			s.cfg.Metrics.Refused(reason)
		}
		return err
	}
	return s.receive(ctx, ev, "webhook")
}

// Receive applies one event already verified (or read by polling). A
// duplicate is a nil no-op. Errors: Invalid for an event without id, case,
// application or sequence.
func (s *Service) Receive(ctx context.Context, ev acceptance.Event) error {
	return s.receive(ctx, ev, "direct")
}

func (s *Service) receive(ctx context.Context, ev acceptance.Event, source string) error {
	if ev.ID == "" || ev.CaseNo == "" || ev.ApplicationID == "" || ev.Seq <= 0 {
		return domain.Errorf(domain.Invalid, "受理系统推送的事件缺少编号、办件或序号")
	}
	fresh, err := s.cfg.Store.Apply(ctx, ev, s.cfg.Now().UTC())
	if err != nil {
		return err
	}
	if s.cfg.Metrics.Received != nil {
		s.cfg.Metrics.Received(source, fresh)
	}
	if s.cfg.Applied != nil {
		return s.cfg.Applied(ctx, ev, fresh)
	}
	return nil
}

// Poll reads every event the core has recorded since the saved cursor and
// applies them, saving the cursor after each page, and returns how many it
// read. It is the fallback of the webhook: run it every minute or so, and at
// start-up to catch up. Errors: those of the core (Unavailable…) and the
// store; what was applied before stays applied.
func (s *Service) Poll(ctx context.Context) (int, error) {
	cursor, err := s.cfg.Store.Cursor(ctx, cursorName)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		events, next, err := s.cfg.Core.Events(ctx, cursor, s.cfg.PollLimit)
		if err != nil {
			return total, err
		}
		for _, ev := range events {
			if err := s.receive(ctx, ev, "poll"); err != nil {
				return total, err
			}
		}
		total += len(events)
		if next != cursor && next != "" {
			if err := s.cfg.Store.SaveCursor(ctx, cursorName, next); err != nil {
				return total, err
			}
			cursor = next
		}
		if len(events) < s.cfg.PollLimit {
			return total, nil
		}
	}
}

// RunPoller polls every interval until ctx ends, logging failures: the core
// being down is expected now and then, and the next round catches up.
func (s *Service) RunPoller(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Poll(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.WarnContext(ctx, "poll counter events", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
