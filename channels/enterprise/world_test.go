package enterprise_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/enterprise"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/counter"
	countersim "github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/province"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/sms"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/accountdb"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
)

var ctx = context.Background()

// quick is the client policy of these tests: failures show at once.
var quick = remote.Policy{Timeout: 5 * time.Second, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 50, BreakerOpenFor: 50 * time.Millisecond, BreakerProbes: 1}

// world is the BFF's enterprise channel over real stores, real Redis, and
// every external system as its simulator over HTTP.
type world struct {
	app      *fiber.App
	ch       *enterprise.Channel
	accounts *account.Service
	audit    *auditLog
	db       *store.DB
	core     *coresim.Sim
	coreCli  *insurance.Client
	smsURL   string
	unitA    string // an enterprise on the simulated roll
	unitB    string // another unit
	phoneA   string // unit A's administrator's phone
	password string
	// limiter is the rate limiting the channel's RateLimit charges, as bff
	// mounts it before the routes; nil (the default) limits nothing.
	limiter atomic.Pointer[limit.Limiter]
}

// rules adapts the catalog to declaration as the bff does.
type rules struct{ cat *catalog.Service }

func (r rules) Matter(_ context.Context, code, situation string) (declaration.Matter, error) {
	m, err := r.cat.Matter(code)
	if err != nil {
		return declaration.Matter{}, err
	}
	form, err := r.cat.Form(code, situation)
	if err != nil {
		return declaration.Matter{}, err
	}
	out := declaration.Matter{Code: m.Code, Name: m.Name, ApplicantKinds: []acceptance.ApplicantKind{acceptance.ApplicantKind(m.Applicant)}}
	for _, mat := range form.Materials {
		if !mat.Optional && mat.Commitment == "" {
			out.RequiredMaterials = append(out.RequiredMaterials, mat.Name)
		}
	}
	return out, nil
}

func (r rules) Bundle(_ context.Context, code string) (declaration.BundleRule, error) {
	b, err := r.cat.Bundle(code)
	if err != nil {
		return declaration.BundleRule{}, err
	}
	rule := declaration.BundleRule{Code: b.Code, Name: b.Name}
	for _, m := range b.Packaged {
		rule.Matters = append(rule.Matters, m.Code)
	}
	return rule, nil
}

func (r rules) ValidateForm(_ context.Context, code, situation string, raw json.RawMessage) error {
	data := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		return domain.InvalidFields(domain.FieldError{Field: "form", Message: "表单内容不是有效的 JSON 对象"})
	}
	return r.cat.ValidateForm(code, situation, data)
}

// shared is what every test may use at once: the business core is read
// only, the catalog is not changed by the channel. Both are costly to build.
var shared struct {
	core    *coresim.Sim
	coreCli *insurance.Client
	catalog *catalog.Service
}

func TestMain(m *testing.M) {
	shared.core = coresim.New(coresim.Config{Seed: 7, People: 20000, Units: 150, AsOf: time.Date(2026, 3, 10, 10, 0, 0, 0, domain.Beijing)})
	srv, err := simulator.Serve("127.0.0.1:0", shared.core)
	if err != nil {
		panic(err)
	}
	shared.coreCli = insurance.New(insurance.Config{BaseURL: srv.URL(), Policy: quick}, nil)
	file, _ := catalog.EmbeddedFile()
	if shared.catalog, err = catalog.Open(ctx, catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file}); err != nil {
		panic(err)
	}
	code := m.Run()
	shared.coreCli.Close()
	stop, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	srv.Close(stop)
	cancel()
	os.Exit(code)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv, err := simulator.Serve("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A dialled connection that never sent a request counts as busy for
		// five seconds; do not wait for it.
		stop, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		srv.Close(stop)
	})
	return srv.URL()
}

// newWorld builds the channel on db and starts the dispatcher and the
// progress poller, so filed applications reach the simulated counter core.
func newWorld(t *testing.T, db *store.DB) *world { return newWorldPaced(t, db, 10*time.Millisecond) }

