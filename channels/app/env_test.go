package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/app"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/jobs"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/employment"
	empsim "github.com/dandong-hrss/hrss/integrations/employment/sim"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/payment"
	paysim "github.com/dandong-hrss/hrss/integrations/payment/sim"
	"github.com/dandong-hrss/hrss/integrations/province"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/sms"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/contributiondb"
	"github.com/dandong-hrss/hrss/integrations/store/identitydb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// The counter terminal the tests verify QR codes from.
const terminalKey = "counter-01:terminal-secret-for-tests"

// clock is real time plus an offset a test moves forward, shared by the
// channel and the e-card platform so a QR code can expire without waiting.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// audits keeps what the channel records, for tests to read.
type audits struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (a *audits) Record(_ context.Context, e audit.Entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = append(a.entries, e)
}

func (a *audits) all() []audit.Entry {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]audit.Entry(nil), a.entries...)
}

// env is the app channel served over real HTTP on a loopback port, with
// real stores (SQLite, the test Redis) and every system it calls
// simulated over real HTTP.
type env struct {
	url     string
	core    *coresim.Sim
	coreAPI *insurance.Client
	smsURL  string
	payURL  string
	jobs    *empsim.Sim
	clock   *clock
	audits  *audits
	db      *store.DB
	notices atomic.Int32 // payment notifications that reached the server
	// limiter is the rate limiting the channel's RateLimit charges, as bff
	// mounts it before the routes; nil (the default) limits nothing.
	limiter atomic.Pointer[limit.Limiter]
}

func newEnv(t *testing.T, opts ...func(*app.Config)) *env {
	t.Helper()
	e := &env{clock: &clock{}, audits: &audits{}}
	e.core = coresim.New(coresim.Config{Seed: 3, People: 20_000, Units: 400})
	coreURL := serve(t, e.core)
	smsSim := smssim.New(smssim.Config{Seed: 3})
	t.Cleanup(smsSim.Close)
	e.smsURL = serve(t, smsSim)
	prov := provsim.New(provsim.Config{Seed: 3, Lookup: e.core.RealName, Now: e.clock.Now})
	t.Cleanup(prov.Close)
	provURL := serve(t, prov)
	pay := paysim.New(paysim.Config{Seed: 3, DuplicateNotifications: true, NotifyBackoff: 20 * time.Millisecond})
	t.Cleanup(pay.Close)
	e.payURL = serve(t, pay)
	e.jobs = empsim.New(empsim.Config{Seed: 3})
	jobsURL := serve(t, e.jobs)

	policy := remote.DefaultPolicy()
	e.coreAPI = insurance.New(insurance.Config{BaseURL: coreURL, Policy: policy}, nil)
	smsClient := sms.New(sms.Config{BaseURL: e.smsURL, AppID: smssim.DefaultAppID, AppKey: smssim.DefaultAppKey, Policy: policy}, nil)
	card := province.NewCardClient(province.Config{BaseURL: provURL, AppID: provsim.DefaultAppID, AppKey: provsim.DefaultAppKey, Policy: policy}, nil)
	payClient := payment.New(payment.Config{BaseURL: e.payURL, AppID: paysim.DefaultAppID, AppKey: paysim.DefaultAppKey, Policy: policy}, nil)
	board := employment.New(employment.Config{BaseURL: jobsURL, AppID: empsim.DefaultAppID, AppKey: empsim.DefaultAppKey, Policy: policy}, nil)

	sealer, err := smcrypto.New(smcrypto.Config{Keys: "k1:00112233445566778899aabbccddeeff", ActiveKey: "k1",
		IndexKey: "6368616e676520746869732070617373"})
	if err != nil {
		t.Fatal(err)
	}
	e.db = storetest.SQLite(t)
	rdb, prefix := cachetest.Redis(t)
	ephemeral := identitydb.NewEphemeral(rdb, prefix)
	ids := identity.NewService(identity.Config{Store: identitydb.New(e.db), Codes: ephemeral, Sessions: ephemeral,
		Texter: smsClient, RealNames: card, People: e.coreAPI, Sealer: sealer, CodeTemplate: sms.TemplateVerifyCode})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = "http://" + ln.Addr().String()
	contributions := contribution.NewService(contribution.Config{Store: contributiondb.New(e.db), Core: e.coreAPI,
		Channel: payClient, Sealer: sealer, NotifyURL: e.url + app.NotifyPath})
	keys, err := app.ParseKeys("t1:"+hex64, "t1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{Identity: ids, Keys: keys, Core: e.coreAPI, ECard: card, Jobs: jobs.NewService(board),
		Contributions: contributions, Payments: payClient, Audit: e.audits, Now: e.clock.Now, Logger: discard,
		Terminals: map[string]string{"counter-01": "terminal-secret-for-tests"}}
	for _, o := range opts {
		o(&cfg)
	}
	ch, err := app.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.start(t, ln, ch)
	return e
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

const hex64 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// start serves the channel behind the middleware bff puts in front of it.
func (e *env) start(t *testing.T, ln net.Listener, ch *app.Channel) {
	logger := slog.New(web.LogHandler(discard.Handler()))
	f := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: web.HandleError(logger)})
	f.Use(web.RequestID(), web.Observe(logger, web.NewMetrics(prometheus.NewRegistry())), web.Recover(logger))
	f.Use(func(c *fiber.Ctx) error {
		if c.Path() == app.NotifyPath {
			e.notices.Add(1)
		}
		return c.Next()
	})
	f.Use(app.Prefix, func(c *fiber.Ctx) error { return ch.RateLimit(e.limiter.Load())(c) })
	ch.Register(web.NewAPI(f, "智慧人社APP测试", "test"))
	go f.Listener(ln)
	t.Cleanup(func() { f.ShutdownWithTimeout(2 * time.Second) })
}

