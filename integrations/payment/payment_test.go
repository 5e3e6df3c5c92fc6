package payment_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	pay "github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/integrations/payment"
	"github.com/dandong-hrss/hrss/integrations/payment/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 200 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// channel is a simulated payment channel on a loopback port with a client
// pointed at it, and the bureau's notify endpoint, whose notifications
// arrive on got.
type channel struct {
	sim       *sim.Sim
	url       string
	client    *payment.Client
	notifyURL string
	got       chan pay.Notification
}

// startChannel serves a simulated channel and a notify endpoint; record is
// what the bureau does with a verified notification (nil: accept it).
func startChannel(tb testing.TB, cfg sim.Config, p remote.Policy, record func(pay.Notification) error) *channel {
	tb.Helper()
	if cfg.NotifyBackoff == 0 {
		cfg.NotifyBackoff = 10 * time.Millisecond
	}
	s := sim.New(cfg)
	srv := listen(tb, s)
	tb.Cleanup(s.Close)
	c := &channel{sim: s, url: srv.URL(), client: clientFor(srv.URL(), sim.DefaultAppKey, p), got: make(chan pay.Notification, 8)}
	c.notifyURL = listen(tb, c.client.CallbackHandler(func(_ context.Context, n pay.Notification) error {
		if record != nil {
			if err := record(n); err != nil {
				return err
			}
		}
		c.got <- n
		return nil
	})).URL() + "/pay/notify"
	return c
}

func clientFor(url, appKey string, p remote.Policy) *payment.Client {
	return payment.New(payment.Config{BaseURL: url, AppID: sim.DefaultAppID, AppKey: appKey, Policy: p}, nil)
}

// listen serves h on a free loopback port until the test ends.
func listen(tb testing.TB, h http.Handler) *simulator.Server {
	tb.Helper()
	srv, err := simulator.Serve("127.0.0.1:0", h)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Close(ctx)
	})
	return srv
}

// order is a flexible worker's pension contribution for June.
func (c *channel) order(id string) pay.Order {
	return pay.Order{ID: id, Payer: "210602198001010014", Amount: 45_600,
		Description: "2026年6月灵活就业养老保险费", NotifyURL: c.notifyURL}
}

// next waits for the next notification.
func (c *channel) next(t *testing.T) pay.Notification {
	t.Helper()
	select {
	case n := <-c.got:
		return n
	case <-time.After(2 * time.Second):
		t.Fatal("no notification within 2s")
		return pay.Notification{}
	}
}

// none checks that no further notification arrives for a while.
func (c *channel) none(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case n := <-c.got:
		t.Errorf("unexpected notification %+v", n)
	case <-time.After(within):
	}
}

func TestPaidOrderIsNotifiedAndQueried(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1}, quick, nil)
	ctx := context.Background()
	co, err := c.client.Create(ctx, c.order("PO-0001"))
	if err != nil {
		t.Fatal(err)
	}
	if co.ChannelOrderNo == "" || !strings.HasPrefix(co.PayURL, c.url+sim.PathCashier) || co.QRPayload == "" {
		t.Fatalf("checkout %+v; want a channel order no and a pay page at the channel", co)
	}
	if st, err := c.client.Query(ctx, "PO-0001"); err != nil || st.Status != pay.Pending || st.Amount != 45_600 {
		t.Fatalf("Query before paying = %+v, %v; want pending 456.00", st, err)
	}
	page := get(t, co.PayURL)
	if !strings.Contains(page, "¥456.00") || !strings.Contains(page, "模拟支付成功") {
		t.Errorf("pay page lacks the amount or the pay button:\n%s", page)
	}

	if err := sim.Pay(ctx, c.url, co.ChannelOrderNo, sim.OutcomePaid); err != nil {
		t.Fatal(err)
	}
	n := c.next(t)
	if n.ID == "" || n.OrderID != "PO-0001" || n.ChannelOrderNo != co.ChannelOrderNo || n.Status != pay.Paid ||
		n.Amount != 45_600 || n.At.IsZero() {
		t.Errorf("notification %+v; want PO-0001 paid 456.00 with a time", n)
	}
	if st, err := c.client.Query(ctx, "PO-0001"); err != nil || st.Status != pay.Paid || !st.At.Equal(n.At) {
		t.Errorf("Query after paying = %+v, %v; want paid at %v", st, err, n.At)
	}
	c.none(t, 50*time.Millisecond) // duplicates are off
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestFailedPaymentIsFinal(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1}, quick, nil)
	ctx := context.Background()
	if _, err := c.client.Create(ctx, c.order("PO-0002")); err != nil {
		t.Fatal(err)
	}
	if err := sim.Pay(ctx, c.url, "PO-0002", sim.OutcomeFailed); err != nil {
		t.Fatal(err)
	}
	if n := c.next(t); n.Status != pay.Failed || n.FailReason == "" {
		t.Errorf("notification %+v; want failed with the bank's reason", n)
	}
	if err := sim.Pay(ctx, c.url, "PO-0002", sim.OutcomePaid); err == nil {
		t.Error("paying a failed order succeeded; want it refused (the citizen pays a new order)")
	}
}

