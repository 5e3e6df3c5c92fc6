package wechat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/counter"
	countersim "github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/notifysend"
	"github.com/dandong-hrss/hrss/integrations/province"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/sms"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/catalogdb"
	"github.com/dandong-hrss/hrss/integrations/store/followerdb"
	"github.com/dandong-hrss/hrss/integrations/store/identitydb"
	"github.com/dandong-hrss/hrss/integrations/store/notifydb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
	wx "github.com/dandong-hrss/hrss/integrations/wechat"
	wxsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// The WeChat client routes the SDK to one base URL per process, so the
// suites share one harness and run one after another (TestWeChatChannel).

// publicURL is where followers reach the server in these tests; the H5
// pages and notice links are under it.
const publicURL = "https://hrss.dandong.gov.cn"

// harness is the BFF as production wires the WeChat channel, on a real
// port, over a real SQLite database and Redis, with the simulators of the
// business core, SMS platform, provincial platforms, WeChat and the
// counter core on their own ports.
type harness struct {
	url     string
	db      *store.DB
	sims    sims
	urls    struct{ core, sms, province, wechat, counter string }
	wx      *wx.Client
	core    *insurance.Client
	cards   *province.CardClient
	sealer  privacy.Sealer
	apps    *applicationdb.Store
	channel *wechat.Channel
	notices *notify.Service
	sample  []coresim.SamplePerson // people of the simulated city
	sampled int                    // how many of sample people has looked at
	// limiter is the rate limiting the channel's RateLimit charges, as bff
	// mounts it before the routes; nil (the default) limits nothing.
	limiter atomic.Pointer[limit.Limiter]
}

// start builds the harness. The counter core's staff are played by no
// one: cases are accepted and stay in progress, so that a transfer locks
// the record while the suites look.
func start(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	h := &harness{db: storetest.SQLite(t)}
	h.startSims(t, logger)
	h.clients(t)
	h.sealer = testSealer(t)
	rec := audit.NewRecorder(auditdb.New(h.db), audit.RecorderConfig{Logger: logger})
	t.Cleanup(func() { rec.Close(context.Background()) })

	cat, err := openCatalog(ctx, h.db)
	if err != nil {
		t.Fatal(err)
	}
	h.apps = applicationdb.New(h.db)
	core := counter.New(counter.Config{BaseURL: h.urls.counter, Token: countersim.DefaultAPIToken,
		Policy: remote.DefaultPolicy()}, nil)
	disp := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: h.apps, Core: core, Sealer: h.sealer,
		Logger: logger, Interval: 50 * time.Millisecond})
	decl := declaration.NewService(declaration.Config{Store: h.apps, Materials: h.apps, Drafts: h.apps,
		Rules: rules{cat}, Sealer: h.sealer, Core: core, Submitted: disp.Kick})
	prog := progress.NewService(progress.Config{Store: h.apps, Core: core, Logger: logger,
		Verifier: progress.WebhookVerifierFunc(counter.WebhookVerifier("unused")), Applied: h.notifyChange})

	rdb, prefix := cachetest.Redis(t)
	followers := follower.NewService(follower.Config{Store: followerdb.New(h.db), Sessions: followerdb.NewSessions(rdb, prefix),
		Codes: identitydb.NewEphemeral(rdb, prefix), Texter: h.smsClient(), People: h.core, Cards: h.cards, Sealer: h.sealer})
	h.channel = wechat.New(wechat.Deps{Platform: h.wx, Followers: followers, Declarations: decl, Progress: prog,
		Catalog: cat, Core: h.core, Sealer: h.sealer, Audit: rec, PublicURL: publicURL, Logger: logger})
	sender := notifysend.NewWeChat(h.wx, notifysend.WeChatConfig{Templates: notifysend.DefaultTemplates()})
	h.notices, err = notify.New(notify.Config{Store: notifydb.New(h.db), WeChat: sender, Follower: sender,
		SMS: notifysend.NewSMS(h.smsClient()), Phones: h.sealer, LinkBase: publicURL + "/h5", Interval: 30 * time.Millisecond, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}

	loops, stop := context.WithCancel(context.Background())
	done := make(chan struct{}, 3)
	go func() { disp.Run(loops); done <- struct{}{} }()
	go func() { prog.RunPoller(loops, 30*time.Millisecond); done <- struct{}{} }()
	go func() { h.notices.Run(loops); done <- struct{}{} }()
	t.Cleanup(func() { stop(); <-done; <-done; <-done })
	h.serve(t, logger)
	return h
}

// sims are the simulators of the systems the channel reaches.
type sims struct {
	Core   *coresim.Sim
	SMS    *smssim.Sim
	WeChat *wxsim.Sim
}

