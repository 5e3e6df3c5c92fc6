package declaration

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Outbox is the queue of applications owed to the core (发件箱), kept in the
// same database as the applications so that both commit together. Every
// method may return Unavailable or Internal when the database fails.
type Outbox interface {
	// ClaimDue takes up to limit rows due at now, oldest first, that no
	// other dispatcher holds, and leases them for lease: until then no one
	// else claims them; after it, if the holder died, anyone may. Each
	// claim counts as an attempt.
	ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Due, error)
	// RecordReceipt stores the core's receipt on the application and
	// deletes its outbox row, in one transaction, and returns the
	// application's status afterwards (withdrawn if the applicant withdrew
	// it while the lease had lapsed). Repeating it is harmless.
	RecordReceipt(ctx context.Context, id string, r acceptance.Receipt, at time.Time) (Status, error)
	// Reschedule releases a row whose lease is still lease, to be tried
	// again at next, noting why the attempt failed.
	Reschedule(ctx context.Context, id, lease string, next time.Time, lastErr string) error
	// Refuse marks the application refused by the core for good, with the
	// reason for staff, and deletes its outbox row, in one transaction.
	Refuse(ctx context.Context, id, reason string, at time.Time) error
	// OldestPending returns when the oldest application still owed to the
	// core was committed; the zero time when none is.
	OldestPending(ctx context.Context) (time.Time, error)
}

// Due is one claimed outbox row: the application and the lease on it.
type Due struct {
	Application Application
	Attempts    int // including this one
	Lease       string
}

// Metrics receives what the dispatcher measures; the bff implements it with
// Prometheus. Nil fields are skipped.
type Metrics struct {
	// Lag is set each round to how long the oldest application owed to the
	// core has waited since it was acknowledged (0 when none waits).
	Lag func(time.Duration)
	// Forwarded counts applications the core accepted.
	Forwarded func()
	// Retried counts failed attempts that will be retried, by error code.
	Retried func(domain.Code)
	// Refused counts applications the core refused for good.
	Refused func()
}

// DispatcherConfig shapes a Dispatcher; zero fields take the defaults shown.
type DispatcherConfig struct {
	Outbox  Outbox
	Core    acceptance.Core
	Sealer  privacy.Sealer
	Metrics Metrics
	Logger  *slog.Logger // nil: discard

	Batch    int           // rows claimed per round: 64
	Parallel int           // submissions in flight at once: 16
	Lease    time.Duration // how long a claim holds: 2m, well beyond one Submit with its retries
	Interval time.Duration // how often to look when not kicked: 1s
	// BackoffBase doubles per failed attempt up to BackoffMax, with jitter:
	// 1s and 5m. Retries never stop: hours of core outage are survived.
	BackoffBase, BackoffMax time.Duration
	Now                     func() time.Time
}

func (c DispatcherConfig) withDefaults() DispatcherConfig {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Lease, 2*time.Minute)
	def(&c.Interval, time.Second)
	def(&c.BackoffBase, time.Second)
	def(&c.BackoffMax, 5*time.Minute)
	if c.Batch <= 0 {
		c.Batch = 64
	}
	if c.Parallel <= 0 {
		c.Parallel = 16
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Dispatcher forwards the outbox to the core: at least once per
// application (the core de-duplicates by application id), in the
// background, on every instance of the BFF at once if need be.
type Dispatcher struct {
	cfg  DispatcherConfig
	kick chan struct{}
}

// NewDispatcher returns a Dispatcher; call Run to start it.
func NewDispatcher(cfg DispatcherConfig) *Dispatcher {
	return &Dispatcher{cfg: cfg.withDefaults(), kick: make(chan struct{}, 1)}
}

// Kick wakes Run now, because a submission was just committed. It never
// blocks; kicks while a round runs fold into one more round.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run forwards due applications until ctx ends: whenever kicked, at every
// Interval, and straight again while rounds come back full.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	for {
		for {
			n, err := d.ForwardDue(ctx)
			if err != nil && ctx.Err() == nil {
				d.cfg.Logger.ErrorContext(ctx, "forward outbox", "err", err)
			}
			if err != nil || n < d.cfg.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
	}
}

// ForwardDue runs one round: it claims up to Batch due rows and forwards
// them, Parallel at a time, and returns how many it claimed. Failures of
// single applications are rescheduled or refused, not returned; the error
// is the outbox's.
func (d *Dispatcher) ForwardDue(ctx context.Context) (int, error) {
	now := d.cfg.Now()
	if err := d.measureLag(ctx, now); err != nil {
		return 0, err
	}
	due, err := d.cfg.Outbox.ClaimDue(ctx, now, d.cfg.Batch, d.cfg.Lease)
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, d.cfg.Parallel)
	var wg sync.WaitGroup
	for _, x := range due {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			d.forward(ctx, x)
		}()
	}
	wg.Wait()
	return len(due), nil
}

