package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
)

const (
	follower   = "oFollower0000000000000000001"
	phoneRaw   = "13812345678"
	phoneSeal  = "sealed:" + phoneRaw
	personRef  = "ref-person-1"
	backoffMax = 20 * time.Minute
)

// fixture is a Service over memStore and channels with a settable clock.
type fixture struct {
	svc   *notify.Service
	store *memStore
	ch    *channels
	clock *clock
}

func newFixture(t *testing.T, tweak func(*notify.Config)) *fixture {
	t.Helper()
	f := &fixture{store: &memStore{}, ch: &channels{follows: map[string]bool{follower: true}},
		clock: &clock{now: time.Date(2026, 5, 12, 10, 0, 0, 0, domain.Beijing)}}
	cfg := notify.Config{Store: f.store, WeChat: f.ch, Follower: f.ch, SMS: f.ch, Phones: sealer{},
		Now: f.clock.Now, BackoffBase: time.Minute, BackoffMax: backoffMax,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if tweak != nil {
		tweak(&cfg)
	}
	svc, err := notify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

// notice is a progress notice numbered i for the person.
func notice(i int, openID, phone string) notify.Notice {
	return notify.Notice{DedupKey: fmt.Sprintf("event:E%d", i), Kind: notify.KindProgress, Params: application("已受理"),
		To: notify.Recipient{PersonRef: personRef, PhoneSealed: phone, OpenID: openID, Channel: domain.WeChat}}
}

func (f *fixture) enqueue(t *testing.T, n notify.Notice) {
	t.Helper()
	if _, err := f.svc.Enqueue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) deliver(t *testing.T) {
	t.Helper()
	if _, err := f.svc.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) record(t *testing.T, key string) notify.Record {
	t.Helper()
	r, err := f.svc.Find(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRouteByFollowing(t *testing.T) {
	tests := []struct {
		name         string
		openID       string
		wechat, sms  int
		route        notify.Route
		skipsWeChat  bool
		followErr    error
		wantAttempts int
	}{
		{"follower gets WeChat", follower, 1, 0, notify.RouteWeChat, false, nil, 1},
		{"non-follower gets SMS", "oStranger000000000000000001", 0, 1, notify.RouteSMS, true, nil, 1},
		{"no openid gets SMS", "", 0, 1, notify.RouteSMS, false, nil, 1},
		{"follow check failing gets SMS", follower, 0, 1, notify.RouteSMS, false, domain.Errorf(domain.Unavailable, "down"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.ch.followErr = tt.followErr
			f.enqueue(t, notice(1, tt.openID, phoneSeal))
			f.deliver(t)
			if w, s := f.ch.sent(); w != tt.wechat || s != tt.sms {
				t.Errorf("sent %d WeChat, %d SMS; want %d, %d", w, s, tt.wechat, tt.sms)
			}
			r := f.record(t, "event:E1")
			if r.State != notify.StateSent || r.Route != tt.route || r.SkipWeChat != tt.skipsWeChat || r.MessageID == "" {
				t.Errorf("record %s by %s skip=%v id=%q; want sent by %s skip=%v with an id", r.State, r.Route, r.SkipWeChat, r.MessageID, tt.route, tt.skipsWeChat)
			}
			if len(f.ch.phones) == 1 && f.ch.phones[0] != phoneRaw {
				t.Errorf("texted %s; want the opened number", f.ch.phones[0])
			}
		})
	}
}

func TestWeChatFailureFallsBackToSMS(t *testing.T) {
	tests := []struct {
		code       domain.Code
		skipWeChat bool // later attempts must not try WeChat again
	}{
		{domain.Rejected, true},     // unfollowed since the check
		{domain.Unavailable, false}, // certainly not sent
		{domain.Timeout, true},      // may have arrived: do not repeat it
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			f := newFixture(t, nil)
			f.ch.wechatErr = []error{domain.Errorf(tt.code, "微信")}
			f.enqueue(t, notice(1, follower, phoneSeal))
			f.deliver(t)
			if w, s := f.ch.sent(); w != 0 || s != 1 {
				t.Errorf("sent %d WeChat, %d SMS; want 0, 1", w, s)
			}
			if r := f.record(t, "event:E1"); r.State != notify.StateSent || r.Route != notify.RouteSMS || r.SkipWeChat != tt.skipWeChat {
				t.Errorf("record %s by %s skip=%v; want sent by sms skip=%v", r.State, r.Route, r.SkipWeChat, tt.skipWeChat)
			}
		})
	}
}

func TestSMSUnavailableIsRetriedWithBackoff(t *testing.T) {
	f := newFixture(t, nil)
	unavailable := domain.Errorf(domain.Unavailable, "短信平台暂时无法访问")
	f.ch.smsErr = []error{unavailable, unavailable}
	f.enqueue(t, notice(1, "", phoneSeal))
	f.deliver(t)
	r := f.record(t, "event:E1")
	if r.State != notify.StatePending || r.InFlight != "" || !r.NextAttemptAt.After(f.clock.Now()) {
		t.Fatalf("after Unavailable: %s in flight %q next %v; want pending, nothing in flight, later", r.State, r.InFlight, r.NextAttemptAt)
	}
	f.deliver(t) // not due yet
	if _, s := f.ch.sent(); s != 0 || len(f.ch.smsErr) != 1 {
		t.Fatalf("tried again before the backoff ran out")
	}
	for range 2 {
		f.clock.Advance(backoffMax + backoffMax/10 + time.Second)
		f.deliver(t)
	}
	if r := f.record(t, "event:E1"); r.State != notify.StateSent || r.Attempts != 3 {
		t.Errorf("record %s after %d attempts; want sent after 3", r.State, r.Attempts)
	}
	if _, s := f.ch.sent(); s != 1 {
		t.Errorf("sent %d SMS; want 1", s)
	}
}

func TestSMSOutcomeUnknownGoesToReviewNotResent(t *testing.T) {
	for _, code := range []domain.Code{domain.Timeout, domain.Internal} {
		t.Run(string(code), func(t *testing.T) {
			f := newFixture(t, nil)
			f.ch.smsErr = []error{domain.Errorf(code, "答复丢失")}
			f.enqueue(t, notice(1, "", phoneSeal))
			f.deliver(t)
			f.clock.Advance(24 * time.Hour)
			f.deliver(t)
			if len(f.ch.sms) != 0 {
				t.Fatalf("texted again after an unknown outcome; want the notice left for review")
			}
			reviews, _ := f.svc.Reviews(context.Background(), 10)
			if len(reviews) != 1 || reviews[0].DedupKey != "event:E1" {
				t.Fatalf("reviews = %v; want the notice", reviews)
			}
			if err := f.svc.Resolve(context.Background(), reviews[0].ID, false); err != nil {
				t.Fatal(err)
			}
			f.deliver(t)
			if _, s := f.ch.sent(); s != 1 {
				t.Errorf("after review said not delivered: %d SMS; want 1", s)
			}
		})
	}
}

// A dispatcher that dies after marking an SMS in flight leaves the notice
// leased; whoever claims it after the lease must not text again.
func TestCrashMidSMSIsNeverResent(t *testing.T) {
	f := newFixture(t, nil)
	f.enqueue(t, notice(1, "", phoneSeal))
	ctx := context.Background()
	claimed, _ := f.store.Claim(ctx, f.clock.Now(), 10, time.Minute)
	if len(claimed) != 1 {
		t.Fatalf("claimed %d; want 1", len(claimed))
	}
	if err := f.store.MarkInFlight(ctx, claimed[0].ID, claimed[0].Lease, notify.RouteSMS, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.deliver(t) // lease still held: nothing to do
	f.clock.Advance(2 * time.Minute)
	f.deliver(t)
	if _, s := f.ch.sent(); s != 0 {
		t.Errorf("sent %d SMS after the crash; want 0", s)
	}
	if r := f.record(t, "event:E1"); r.State != notify.StateReview {
		t.Errorf("state %s; want review", r.State)
	}
}

func TestCrashMidWeChatFallsBackToSMS(t *testing.T) {
	f := newFixture(t, nil)
	f.enqueue(t, notice(1, follower, phoneSeal))
	ctx := context.Background()
	claimed, _ := f.store.Claim(ctx, f.clock.Now(), 10, time.Minute)
	f.store.MarkInFlight(ctx, claimed[0].ID, claimed[0].Lease, notify.RouteWeChat, f.clock.Now())
	f.clock.Advance(2 * time.Minute)
	f.deliver(t)
	if w, s := f.ch.sent(); w != 0 || s != 1 {
		t.Errorf("sent %d WeChat, %d SMS; want 0, 1", w, s)
	}
}

func TestWithoutPhone(t *testing.T) {
	tests := []struct {
		name      string
		openID    string
		followErr error
		err       error
		want      notify.State
	}{
		{"WeChat unavailable: try later", follower, nil, domain.Errorf(domain.Unavailable, "x"), notify.StatePending},
		{"follow check timed out: try later", follower, domain.Errorf(domain.Timeout, "x"), nil, notify.StatePending},
		{"WeChat maybe sent: review", follower, nil, domain.Errorf(domain.Timeout, "x"), notify.StateReview},
		{"not following: failed", "oStranger000000000000000001", nil, nil, notify.StateFailed},
		{"no channel at all: failed", "", nil, nil, notify.StateFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.ch.followErr = tt.followErr
			if tt.err != nil {
				f.ch.wechatErr = []error{tt.err}
			}
			f.enqueue(t, notice(1, tt.openID, ""))
			f.deliver(t)
			if r := f.record(t, "event:E1"); r.State != tt.want {
				t.Errorf("state %s (%s); want %s", r.State, r.LastError, tt.want)
			}
		})
	}
}

func TestOutOfAttemptsFails(t *testing.T) {
	f := newFixture(t, func(c *notify.Config) { c.MaxAttempts = 2 })
	for range 3 {
		f.ch.smsErr = append(f.ch.smsErr, domain.Errorf(domain.Unavailable, "x"))
	}
	f.enqueue(t, notice(1, "", phoneSeal))
	for range 3 {
		f.deliver(t)
		f.clock.Advance(time.Hour)
	}
	if r := f.record(t, "event:E1"); r.State != notify.StateFailed || r.Attempts != 2 {
		t.Errorf("state %s after %d attempts; want failed after 2", r.State, r.Attempts)
	}
}

func TestEnqueue(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	n := notice(1, follower, phoneSeal)
	n.Params.Note = "请致电13912345678补充材料"
	for i, want := range []bool{true, false} {
		if added, err := f.svc.Enqueue(ctx, n); err != nil || added != want {
			t.Errorf("Enqueue #%d = %v, %v; want %v, nil", i+1, added, err, want)
		}
	}
	if r := f.record(t, "event:E1"); r.Params.Note != "请致电139****5678补充材料" {
		t.Errorf("stored note %q; want phone masked", r.Params.Note)
	}
	f.deliver(t)
	f.deliver(t)
	if w, _ := f.ch.sent(); w != 1 {
		t.Errorf("sent %d WeChat messages for a duplicate; want 1", w)
	}

	raw := notice(2, "", phoneRaw)
	if _, err := f.svc.Enqueue(ctx, raw); !domain.IsCode(err, domain.Internal) {
		t.Errorf("raw phone: err = %v; want Internal", err)
	}
	bad := notice(3, "", phoneSeal)
	bad.DedupKey, bad.Params.Matter = "", ""
	var de *domain.Error
	if _, err := f.svc.Enqueue(ctx, bad); !errors.As(err, &de) || de.Code != domain.Invalid {
		t.Errorf("no key: err = %v; want Invalid", err)
	}
}

func TestRateLimitDefersNotDrops(t *testing.T) {
	var results []string
	f := newFixture(t, func(c *notify.Config) {
		c.Metrics.Enqueued = func(_ notify.Kind, r string) { results = append(results, r) }
	})
	start := f.clock.Now()
	offsets := []time.Duration{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55} // minutes
	for i, m := range offsets {
		f.clock.now = start.Add(m * time.Minute)
		f.enqueue(t, notice(i, "", phoneSeal))
	}
	wants := map[int]time.Time{9: start.Add(45 * time.Minute), 10: start.Add(time.Hour), 11: start.Add(65 * time.Minute)}
	for i, want := range wants {
		if r := f.record(t, fmt.Sprintf("event:E%d", i)); !r.SlotAt.Equal(want) {
			t.Errorf("notice %d slot %v; want %v", i+1, r.SlotAt, want)
		}
	}
	if results[9] != "added" || results[10] != "deferred" {
		t.Errorf("results %v; want the 11th deferred", results)
	}
	f.deliver(t)
	if _, s := f.ch.sent(); s != 10 {
		t.Errorf("sent %d within the hour; want 10", s)
	}
	f.clock.now = start.Add(65 * time.Minute)
	f.deliver(t)
	if _, s := f.ch.sent(); s != 12 {
		t.Errorf("sent %d after the deferrals came due; want 12", s)
	}
}

func TestQuietHoursHoldNoticesTillMorning(t *testing.T) {
	f := newFixture(t, func(c *notify.Config) { c.Quiet = notify.QuietHours{From: 22, To: 8} })
	tests := []struct {
		at, want time.Time
	}{
		{time.Date(2026, 5, 12, 23, 10, 0, 0, domain.Beijing), time.Date(2026, 5, 13, 8, 0, 0, 0, domain.Beijing)},
		{time.Date(2026, 5, 13, 3, 0, 0, 0, domain.Beijing), time.Date(2026, 5, 13, 8, 0, 0, 0, domain.Beijing)},
		{time.Date(2026, 5, 13, 9, 0, 0, 0, domain.Beijing), time.Date(2026, 5, 13, 9, 0, 0, 0, domain.Beijing)},
	}
	for i, tt := range tests {
		f.clock.now = tt.at
		n := notice(i, "", phoneSeal)
		n.To.PersonRef = fmt.Sprint("p", i)
		f.enqueue(t, n)
		if r := f.record(t, n.DedupKey); !r.SlotAt.Equal(tt.want) {
			t.Errorf("enqueued at %v: slot %v; want %v", tt.at, r.SlotAt, tt.want)
		}
	}
}

func TestRunDeliversUntilCancelled(t *testing.T) {
	var sent atomic.Int32
	f := newFixture(t, func(c *notify.Config) {
		c.Interval = 5 * time.Millisecond
		c.Metrics.Attempted = func(_ notify.Route, r string) {
			if r == "sent" {
				sent.Add(1)
			}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.svc.Run(ctx) }()
	f.enqueue(t, notice(1, follower, phoneSeal))
	f.enqueue(t, notice(2, "", phoneSeal))
	deadline := time.Now().Add(5 * time.Second)
	for sent.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v; want nil after cancel", err)
	}
	if w, s := f.ch.sent(); w != 1 || s != 1 {
		t.Errorf("Run sent %d WeChat, %d SMS; want 1, 1", w, s)
	}
}