// startSims starts each simulator on a free port until the test ends.
func (h *harness) startSims(t *testing.T, logger *slog.Logger) {
	t.Helper()
	h.sims.Core = coresim.New(coresim.Config{Seed: 7, People: 3000, Units: 60})
	h.sample = h.sims.Core.Sample(80)
	h.urls.core = serveSim(t, h.sims.Core)
	h.sims.SMS = smssim.New(smssim.Config{Seed: 7})
	t.Cleanup(h.sims.SMS.Close)
	h.urls.sms = serveSim(t, h.sims.SMS)
	prov := provsim.New(provsim.Config{Seed: 7, Lookup: h.sims.Core.RealName})
	t.Cleanup(prov.Close)
	h.urls.province = serveSim(t, prov)
	h.sims.WeChat = wxsim.New(wxsim.Config{Seed: 7})
	h.urls.wechat = serveSim(t, h.sims.WeChat)
	counter, err := countersim.New(context.Background(), countersim.Config{DB: h.db, Seed: 7, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(counter.Close)
	h.urls.counter = serveSim(t, counter)
}

func serveSim(t *testing.T, h http.Handler) string {
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

// clients builds the production clients against the simulators.
func (h *harness) clients(t *testing.T) {
	t.Helper()
	policy := remote.DefaultPolicy()
	h.core = insurance.New(insurance.Config{BaseURL: h.urls.core, Policy: policy}, nil)
	t.Cleanup(h.core.Close)
	h.cards = province.NewCardClient(province.Config{BaseURL: h.urls.province, AppID: provsim.DefaultAppID,
		AppKey: provsim.DefaultAppKey, Policy: policy}, nil)
	c, err := wx.New(wx.Config{AppID: wxsim.DefaultAppID, AppSecret: wxsim.DefaultAppSecret, Token: wxsim.DefaultToken,
		EncodingAESKey: wxsim.DefaultEncodingAESKey, BaseURL: h.urls.wechat, Policy: policy}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	h.wx = c
	t.Cleanup(func() { c.Close() })
}

func (h *harness) smsClient() *sms.Client {
	return sms.New(sms.Config{BaseURL: h.urls.sms, AppID: smssim.DefaultAppID, AppKey: smssim.DefaultAppKey,
		Policy: remote.DefaultPolicy()}, nil)
}

// serve runs the channel on a Fiber app with the server's error handling,
// on a free port.
func (h *harness) serve(t *testing.T, logger *slog.Logger) {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: web.HandleError(logger)})
	app.Use(web.RequestID())
	app.Use(wechat.Prefix, func(c *fiber.Ctx) error { return h.channel.RateLimit(h.limiter.Load())(c) })
	h.channel.Register(web.NewAPI(app, "test", "1"), app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.ShutdownWithTimeout(2 * time.Second) })
	h.url = "http://" + ln.Addr().String()
}

// notifyChange is the progress hook as the server wires it (bff's
// aftercare): every change of an application becomes a notice to its
// applicant, on WeChat when they bound an openid, else by SMS to the phone
// on record.
func (h *harness) notifyChange(ctx context.Context, ev acceptance.Event, _ bool) error {
	app, err := h.apps.Application(ctx, ev.ApplicationID)
	if err != nil {
		return err
	}
	to := notify.Recipient{PersonRef: app.Applicant.Ref, Channel: app.Channel}
	to.OpenID, _, _ = h.channel.OpenIDOf(ctx, app.Applicant.Ref)
	if id, err := privacy.OpenID(h.sealer, app.Applicant.SealedID); err == nil {
		if p, err := h.core.Person(ctx, id); err == nil && p.Phone != "" {
			to.PhoneSealed, _ = privacy.SealPhone(h.sealer, p.Phone)
		}
	}
	if n, ok := notify.ForEvent(ev, app.MatterName, to); ok {
		_, err = h.notices.Enqueue(ctx, n)
	}
	return err
}

func testSealer(t *testing.T) privacy.Sealer {
	t.Helper()
	s, err := smcrypto.New(smcrypto.Config{Keys: "k1:00112233445566778899aabbccddeeff", ActiveKey: "k1",
		IndexKey: "0123456789abcdef0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openCatalog(ctx context.Context, db *store.DB) (*catalog.Service, error) {
	file, err := catalog.EmbeddedFile()
	if err != nil {
		return nil, err
	}
	return catalog.Open(ctx, catalog.Config{Store: catalogdb.New(db), Schemas: formschema.New(), File: file})
}

// rules is what declarations need of the catalog, for single matters.
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
	out := declaration.Matter{Code: m.Code, Name: m.Name, Commitments: map[string]string{},
		ApplicantKinds: []acceptance.ApplicantKind{acceptance.ApplicantKind(m.Applicant)}}
	for _, mat := range form.Materials {
		if !mat.Optional {
			out.RequiredMaterials = append(out.RequiredMaterials, mat.Name)
		}
		if mat.Commitment != "" {
			out.Commitments[mat.Name] = mat.Commitment
		}
	}
	return out, nil
}

func (r rules) Bundle(context.Context, string) (declaration.BundleRule, error) {
	return declaration.BundleRule{}, domain.Errorf(domain.NotFound, "no bundles here")
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

// person is a citizen of the simulated city with a phone on record.
type person struct {
	id, name string
	phone    domain.Phone
}

// people returns n people the core has a phone for, none handed out
// before: each suite binds people of its own.
func (h *harness) people(t *testing.T, n int) []person {
	t.Helper()
	var out []person
	for ; h.sampled < len(h.sample) && len(out) < n; h.sampled++ {
		s := h.sample[h.sampled]
		p, err := h.core.Person(context.Background(), domain.IDNumber(s.ID))
		if err != nil {
			t.Fatal(err)
		}
		if p.Phone != "" {
			out = append(out, person{id: s.ID, name: p.Name, phone: p.Phone})
		}
	}
	if len(out) < n {
		t.Fatalf("found %d more people with a phone on record; want %d", len(out), n)
	}
	return out
}

// request is one call to the channel.
type request struct {
	method, path string
	token        string
	actFor       string
	idemKey      string
	body         any
}

// do sends r and decodes a JSON answer into out (if not nil); it returns
// the status and the raw body.
func (h *harness) do(t *testing.T, r request, out any) (int, []byte) {
	t.Helper()
	var body io.Reader
	contentType := "application/json"
	switch b := r.body.(type) {
	case nil:
	case []byte: // a file, as uploaded
		body, contentType = bytes.NewReader(b), "application/octet-stream"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.method, h.url+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.actFor != "" {
		req.Header.Set(wechat.HeaderActFor, r.actFor)
	}
	if r.idemKey != "" {
		req.Header.Set("Idempotency-Key", r.idemKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", r.method, r.path, err, raw)
		}
	}
	return resp.StatusCode, raw
}

// must is do, failing the test unless the status is want.
func (h *harness) must(t *testing.T, want int, r request, out any) []byte {
	t.Helper()
	status, raw := h.do(t, r, out)
	if status != want {
		t.Fatalf("%s %s: got %d %s; want %d", r.method, r.path, status, raw, want)
	}
	return raw
}

// problem decodes a problem+json answer.
func problem(t *testing.T, raw []byte) web.Problem {
	t.Helper()
	var p web.Problem
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("not a problem: %s", raw)
	}
	return p
}

// session signs a new follower in through web authorization: openid
// follows the account, and the code comes from the simulator.
func (h *harness) session(t *testing.T, openID string) string {
	t.Helper()
	if err := h.sims.WeChat.Follow(openID); err != nil {
		t.Fatal(err)
	}
	code, err := h.sims.WeChat.IssueCode(openID)
	if err != nil {
		t.Fatal(err)
	}
	var s wechat.WxSessionView
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/sessions", body: map[string]string{"code": code}}, &s)
	return s.Token
}

// bindBySMS binds the session's follower to p with the code texted to
// p's phone on record.
func (h *harness) bindBySMS(t *testing.T, token string, p person) wechat.WxMeView {
	t.Helper()
	h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/binding/code", token: token,
		body: map[string]string{"idNumber": p.id, "name": p.name}}, nil)
	var me wechat.WxMeView
	h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/binding", token: token,
		body: map[string]string{"method": "sms", "idNumber": p.id, "name": p.name, "code": h.lastCode(t, p.phone)}}, &me)
	return me
}

// lastCode reads the verification code last texted to phone.
func (h *harness) lastCode(t *testing.T, phone domain.Phone) string {
	t.Helper()
	msgs := h.sims.SMS.Messages(phone.Raw())
	if len(msgs) == 0 {
		t.Fatalf("no text reached %s", phone.Masked())
	}
	return msgs[len(msgs)-1].Params["code"]
}

// transferForm is a filled 异地接转 (transfer in) form.
func transferForm(p person) map[string]any {
	return map[string]any{"name": p.name, "phone": p.phone.Raw(), "originRegion": "辽宁省沈阳市"}
}

// submit files a transfer application and returns its id.
func (h *harness) submit(t *testing.T, token, actFor, key string, p person) string {
	t.Helper()
	var out wechat.WxSubmittedOutput
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/applications", token: token, actFor: actFor,
		idemKey: key, body: map[string]any{"matterCode": "transfer.pension", "form": transferForm(p)}}, &out.Body)
	if len(out.Body.Applications) != 1 {
		t.Fatalf("submitted %d applications; want 1", len(out.Body.Applications))
	}
	return out.Body.Applications[0].ID
}

// eventually polls cond every 20 ms for up to 15 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 15 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
