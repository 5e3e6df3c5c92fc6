package province_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/integrations/province"
	"github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 200 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// idNumber completes 17 digits with their GB 11643 check digit.
func idNumber(first17 string) domain.IDNumber {
	return domain.IDNumber(first17 + string(domain.IDCheckDigit(first17)))
}

// The people the simulated province knows, by their real names. The
// business-core simulator exports no full names, so the tests bring their
// own Lookup, as the wiring does.
var (
	zhangSan = idNumber("21060219800101001")
	liSi     = idNumber("21068219650315002")
	stranger = idNumber("11010519900101003") // valid, but unknown to the province
	people   = map[domain.IDNumber]string{zhangSan: "张三", liSi: "李四"}
)

func lookup(id string) (string, bool) {
	name, ok := people[domain.IDNumber(id)]
	return name, ok
}

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, domain.Beijing)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// platforms is a simulated pair of provincial platforms on a loopback port
// with a client of each pointed at it.
type platforms struct {
	sim      *sim.Sim
	url      string
	clock    *clock
	transfer *province.TransferClient
	card     *province.CardClient
}

// startPlatforms serves a simulator configured by cfg, filling in the test
// clock and Lookup unless cfg sets its own.
func startPlatforms(tb testing.TB, cfg sim.Config, p remote.Policy) *platforms {
	tb.Helper()
	c := newClock()
	if cfg.Now == nil {
		cfg.Now = c.Now
	}
	if cfg.Lookup == nil {
		cfg.Lookup = lookup
	}
	s := sim.New(cfg)
	tb.Cleanup(s.Close)
	srv := listen(tb, s)
	return &platforms{sim: s, url: srv.URL(), clock: c,
		transfer: province.NewTransferClient(configFor(srv.URL(), sim.DefaultAppKey, p), nil),
		card:     province.NewCardClient(configFor(srv.URL(), sim.DefaultAppKey, p), nil)}
}

func configFor(url, appKey string, p remote.Policy) province.Config {
	return province.Config{BaseURL: url, AppID: sim.DefaultAppID, AppKey: appKey, Policy: p}
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

func TestPlatformsRefuseBadSignatures(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	wrongKey := province.NewCardClient(configFor(p.url, "guessed-key", quick), nil)
	_, err := wrongKey.VerifyName(context.Background(), zhangSan, "张三")
	if !domain.IsCode(err, domain.Internal) {
		t.Errorf("wrong key: err = %v; want Internal (our misconfiguration, not the citizen's fault)", err)
	}

	body := []byte(`{"idNumber":"` + zhangSan.Raw() + `","name":"张三"}`)
	replayed, _ := http.NewRequest(http.MethodPost, p.url+province.PathCards, bytes.NewReader(body))
	province.SignHeader(replayed.Header, sim.DefaultAppID, sim.DefaultAppKey, body, time.Now().Add(-time.Hour))
	resp, err := http.DefaultClient.Do(replayed)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("hour-old signature: status %d; want 401", resp.StatusCode)
	}
	if _, err := p.card.IssueQR(context.Background(), zhangSan); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("after a replayed issue: IssueQR err = %v; want NotFound (no card was signed)", err)
	}
}

func TestSlowPlatformTimesOutInTime(t *testing.T) {
	slow := simulator.Faults{LatencyMin: 2 * time.Second, LatencyMax: 2 * time.Second}
	p := startPlatforms(t, sim.Config{Seed: 1, Faults: slow}, quick)
	start := time.Now()
	_, err := p.card.VerifyName(context.Background(), zhangSan, "张三")
	elapsed := time.Since(start)
	if !domain.IsCode(err, domain.Timeout) || !strings.Contains(err.Error(), province.CardName) {
		t.Errorf("err = %v; want Timeout naming %s", err, province.CardName)
	}
	if elapsed < quick.Timeout || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("VerifyName returned after %v; want about the %v timeout", elapsed, quick.Timeout)
	}
}

func TestDownPlatformsAreUnavailable(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, Faults: simulator.Faults{Down: true}}, quick)
	ctx := context.Background()
	_, err := p.transfer.Transfer(ctx, "ZY260601-000001-0000")
	if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), province.TransferName+"暂时无法访问") {
		t.Errorf("transfer: err = %v; want Unavailable naming %s", err, province.TransferName)
	}
	_, err = p.card.VerifyQR(ctx, "QR0")
	if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), province.CardName+"暂时无法访问") {
		t.Errorf("e-card: err = %v; want Unavailable naming %s", err, province.CardName)
	}
}

