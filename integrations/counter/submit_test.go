package counter_test

import (
	"context"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var caseNoShape = regexp.MustCompile(`^DD\d{8}\d{8}$`)

func TestSubmitOpensACase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		r := c.submit(t, application("pension.retirement", "p:1"))
		if !caseNoShape.MatchString(r.CaseNo) || r.Generic || r.MatterName != "职工基本养老保险待遇申领（退休申报）" {
			t.Errorf("receipt %+v; want a DD… case number of the retirement matter, not generic", r)
		}
		if today := time.Now().In(domain.Beijing).Format("20060102"); r.CaseNo[2:10] != today {
			t.Errorf("case number %s; want the date %s in it", r.CaseNo, today)
		}
		// 10 working days are at least 10 and, with weekends and the longest
		// holiday, at most 10·7/5 + 9 calendar days away.
		days := r.PromisedBy.Sub(r.AcceptedAt.Truncate(24*time.Hour)).Hours() / 24
		if days < 10 || days > 10*7/5+9+1 {
			t.Errorf("promised %s for acceptance at %s; want 10 working days later", r.PromisedBy, r.AcceptedAt)
		}
		got := c.caseOf(t, r.CaseNo)
		if got.Status != acceptance.StatusInProgress || got.Step != "accept" || got.StepName != "受理" ||
			got.Office != "综合受理窗口" || got.Staff != "" || !got.PromisedBy.Equal(r.PromisedBy) {
			t.Errorf("case %+v; want in progress at 受理 in 综合受理窗口, unclaimed, promised %s", got, r.PromisedBy)
		}
		var states []acceptance.StepState
		for _, s := range got.Steps {
			states = append(states, s.State)
		}
		want := []acceptance.StepState{acceptance.StepCurrent, acceptance.StepPending, acceptance.StepPending, acceptance.StepPending}
		if !slices.Equal(states, want) {
			t.Errorf("steps %v; want %v", states, want)
		}
		if _, err := c.client.Case(context.Background(), "DD2000010100000000"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("unknown case: err = %v; want NotFound", err)
		}
	})
}

func TestSubmitIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		app := application("unit.staff_add", "u:9")
		const n = 20
		receipts := make([]acceptance.Receipt, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { receipts[i], errs[i] = c.client.Submit(context.Background(), app) })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil || receipts[i].CaseNo != receipts[0].CaseNo {
				t.Fatalf("submit %d = %+v, %v; want case %s like the others", i, receipts[i], errs[i], receipts[0].CaseNo)
			}
		}
		var cases int
		if err := db.Get(&cases, `SELECT COUNT(*) FROM csim_cases WHERE application_id = ?`, app.ApplicationID); err != nil || cases != 1 {
			t.Errorf("cases for one application: %d, %v; want 1", cases, err)
		}
		if kinds := c.kindsOf(t, receipts[0].CaseNo); !slices.Equal(kinds, []acceptance.EventKind{acceptance.EventAccepted}) {
			t.Errorf("events %v; want one accepted", kinds)
		}

		reused := app
		reused.MatterCode = "pension.retirement"
		if _, err := c.client.Submit(context.Background(), reused); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("application id reused for another matter: err = %v; want Conflict", err)
		}
	})
}

func TestGenericIntakeWaitsForRouting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		app := application("", "p:2")
		app.MatterName = "工伤职工异地就医备案"
		r := c.submit(t, app)
		if !r.Generic || r.MatterCode != "" || r.MatterName != "工伤职工异地就医备案" {
			t.Errorf("receipt %+v; want a generic intake named as asked", r)
		}
		if got := c.caseOf(t, r.CaseNo); got.Status != acceptance.StatusAwaitingRouting || got.StepName != "受理分发" {
			t.Errorf("case %s at %s; want awaiting routing at 受理分发", got.Status, got.StepName)
		}
		ctx := context.Background()
		a := c.as(sim.TokenAcceptor)
		task := c.openTask(t, r.CaseNo)
		if _, err := a.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err := a.Complete(ctx, task.ID, counter.OutcomeApprove, "")
		wantCode(t, "approve an unrouted intake", err, domain.Rejected)
		_, err = a.Route(ctx, task.ID, "no_such_matter", "")
		wantCode(t, "route to an unknown matter", err, domain.Rejected)
		if _, err := a.Route(ctx, task.ID, "injury.recognition", "属工伤认定"); err != nil {
			t.Fatal(err)
		}
		got := c.caseOf(t, r.CaseNo)
		if got.MatterCode != "injury.recognition" || !got.Generic || got.Status != acceptance.StatusInProgress ||
			got.Step != "accept" || !got.PromisedBy.After(r.PromisedBy) {
			t.Errorf("routed case %+v; want work injury recognition at 受理, promised later than %s (30 days, not 20)", got, r.PromisedBy)
		}
		if kinds := c.kindsOf(t, r.CaseNo); kinds[len(kinds)-1] != acceptance.EventRouted {
			t.Errorf("events %v; want routed last", kinds)
		}
	})
}

