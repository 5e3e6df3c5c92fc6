package notify

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Run delivers due notices until ctx ends, pausing Interval whenever a round
// found less than a full batch. A round under way when ctx ends is finished
// (its sends are bounded by the clients' timeouts), so no send is cut off
// mid-flight by a shutdown. Errors of a round are logged and the loop goes
// on; Run returns nil when ctx ends.
func (s *Service) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := s.DeliverDue(context.WithoutCancel(ctx))
		if err != nil {
			s.cfg.Logger.Warn("notify: claiming due notices failed", "err", err)
		}
		wait := s.cfg.Interval
		if err == nil && n == s.cfg.Batch {
			wait = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
	return nil
}

// DeliverDue claims one batch of due notices, sends them, Workers at a
// time, records each outcome, and returns how many it claimed. Errors: those
// of claiming (Unavailable); a failed notice is recorded on the notice, not
// returned.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	recs, err := s.cfg.Store.Claim(ctx, s.cfg.Now(), s.cfg.Batch, s.cfg.Lease)
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, s.cfg.Workers)
	var wg sync.WaitGroup
	for _, r := range recs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s.deliver(ctx, r)
		})
	}
	wg.Wait()
	return len(recs), nil
}

// attempt is one claimed notice on its way out.
type attempt struct {
	rec        Record
	msg        Message
	skipWeChat bool
	wechatErr  error // why WeChat did not deliver, if it was tried
}

// deliver sends one claimed notice and settles it.
func (s *Service) deliver(ctx context.Context, r Record) {
	msg, err := Render(r.Kind, r.Params, s.cfg.LinkBase)
	if err != nil { // stored before a template changed: nothing to send
		s.settle(ctx, r, RouteSMS, "failed", Settlement{State: StateFailed, LastError: err.Error()})
		return
	}
	a := &attempt{rec: r, msg: msg, skipWeChat: r.SkipWeChat}
	switch r.InFlight {
	case RouteSMS: // a text may have gone out: never send a second
		s.settle(ctx, r, RouteSMS, "review", Settlement{State: StateReview, Route: RouteSMS,
			LastError: "发送短信时中断，可能已发出，请人工核查"})
		return
	case RouteWeChat: // the WeChat message may have arrived: do not repeat it
		a.skipWeChat = true
		a.wechatErr = domain.Errorf(domain.Timeout, "发送微信消息时中断，可能已送达")
	}
	if s.cfg.WeChat != nil && r.To.OpenID != "" && !a.skipWeChat {
		if done := s.tryWeChat(ctx, a); done {
			return
		}
	}
	s.sendSMS(ctx, a)
}

// tryWeChat sends by WeChat when the person follows the account, and
// reports whether the notice is settled; false means "go on by SMS".
func (s *Service) tryWeChat(ctx context.Context, a *attempt) bool {
	r := a.rec
	following, err := s.cfg.Follower.Subscribed(ctx, r.To.OpenID)
	switch {
	case err != nil: // nothing was sent, whatever the code: WeChat may be tried again later
		a.wechatErr = domain.Wrap(err, domain.Unavailable, "暂时无法确认是否关注公众号")
	case !following:
		a.wechatErr, a.skipWeChat = domain.Errorf(domain.Rejected, "未关注公众号"), true
	}
	if a.wechatErr != nil {
		s.count(RouteWeChat, "fallback")
		return false
	}
	if err := s.cfg.Store.MarkInFlight(ctx, r.ID, r.Lease, RouteWeChat, s.cfg.Now()); err != nil {
		s.lostLease(r, err)
		return true
	}
	id, err := s.cfg.WeChat.SendWeChat(ctx, r.To.OpenID, a.msg.WeChat)
	if err == nil {
		s.settle(ctx, r, RouteWeChat, "sent", Settlement{State: StateSent, Route: RouteWeChat, MessageID: id})
		return true
	}
	a.wechatErr = err
	a.skipWeChat = domain.ErrorCode(err) != domain.Unavailable // refused, or maybe delivered
	s.count(RouteWeChat, "fallback")
	return false
}

