package wechat_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/wechat"
	"github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// The SDK's endpoint is process-wide (see sdk.go), so these tests run one
// after another, each with its own simulator and client.

const follower = sim.DemoOpenID

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 300 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// platform is a simulated WeChat on a loopback port with a client pointed
// at it.
type platform struct {
	sim    *sim.Sim
	url    string
	client *wechat.Client
}

func startPlatform(tb testing.TB, cfg sim.Config, p remote.Policy) *platform {
	tb.Helper()
	s := sim.New(cfg)
	srv := listen(tb, s)
	return &platform{sim: s, url: srv.URL(), client: newClient(tb, srv.URL(), sim.DefaultAppSecret, p)}
}

func newClient(tb testing.TB, baseURL, secret string, p remote.Policy) *wechat.Client {
	tb.Helper()
	c, err := wechat.New(wechat.Config{
		AppID: sim.DefaultAppID, AppSecret: secret, Token: sim.DefaultToken,
		EncodingAESKey: sim.DefaultEncodingAESKey, BaseURL: baseURL, Policy: p,
	}, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
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

func TestTokenIsFetchedOnceAndReused(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	if _, err := p.client.SendTemplate(ctx, follower, "TPL_PROGRESS", "", map[string]string{"first": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := p.client.SetMenu(ctx, mustLoadMenu(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.client.JSConfig(ctx, "https://hrss.dandong.gov.cn/wx/"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := p.client.Subscribed(ctx, follower); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := p.sim.TokensIssued(); got != 1 {
		t.Errorf("platform issued %d access tokens for 23 calls; want 1", got)
	}
}

func TestRevokedTokenIsReplacedTransparently(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	if _, err := p.client.Subscribed(ctx, follower); err != nil {
		t.Fatal(err)
	}
	p.sim.RevokeTokens()
	if _, err := p.client.SendTemplate(ctx, follower, "TPL_PROGRESS", "", nil); err != nil {
		t.Fatalf("send after the token was revoked: %v; want success with a fresh token", err)
	}
	if got := p.sim.TokensIssued(); got != 2 {
		t.Errorf("tokens issued = %d; want 2", got)
	}
	if got := len(p.sim.Messages(follower)); got != 1 {
		t.Errorf("%d messages delivered; want 1", got)
	}
}

func TestWrongSecretIsOurFault(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	p.client.Close()
	c := newClient(t, p.url, "guessed-secret", quick)
	_, err := c.Subscribed(context.Background(), follower)
	if !domain.IsCode(err, domain.Internal) {
		t.Errorf("err = %v; want Internal (misconfiguration, not the citizen's doing)", err)
	}
}

// clock is a settable time for the simulator.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func TestOAuthCodeGivesTheOpenIDOnce(t *testing.T) {
	clk := &clock{now: time.Now()}
	p := startPlatform(t, sim.Config{Seed: 1, Now: clk.Now}, quick)
	ctx := context.Background()
	const openID = "oDdHrssCitizenOAuth00000001"
	code, err := sim.FetchCode(ctx, p.url, openID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.client.OpenID(ctx, code); err != nil || got != openID {
		t.Fatalf("OpenID = %q, %v; want %q", got, err, openID)
	}

	stale, _ := p.sim.IssueCode(openID)
	clk.Advance(5*time.Minute + time.Second)
	tests := []struct{ name, code string }{
		{"used", code},
		{"unknown", "0123456789abcdef0123456789abcdef"},
		{"expired", stale},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.client.OpenID(ctx, tt.code)
			var de *domain.Error
			if got != "" || !errors.As(err, &de) || de.Code != domain.Invalid || de.Message != "授权已失效，请重新进入" {
				t.Errorf("OpenID = %q, %v; want Invalid 授权已失效，请重新进入", got, err)
			}
		})
	}
}

func TestAuthorizeRedirectCarriesACode(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	u := p.client.AuthorizeURL("https://hrss.dandong.gov.cn/wechat/v1/oauth/callback?next=/wx/progress", "s7")
	if !strings.HasPrefix(u, p.url+wechat.AuthorizePath+"?appid="+sim.DefaultAppID) || !strings.Contains(u, "scope=snsapi_base") {
		t.Fatalf("AuthorizeURL = %s; want the simulator's authorize page with snsapi_base", u)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || back.Query().Get("state") != "s7" || back.Query().Get("next") != "/wx/progress" {
		t.Fatalf("authorize answered %d to %q; want 302 back with state s7 and the original query", resp.StatusCode, back)
	}
	if got, err := p.client.OpenID(context.Background(), back.Query().Get("code")); err != nil || got != sim.DemoOpenID {
		t.Errorf("OpenID = %q, %v; want the demo follower", got, err)
	}
}

func TestSubscribedSaysWhoFollows(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	tests := []struct {
		openID string
		want   bool
		code   domain.Code
	}{
		{follower, true, ""},
		{"oDdHrssNotAFollower0000001", false, ""},
		{"x", false, domain.NotFound},
		{"", false, domain.Invalid},
	}
	for _, tt := range tests {
		got, err := p.client.Subscribed(context.Background(), tt.openID)
		if got != tt.want || domain.ErrorCode(err) != tt.code {
			t.Errorf("Subscribed(%q) = %v, %v; want %v, %q", tt.openID, got, err, tt.want, tt.code)
		}
	}
}

func TestTemplateMessageReachesTheFollower(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	data := map[string]string{"first": "您的申请有新进度", "keyword1": "养老待遇申报", "keyword2": "已受理", "remark": "请留意后续通知"}
	id, err := p.client.SendTemplate(ctx, follower, "TPL_PROGRESS", "https://hrss.dandong.gov.cn/wx/progress/BJ1", data)
	if err != nil || id == 0 {
		t.Fatalf("SendTemplate = %d, %v; want a message id", id, err)
	}
	got, err := sim.FetchMessages(ctx, p.url, follower)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].MsgID != id || got[0].TemplateID != "TPL_PROGRESS" ||
		got[0].URL != "https://hrss.dandong.gov.cn/wx/progress/BJ1" || fmt.Sprint(got[0].Data) != fmt.Sprint(data) {
		t.Fatalf("follower received %+v; want one TPL_PROGRESS message %d with %v", got, id, data)
	}

	const stranger = "oDdHrssNotAFollower0000001"
	_, err = p.client.SendTemplate(ctx, stranger, "TPL_PROGRESS", "", data)
	if !domain.IsCode(err, domain.Rejected) || !strings.Contains(err.Error(), "关注") {
		t.Errorf("send to a non-follower: err = %v; want Rejected asking to follow", err)
	}
	if n := len(p.sim.Messages(stranger)); n != 0 {
		t.Errorf("non-follower received %d messages; want 0", n)
	}
}

func TestSubscribeMessageIsRecorded(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	data := map[string]string{"thing1": "养老待遇资格认证", "time2": "2025年12月31日"}
	if err := p.client.SendSubscribe(ctx, follower, "SUB_CERT", "https://hrss.dandong.gov.cn/wx/cert", data); err != nil {
		t.Fatal(err)
	}
	got := p.sim.Messages(follower)
	if len(got) != 1 || got[0].Kind != sim.KindSubscribe || got[0].Page != "https://hrss.dandong.gov.cn/wx/cert" ||
		fmt.Sprint(got[0].Data) != fmt.Sprint(data) {
		t.Errorf("recorded %+v; want one subscribe message with %v", got, data)
	}
	err := p.client.SendSubscribe(ctx, "oDdHrssNotAFollower0000001", "SUB_CERT", "", data)
	if !domain.IsCode(err, domain.Rejected) {
		t.Errorf("send to someone who never accepted: err = %v; want Rejected", err)
	}
}

func TestJSConfigSignsThePage(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	cfg, err := p.client.JSConfig(ctx, "https://hrss.dandong.gov.cn/wx/apply/transfer?step=2#materials")
	if err != nil {
		t.Fatal(err)
	}
	ticket := p.sim.JSAPITicket()
	plain := fmt.Sprintf("jsapi_ticket=%s&noncestr=%s&timestamp=%d&url=%s",
		ticket, cfg.NonceStr, cfg.Timestamp, "https://hrss.dandong.gov.cn/wx/apply/transfer?step=2")
	sum := sha1.Sum([]byte(plain))
	if want := hex.EncodeToString(sum[:]); cfg.Signature != want || cfg.AppID != sim.DefaultAppID || ticket == "" {
		t.Errorf("JSConfig = %+v; want appId %s and signature %s over %q", cfg, sim.DefaultAppID, want, plain)
	}
	if d := time.Since(time.Unix(cfg.Timestamp, 0)); d < 0 || d > time.Minute {
		t.Errorf("timestamp %d is %v from now; want the present", cfg.Timestamp, d)
	}
	if _, err := p.client.JSConfig(ctx, "/wx/relative"); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("relative URL: err = %v; want Invalid", err)
	}
}

func TestDownPlatformOpensTheBreaker(t *testing.T) {
	tests := []struct {
		name   string
		faults simulator.Faults
	}{
		{"connection refused", simulator.Faults{Down: true}},
		{"errcode -1", simulator.Faults{ErrorRate: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startPlatform(t, sim.Config{Seed: 1, Faults: tt.faults}, quick)
			ctx := context.Background()
			for i := range quick.BreakerFailures {
				_, err := p.client.Subscribed(ctx, follower)
				if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), "微信公众平台暂时无法访问") {
					t.Fatalf("call %d: err = %v; want Unavailable naming 微信公众平台", i+1, err)
				}
			}
			if got := p.client.BreakerState(); got != "open" {
				t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
			}
			reached := p.sim.Injector().Requests()
			if _, err := p.client.Subscribed(ctx, follower); !domain.IsCode(err, domain.Unavailable) {
				t.Errorf("open breaker: err = %v; want Unavailable", err)
			}
			if got := p.sim.Injector().Requests(); got != reached {
				t.Errorf("platform saw %d requests with the breaker open; want %d", got, reached)
			}

			p.sim.Injector().SetFaults(simulator.Faults{})
			time.Sleep(quick.BreakerOpenFor + 20*time.Millisecond)
			if _, err := p.client.Subscribed(ctx, follower); err != nil {
				t.Fatalf("probe after recovery: %v; want success", err)
			}
			if got := p.client.BreakerState(); got != "closed" {
				t.Errorf("breaker %s after a successful probe; want closed", got)
			}
		})
	}
}

func TestSlowPlatformTimesOutInTime(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	if _, err := p.client.Subscribed(ctx, follower); err != nil { // token cached while healthy
		t.Fatal(err)
	}
	p.sim.Injector().SetFaults(simulator.Faults{LatencyMin: 2 * time.Second})
	// Sending goes through the SDK's context-free call: the timeout must
	// still hold.
	start := time.Now()
	_, err := p.client.SendTemplate(ctx, follower, "TPL_PROGRESS", "", nil)
	elapsed := time.Since(start)
	if !domain.IsCode(err, domain.Timeout) {
		t.Errorf("err = %v; want Timeout", err)
	}
	if elapsed < quick.Timeout || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("SendTemplate returned after %v; want about the %v timeout", elapsed, quick.Timeout)
	}
}

func TestSendsAreNeverRetriedButReadsAre(t *testing.T) {
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	p := startPlatform(t, sim.Config{Seed: 1}, retrying)
	ctx := context.Background()
	if _, err := p.client.Subscribed(ctx, follower); err != nil {
		t.Fatal(err)
	}
	p.sim.Injector().SetFaults(simulator.Faults{ErrorRate: 1})

	before := p.sim.Injector().Requests()
	if _, err := p.client.SendTemplate(ctx, follower, "TPL_PROGRESS", "", nil); !domain.IsCode(err, domain.Unavailable) {
		t.Fatalf("SendTemplate err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests() - before; got != 1 {
		t.Errorf("SendTemplate reached the platform %d times; want 1 (a retry could notify the citizen twice)", got)
	}
	before = p.sim.Injector().Requests()
	if _, err := p.client.Subscribed(ctx, follower); !domain.IsCode(err, domain.Unavailable) {
		t.Fatalf("Subscribed err = %v; want Unavailable", err)
	}
	if got := p.sim.Injector().Requests() - before; got != 4 {
		t.Errorf("Subscribed reached the platform %d times; want 4 (1 + 3 retries)", got)
	}
}

func TestErrorsCarryNoSecrets(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1, Faults: simulator.Faults{Down: true}}, quick)
	ctx := context.Background()
	_, oauthErr := p.client.OpenID(ctx, "c0de5ecret")
	_, userErr := p.client.Subscribed(ctx, follower)
	for _, err := range []error{oauthErr, userErr} {
		msg := fmt.Sprint(err)
		if err == nil || strings.Contains(msg, sim.DefaultAppSecret) || strings.Contains(msg, "c0de5ecret") {
			t.Errorf("error %q; want a failure that names neither the app secret nor the code", msg)
		}
	}
}