func TestCreateIsDeduplicatedByOrderID(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1}, quick, nil)
	ctx := context.Background()
	first, err := c.client.Create(ctx, c.order("PO-0003"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.client.Create(ctx, c.order("PO-0003"))
	if err != nil || again != first {
		t.Errorf("second Create = %+v, %v; want the same checkout %+v", again, err, first)
	}
	if n := len(c.sim.Orders()); n != 1 {
		t.Errorf("channel holds %d orders; want 1", n)
	}
	other := c.order("PO-0003")
	other.Amount = 99_900
	if _, err := c.client.Create(ctx, other); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("order id reused for another amount: err = %v; want Conflict", err)
	}
	if _, err := c.client.Query(ctx, "PO-never"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown order: err = %v; want NotFound", err)
	}
}

func TestInvalidOrderNeverReachesTheChannel(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1}, quick, nil)
	o := c.order("PO-0004")
	o.Amount = 0
	if _, err := c.client.Create(context.Background(), o); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("err = %v; want Invalid", err)
	}
	if n := c.sim.Injector().Requests(); n != 0 {
		t.Errorf("channel saw %d requests; want 0", n)
	}
}

func TestNotificationIsRepeatedUntilRecorded(t *testing.T) {
	var attempts atomic.Int32
	dbDown := func(pay.Notification) error {
		if attempts.Add(1) == 1 {
			return errors.New("database restarting")
		}
		return nil
	}
	c := startChannel(t, sim.Config{Seed: 1}, quick, dbDown)
	ctx := context.Background()
	if _, err := c.client.Create(ctx, c.order("PO-0005")); err != nil {
		t.Fatal(err)
	}
	if err := sim.Pay(ctx, c.url, "PO-0005", sim.OutcomePaid); err != nil {
		t.Fatal(err)
	}
	if n := c.next(t); n.OrderID != "PO-0005" || n.Status != pay.Paid {
		t.Errorf("notification %+v; want PO-0005 paid", n)
	}
	if got := attempts.Load(); got != 2 {
		t.Errorf("bureau saw %d deliveries; want 2 (the first failed to record)", got)
	}
}

func TestDuplicateNotificationCarriesTheSameID(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1, DuplicateNotifications: true}, quick, nil)
	ctx := context.Background()
	if _, err := c.client.Create(ctx, c.order("PO-0006")); err != nil {
		t.Fatal(err)
	}
	if err := sim.Pay(ctx, c.url, "PO-0006", sim.OutcomePaid); err != nil {
		t.Fatal(err)
	}
	first, second := c.next(t), c.next(t)
	if second != first {
		t.Errorf("second delivery %+v; want the same notification %+v, so the bureau records it once", second, first)
	}
	c.none(t, 50*time.Millisecond)
}

func TestForgedNotificationsAreRefused(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1}, quick, nil)
	body := []byte(`{"notifyId":"NT260601-000001-0000","orderId":"PO-0007","channelOrderNo":"PY260601-000001-0000",` +
		`"amount":45600,"status":"PAID","finishedAt":"2026-06-01T09:00:00+08:00"}`)
	tampered := bytes.Replace(body, []byte("45600"), []byte("1"), 1)
	tests := []struct {
		name   string
		appID  string
		key    string
		at     time.Time
		posted []byte
	}{
		{"guessed key", sim.DefaultAppID, "guessed-key", time.Now(), body},
		{"another merchant", "another-merchant", sim.DefaultAppKey, time.Now(), body},
		{"replayed an hour later", sim.DefaultAppID, sim.DefaultAppKey, time.Now().Add(-time.Hour), body},
		{"amount changed after signing", sim.DefaultAppID, sim.DefaultAppKey, time.Now(), tampered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, c.notifyURL, bytes.NewReader(tt.posted))
			payment.SignHeader(req.Header, tt.appID, tt.key, body, tt.at)
			if _, err := c.client.VerifyCallback(req.Header, tt.posted); !domain.IsCode(err, domain.Unauthenticated) {
				t.Errorf("VerifyCallback err = %v; want Unauthenticated", err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("notify endpoint answered %d; want 401", resp.StatusCode)
			}
		})
	}
	c.none(t, 10*time.Millisecond)

	h := http.Header{}
	payment.SignHeader(h, sim.DefaultAppID, sim.DefaultAppKey, body, time.Now())
	if n, err := c.client.VerifyCallback(h, body); err != nil || n.Status != pay.Paid || n.Amount != 45_600 {
		t.Errorf("genuine notification: %+v, %v; want paid 456.00", n, err)
	}
}

