// Package sim simulates the counter acceptance and dispatch core
// (综合柜员制受理 + 审核调度) as a real HTTP server speaking the wire contract
// of package counter, with its state in its own csim_* tables of a store.DB
// (SQLite in the embedded default, MySQL otherwise), so that cases, tasks
// and owed webhook posts survive a restart.
//
// What it does, in the seed's words (sections 2.2 and 2.3):
//   - 业务受理: the BFF submits applications, idempotently on its application
//     id; each becomes a case with a number (DD + date + 8 digits) and a
//     promised date counted in working days (weekends and the holiday table
//     skipped). A matter not in the configuration is a 纯接件 that waits at
//     the routing step (受理分发) for staff to send it to a matter's flow.
//     Prerequisites (关联事项) the applicant has not completed are accepted
//     but reported.
//   - 审批流程/流程规则: each matter's flow of steps (受理 → 审核 → 审批 →
//     办结) and the role (岗位) handling each step come from a JSON
//     configuration embedded in the package (workflows.json) and replaceable
//     with Config.Workflows.
//   - 待办任务管理: staff, authenticated by bearer tokens (see TokenAcceptor…),
//     list, claim, release, grab, transfer, terminate, send back, revoke and
//     complete tasks (approve, reject, or ask for materials). Every change
//     appends an event in the same transaction.
//   - Events are pushed to the BFF's webhook, signed, retried with
//     exponential backoff until a 2xx, in order per case; what is owed is in
//     csim_deliveries. Polling reads the same events.
//   - Auto-staff mode plays the staff for the demo and the load test:
//     after StepDelay it claims and then completes every open task as the
//     first staff member of the task's role, approving unless a configured
//     rate says otherwise. Generic intakes are left for people to route.
//     Those first staff members (A01, R01, P01 in the embedded
//     configuration) are the robot then: work by hand as the others.
//
// Faults from simulator.Injector apply to every API path; the webhook
// delivery and the auto-staff work on regardless. Run one simulator per
// database: two would both deliver each event (harmless to a BFF that
// de-duplicates, but twice the traffic).
package sim

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// The credentials the simulator uses when Config leaves them empty; the
// embedded default configures the BFF with the same.
const (
	DefaultAPIToken      = "sim-counter-api-token"
	DefaultWebhookSecret = "sim-counter-webhook-secret"
)

//go:embed migrations/mysql/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Migrator returns the migrator of the simulator's own tables (csim_*),
// versioned in counter_sim_goose_version beside the BFF's schema. New
// applies it; `hrss migrate` may too.
func Migrator(db *store.DB, logger *slog.Logger) (*store.Migrator, error) {
	return store.NewMigratorFS(db, migrations, "migrations", "counter_sim_goose_version", logger)
}

// Config shapes one simulated core. Only DB is required.
type Config struct {
	DB            *store.DB
	APIToken      string // the BFF's bearer token; DefaultAPIToken if empty
	WebhookURL    string // where events are posted; empty: none until SetWebhookURL or PUT /counter/v1/webhook
	WebhookSecret string // signs the posts; DefaultWebhookSecret if empty
	// WebhookBackoff is the wait after a failed post, doubling per attempt
	// up to WebhookBackoffMax; 1s and 1m if zero.
	WebhookBackoff, WebhookBackoffMax time.Duration

	AutoStaff bool          // play the staff: claim and complete every task
	StepDelay time.Duration // how long auto-staff takes per step; 2s if zero
	// AutoRejectRate and AutoMaterialsRate are the fractions of tasks
	// auto-staff rejects or returns for materials (补齐材料) instead of
	// approving; both 0 by default.
	AutoRejectRate, AutoMaterialsRate float64

	Workflows []byte           // the configuration JSON; nil: the embedded workflows.json
	Faults    simulator.Faults // initial faults; change them later at /_admin/faults
	Seed      uint64           // makes faults and auto-staff outcomes repeatable
	Logger    *slog.Logger     // nil: discard
}

func (c Config) withDefaults() Config {
	if c.APIToken == "" {
		c.APIToken = DefaultAPIToken
	}
	if c.WebhookSecret == "" {
		c.WebhookSecret = DefaultWebhookSecret
	}
	if c.WebhookBackoff <= 0 {
		c.WebhookBackoff = time.Second
	}
	if c.WebhookBackoffMax < c.WebhookBackoff {
		c.WebhookBackoffMax = max(time.Minute, c.WebhookBackoff)
	}
	if c.StepDelay <= 0 {
		c.StepDelay = 2 * time.Second
	}
	if c.Workflows == nil {
		c.Workflows = defaultWorkflows
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Sim is a simulated core: an http.Handler with background workers that
// Close stops.
type Sim struct {
	cfg     Config
	db      *store.DB
	wf      *workflows
	inj     *simulator.Injector
	handler http.Handler
	poster  *http.Client
	webhook atomic.Pointer[string]
	kick    chan struct{} // wakes the deliverer when an event is recorded

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu  sync.Mutex // guards rng
	rng *rand.Rand

	// submitLocks serialise submissions of one application id: InnoDB
	// deadlocks again and again when many transactions insert the same
	// unique key at once, and a repeat should simply wait and find the case.
	submitLocks [64]sync.Mutex
}

var _ http.Handler = (*Sim)(nil)

// New applies the simulator's migrations to cfg.DB and starts a core: the
// webhook deliverer always, the auto-staff when configured. ctx bounds the
// start-up only; the workers run until Close.
func New(ctx context.Context, cfg Config) (*Sim, error) {
	if cfg.DB == nil {
		return nil, errors.New("counter sim: Config.DB is required")
	}
	cfg = cfg.withDefaults()
	wf, err := parseWorkflows(cfg.Workflows)
	if err != nil {
		return nil, err
	}
	m, err := Migrator(cfg.DB, cfg.Logger)
	if err != nil {
		return nil, err
	}
	if _, err := m.Up(ctx); err != nil {
		return nil, err
	}
	s := &Sim{
		cfg:    cfg,
		db:     cfg.DB,
		wf:     wf,
		poster: &http.Client{Timeout: 5 * time.Second},
		kick:   make(chan struct{}, 1),
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed)),
	}
	s.webhook.Store(&cfg.WebhookURL)
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.inj = simulator.NewInjector(cfg.Seed, cfg.Faults, writeSystemError)
	s.handler = s.inj.Wrap(s.routes())
	s.start(func() { s.deliverLoop() })
	if cfg.AutoStaff {
		s.start(func() { s.autoLoop() })
	}
	return s, nil
}

func (s *Sim) start(fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
}

// ServeHTTP serves the core's API and the admin endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector, to change faults or count requests
// that reached the core.
func (s *Sim) Injector() *simulator.Injector { return s.inj }

// SetWebhookURL changes where events are posted; "" stops recording new
// posts (events are still listed for polling). Posts already owed go to the
// new URL.
func (s *Sim) SetWebhookURL(url string) { s.webhook.Store(&url) }

// Close stops the deliverer and the auto-staff and waits for them. Owed
// posts stay in the database for the next start. Close the HTTP server
// first, then the Sim, then the database.
func (s *Sim) Close() {
	s.stop()
	s.wg.Wait()
}

// pause waits d unless the simulator is closed first.
func (s *Sim) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// now is the time the simulator records, UTC to the microsecond as
// DATETIME(6) keeps it, so what is read back equals what was written.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
