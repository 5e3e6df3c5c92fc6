package counter_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 300 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// The contract tests are about the wire: one dialect will do, and the
// simulator needs none of the BFF's tables.
func bareSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenSQLite(context.Background(), filepath.Join(tb.TempDir(), "counter.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestSlowCoreTimesOutInTime(t *testing.T) {
	t.Parallel()
	slow := simulator.Faults{LatencyMin: 2 * time.Second, LatencyMax: 2 * time.Second}
	c := startCore(t, bareSQLite(t), sim.Config{Faults: slow}, quick)
	start := time.Now()
	_, err := c.client.Submit(context.Background(), application("unit.staff_add", "u:1"))
	elapsed := time.Since(start)
	wantCode(t, "Submit to a slow core", err, domain.Timeout)
	if elapsed < quick.Timeout || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("Submit returned after %v; want about the %v timeout", elapsed, quick.Timeout)
	}
}

func TestDownCoreIsUnavailable(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{Faults: simulator.Faults{Down: true}}, quick)
	_, err := c.client.Case(context.Background(), "DD2026112900000001")
	if !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), "业务受理系统暂时无法访问") {
		t.Errorf("err = %v; want Unavailable naming 业务受理系统", err)
	}
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{Faults: simulator.Faults{ErrorRate: 1}}, quick)
	ctx := context.Background()
	submit := func() error {
		_, err := c.client.Submit(ctx, application("unit.staff_add", "u:1"))
		return err
	}
	for i := range quick.BreakerFailures {
		if err := submit(); !domain.IsCode(err, domain.Unavailable) {
			t.Fatalf("submit %d: err = %v; want Unavailable", i+1, err)
		}
	}
	if got := c.client.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
	}
	reached := c.sim.Injector().Requests()
	if err := submit(); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("open breaker: err = %v; want Unavailable", err)
	}
	if got := c.sim.Injector().Requests(); got != reached {
		t.Errorf("core saw %d requests with the breaker open; want %d (fail fast)", got, reached)
	}

	c.sim.Injector().SetFaults(simulator.Faults{}) // the core recovers
	eventually(t, 2*quick.BreakerOpenFor, "breaker half-open", func() bool { return c.client.BreakerState() == "half-open" })
	if err := submit(); err != nil {
		t.Fatalf("probe while half-open: %v; want success", err)
	}
	if got := c.client.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after a successful probe; want closed", got)
	}
}

func TestRefusalsDoNotOpenTheBreaker(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{}, quick)
	for range 2 * quick.BreakerFailures {
		_, err := c.client.Case(context.Background(), "DD2000010100000000")
		wantCode(t, "unknown case", err, domain.NotFound)
	}
	if got := c.client.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after NotFound answers; want closed (the core is working)", got)
	}
}

func TestSubmitIsRetriedButTaskOperationsAreNot(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{}, quick)
	ctx := context.Background()
	task := c.openTask(t, c.submit(t, application("unit.staff_add", "u:1")).CaseNo)
	c.sim.Injector().SetFaults(simulator.Faults{ErrorRate: 1})
	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 3, 100
	client := counter.New(counter.Config{BaseURL: c.url, Token: sim.DefaultAPIToken, Policy: retrying}, nil)

	before := c.sim.Injector().Requests()
	_, err := client.Submit(ctx, application("unit.staff_add", "u:2"))
	wantCode(t, "Submit", err, domain.Unavailable)
	if got := c.sim.Injector().Requests() - before; got != 4 {
		t.Errorf("Submit reached the core %d times; want 4 (1 + 3 retries: the core de-duplicates)", got)
	}

	staff := counter.NewStaffClient(c.url, sim.TokenAcceptor, retrying)
	before = c.sim.Injector().Requests()
	_, err = staff.Claim(ctx, task.ID)
	wantCode(t, "Claim", err, domain.Unavailable)
	if got := c.sim.Injector().Requests() - before; got != 1 {
		t.Errorf("Claim reached the core %d times; want exactly 1 (a blind repeat could undo a colleague's move)", got)
	}
}