func TestOneBaseURLPerProcess(t *testing.T) {
	a := listen(t, sim.New(sim.Config{Seed: 1}))
	b := listen(t, sim.New(sim.Config{Seed: 2}))
	first := newClient(t, a.URL(), sim.DefaultAppSecret, quick)
	second := newClient(t, a.URL(), sim.DefaultAppSecret, quick) // the same base URL is shared
	cfg := wechat.Config{AppID: sim.DefaultAppID, AppSecret: sim.DefaultAppSecret, Token: sim.DefaultToken, BaseURL: b.URL()}
	if c, err := wechat.New(cfg, nil, nil); err == nil {
		c.Close()
		t.Fatal("New pointed the SDK at a second simulator while clients use the first; want an error")
	}
	first.Close()
	first.Close() // harmless twice
	if c, err := wechat.New(cfg, nil, nil); err == nil {
		c.Close()
		t.Fatal("New succeeded while a client still uses the first simulator; want an error")
	}
	second.Close()
	c, err := wechat.New(cfg, nil, nil)
	if err != nil {
		t.Fatalf("New after every client closed: %v; want success", err)
	}
	c.Close()
	if _, err := first.Subscribed(context.Background(), follower); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("call on a closed client with no other live: err = %v; want Unavailable, reaching nothing", err)
	}
}
