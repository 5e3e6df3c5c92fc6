package applicationdb_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// quick is the client policy of these tests: failures show in
// milliseconds, and the breaker reopens soon after the core comes back.
var quick = remote.Policy{Timeout: 5 * time.Second, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 50 * time.Millisecond, BreakerProbes: 1}

// verifier is what the bff wires: counter.VerifyWebhook with the shared
// secret and the real clock.
var verifier = progress.WebhookVerifierFunc(func(h func(string) string, body []byte) (acceptance.Event, error) {
	headers := counter.WebhookHeaders{EventID: h(counter.HeaderEventID), Timestamp: h(counter.HeaderTimestamp), Signature: h(counter.HeaderSignature)}
	return counter.VerifyWebhook(headers, body, sim.DefaultWebhookSecret, time.Now(), 0)
})

// world is a BFF instance and a simulated counter core on its own
// database, talking over real HTTP both ways.
type world struct {
	*env
	core   *sim.Sim
	coreDB *store.DB
	url    string
	client *counter.Client
	hook   string // the BFF's webhook URL
}

// newWorld starts a core (cfg.DB is set here; its webhook posts to the
// BFF when hooked) and a BFF instance on db.
func newWorld(t *testing.T, db *store.DB, cfg sim.Config, hooked bool) *world {
	t.Helper()
	coreDB, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { coreDB.Close() })
	w := &world{coreDB: coreDB}
	hook := httptest.NewServer(http.HandlerFunc(w.receive))
	t.Cleanup(hook.Close)
	w.hook = hook.URL
	cfg.DB = coreDB
	cfg.WebhookBackoff, cfg.WebhookBackoffMax = 10*time.Millisecond, 50*time.Millisecond
	if hooked {
		cfg.WebhookURL = hook.URL
	}
	if w.core, err = sim.New(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.core.Close)
	srv, err := simulator.Serve("127.0.0.1:0", w.core)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(ctx) })
	w.url = srv.URL()
	w.client = counter.New(counter.Config{BaseURL: w.url, Token: sim.DefaultAPIToken, Policy: quick}, nil)
	w.env = newEnv(db, w.client, verifier)
	return w
}

// receive is the bff's webhook route in miniature: the status each error
// code maps to.
func (w *world) receive(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	err := w.progress.HandleWebhook(r.Context(), r.Header.Get, body)
	switch domain.ErrorCode(err) {
	case "":
		rw.WriteHeader(http.StatusNoContent)
	case domain.Unauthenticated:
		rw.WriteHeader(http.StatusUnauthorized)
	case domain.Invalid:
		rw.WriteHeader(http.StatusBadRequest)
	default:
		rw.WriteHeader(http.StatusServiceUnavailable)
	}
}

// dispatch runs a dispatcher of a fresh instance until the test ends.
func (w *world) dispatch(t *testing.T, m declaration.Metrics) *declaration.Dispatcher {
	t.Helper()
	d := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: w.store, Core: w.client, Sealer: sealer, Metrics: m,
		Interval: 20 * time.Millisecond, BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); d.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

// cases counts the cases the core opened, and the distinct applications
// they are for.
func (w *world) cases(t *testing.T) (cases, applications int) {
	t.Helper()
	return count(t, w.coreDB, "csim_cases", ""), count(t, w.coreDB, "(SELECT DISTINCT application_id FROM csim_cases) d", "")
}

// view returns person i's view of an application.
func (w *world) view(t *testing.T, id string, i int) progress.View {
	t.Helper()
	v, err := w.progress.ByApplication(ctx, id, ref(t, i))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSubmitForwardAndFollowToCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{AutoStaff: true, StepDelay: 20 * time.Millisecond}, true)
		w.dispatch(t, declaration.Metrics{})
		mat, err := w.decl.UploadMaterial(ctx, []byte("%PDF-1.7 解除劳动合同证明"))
		if err != nil {
			t.Fatal(err)
		}
		req := request(7, "", "e2e")
		req.BundleCode = "bundle.unemployment" // 失业一件事: registration and benefit claim at once
		req.Materials = []acceptance.Material{{Name: "解除劳动合同证明", Hash: mat.Hash}}
		req.ActingFor, req.Relation = &declaration.Who{Kind: acceptance.Person, IDNumber: personID(8), Name: "李四"}, "配偶"
		f, err := w.decl.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var b progress.BundleView
		eventually(t, 10*time.Second, "the package never completed", func() bool {
			if b, err = w.progress.ByBundle(ctx, f.Bundle.ID, ref(t, 8)); err != nil { // the spouse who filed it
				t.Fatal(err)
			}
			return b.Final
		})
		if b.Label != "已全部办结" || b.Completed != 2 || len(b.Applications) != 2 {
			t.Errorf("package %q, %d of %d completed; want 已全部办结, 2 of 2", b.Label, b.Completed, len(b.Applications))
		}
		v := b.Applications[1] // the benefit claim: accept, review, approve, finish
		byCase, err := w.progress.ByCase(ctx, v.CaseNo, ref(t, 7))
		if err != nil || byCase.ApplicationID != v.ApplicationID || byCase.MatterCode != "unemployment.benefit_claim" {
			t.Errorf("ByCase(%s) = %s %s, %v; want %s, the benefit claim", v.CaseNo, byCase.ApplicationID, byCase.MatterCode, err, v.ApplicationID)
		}
		var kinds []acceptance.EventKind
		for i, e := range v.Timeline {
			kinds = append(kinds, e.Kind)
			if e.Seq != i+1 {
				t.Errorf("timeline entry %d has seq %d; want %d", i, e.Seq, i+1)
			}
		}
		if len(kinds) < 5 || kinds[0] != acceptance.EventAccepted || !slices.Contains(kinds, acceptance.EventApproved) ||
			kinds[len(kinds)-1] != acceptance.EventCompleted {
			t.Errorf("timeline %v; want accepted … approved … completed", kinds)
		}
		if !v.Final || v.CanWithdraw || v.FinishedAt.IsZero() || v.PromisedBy.IsZero() || v.StatusLabel != "已办结" || v.ActingFor == "" {
			t.Errorf("view %+v; want final 已办结 with finish and promised dates and who acted", v)
		}
		scanForPersonalData(t, db, []string{personID(7), personID(8), phoneOf(7)})
	})
}