// A submission whose answer is lost on the way back is retried, and the
// retry finds the case the first attempt opened.
func TestLostAnswerIsRecoveredWithTheSameCase(t *testing.T) {
	t.Parallel()
	db := bareSQLite(t)
	c := startCore(t, db, sim.Config{}, quick)
	target, _ := url.Parse(c.url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var lost atomic.Bool
	lossy := listen(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && lost.CompareAndSwap(false, true) {
			resp, err := http.DefaultTransport.RoundTrip(outbound(r, target))
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			panic(http.ErrAbortHandler) // the core answered; the answer never arrives
		}
		proxy.ServeHTTP(w, r)
	}))
	retrying := quick
	retrying.Retries = 2
	client := counter.New(counter.Config{BaseURL: lossy.URL(), Token: sim.DefaultAPIToken, Policy: retrying}, nil)
	app := application("unit.staff_add", "u:lost")
	r, err := client.Submit(context.Background(), app)
	if err != nil || !lost.Load() {
		t.Fatalf("Submit = %+v, %v (answer lost: %v); want success after the lost answer", r, err, lost.Load())
	}
	var cases int
	if err := db.Get(&cases, `SELECT COUNT(*) FROM csim_cases WHERE application_id = ?`, app.ApplicationID); err != nil || cases != 1 {
		t.Errorf("%d cases for one application, %v; want 1", cases, err)
	}
	if got := c.caseOf(t, r.CaseNo); got.ApplicationID != app.ApplicationID {
		t.Errorf("receipt names case of %s; want %s", got.ApplicationID, app.ApplicationID)
	}
}

// outbound copies r for sending to target.
func outbound(r *http.Request, target *url.URL) *http.Request {
	out := r.Clone(context.Background())
	out.URL.Scheme, out.URL.Host, out.RequestURI, out.Host = target.Scheme, target.Host, "", target.Host
	return out
}

func TestCredentialsAreChecked(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{}, quick)
	ctx := context.Background()
	wrong := counter.New(counter.Config{BaseURL: c.url, Token: "guessed", Policy: quick}, nil)
	_, err := wrong.Submit(ctx, application("unit.staff_add", "u:1"))
	wantCode(t, "BFF with a wrong token", err, domain.Internal) // our misconfiguration, not the citizen's fault
	_, err = counter.NewStaffClient(c.url, "guessed", quick).Tasks(ctx, counter.ScopePending)
	wantCode(t, "staff with a wrong token", err, domain.Unauthenticated)
	_, err = counter.NewStaffClient(c.url, sim.DefaultAPIToken, quick).Tasks(ctx, counter.ScopePending)
	wantCode(t, "the BFF's token on the staff API", err, domain.Unauthenticated)
	me, err := c.as(sim.TokenApprover).Me(ctx)
	if err != nil || me.ID != "P01" || me.Role != "approver" || me.RoleName != "审批岗" {
		t.Errorf("Me = %+v, %v; want P01, approver 审批岗", me, err)
	}
}

func TestInvalidSubmissionNeverLeaves(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{}, quick)
	app := application("unit.staff_add", "")
	before := c.sim.Injector().Requests()
	_, err := c.client.Submit(context.Background(), app)
	wantCode(t, "submission without an applicant", err, domain.Invalid)
	if got := c.sim.Injector().Requests(); got != before {
		t.Errorf("core saw %d requests; want none", got-before)
	}
}

func TestRegisteredWebhookReceivesEvents(t *testing.T) {
	t.Parallel()
	c := startCore(t, bareSQLite(t), sim.Config{}, quick)
	ctx := context.Background()
	wantCode(t, "register a relative URL", c.client.RegisterWebhook(ctx, "/hooks"), domain.Invalid)
	rc := &receiver{secret: sim.DefaultWebhookSecret}
	if err := c.client.RegisterWebhook(ctx, listen(t, rc).URL()+"/hooks/counter"); err != nil {
		t.Fatal(err)
	}
	r := c.submit(t, application("unit.staff_add", "u:1"))
	eventually(t, 2*time.Second, "the accepted event pushed", func() bool { return len(rc.taken()[r.CaseNo]) == 1 })
}