func TestRetriesHideAFlakyPlatformFromReads(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 3, Faults: simulator.Faults{ErrorRate: 0.3}}, quick)
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	c := province.NewCardClient(configFor(p.url, sim.DefaultAppKey, retrying), nil)
	const calls = 20
	failed := 0
	for range calls {
		if match, err := c.VerifyName(context.Background(), zhangSan, "张三"); err != nil || !match {
			failed++
		}
	}
	// Four errors in a row, the only way a call fails, happen to under 1%
	// of calls; without retries 30% would fail.
	if failed > 1 {
		t.Errorf("%d of %d reads failed on a platform failing 30%% of requests; want at most 1", failed, calls)
	}
	if got := p.sim.Injector().Requests(); got <= calls {
		t.Errorf("platform saw %d requests for %d calls; want more (errors were injected and retried)", got, calls)
	}
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, Faults: simulator.Faults{ErrorRate: 1}}, quick)
	ctx := context.Background()
	verify := func() error {
		_, err := p.card.VerifyName(ctx, zhangSan, "张三")
		return err
	}
	for i := range quick.BreakerFailures {
		if err := verify(); !domain.IsCode(err, domain.Unavailable) {
			t.Fatalf("call %d: err = %v; want Unavailable", i+1, err)
		}
	}
	if got := p.card.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
	}
	if got := p.transfer.BreakerState(); got != "closed" {
		t.Errorf("transfer breaker %s; want closed (the e-card platform's failures are its own)", got)
	}
	reached := p.sim.Injector().Requests()
	if err := verify(); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("open breaker: err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests(); got != reached {
		t.Errorf("platform saw %d requests with the breaker open; want %d (fail fast)", got, reached)
	}

	p.sim.Injector().SetFaults(simulator.Faults{}) // the platform recovers
	waitForState(t, p.card, "half-open", 2*quick.BreakerOpenFor)
	if err := verify(); err != nil {
		t.Fatalf("probe while half-open: %v; want success", err)
	}
	if got := p.card.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after a successful probe; want closed", got)
	}
}

func waitForState(t *testing.T, c interface{ BreakerState() string }, want string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); c.BreakerState() != want; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("breaker still %s after %v; want %s", c.BreakerState(), within, want)
		}
	}
}

// TestOnlyRepeatableCallsAreRetried pins the retry decision of every
// operation: a call whose repeat could do twice what was asked once, or be
// refused for the first attempt's sake, reaches the platform exactly once.
func TestOnlyRepeatableCallsAreRetried(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, Faults: simulator.Faults{ErrorRate: 1}}, quick)
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	tc := province.NewTransferClient(configFor(p.url, sim.DefaultAppKey, retrying), nil)
	cc := province.NewCardClient(configFor(p.url, sim.DefaultAppKey, retrying), nil)
	ctx := context.Background()
	face := ecard.FaceCapture{Person: zhangSan, Name: "张三", Liveness: "frames-0001"}
	tests := []struct {
		op   string
		call func() error
		want int64
	}{
		{"Submit", func() error { _, err := tc.Submit(ctx, outOfDandong(zhangSan, "R1")); return err }, 4},
		{"Transfer", func() error { _, err := tc.Transfer(ctx, "ZY260601-000001-0000"); return err }, 4},
		{"RegisterCallback", func() error { return tc.RegisterCallback(ctx, "http://127.0.0.1:1/cb") }, 4},
		{"VerifyName", func() error { _, err := cc.VerifyName(ctx, zhangSan, "张三"); return err }, 4},
		{"Issue", func() error { _, err := cc.Issue(ctx, zhangSan, "张三"); return err }, 4},
		{"IssueQR", func() error { _, err := cc.IssueQR(ctx, zhangSan); return err }, 4},
		{"VerifyQR", func() error { _, err := cc.VerifyQR(ctx, "QR0"); return err }, 1},
		{"FaceCheck", func() error { _, err := cc.FaceCheck(ctx, face); return err }, 1},
		{"VerifyFace", func() error { _, err := cc.VerifyFace(ctx, "FC0"); return err }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			before := p.sim.Injector().Requests()
			if err := tt.call(); !domain.IsCode(err, domain.Unavailable) {
				t.Fatalf("err = %v; want Unavailable", err)
			}
			if got := p.sim.Injector().Requests() - before; got != tt.want {
				t.Errorf("reached the platform %d times; want %d", got, tt.want)
			}
		})
	}
}