// newWorldPaced is newWorld with the counter core's staff taking step per
// workflow step: slow enough, a case stays undecided for the test.
func newWorldPaced(t *testing.T, db *store.DB, step time.Duration) *world {
	t.Helper()
	w := &world{db: db, password: "Demo2026hrss", core: shared.core, coreCli: shared.coreCli}
	smsSim := smssim.New(smssim.Config{Seed: 7})
	t.Cleanup(smsSim.Close)
	w.smsURL = serve(t, smsSim)
	texter := sms.New(sms.Config{BaseURL: w.smsURL, AppID: smssim.DefaultAppID, AppKey: smssim.DefaultAppKey, Policy: quick}, nil)
	prov := provsim.New(provsim.Config{Seed: 7, StepInterval: 40 * time.Millisecond, Lookup: w.core.RealName})
	t.Cleanup(prov.Close)
	platform := province.NewTransferClient(province.Config{BaseURL: serve(t, prov), AppID: provsim.DefaultAppID,
		AppKey: provsim.DefaultAppKey, Policy: quick}, nil)

	counterDB, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { counterDB.Close() })
	cs, err := countersim.New(ctx, countersim.Config{DB: counterDB, AutoStaff: true, StepDelay: step, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cs.Close)
	core := counter.New(counter.Config{BaseURL: serve(t, cs), Token: countersim.DefaultAPIToken, Policy: quick}, nil)

	cat := shared.catalog
	sealer := smcrypto.Ephemeral()
	st := applicationdb.New(db)
	disp := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: st, Core: core, Sealer: sealer,
		Interval: 20 * time.Millisecond, BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	decl := declaration.NewService(declaration.Config{Store: st, Materials: st, Drafts: st, Rules: rules{cat}, Sealer: sealer,
		Core: core, Submitted: disp.Kick})
	prog := progress.NewService(progress.Config{Store: st, Core: core,
		Verifier: progress.WebhookVerifierFunc(counter.WebhookVerifier(countersim.DefaultWebhookSecret))})
	loops, stop := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { disp.Run(loops); done <- struct{}{} }()
	go func() { prog.RunPoller(loops, 30*time.Millisecond); done <- struct{}{} }()
	t.Cleanup(func() { stop(); <-done; <-done })

	rdb, prefix := cachetest.Redis(t)
	acc := accountdb.New(db)
	accounts, err := account.NewService(account.Config{Store: acc, Ephemeral: accountdb.NewEphemeral(rdb, prefix),
		Hasher: accountdb.NewArgon2(accountdb.Argon2Params{Memory: 1024, Time: 1, Threads: 1}), Sealer: sealer, Texter: texter})
	if err != nil {
		t.Fatal(err)
	}
	w.audit = &auditLog{}
	ch := enterprise.New(enterprise.Config{Audit: w.audit, Accounts: accounts, Declarations: decl, Progress: prog, Catalog: cat,
		Core: w.coreCli, Transfers: platform, Texter: texter, Batches: acc, TransferLog: acc, Sealer: sealer})
	w.ch, w.accounts = ch, accounts
	w.app = fiber.New(fiber.Config{ErrorHandler: web.HandleError(slog.New(slog.DiscardHandler)), BodyLimit: 8 << 20})
	w.app.Use(web.RequestID())
	w.app.Use(enterprise.Prefix, func(c *fiber.Ctx) error { return ch.RateLimit(w.limiter.Load())(c) })
	ch.Register(web.NewAPI(w.app, "测试", "1"))

	w.pickUnits(t)
	w.phoneA = "13911110001"
	for _, u := range []struct{ code, phone string }{{w.unitA, w.phoneA}, {w.unitB, "13911110002"}} {
		if _, err := accounts.Seed(ctx, domain.CreditCode(u.code), account.NewOperator{Name: "管理员", Phone: u.phone,
			Role: account.Admin, Password: w.password}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// pickUnits chooses two enterprises with staff on the simulated rolls.
func (w *world) pickUnits(t *testing.T) {
	t.Helper()
	for _, p := range w.core.Sample(60) {
		if !strings.HasPrefix(p.UnitCode, "91") || p.UnitCode == w.unitA {
			continue
		}
		if w.unitA == "" {
			w.unitA = p.UnitCode
		} else {
			w.unitB = p.UnitCode
			return
		}
	}
	t.Fatal("the simulated city has too few enterprises")
}

// roll returns a unit's staff as the core has them, unmasked.
func (w *world) roll(t *testing.T, code string) []insured.StaffMember {
	t.Helper()
	var out []insured.StaffMember
	for page := 1; ; page++ {
		p, err := w.coreCli.UnitStaff(ctx, domain.CreditCode(code), page, 100)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Staff...)
		if len(p.Staff) < 100 {
			return out
		}
	}
}

// employed returns the unit's employed staff.
func (w *world) employed(t *testing.T, code string) []insured.StaffMember {
	var out []insured.StaffMember
	for _, m := range w.roll(t, code) {
		if m.Status == insured.Employed {
			out = append(out, m)
		}
	}
	if len(out) < 4 {
		t.Fatalf("unit has %d employed staff; the test needs 4", len(out))
	}
	return out
}

// count counts the rows of a table.
func (w *world) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

// auditLog keeps what the channel records, as the audit log would.
type auditLog struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (l *auditLog) Record(_ context.Context, e audit.Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *auditLog) find(action, outcome string) []audit.Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []audit.Entry
	for _, e := range l.entries {
		if e.Action == action && e.Outcome == outcome {
			out = append(out, e)
		}
	}
	return out
}

// call is one HTTP exchange with the app.
type call struct {
	method, path, token, device, key string
	body                             any    // JSON
	file                             []byte // multipart "file"
}

type answer struct {
	status int
	body   []byte
	header http.Header
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// problem is the part of a problem+json answer the tests read.
type problem struct {
	Code   string              `json:"code"`
	Detail string              `json:"detail"`
	Errors []domain.FieldError `json:"errors"`
}

func (w *world) do(t *testing.T, c call) answer {
	t.Helper()
	var body io.Reader
	ct := ""
	switch {
	case c.file != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		part, _ := mw.CreateFormFile("file", "staff.dat")
		part.Write(c.file)
		mw.Close()
		body, ct = &buf, mw.FormDataContentType()
	case c.body != nil:
		b, _ := json.Marshal(c.body)
		body, ct = bytes.NewReader(b), "application/json"
	}
	req := httptest.NewRequest(c.method, c.path, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.device != "" {
		req.Header.Set(enterprise.HeaderDeviceID, c.device)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	resp, err := w.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: b, header: resp.Header}
}

// must does c and fails unless the status is want.
func (w *world) must(t *testing.T, want int, c call) answer {
	t.Helper()
	a := w.do(t, c)
	if a.status != want {
		t.Fatalf("%s %s: got %d %s; want %d", c.method, c.path, a.status, a.body, want)
	}
	return a
}

type loginAnswer struct {
	SMSRequired bool `json:"smsRequired"`
	Challenge   *struct {
		ID    string `json:"id"`
		Phone string `json:"phone"`
	} `json:"challenge"`
	Session *struct {
		Token string `json:"token"`
	} `json:"session"`
}

func (w *world) login(t *testing.T, code, password, device string) (answer, loginAnswer) {
	t.Helper()
	a := w.do(t, call{method: "POST", path: "/ent/v1/sessions", device: device,
		body: map[string]string{"creditCode": code, "name": "管理员", "password": password}})
	var la loginAnswer
	if a.status == 200 {
		a.decode(t, &la)
	}
	return a, la
}

// signIn signs unit code's administrator in on device, reading the SMS
// code from the simulated platform when the device is new.
func (w *world) signIn(t *testing.T, code, phone, device string) string {
	t.Helper()
	a, la := w.login(t, code, w.password, device)
	if a.status != 200 {
		t.Fatalf("login: got %d %s", a.status, a.body)
	}
	if !la.SMSRequired {
		return la.Session.Token
	}
	sms := w.lastCode(t, phone)
	var s struct {
		Token string `json:"token"`
	}
	w.must(t, 200, call{method: "POST", path: "/ent/v1/sessions/sms", device: device,
		body: map[string]string{"challenge": la.Challenge.ID, "code": sms}}).decode(t, &s)
	return s.Token
}

// lastCode reads the latest verification code texted to phone.
func (w *world) lastCode(t *testing.T, phone string) string {
	t.Helper()
	msgs, err := smssim.FetchMessages(ctx, w.smsURL, phone)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].TemplateID == sms.TemplateVerifyCode {
			return msgs[i].Params["code"]
		}
	}
	t.Fatalf("no code was texted to %s", phone)
	return ""
}

// newID returns the i-th synthetic newcomer: born in Dandong in the 1990s,
// with a valid check digit, on no unit's roll of the simulated city.
func newID(i int) string {
	born := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	first17 := "210602" + born.Format("20060102") + fmt.Sprintf("%03d", 900+i%100)
	return first17 + string(domain.IDCheckDigit(first17))
}

func unit(code string) string { return "/ent/v1/units/" + code }