func TestPrerequisitesAreReported(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		benefit := c.submit(t, application("unemployment.benefit_claim", "p:3"))
		if want := []string{"employment.unemployment_registration"}; !slices.Equal(benefit.PendingPrerequisites, want) {
			t.Errorf("pending prerequisites %v; want %v", benefit.PendingPrerequisites, want)
		}
		claimed := application("unemployment.benefit_claim", "p:4")
		claimed.PrerequisitesDone = []string{"employment.unemployment_registration"}
		if r := c.submit(t, claimed); len(r.PendingPrerequisites) != 0 {
			t.Errorf("claimed done: pending %v; want none", r.PendingPrerequisites)
		}

		reg := c.submit(t, application("employment.unemployment_registration", "p:3"))
		c.finish(t, reg.CaseNo)
		if got := c.caseOf(t, benefit.CaseNo); len(got.PendingPrerequisites) != 0 {
			t.Errorf("benefit case after registration completed: pending %v; want none", got.PendingPrerequisites)
		}
		if r := c.submit(t, application("unemployment.benefit_claim", "p:3")); len(r.PendingPrerequisites) != 0 {
			t.Errorf("new benefit application: pending %v; want none", r.PendingPrerequisites)
		}
	})
}

func TestWithdraw(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("card.apply", "p:5"))
		if err := c.client.Withdraw(ctx, r.CaseNo, "信息填写错误"); err != nil {
			t.Fatal(err)
		}
		got := c.caseOf(t, r.CaseNo)
		if got.Status != acceptance.StatusWithdrawn || got.Comment != "信息填写错误" || got.FinishedAt.IsZero() {
			t.Errorf("case %+v; want withdrawn with the reason and a finish time", got)
		}
		if pending, _ := c.as(sim.TokenAcceptor).Tasks(ctx, counter.ScopePending); len(pending) != 0 {
			t.Errorf("pending tasks after withdrawal: %d; want 0", len(pending))
		}
		if err := c.client.Withdraw(ctx, r.CaseNo, "信息填写错误"); err != nil {
			t.Errorf("repeated withdrawal: %v; want nil", err)
		}

		done := c.submit(t, application("card.apply", "p:5"))
		c.finish(t, done.CaseNo)
		wantCode(t, "withdraw a completed case", c.client.Withdraw(ctx, done.CaseNo, ""), domain.Conflict)
		wantCode(t, "withdraw an unknown case", c.client.Withdraw(ctx, "DD2000010100000000", ""), domain.NotFound)
	})
}

func TestEventsArePolledInOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		a := c.submit(t, application("unit.staff_add", "u:1"))
		b := c.submit(t, application("unit.staff_add", "u:2"))
		c.pass(t, a.CaseNo)
		c.pass(t, b.CaseNo)

		first, cursor, err := c.client.Events(ctx, "", 3)
		if err != nil || len(first) != 3 {
			t.Fatalf("first page: %d events, %v; want 3", len(first), err)
		}
		rest, next, err := c.client.Events(ctx, cursor, 100)
		if err != nil {
			t.Fatal(err)
		}
		all := append(first, rest...)
		if len(all) != 6 { // accepted ×2, claimed ×2, step_completed ×2
			t.Fatalf("%d events; want 6", len(all))
		}
		seqs, ids := map[string]int{}, map[string]bool{}
		for _, e := range all {
			if ids[e.ID] {
				t.Errorf("event id %s listed twice", e.ID)
			}
			ids[e.ID] = true
			seqs[e.CaseNo]++
			if e.Seq != seqs[e.CaseNo] {
				t.Errorf("event %s of %s has seq %d; want %d", e.Kind, e.CaseNo, e.Seq, seqs[e.CaseNo])
			}
		}
		if last := all[len(all)-1]; last.Kind != acceptance.EventStepCompleted || last.StepName != "受理" || last.Staff != "综合柜员01" {
			t.Errorf("last event %+v; want 受理 completed by 综合柜员01", last)
		}
		again, same, err := c.client.Events(ctx, next, 100)
		if err != nil || len(again) != 0 || same != next {
			t.Errorf("nothing new: %d events, cursor %q, %v; want none and cursor %q", len(again), same, err, next)
		}
		_, _, err = c.client.Events(ctx, "not-a-cursor", 10)
		wantCode(t, "bad cursor", err, domain.Invalid)
	})
}