func TestSlowChannelTimesOutInTime(t *testing.T) {
	slow := simulator.Faults{LatencyMin: 2 * time.Second, LatencyMax: 2 * time.Second}
	c := startChannel(t, sim.Config{Seed: 1, Faults: slow}, quick, nil)
	start := time.Now()
	_, err := c.client.Create(context.Background(), c.order("PO-0008"))
	elapsed := time.Since(start)
	if !domain.IsCode(err, domain.Timeout) {
		t.Errorf("err = %v; want Timeout", err)
	}
	if elapsed < quick.Timeout || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("Create returned after %v; want about the %v timeout", elapsed, quick.Timeout)
	}
}

func TestDownChannelIsUnavailable(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1, Faults: simulator.Faults{Down: true}}, quick, nil)
	_, err := c.client.Query(context.Background(), "PO-0009")
	if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), "缴费渠道暂时无法访问") {
		t.Errorf("err = %v; want Unavailable naming 缴费渠道", err)
	}
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1, Faults: simulator.Faults{ErrorRate: 1}}, quick, nil)
	ctx := context.Background()
	create := func() error {
		_, err := c.client.Create(ctx, c.order("PO-0010"))
		return err
	}
	for i := range quick.BreakerFailures {
		if err := create(); !domain.IsCode(err, domain.Unavailable) {
			t.Fatalf("call %d: err = %v; want Unavailable", i+1, err)
		}
	}
	if got := c.client.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
	}
	reached := c.sim.Injector().Requests()
	if err := create(); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("open breaker: err = %v; want Unavailable", err)
	}
	if got := c.sim.Injector().Requests(); got != reached {
		t.Errorf("channel saw %d requests with the breaker open; want %d (fail fast)", got, reached)
	}

	c.sim.Injector().SetFaults(simulator.Faults{}) // the channel recovers
	for deadline := time.Now().Add(2 * quick.BreakerOpenFor); c.client.BreakerState() != "half-open"; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("breaker still %s after %v; want half-open", c.client.BreakerState(), 2*quick.BreakerOpenFor)
		}
	}
	if err := create(); err != nil {
		t.Fatalf("probe while half-open: %v; want success", err)
	}
	if got := c.client.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after a successful probe; want closed", got)
	}
}

// TestEveryOperationIsRetried pins the retry decision: both operations are
// safe to repeat (Create is de-duplicated by order id), so a flaky channel
// gets 1 + Retries attempts at each.
func TestEveryOperationIsRetried(t *testing.T) {
	c := startChannel(t, sim.Config{Seed: 1, Faults: simulator.Faults{ErrorRate: 1}}, quick, nil)
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	rc := clientFor(c.url, sim.DefaultAppKey, retrying)
	ctx := context.Background()
	tests := []struct {
		op   string
		call func() error
	}{
		{"Create", func() error { _, err := rc.Create(ctx, c.order("PO-0011")); return err }},
		{"Query", func() error { _, err := rc.Query(ctx, "PO-0011"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			before := c.sim.Injector().Requests()
			if err := tt.call(); !domain.IsCode(err, domain.Unavailable) {
				t.Fatalf("err = %v; want Unavailable", err)
			}
			if got := c.sim.Injector().Requests() - before; got != 4 {
				t.Errorf("reached the channel %d times; want 4 (1 + 3 retries)", got)
			}
		})
	}
}

func TestCreateWhoseAnswerWasLostIsRetriedAndChargesOnce(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1})
	t.Cleanup(s.Close)
	lossy := &loseFirstAnswer{h: s}
	retrying := quick
	retrying.Retries = 2
	c := clientFor(listen(t, lossy).URL(), sim.DefaultAppKey, retrying)
	o := pay.Order{ID: "PO-0012", Payer: "210602198001010014", Amount: 45_600,
		Description: "2026年6月灵活就业养老保险费", NotifyURL: "http://127.0.0.1:1/pay/notify"}
	co, err := c.Create(context.Background(), o)
	if err != nil {
		t.Fatalf("Create = %v; want the retry to return the order the lost answer created", err)
	}
	orders := s.Orders()
	if lossy.served.Load() != 2 || len(orders) != 1 || orders[0].ChannelOrderNo != co.ChannelOrderNo {
		t.Errorf("channel served %d requests and holds %d orders; want 2 requests, 1 order %s",
			lossy.served.Load(), len(orders), co.ChannelOrderNo)
	}
}

// loseFirstAnswer lets h handle every request but hangs up on the first
// instead of answering, as when a network drops a reply: the remote did the
// work, the client cannot know.
type loseFirstAnswer struct {
	h      http.Handler
	served atomic.Int32
}

func (l *loseFirstAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if l.served.Add(1) > 1 {
		l.h.ServeHTTP(w, r)
		return
	}
	l.h.ServeHTTP(httptest.NewRecorder(), r)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}
