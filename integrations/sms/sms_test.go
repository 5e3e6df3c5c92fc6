package sms_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/sms"
	"github.com/dandong-hrss/hrss/integrations/sms/sim"
)

const phone = domain.Phone("13812345678")

var verifyParams = map[string]string{"code": "482913", "minutes": "5"}

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 200 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// platform is a simulated SMS platform on a loopback port with a client
// pointed at it.
type platform struct {
	sim    *sim.Sim
	url    string
	client *sms.Client
}

func startPlatform(tb testing.TB, cfg sim.Config, p remote.Policy) *platform {
	tb.Helper()
	s := sim.New(cfg)
	srv := listen(tb, s)
	tb.Cleanup(s.Close)
	return &platform{sim: s, url: srv.URL(), client: clientFor(srv.URL(), sim.DefaultAppKey, p)}
}

func clientFor(url, appKey string, p remote.Policy) *sms.Client {
	return sms.New(sms.Config{BaseURL: url, AppID: sim.DefaultAppID, AppKey: appKey, Policy: p}, nil)
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

func TestSentCodeReachesThePhone(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	id, err := p.client.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams)
	if err != nil || id == "" {
		t.Fatalf("Send = %q, %v; want a message id", id, err)
	}
	got, err := sim.FetchMessages(ctx, p.url, phone.Raw())
	if err != nil {
		t.Fatal(err)
	}
	want := "【丹东人社】您的验证码为482913，5分钟内有效，请勿泄露给他人。如非本人操作，请忽略本短信。"
	if len(got) != 1 || got[0].MessageID != id || got[0].Content != want {
		t.Fatalf("phone received %+v; want one message %s reading %q", got, id, want)
	}
	if others, _ := sim.FetchMessages(ctx, p.url, "13900000000"); len(others) != 0 {
		t.Errorf("another phone received %d messages; want 0", len(others))
	}
}

func TestPlatformRefusesWhatItCannotSend(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	tests := []struct {
		name     string
		template string
		params   map[string]string
	}{
		{"unknown template", "HRSS_LOTTERY_WIN", verifyParams},
		{"missing parameter", sms.TemplateVerifyCode, map[string]string{"code": "482913"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.client.Send(context.Background(), phone, tt.template, tt.params)
			if !domain.IsCode(err, domain.Rejected) {
				t.Errorf("err = %v; want Rejected", err)
			}
		})
	}
	if n := len(p.sim.Messages("")); n != 0 {
		t.Errorf("%d messages sent; want none", n)
	}
}

func TestPlatformRefusesBadSignatures(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	wrongKey := clientFor(p.url, "guessed-key", quick)
	_, err := wrongKey.Send(context.Background(), phone, sms.TemplateVerifyCode, verifyParams)
	if !domain.IsCode(err, domain.Internal) {
		t.Errorf("wrong key: err = %v; want Internal (our misconfiguration, not the citizen's fault)", err)
	}

	body := []byte(`{"phone":"13812345678","templateId":"HRSS_VERIFY_CODE","params":{"code":"1","minutes":"5"}}`)
	replayed, _ := http.NewRequest(http.MethodPost, p.url+sms.PathMessages, bytes.NewReader(body))
	sms.SignHeader(replayed.Header, sim.DefaultAppID, sim.DefaultAppKey, body, time.Now().Add(-time.Hour))
	resp, err := http.DefaultClient.Do(replayed)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("hour-old signature: status %d; want 401", resp.StatusCode)
	}
	if n := len(p.sim.Messages("")); n != 0 {
		t.Errorf("%d messages sent on bad signatures; want none", n)
	}
}

func TestReceiptsArriveAndForgeriesAreRefused(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1, ReceiptBackoff: 10 * time.Millisecond}, quick)
	receipts := make(chan sms.Receipt, 4)
	handler := p.client.ReceiptHandler(func(r sms.Receipt) { receipts <- r })
	callback := listen(t, failFirst(handler)).URL() + "/sms/receipts"
	ctx := context.Background()
	if err := p.client.RegisterCallback(ctx, callback); err != nil {
		t.Fatal(err)
	}
	id, err := p.client.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-receipts:
		if r.MessageID != id || r.Status != sms.StatusDelivered || r.Phone != phone {
			t.Errorf("receipt %+v; want %s delivered to %s", r, id, phone.Masked())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no receipt after 2s, though the platform retries a refused post")
	}
	if st, err := p.client.Status(ctx, id); err != nil || st.Status != sms.StatusDelivered {
		t.Errorf("Status = %+v, %v; want delivered", st, err)
	}

	forged := []byte(`{"messageId":"` + id + `","status":"FAILED"}`)
	req, _ := http.NewRequest(http.MethodPost, callback, bytes.NewReader(forged))
	sms.SignHeader(req.Header, sim.DefaultAppID, "guessed-key", forged, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged receipt: status %d; want 401", resp.StatusCode)
	}
	select {
	case r := <-receipts:
		t.Errorf("forged receipt reached the handler: %+v", r)
	default:
	}
}

