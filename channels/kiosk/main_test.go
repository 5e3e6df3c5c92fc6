package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/channels/public"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/province"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/devicedb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// largeAmountPremium is the yearly premium per employee the tests print
// the 大额保险单 with.
const largeAmountPremium domain.Fen = 9600

// asOf is the day the simulated core describes and the kiosks' clock
// starts at.
var asOf = time.Date(2025, 6, 18, 10, 0, 0, 0, domain.Beijing)

// The business core and the e-card platform, shared by every test: the
// simulators on loopback ports and the production clients of them.
var (
	coreSim *sim.Sim
	core    *insurance.Client
	faces   *province.CardClient            // the e-card platform's face check
	people  = map[string]sim.SamplePerson{} // by situation: 在职, 退休, 失业, 灵活就业, 工伤
)

func TestMain(m *testing.M) {
	var err error
	if matters, err = openCatalog(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	coreSim = sim.New(sim.Config{Seed: 2025, AsOf: asOf})
	srv, err := simulator.Serve("127.0.0.1:0", coreSim)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	core = insurance.New(insurance.Config{BaseURL: srv.URL()}, prometheus.NewRegistry())
	prov := provsim.New(provsim.Config{Seed: 2025, Lookup: coreSim.RealName})
	provSrv, err := simulator.Serve("127.0.0.1:0", prov)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	faces = province.NewCardClient(province.Config{BaseURL: provSrv.URL(), AppID: provsim.DefaultAppID,
		AppKey: provsim.DefaultAppKey, Policy: quick}, nil)
	for _, p := range coreSim.Sample(25) {
		kind := p.Status
		if p.WorkInjury {
			kind = "工伤"
		}
		if _, seen := people[kind]; !seen {
			people[kind] = p
		}
	}
	code := m.Run()
	core.Close()
	srv.Close(context.Background())
	provSrv.Close(context.Background())
	prov.Close()
	os.Exit(code)
}

// clock is the kiosks' and the server's time, moved by tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one BFF instance's kiosk channel over shared infrastructure.
type env struct {
	app     *fiber.App
	devices *device.Service
	clock   *clock
	rdb     redis.UniversalClient
	prefix  string
	db      *store.DB
	sealer  *smcrypto.Sealer
	audit   *audit.Recorder
	logs    *bytes.Buffer
	backend *backend
}

// infra is what instances share: Redis, the database, the keys and the
// counter core.
type infra struct {
	rdb     redis.UniversalClient
	prefix  string
	db      *store.DB
	sealer  *smcrypto.Sealer
	clock   *clock
	counter *counter.Client
	limiter *limit.Limiter // nil: no rate limits
	// counterURL is the counter core simulator's, for its fault settings.
	counterURL string
}

// newInfra uses the real Redis; rdb may be given instead (miniredis).
func newInfra(t *testing.T, rdb redis.UniversalClient) *infra {
	t.Helper()
	prefix := "test:" + strings.ReplaceAll(t.Name(), "/", "-") + ":"
	if rdb == nil {
		rdb, prefix = cachetest.Redis(t)
	}
	in := &infra{rdb: rdb, prefix: prefix, db: storetest.SQLite(t), sealer: smcrypto.Ephemeral(), clock: &clock{now: asOf}}
	in.counter, in.counterURL = counterCore(t)
	return in
}

// newEnv starts an instance on in with the demo devices registered.
func newEnv(t *testing.T, in *infra) *env {
	t.Helper()
	e := &env{clock: in.clock, rdb: in.rdb, prefix: in.prefix, db: in.db, sealer: in.sealer, logs: &bytes.Buffer{}}
	e.devices = device.NewService(device.Config{Store: devicedb.New(in.db), Sealer: in.sealer,
		Board: kiosk.NewStatusBoard(in.rdb, in.prefix), Now: in.clock.Now})
	if _, err := e.devices.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.audit = audit.NewRecorder(auditdb.New(in.db), audit.RecorderConfig{FlushEvery: time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { e.audit.Close(context.Background()) })
	logger := slog.New(web.LogHandler(slog.NewJSONHandler(e.logs, nil)))
	e.app = fiber.New(fiber.Config{ErrorHandler: web.HandleError(logger), DisableStartupMessage: true})
	e.app.Use(web.RequestID(), web.Observe(logger, web.NewMetrics(prometheus.NewRegistry())), web.Recover(logger))
	api := web.NewAPI(e.app, "测试", "1.0")
	b := newBackend(t, in, e.audit)
	e.backend = b
	public.Register(api, e.app, b.documents, b.announcements)
	kiosk.New(kiosk.Deps{Core: core, Devices: e.devices, Redis: in.rdb, Prefix: in.prefix, Limiter: in.limiter, Sealer: in.sealer,
		Audit: e.audit, Now: in.clock.Now, Documents: b.documents, Certification: b.certification,
		Declarations: b.declarations, Progress: b.progress, Ratings: b.ratings, Announcements: b.announcements,
		Catalog: b.catalog, LargeAmountPremium: largeAmountPremium}).Register(api)
	return e
}

// kioskClient is one kiosk talking to an instance.
type kioskClient struct {
	t       *testing.T
	env     *env
	device  string
	secret  string
	session string
}

func (e *env) kiosk(t *testing.T, id string) *kioskClient {
	return &kioskClient{t: t, env: e, device: id, secret: device.DemoSecret}
}

// response is an answer with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// request builds a signed request; body may be nil.
func (k *kioskClient) request(method, target string, body any) *http.Request {
	k.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			k.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := kiosk.SignAt(req, k.device, k.secret, k.env.clock.Now(), kiosk.NewNonce()); err != nil {
		k.t.Fatal(err)
	}
	if k.session != "" {
		req.Header.Set(kiosk.HeaderSession, k.session)
	}
	return req
}

func (k *kioskClient) do(method, target string, body any) response {
	k.t.Helper()
	return k.env.send(k.t, k.request(method, target, body))
}

func (e *env) send(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// get reads target into v, failing unless the answer is 200.
func (k *kioskClient) get(target string, v any) {
	k.t.Helper()
	r := k.do(http.MethodGet, target, nil)
	if r.status != http.StatusOK {
		k.t.Fatalf("GET %s: got %d %s; want 200", target, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		k.t.Fatalf("GET %s: %v in %s", target, err, r.body)
	}
}

// card is what the reader reads from the sample person's card.
func card(t *testing.T, p sim.SamplePerson) kiosk.CardRead {
	t.Helper()
	name, ok := coreSim.RealName(p.ID)
	if !ok {
		t.Fatalf("sample %s unknown to the core", p.Name)
	}
	return kiosk.CardRead{CardKind: "ssc", IDNumber: p.ID, Name: name, CardSerial: "D15600123X9"}
}

// openPerson inserts the card of the person in situation kind.
func (k *kioskClient) openPerson(kind string) (kiosk.SessionView, sim.SamplePerson) {
	k.t.Helper()
	p, ok := people[kind]
	if !ok {
		k.t.Fatalf("no sample person %s", kind)
	}
	r := k.do(http.MethodPost, "/kiosk/v1/sessions/person", card(k.t, p))
	if r.status != http.StatusCreated {
		k.t.Fatalf("open session for %s: got %d %s; want 201", kind, r.status, r.body)
	}
	var v kiosk.SessionView
	if err := json.Unmarshal(r.body, &v); err != nil {
		k.t.Fatal(err)
	}
	k.session = v.SessionID
	return v, p
}

// problem decodes a problem+json answer and checks its status and code.
func problem(t *testing.T, r response, status int, code domain.Code) web.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d %s; want %d", r.status, r.body, status)
	}
	if ct := r.header.Get("Content-Type"); ct != web.ProblemContentType {
		t.Fatalf("content type %q; want problem+json", ct)
	}
	var p web.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Code != code {
		t.Errorf("code: got %q; want %q (%s)", p.Code, code, r.body)
	}
	return p
}

// id parses a sample's ID number.
func id(t *testing.T, p sim.SamplePerson) domain.IDNumber {
	t.Helper()
	n, err := domain.ParseIDNumber(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