func (d *Dispatcher) measureLag(ctx context.Context, now time.Time) error {
	if d.cfg.Metrics.Lag == nil {
		return nil
	}
	oldest, err := d.cfg.Outbox.OldestPending(ctx)
	if err != nil {
		return err
	}
	lag := time.Duration(0)
	if !oldest.IsZero() {
		lag = max(now.Sub(oldest), 0)
	}
	d.cfg.Metrics.Lag(lag)
	return nil
}

// forward submits one application and records the outcome.
func (d *Dispatcher) forward(ctx context.Context, x Due) {
	app := x.Application
	r, err := d.submit(ctx, app)
	log := d.cfg.Logger.With("application", app.ID, "attempt", x.Attempts)
	switch code := domain.ErrorCode(err); {
	case err == nil:
		d.accepted(ctx, app, r, log)
	case permanent(code):
		log.WarnContext(ctx, "core refused application", "err", err)
		if err := d.cfg.Outbox.Refuse(ctx, app.ID, domain.MaskText(message(err)), d.now()); err != nil {
			log.ErrorContext(ctx, "record refusal", "err", err)
			return
		}
		call(d.cfg.Metrics.Refused)
	default:
		next := d.now().Add(d.backoff(x.Attempts))
		if err := d.cfg.Outbox.Reschedule(ctx, app.ID, x.Lease, next, domain.MaskText(err.Error())); err != nil {
			log.ErrorContext(ctx, "reschedule application", "err", err)
		}
		if d.cfg.Metrics.Retried != nil {
			d.cfg.Metrics.Retried(code)
		}
	}
}

func (d *Dispatcher) submit(ctx context.Context, app Application) (acceptance.Receipt, error) {
	form, err := d.cfg.Sealer.Open(app.SealedForm)
	if err != nil {
		return acceptance.Receipt{}, err // Internal: retried, the key ring may be fixed
	}
	return d.cfg.Core.Submit(ctx, acceptance.Submission{
		ApplicationID:     app.ID,
		MatterCode:        app.MatterCode,
		MatterName:        app.MatterName,
		Applicant:         acceptance.Applicant{Kind: app.Applicant.Kind, Ref: app.Applicant.Ref, Display: app.Applicant.Display},
		Channel:           app.Channel,
		Form:              json.RawMessage(form),
		Materials:         app.Materials,
		BundleID:          app.BundleID,
		PrerequisitesDone: app.PrerequisitesDone,
	})
}

// accepted records the receipt. If the applicant withdrew the application
// while the lease had lapsed, the case just opened is withdrawn too.
func (d *Dispatcher) accepted(ctx context.Context, app Application, r acceptance.Receipt, log *slog.Logger) {
	status, err := d.cfg.Outbox.RecordReceipt(ctx, app.ID, r, d.now())
	if err != nil {
		log.ErrorContext(ctx, "record receipt; the lease will lapse and the core repeat it", "err", err)
		return
	}
	call(d.cfg.Metrics.Forwarded)
	if status == Status(acceptance.StatusWithdrawn) {
		if err := d.cfg.Core.Withdraw(ctx, r.CaseNo, defaultWithdrawReason); err != nil {
			log.ErrorContext(ctx, "withdraw case of withdrawn application", "case", r.CaseNo, "err", err)
		}
	}
}

// backoff is the wait after the attempts-th failure: BackoffBase doubled
// per attempt, capped at BackoffMax, jittered down by up to half so that a
// crowd of rescheduled rows spreads out when the core comes back.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	w := d.cfg.BackoffMax
	if shift := attempts - 1; shift < 30 {
		w = min(d.cfg.BackoffBase<<max(shift, 0), d.cfg.BackoffMax)
	}
	return w/2 + rand.N(w/2+1)
}

func (d *Dispatcher) now() time.Time { return d.cfg.Now().UTC().Truncate(time.Millisecond) }

// permanent reports whether the core's refusal will not change on retry.
func permanent(code domain.Code) bool {
	switch code {
	case domain.Invalid, domain.Conflict, domain.Rejected, domain.NotFound, domain.TooLarge:
		return true
	}
	return false
}

// message is the Chinese message of err with its field errors, for staff.
func message(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err.Error()
	}
	msg := de.Message
	for _, f := range de.Fields {
		msg += "；" + f.Field + "：" + f.Message
	}
	return msg
}

func call(f func()) {
	if f != nil {
		f()
	}
}
