package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/store/accountdb"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/admin"
	"github.com/dandong-hrss/hrss/channels/public"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/announcementdb"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/catalogdb"
	"github.com/dandong-hrss/hrss/integrations/store/devicedb"
	"github.com/dandong-hrss/hrss/integrations/store/notifydb"
	"github.com/dandong-hrss/hrss/integrations/store/ratingdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// The staff of every test: an administrator and an operator.
const (
	adminToken    = "adm-5f0c1e9a7b3d4c2e8f6a0b1c2d3e4f5a"
	operatorToken = "opr-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
	staffSpec     = adminToken + ":s1001:admin:李明," + operatorToken + ":s2001:operator:王芳"
)

// today is when every test starts: a Wednesday in Beijing.
var today = time.Date(2026, 5, 13, 10, 0, 0, 0, domain.Beijing)

// env is one BFF's back office over real stores, built as bff builds it.
type env struct {
	app      *fiber.App
	db       *store.DB
	sealer   *smcrypto.Sealer
	audit    *audit.Recorder
	catalog  *catalog.Service
	ratings  *rating.Service
	notify   *notify.Service
	notices  *notifydb.Store
	board    *board
	clock    *clock
	apps     *applications
	accounts *account.Service
	logs     *bytes.Buffer
}

// newEnv builds the back office on a fresh SQLite database.
func newEnv(t *testing.T) *env { return newEnvOn(t, storetest.SQLite(t)) }