func TestCrashBetweenCommitAndForwardForwardsEachOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{}, false)
		const n = 30
		for i := range n {
			w.submit(t, i, "employment.unemployment_registration", "crash")
		}
		// A first instance claimed ten rows, sent five to the core, then
		// died before recording anything: its leases lapse.
		due, err := w.store.ClaimDue(ctx, time.Now(), 10, 100*time.Millisecond)
		if err != nil || len(due) != 10 {
			t.Fatalf("claim = %d, %v; want 10", len(due), err)
		}
		for _, x := range due[:5] {
			if _, err := w.client.Submit(ctx, acceptance.Submission{ApplicationID: x.Application.ID, MatterCode: x.Application.MatterCode,
				Applicant: acceptance.Applicant{Kind: acceptance.Person, Ref: x.Application.Applicant.Ref}, Channel: domain.App}); err != nil {
				t.Fatal(err)
			}
		}

		fresh := newWorldOn(w, db)
		fresh.dispatch(t, declaration.Metrics{})
		eventually(t, 10*time.Second, "the outbox never drained", func() bool { return count(t, db, "outbox", "") == 0 })
		if cases, apps := w.cases(t); cases != n || apps != n {
			t.Errorf("the core has %d cases for %d applications; want %d and %d", cases, apps, n, n)
		}
		if missing := count(t, db, "application", "case_no IS NULL"); missing != 0 {
			t.Errorf("%d applications without a case number; want 0", missing)
		}
	})
}

// newWorldOn is a fresh BFF instance on the same database and core: what a
// restart leaves.
func newWorldOn(w *world, db *store.DB) *world {
	fresh := *w
	fresh.env = newEnv(db, w.client, verifier)
	return &fresh
}

func TestCoreDownForAWhile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{Faults: simulator.Faults{Down: true}}, false)
		const n = 12
		for i := range n {
			w.submit(t, i, "employment.unemployment_registration", "down")
		}
		lag := make(chan time.Duration, 1000)
		w.dispatch(t, declaration.Metrics{Lag: func(d time.Duration) {
			select {
			case lag <- d:
			default:
			}
		}})
		eventually(t, 5*time.Second, "no application was retried", func() bool {
			return count(t, db, "outbox", "attempts >= 3 AND last_error <> ''") == n
		})
		if cases, _ := w.cases(t); cases != 0 {
			t.Fatalf("the core is down but has %d cases", cases)
		}
		w.core.Injector().SetFaults(simulator.Faults{})
		eventually(t, 10*time.Second, "the outbox never drained after the core came back", func() bool {
			return count(t, db, "outbox", "") == 0
		})
		if cases, apps := w.cases(t); cases != n || apps != n {
			t.Errorf("the core has %d cases for %d applications; want %d each", cases, apps, n)
		}
		var worst time.Duration
		for len(lag) > 0 {
			worst = max(worst, <-lag)
		}
		if worst < 50*time.Millisecond {
			t.Errorf("largest lag reported %v; want the time the core was down", worst)
		}
	})
}

func TestWebhookSignatureTimestampAndReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{}, false)
		a := w.submit(t, 1, "employment.unemployment_registration", "hook")
		body := []byte(`{"id":"9001","caseNo":"DD2026113000000009","seq":1,"applicationId":"` + a.ID +
			`","kind":"accepted","status":"in_progress","step":"accept","stepName":"受理","office":"综合受理窗口","promisedBy":"2026-12-03","at":"2026-11-30T09:00:00+08:00"}`)
		post := func(secret string, at time.Time) int {
			req, _ := http.NewRequest(http.MethodPost, w.hook, nil)
			counter.SetWebhookHeaders(req.Header, secret, "9001", body, at)
			req.Body = io.NopCloser(bytes.NewReader(body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		tests := []struct {
			name   string
			secret string
			at     time.Time
			status int
			events int
		}{
			{"forged signature", "not-the-secret", time.Now(), http.StatusUnauthorized, 0},
			{"signed six minutes ago", sim.DefaultWebhookSecret, time.Now().Add(-6 * time.Minute), http.StatusUnauthorized, 0},
			{"genuine", sim.DefaultWebhookSecret, time.Now(), http.StatusNoContent, 1},
			{"replayed", sim.DefaultWebhookSecret, time.Now(), http.StatusNoContent, 1},
		}
		for _, tt := range tests {
			if got := post(tt.secret, tt.at); got != tt.status {
				t.Errorf("%s: answered %d; want %d", tt.name, got, tt.status)
			}
			if got := count(t, db, "progress_event", ""); got != tt.events {
				t.Errorf("%s: %d events recorded; want %d", tt.name, got, tt.events)
			}
		}
		if v := w.view(t, a.ID, 1); v.Status != declaration.Status(acceptance.StatusInProgress) || v.StepName != "受理" || len(v.Timeline) != 1 {
			t.Errorf("view %s at %s with %d events; want in progress at 受理 with 1", v.Status, v.StepName, len(v.Timeline))
		}
	})
}

func TestPollingCatchesUpWithoutWebhook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{AutoStaff: true, StepDelay: 20 * time.Millisecond}, false)
		w.dispatch(t, declaration.Metrics{})
		a := w.submit(t, 1, "employment.unemployment_registration", "poll")
		eventually(t, 10*time.Second, "polling never saw the completion", func() bool {
			if _, err := w.progress.Poll(ctx); err != nil {
				t.Fatal(err)
			}
			return w.view(t, a.ID, 1).Status == declaration.Status(acceptance.StatusCompleted)
		})
		again, err := w.progress.Poll(ctx)
		if err != nil || again != 0 {
			t.Errorf("Poll after catching up read %d, %v; want 0 from the saved cursor", again, err)
		}
	})
}

func TestSupplyMaterialsThenWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, sim.Config{}, true)
		w.dispatch(t, declaration.Metrics{})
		a := w.submit(t, 1, "employment.unemployment_registration", "materials")
		eventually(t, 5*time.Second, "never accepted", func() bool { return w.view(t, a.ID, 1).CaseNo != "" })
		if _, err := w.decl.SupplyMaterials(ctx, a.ID, ref(t, 1), nil); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("SupplyMaterials before staff asked = %v; want Conflict", err)
		}
		staff := counter.NewStaffClient(w.url, sim.TokenAcceptor, quick)
		task := openTask(t, staff, w.view(t, a.ID, 1).CaseNo)
		if _, err := staff.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := staff.Complete(ctx, task.ID, counter.OutcomeMaterials, "请补充解除劳动合同证明"); err != nil {
			t.Fatal(err)
		}
		eventually(t, 5*time.Second, "never returned for materials", func() bool { return w.view(t, a.ID, 1).CanSupplyMaterials })
		if v := w.view(t, a.ID, 1); v.Comment != "请补充解除劳动合同证明" {
			t.Errorf("comment %q; want staff's request", v.Comment)
		}
		mat, _ := w.decl.UploadMaterial(ctx, []byte("%PDF-1.7 补充材料"))
		got, err := w.decl.SupplyMaterials(ctx, a.ID, ref(t, 1), []acceptance.Material{{Name: "解除劳动合同证明", Hash: mat.Hash}})
		if err != nil || got.State.Status != declaration.Status(acceptance.StatusInProgress) || len(got.Materials) != 1 {
			t.Fatalf("SupplyMaterials = %q with %d materials, %v; want in progress with 1", got.State.Status, len(got.Materials), err)
		}
		if _, err := w.decl.Withdraw(ctx, a.ID, ref(t, 1), "不再需要"); err != nil {
			t.Fatal(err)
		}
		eventually(t, 5*time.Second, "the core never confirmed the withdrawal", func() bool {
			tl := w.view(t, a.ID, 1).Timeline
			return len(tl) > 0 && tl[len(tl)-1].Kind == acceptance.EventWithdrawn
		})
		if c, err := w.client.Case(ctx, got.State.CaseNo); err != nil || c.Status != acceptance.StatusWithdrawn {
			t.Errorf("the core's case is %q, %v; want withdrawn", c.Status, err)
		}
	})
}

// openTask returns the open task of a case.
func openTask(t *testing.T, staff *counter.StaffClient, caseNo string) counter.Task {
	t.Helper()
	f, err := staff.Flow(ctx, caseNo)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range f.Tasks {
		if task.State == counter.TaskOpen {
			return task
		}
	}
	t.Fatalf("case %s has no open task", caseNo)
	return counter.Task{}
}