// sendSMS texts the notice, or settles it when there is no phone.
func (s *Service) sendSMS(ctx context.Context, a *attempt) {
	r := a.rec
	if r.To.PhoneSealed == "" {
		s.noPhone(ctx, a)
		return
	}
	phone, err := s.openPhone(r.To.PhoneSealed)
	if err != nil {
		s.settle(ctx, r, RouteSMS, "failed", Settlement{State: StateFailed, Route: RouteSMS,
			SkipWeChat: a.skipWeChat, LastError: err.Error()})
		return
	}
	if err := s.cfg.Store.MarkInFlight(ctx, r.ID, r.Lease, RouteSMS, s.cfg.Now()); err != nil {
		s.lostLease(r, err)
		return
	}
	id, err := s.cfg.SMS.SendSMS(ctx, phone, a.msg.SMS)
	switch domain.ErrorCode(err) {
	case "":
		s.settle(ctx, r, RouteSMS, "sent", Settlement{State: StateSent, Route: RouteSMS, MessageID: id, SkipWeChat: a.skipWeChat})
	case domain.Unavailable:
		s.retry(ctx, a, RouteSMS, err)
	case domain.Rejected, domain.Invalid, domain.NotFound:
		s.settle(ctx, r, RouteSMS, "failed", Settlement{State: StateFailed, Route: RouteSMS,
			SkipWeChat: a.skipWeChat, LastError: err.Error()})
	default: // Timeout, Internal…: the gateway may have accepted it
		s.settle(ctx, r, RouteSMS, "review", Settlement{State: StateReview, Route: RouteSMS,
			SkipWeChat: a.skipWeChat, LastError: "短信发送结果未知，可能已发出，请人工核查：" + err.Error()})
	}
}

// noPhone settles a notice WeChat did not deliver and SMS cannot: WeChat is
// tried again later if it was only unreachable; a message that may have
// arrived goes to review; anything else fails.
func (s *Service) noPhone(ctx context.Context, a *attempt) {
	r := a.rec
	switch code := domain.ErrorCode(a.wechatErr); {
	case a.wechatErr != nil && code == domain.Unavailable:
		s.retry(ctx, a, RouteWeChat, a.wechatErr)
	case a.wechatErr != nil && code != domain.Rejected && code != domain.Invalid && code != domain.NotFound:
		s.settle(ctx, r, RouteWeChat, "review", Settlement{State: StateReview, Route: RouteWeChat,
			SkipWeChat: true, LastError: "微信消息发送结果未知，且无手机号可补发：" + a.wechatErr.Error()})
	default:
		route := RouteSMS
		if a.wechatErr != nil {
			route = RouteWeChat
		}
		s.settle(ctx, r, route, "failed", Settlement{State: StateFailed, Route: route,
			SkipWeChat: a.skipWeChat, LastError: "无可用的通知渠道：未关注公众号且未登记手机号"})
	}
}

// retry schedules another attempt after a backoff, or fails the notice
// when it has had its attempts.
func (s *Service) retry(ctx context.Context, a *attempt, route Route, cause error) {
	r := a.rec
	if r.Attempts >= s.cfg.MaxAttempts {
		s.settle(ctx, r, route, "failed", Settlement{State: StateFailed, Route: route,
			SkipWeChat: a.skipWeChat, LastError: "多次发送均未成功：" + cause.Error()})
		return
	}
	next := s.cfg.Quiet.end(s.cfg.Now().Add(s.backoff(r.Attempts)))
	s.settle(ctx, r, route, "retry", Settlement{State: StatePending, Route: route, NextAttemptAt: next,
		SkipWeChat: a.skipWeChat, LastError: cause.Error()})
}

// backoff is the wait after the given number of attempts: BackoffBase
// doubling to BackoffMax, plus up to a tenth more so that notices held up
// together do not return together.
func (s *Service) backoff(attempts int) time.Duration {
	d := s.cfg.BackoffMax
	if shift := attempts - 1; shift < 30 {
		d = min(d, s.cfg.BackoffBase<<max(shift, 0))
	}
	return d + rand.N(d/10+1)
}

// openPhone opens the sealed number; the error names no digits.
func (s *Service) openPhone(sealed string) (domain.Phone, error) {
	raw, err := s.cfg.Phones.Open(sealed)
	if err != nil {
		return "", err
	}
	p, err := domain.ParsePhone(raw)
	if err != nil {
		return "", domain.Errorf(domain.Internal, "登记的手机号无法读取")
	}
	return p, nil
}

// settle records an outcome and counts it. A lost lease means another
// dispatcher holds the notice now, and its outcome stands.
func (s *Service) settle(ctx context.Context, r Record, route Route, result string, st Settlement) {
	st.At = s.cfg.Now()
	if err := s.cfg.Store.Settle(ctx, r.ID, r.Lease, st); err != nil {
		s.lostLease(r, err)
		return
	}
	s.count(route, result)
	if result == "review" || result == "failed" {
		s.cfg.Logger.Warn("notify: notice not delivered", "id", r.ID, "kind", r.Kind, "state", st.State, "reason", st.LastError)
	}
}

// lostLease logs a notice whose outcome could not be recorded. Its route in
// flight stays recorded, so whoever claims it next will not repeat an SMS.
func (s *Service) lostLease(r Record, err error) {
	s.cfg.Logger.Warn("notify: could not record a notice's progress", "id", r.ID, "kind", r.Kind, "err", err)
}

func (s *Service) count(route Route, result string) {
	if s.cfg.Metrics.Attempted != nil {
		s.cfg.Metrics.Attempted(route, result)
	}
}