// serve runs h on a loopback port until the test ends.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv, err := simulator.Serve("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Close(ctx)
	})
	return srv.URL()
}

// call is one request to the channel.
type call struct {
	method, path string
	token        string            // the access token, if any
	actFor       string            // X-Act-For, if any
	header       map[string]string // more headers
	body         any               // sent as JSON when not nil
}

// answer is the channel's answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// decode reads the answer's JSON into v.
func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not the JSON expected: %v\n%s", a.status, err, a.body)
	}
}

// problem reads a problem+json answer.
func (a answer) problem(t *testing.T) web.Problem {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != web.ProblemContentType {
		t.Fatalf("answer %d has content type %q; want problem+json (%s)", a.status, ct, a.body)
	}
	var p web.Problem
	a.decode(t, &p)
	return p
}

func (e *env) do(t *testing.T, c call) answer {
	t.Helper()
	var body io.Reader
	if c.body != nil {
		b, _ := json.Marshal(c.body)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(c.method, e.url+app.Prefix+c.path, body)
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.actFor != "" {
		req.Header.Set("X-Act-For", c.actFor)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// must makes a call that has to answer want, and decodes it into v.
func (e *env) must(t *testing.T, want int, c call, v any) answer {
	t.Helper()
	a := e.do(t, c)
	if a.status != want {
		t.Fatalf("%s %s: got %d; want %d\n%s", c.method, c.path, a.status, want, a.body)
	}
	if v != nil {
		a.decode(t, v)
	}
	return a
}

// lastCode reads the newest verification code texted to phone.
func (e *env) lastCode(t *testing.T, phone string) string {
	t.Helper()
	msgs, err := smssim.FetchMessages(context.Background(), e.smsURL, phone)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no text reached %s: %v", phone, err)
	}
	return msgs[len(msgs)-1].Params["code"]
}

// person is a citizen of the simulated city the test acts as.
type person struct {
	id, name, phone string
}

// samplePerson picks a person of the simulated city by status (在职, 退休,
// 失业, 灵活就业), n-th of their kind; with a phone on record when asked.
func (e *env) samplePerson(t *testing.T, status string, n int, phoneOnRecord bool) person {
	t.Helper()
	for _, s := range e.core.Sample(200) {
		if s.Status != status {
			continue
		}
		rec, err := e.coreAPI.Person(context.Background(), domain.IDNumber(s.ID))
		if err != nil {
			t.Fatal(err)
		}
		if phoneOnRecord && rec.Phone == "" {
			continue
		}
		if n--; n < 0 {
			name, _ := e.core.RealName(s.ID)
			return person{id: s.ID, name: name, phone: rec.Phone.Raw()}
		}
	}
	t.Fatalf("no %s person in the sample", status)
	return person{}
}

// session is a signed-in citizen.
type session struct {
	access, refresh string
	account         app.AccountView
}

// login signs phone in with the code texted to it.
func (e *env) login(t *testing.T, phone string) session {
	t.Helper()
	e.must(t, 200, call{method: "POST", path: "/auth/sms-codes", body: map[string]string{"phone": phone}}, nil)
	var tok app.Tokens
	e.must(t, 200, call{method: "POST", path: "/auth/login", body: map[string]string{"phone": phone, "code": e.lastCode(t, phone)}}, &tok)
	return session{access: tok.AccessToken, refresh: tok.RefreshToken, account: tok.Account}
}

// bind binds the signed-in account to p and returns the new access token.
func (e *env) bind(t *testing.T, s *session, p person) {
	t.Helper()
	var acc app.Access
	e.must(t, 200, call{method: "POST", path: "/me/real-name", token: s.access,
		body: map[string]string{"idNumber": p.id, "name": p.name}}, &acc)
	s.access, s.account = acc.AccessToken, acc.Account
}

// addRelative registers r as a relative of the signed-in account, reading
// the consent code off r's phone, and returns the relative's id.
func (e *env) addRelative(t *testing.T, s session, r person, relation string) string {
	t.Helper()
	fields := map[string]string{"idNumber": r.id, "name": r.name, "relation": relation}
	var sent app.CodeSent
	e.must(t, 200, call{method: "POST", path: "/relatives/verifications", token: s.access, body: fields}, &sent)
	fields["code"] = e.lastCode(t, r.phone)
	var rel app.RelativeView
	e.must(t, 201, call{method: "POST", path: "/relatives", token: s.access, body: fields}, &rel)
	return rel.ID
}
