package counter_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// patient is the policy of the functional suite: no retries, so that every
// answer is the core's first, and a timeout long enough for SQLite queuing
// twenty writers.
var patient = remote.Policy{Timeout: 10 * time.Second, Retries: 0, BreakerFailures: 1000}

// core is a simulated core on a loopback port with a BFF client.
type core struct {
	sim    *sim.Sim
	url    string
	db     *store.DB
	client *counter.Client
}

// startCore starts a simulated core on db; cfg.DB is set here.
func startCore(tb testing.TB, db *store.DB, cfg sim.Config, p remote.Policy) *core {
	tb.Helper()
	cfg.DB = db
	if cfg.WebhookBackoff == 0 {
		cfg.WebhookBackoff, cfg.WebhookBackoffMax = 10*time.Millisecond, 80*time.Millisecond
	}
	s, err := sim.New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close) // after the server below has closed
	srv := listen(tb, s)
	return &core{sim: s, url: srv.URL(), db: db,
		client: counter.New(counter.Config{BaseURL: srv.URL(), Token: sim.DefaultAPIToken, Policy: p}, nil)}
}

// as returns a staff client acting with token.
func (c *core) as(token string) *counter.StaffClient {
	return counter.NewStaffClient(c.url, token, patient)
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

var appSeq atomic.Int64

// application returns a fresh submission of matter for applicant ref.
func application(matter, ref string) acceptance.Submission {
	return acceptance.Submission{
		ApplicationID: fmt.Sprintf("AP-%d-%d", time.Now().UnixNano(), appSeq.Add(1)),
		MatterCode:    matter,
		Applicant:     acceptance.Applicant{Kind: acceptance.Person, Ref: ref, Display: "张* 2106**********123X"},
		Channel:       domain.WeChat,
		Form:          []byte(`{"reason":"合同到期"}`),
		Materials:     []acceptance.Material{{Name: "身份证", Hash: "sha256:0a1b"}},
	}
}

// submit submits s and fails the test on an error.
func (c *core) submit(tb testing.TB, s acceptance.Submission) acceptance.Receipt {
	tb.Helper()
	r, err := c.client.Submit(context.Background(), s)
	if err != nil {
		tb.Fatalf("Submit(%s): %v", s.MatterCode, err)
	}
	return r
}

// caseOf reads a case and fails the test on an error.
func (c *core) caseOf(tb testing.TB, caseNo string) acceptance.Case {
	tb.Helper()
	got, err := c.client.Case(context.Background(), caseNo)
	if err != nil {
		tb.Fatalf("Case(%s): %v", caseNo, err)
	}
	return got
}

// tokenOf is the first seeded staff member of each role.
var tokenOf = map[string]string{"acceptor": sim.TokenAcceptor, "reviewer": sim.TokenReviewer, "approver": sim.TokenApprover}

// openTask returns the case's open task as the workbench shows it.
func (c *core) openTask(tb testing.TB, caseNo string) counter.Task {
	tb.Helper()
	f, err := c.as(sim.TokenAcceptor).Flow(context.Background(), caseNo)
	if err != nil {
		tb.Fatal(err)
	}
	for _, t := range f.Tasks {
		if t.State == counter.TaskOpen {
			return t
		}
	}
	tb.Fatalf("case %s has no open task (status %s)", caseNo, f.Case.Status)
	return counter.Task{}
}

// pass has the first staff member of the right role claim and approve the
// case's open task, and returns it.
func (c *core) pass(tb testing.TB, caseNo string) counter.Task {
	tb.Helper()
	t := c.openTask(tb, caseNo)
	st := c.as(tokenOf[t.Role])
	ctx := context.Background()
	if _, err := st.Claim(ctx, t.ID); err != nil {
		tb.Fatalf("claim %s task of %s: %v", t.Step, caseNo, err)
	}
	if _, err := st.Complete(ctx, t.ID, counter.OutcomeApprove, "同意"); err != nil {
		tb.Fatalf("approve %s task of %s: %v", t.Step, caseNo, err)
	}
	return t
}

// finish passes the case's open tasks until it is completed.
func (c *core) finish(tb testing.TB, caseNo string) {
	tb.Helper()
	for range 10 {
		if c.caseOf(tb, caseNo).Status == acceptance.StatusCompleted {
			return
		}
		c.pass(tb, caseNo)
	}
	tb.Fatalf("case %s not completed after 10 steps", caseNo)
}

// kindsOf lists the kinds of a case's events, polled from the start.
func (c *core) kindsOf(tb testing.TB, caseNo string) []acceptance.EventKind {
	tb.Helper()
	var kinds []acceptance.EventKind
	for _, e := range c.allEvents(tb) {
		if e.CaseNo == caseNo {
			kinds = append(kinds, e.Kind)
		}
	}
	return kinds
}

// allEvents polls every event from the start.
func (c *core) allEvents(tb testing.TB) []acceptance.Event {
	tb.Helper()
	var all []acceptance.Event
	cursor := ""
	for {
		page, next, err := c.client.Events(context.Background(), cursor, 500)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, page...)
		if len(page) == 0 {
			return all
		}
		cursor = next
	}
}

// wantCode fails the test unless err carries code.
func wantCode(tb testing.TB, what string, err error, code domain.Code) {
	tb.Helper()
	if !domain.IsCode(err, code) {
		tb.Errorf("%s: err = %v; want %s", what, err, code)
	}
}

// eventually polls cond every 20ms until it holds or within passes.
func eventually(tb testing.TB, within time.Duration, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s", within, what)
		}
	}
}