func newEnvOn(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{db: db, sealer: smcrypto.Ephemeral(), apps: &applications{facts: map[string]rating.Facts{}},
		logs: &bytes.Buffer{}, clock: &clock{now: today}}
	auditStore := auditdb.New(db)
	e.audit = audit.NewRecorder(auditStore, audit.RecorderConfig{FlushEvery: time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { e.audit.Close(context.Background()) })

	file, err := catalog.EmbeddedFile()
	must(t, err)
	e.catalog, err = catalog.Open(ctx, catalog.Config{Store: catalogdb.New(db), Schemas: formschema.New(), File: file})
	must(t, err)
	seed, err := announcement.EmbeddedSeed()
	must(t, err)
	annStore := announcementdb.New(db)
	anns, err := announcement.Open(ctx, announcement.Config{Store: annStore, Seed: seed})
	must(t, err)
	e.board = &board{statuses: map[string]device.Status{}}
	devices := device.NewService(device.Config{Store: devicedb.New(db), Sealer: e.sealer, Board: e.board})
	e.ratings = rating.New(ratingdb.New(db), e.apps, noReminders{}, rating.Config{Now: e.clock.Now})
	e.notices = notifydb.New(db)
	e.notify, err = notify.New(notify.Config{Store: e.notices, SMS: noSMS{}, Phones: e.sealer, Now: e.clock.Now})
	must(t, err)
	staff, err := admin.ParseStaff(staffSpec)
	must(t, err)
	rdb, prefix := cachetest.Redis(t)
	e.accounts, err = account.NewService(account.Config{Store: accountdb.New(db), Ephemeral: accountdb.NewEphemeral(rdb, prefix),
		Hasher: accountdb.NewArgon2(accountdb.Argon2Params{Memory: 1024, Time: 1, Threads: 1}), Sealer: e.sealer, Texter: noTexts{}})
	must(t, err)

	logger := slog.New(web.LogHandler(slog.NewJSONHandler(e.logs, nil)))
	e.app = fiber.New(fiber.Config{ErrorHandler: web.HandleError(logger), DisableStartupMessage: true})
	e.app.Use(web.RequestID(), web.Observe(logger, web.NewMetrics(prometheus.NewRegistry())), web.Recover(logger))
	api := web.NewAPI(e.app, "测试", "1.0")
	admin.New(admin.Deps{Catalog: e.catalog, Announcements: anns, AnnouncementIndex: annStore, Devices: devices,
		Operators: e.accounts, Ratings: e.ratings, Notify: e.notify, Audit: e.audit, AuditStore: auditStore, Sealer: e.sealer, Staff: staff,
		Now: e.clock.Now}).Register(api)
	// The public routes beside it, as bff registers them, for what
	// citizens see of the back office's changes (no printed documents here).
	public.Register(api, e.app, nil, anns)
	return e
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// answer is what the server said.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// decode reads the answer's JSON body into v.
func (a answer) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// problem reads a problem+json answer.
func (a answer) problem(t testing.TB) web.Problem {
	t.Helper()
	var p web.Problem
	a.decode(t, &p)
	return p
}

// do sends a request with token (none when ""), body as JSON (none when
// nil) and headers given as name, value pairs.
func (e *env) do(t testing.TB, method, path, token string, body any, headers ...string) answer {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		must(t, err)
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.app.Test(req, -1)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// want fails the test unless the answer has status.
func (a answer) want(t testing.TB, status int) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("got %d %s; want %d", a.status, a.body, status)
	}
	return a
}

// auditRow is one stored audit entry, read straight from the table.
type auditRow struct {
	ActorKind  string `db:"actor_kind"`
	ActorRef   string `db:"actor_ref"`
	Channel    string `db:"channel"`
	Action     string `db:"action"`
	Outcome    string `db:"outcome"`
	SubjectRef string `db:"subject_ref"`
	Detail     []byte `db:"detail"`
}

// auditRows waits until at least n entries are stored and returns them
// all, oldest first.
func (e *env) auditRows(t testing.TB, n int) []auditRow {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var rows []auditRow
		err := e.db.SelectContext(context.Background(), &rows,
			"SELECT actor_kind, actor_ref, channel, action, outcome, subject_ref, COALESCE(detail, '') AS detail FROM audit_log ORDER BY id")
		must(t, err)
		if len(rows) >= n || time.Now().After(deadline) {
			if len(rows) < n {
				t.Fatalf("got %d audit entries; want at least %d", len(rows), n)
			}
			return rows
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// applications is the rating service's view of applications: a table of
// facts the tests fill in.
type applications struct {
	mu    sync.Mutex
	facts map[string]rating.Facts
}

func (a *applications) Facts(_ context.Context, id string) (rating.Facts, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, ok := a.facts[id]
	if !ok {
		return rating.Facts{}, domain.Errorf(domain.NotFound, "未找到该办件")
	}
	return f, nil
}

// rate files a rating of the accepted stage of a new application of
// matter, handled by office and staff, and returns the rating's id (also
// its rectification's, when bad).
func (e *env) rate(t testing.TB, app, matter, office, staff string, level rating.Level) string {
	t.Helper()
	e.apps.mu.Lock()
	e.apps.facts[app] = rating.Facts{ApplicationID: app, ApplicantRef: "ref-" + app, MatterCode: matter,
		MatterName: "事项" + matter, Channel: domain.WeChat, Office: office, Staff: staff,
		Status: acceptance.StatusInProgress, AcceptedAt: today.Add(-time.Hour)}
	e.apps.mu.Unlock()
	in := rating.RateInput{ApplicationID: app, Stage: rating.StageAccepted, Level: level, RaterRef: "ref-" + app}
	if level.Bad() {
		in.Tags = []string{"等候时间长"}
	}
	r, _, err := e.ratings.Rate(context.Background(), in)
	must(t, err)
	return r.ID
}

type noReminders struct{}

func (noReminders) RemindToRate(context.Context, rating.Candidate) error { return nil }

// noTexts is the SMS platform of operators' sign-in codes: nobody reads them here.
type noTexts struct{}

func (noTexts) Send(context.Context, domain.Phone, string, map[string]string) (string, error) {
	return "sms-1", nil
}

type noSMS struct{}

func (noSMS) SendSMS(context.Context, domain.Phone, notify.SMSMessage) (string, error) {
	return "", domain.Errorf(domain.Unavailable, "短信平台未接入")
}

// idNumber returns a valid ID number built on the 17 digits given.
func idNumber(first17 string) string { return first17 + string(domain.IDCheckDigit(first17)) }

// board stands for the kiosks' status board (Redis in production): what
// every instance would hear of a device's status.
type board struct {
	mu       sync.Mutex
	statuses map[string]device.Status
}

func (b *board) Publish(_ context.Context, id string, s device.Status) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.statuses[id] = s
	return nil
}

func (b *board) status(id string) device.Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.statuses[id]
}

// clock is the services' time, moved by tests.
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
