package ratingdb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/ratingdb"
)

// friday is a Friday afternoon in Beijing, the start of every test's clock.
var friday = time.Date(2026, 5, 15, 16, 0, 0, 0, domain.Beijing)

const (
	alice = "idx-alice" // blind indexes of two applicants
	bob   = "idx-bob"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// apps is the Applications port over a map.
type apps struct {
	mu sync.Mutex
	m  map[string]rating.Facts
}

func (a *apps) Facts(_ context.Context, id string) (rating.Facts, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, ok := a.m[id]
	if !ok {
		return f, domain.Errorf(domain.NotFound, "未找到该申请")
	}
	return f, nil
}

func (a *apps) put(f rating.Facts) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.m[f.ApplicationID] = f
}

// reminders records the reminders sent; fail, when set, answers instead.
type reminders struct {
	mu   sync.Mutex
	sent []string
	fail error
}

func (r *reminders) RemindToRate(_ context.Context, c rating.Candidate) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, c.ApplicationID)
	return nil
}

func (r *reminders) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

// world is a rating service over a real store, with fake ports.
type world struct {
	svc   *rating.Service
	store *ratingdb.Store
	clock *clock
	apps  *apps
	sent  *reminders
}

func newWorld(t *testing.T, db *store.DB, cfg rating.Config) *world {
	t.Helper()
	w := &world{store: ratingdb.New(db), clock: &clock{t: friday}, apps: &apps{m: map[string]rating.Facts{}}, sent: &reminders{}}
	cfg.Now = w.clock.Now
	w.svc = rating.New(w.store, w.apps, w.sent, cfg)
	return w
}

// completed adds a completed application of applicant, accepted and
// finished before friday, and returns its facts.
func (w *world) completed(id, applicant string) rating.Facts {
	f := rating.Facts{
		ApplicationID: id, ApplicantRef: applicant, MatterCode: "LN-001", MatterName: "养老保险待遇申领",
		Channel: domain.WeChat, Office: "养老保险科", Staff: "王芳（0042）", Status: acceptance.StatusCompleted,
		AcceptedAt: friday.Add(-48 * time.Hour), FinishedAt: friday.Add(-time.Hour),
	}
	w.apps.put(f)
	return f
}

// rate rates id as applicant at level, failing the test on an error.
func (w *world) rate(t *testing.T, id, applicant string, stage rating.Stage, level rating.Level) (rating.Rating, *rating.Rectification) {
	t.Helper()
	r, rect, err := w.svc.Rate(context.Background(), rating.RateInput{ApplicationID: id, Stage: stage, Level: level,
		Tags: []string{"等候时间长"}, RaterRef: applicant})
	if err != nil {
		t.Fatalf("Rate %s %s level %d: %v", id, stage, level, err)
	}
	return r, rect
}

// rectify takes an action, failing the test on an error.
func (w *world) rectify(t *testing.T, id string, a rating.Action, note string) rating.Rectification {
	t.Helper()
	r, err := w.svc.Rectify(context.Background(), id, a, "李明（0107）", note)
	if err != nil {
		t.Fatalf("Rectify %s: %v", a, err)
	}
	return r
}

func wantCode(t *testing.T, what string, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Errorf("%s: got %v; want a %s error", what, err, code)
	}
}

func errorsAs(err error, target **domain.Error) bool { return errors.As(err, target) }