// failFirst answers the first request with 503, as a bureau mid-restart
// would, then hands every request to h.
func failFirst(h http.Handler) http.Handler {
	first := make(chan struct{}, 1)
	first <- struct{}{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-first:
			http.Error(w, "restarting", http.StatusServiceUnavailable)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

func TestFailedDeliveryIsReported(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1, FailRate: 1, DeliveryDelay: time.Millisecond}, quick)
	ctx := context.Background()
	id, err := p.client.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams)
	if err != nil {
		t.Fatal(err)
	}
	st := waitForReport(t, p.client, id)
	if st.Status != sms.StatusFailed || st.ErrorCode == "" {
		t.Errorf("status %+v; want failed with a carrier reason", st)
	}
}

// waitForReport polls Status until the carrier has reported on id.
func waitForReport(t *testing.T, c *sms.Client, id string) sms.Receipt {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		st, err := c.Status(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != sms.StatusPending {
			return st
		}
	}
	t.Fatalf("message %s still pending after 2s", id)
	return sms.Receipt{}
}

func TestSlowPlatformTimesOutInTime(t *testing.T) {
	slow := simulator.Faults{LatencyMin: 2 * time.Second, LatencyMax: 2 * time.Second}
	p := startPlatform(t, sim.Config{Seed: 1, Faults: slow}, quick)
	start := time.Now()
	_, err := p.client.Send(context.Background(), phone, sms.TemplateVerifyCode, verifyParams)
	elapsed := time.Since(start)
	if !domain.IsCode(err, domain.Timeout) {
		t.Errorf("err = %v; want Timeout", err)
	}
	if elapsed < quick.Timeout || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("Send returned after %v; want about the %v timeout", elapsed, quick.Timeout)
	}
}

func TestDownPlatformIsUnavailable(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1, Faults: simulator.Faults{Down: true}}, quick)
	_, err := p.client.Send(context.Background(), phone, sms.TemplateVerifyCode, verifyParams)
	if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), "短信平台暂时无法访问") {
		t.Errorf("err = %v; want Unavailable naming 短信平台", err)
	}
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1, Faults: simulator.Faults{ErrorRate: 1}}, quick)
	ctx := context.Background()
	send := func() error {
		_, err := p.client.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams)
		return err
	}
	for i := range quick.BreakerFailures {
		if err := send(); !domain.IsCode(err, domain.Unavailable) {
			t.Fatalf("send %d: err = %v; want Unavailable", i+1, err)
		}
	}
	if got := p.client.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
	}
	reached := p.sim.Injector().Requests()
	if err := send(); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("open breaker: err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests(); got != reached {
		t.Errorf("platform saw %d requests with the breaker open; want %d (fail fast)", got, reached)
	}

	p.sim.Injector().SetFaults(simulator.Faults{}) // the platform recovers
	waitForState(t, p.client, "half-open", 2*quick.BreakerOpenFor)
	if err := send(); err != nil {
		t.Fatalf("probe while half-open: %v; want success", err)
	}
	if got := p.client.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after a successful probe; want closed", got)
	}
}

func waitForState(t *testing.T, c *sms.Client, want string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); c.BreakerState() != want; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("breaker still %s after %v; want %s", c.BreakerState(), within, want)
		}
	}
}

func TestSendIsNeverRetriedButQueriesAre(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	id, err := p.client.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams)
	if err != nil {
		t.Fatal(err)
	}
	p.sim.Injector().SetFaults(simulator.Faults{ErrorRate: 1})
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	c := clientFor(p.url, sim.DefaultAppKey, retrying)

	before := p.sim.Injector().Requests()
	if _, err := c.Send(ctx, phone, sms.TemplateVerifyCode, verifyParams); !domain.IsCode(err, domain.Unavailable) {
		t.Fatalf("Send err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests() - before; got != 1 {
		t.Errorf("Send reached the platform %d times; want exactly 1 (a retry could text the citizen twice)", got)
	}

	before = p.sim.Injector().Requests()
	if _, err := c.Status(ctx, id); !domain.IsCode(err, domain.Unavailable) {
		t.Fatalf("Status err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests() - before; got != 4 {
		t.Errorf("Status reached the platform %d times; want 4 (1 + 3 retries)", got)
	}
}

func TestUnknownMessageIsNotFound(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	if _, err := p.client.Status(context.Background(), "SM000000-000000-0000"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("err = %v; want NotFound", err)
	}
}
