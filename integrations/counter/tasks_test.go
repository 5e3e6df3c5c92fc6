package counter_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// ids lists the ids of tasks.
func ids(tasks []counter.Task, err error) []int64 {
	var out []int64
	for _, t := range tasks {
		out = append(out, t.ID)
	}
	return out
}

func TestClaimTakesTheTaskOutOfThePool(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("unit.staff_add", "u:1"))
		a1, a2, r1 := c.as(sim.TokenAcceptor), c.as(sim.TokenAcceptor2), c.as(sim.TokenReviewer)
		task := c.openTask(t, r.CaseNo)
		if got := ids(a2.Tasks(ctx, counter.ScopePending)); !slices.Contains(got, task.ID) {
			t.Fatalf("pending for another acceptor %v; want task %d offered", got, task.ID)
		}
		if got := ids(r1.Tasks(ctx, counter.ScopePending)); slices.Contains(got, task.ID) {
			t.Errorf("pending for a reviewer lists the 受理 task %d", task.ID)
		}
		_, err := r1.Claim(ctx, task.ID)
		wantCode(t, "reviewer claims a 受理 task", err, domain.Forbidden)

		got, err := a1.Claim(ctx, task.ID)
		if err != nil || got.ClaimedBy != "A01" || got.ClaimedByName != "综合柜员01" {
			t.Fatalf("Claim = %+v, %v; want held by A01", got, err)
		}
		if pending := ids(a2.Tasks(ctx, counter.ScopePending)); slices.Contains(pending, task.ID) {
			t.Errorf("claimed task %d still offered to others", task.ID)
		}
		if mine := ids(a1.Tasks(ctx, counter.ScopeMine)); !slices.Equal(mine, []int64{task.ID}) {
			t.Errorf("A01's tasks %v; want [%d]", mine, task.ID)
		}
		_, err = a2.Claim(ctx, task.ID)
		wantCode(t, "claim a claimed task", err, domain.Conflict)
		_, err = a1.Claim(ctx, task.ID)
		wantCode(t, "claim your own task again", err, domain.Conflict)
		if cs := c.caseOf(t, r.CaseNo); cs.Staff != "综合柜员01" {
			t.Errorf("case staff %q; want 综合柜员01", cs.Staff)
		}
		_, err = a1.Claim(ctx, 999999)
		wantCode(t, "claim an unknown task", err, domain.NotFound)
	})
}

func TestClaimRaceHasOneWinner(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		task := c.openTask(t, c.submit(t, application("unit.staff_add", "u:1")).CaseNo)
		staff := []*counter.StaffClient{c.as(sim.TokenAcceptor), c.as(sim.TokenAcceptor2), c.as(sim.TokenAcceptor3)}
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = staff[i%len(staff)].Claim(context.Background(), task.ID) })
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !domain.IsCode(err, domain.Conflict):
				t.Errorf("claim %d: %v; want success or Conflict", i, err)
			}
		}
		if won != 1 {
			t.Errorf("%d claims won; want exactly 1", won)
		}
		claims := 0
		for _, e := range c.allEvents(t) {
			if e.Kind == acceptance.EventClaimed {
				claims++
			}
		}
		if claims != 1 {
			t.Errorf("%d claimed events; want 1", claims)
		}
	})
}

func TestReleaseReturnsTheTaskToEveryone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		task := c.openTask(t, c.submit(t, application("unit.staff_add", "u:1")).CaseNo)
		a1, a2 := c.as(sim.TokenAcceptor), c.as(sim.TokenAcceptor2)
		_, err := a1.Release(ctx, task.ID)
		wantCode(t, "release an unclaimed task", err, domain.Conflict)
		if _, err := a1.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err = a2.Release(ctx, task.ID)
		wantCode(t, "release a task someone else holds", err, domain.Forbidden)
		if got, err := a1.Release(ctx, task.ID); err != nil || got.ClaimedBy != "" {
			t.Fatalf("Release = %+v, %v; want unclaimed", got, err)
		}
		if pending := ids(a2.Tasks(ctx, counter.ScopePending)); !slices.Contains(pending, task.ID) {
			t.Errorf("released task %d not offered to others", task.ID)
		}
		if _, err := a2.Claim(ctx, task.ID); err != nil {
			t.Errorf("claim after release: %v; want success", err)
		}
	})
}

func TestGrabLocksOthersOut(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("unit.staff_add", "u:1"))
		task := c.openTask(t, r.CaseNo)
		a1, a2, a3 := c.as(sim.TokenAcceptor), c.as(sim.TokenAcceptor2), c.as(sim.TokenAcceptor3)
		if _, err := a1.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		got, err := a2.Grab(ctx, task.ID)
		if err != nil || got.ClaimedBy != "A02" || !got.Locked {
			t.Fatalf("Grab = %+v, %v; want held by A02 and locked", got, err)
		}
		_, err = a1.Complete(ctx, task.ID, counter.OutcomeApprove, "")
		wantCode(t, "the former holder completes", err, domain.Forbidden)
		_, err = a1.Grab(ctx, task.ID)
		wantCode(t, "the former holder grabs it back", err, domain.Conflict)
		_, err = a3.Grab(ctx, task.ID)
		wantCode(t, "a third grabs a locked task", err, domain.Conflict)
		_, err = c.as(sim.TokenReviewer).Grab(ctx, task.ID)
		wantCode(t, "a reviewer grabs a 受理 task", err, domain.Forbidden)
		if e := lastEvent(t, c, r.CaseNo); e.Kind != acceptance.EventGrabbed || e.Staff != "综合柜员02" || e.Comment != "从综合柜员01处抓取" {
			t.Errorf("last event %+v; want grabbed by 综合柜员02 from 综合柜员01", e)
		}
		if _, err := a2.Release(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := a3.Claim(ctx, task.ID); err != nil || got.Locked {
			t.Errorf("claim after the grabber released: %+v, %v; want claimed and unlocked", got, err)
		}
	})
}

func lastEvent(tb testing.TB, c *core, caseNo string) acceptance.Event {
	tb.Helper()
	var last acceptance.Event
	for _, e := range c.allEvents(tb) {
		if e.CaseNo == caseNo {
			last = e
		}
	}
	return last
}

func TestTransferAndTransferAgain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("unit.staff_add", "u:1"))
		task := c.openTask(t, r.CaseNo)
		a1, a2, a3 := c.as(sim.TokenAcceptor), c.as(sim.TokenAcceptor2), c.as(sim.TokenAcceptor3)
		_, err := a1.Transfer(ctx, task.ID, "A02")
		wantCode(t, "transfer an unclaimed task", err, domain.Conflict)
		if _, err := a1.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err = a2.Transfer(ctx, task.ID, "A03")
		wantCode(t, "transfer a task someone else holds", err, domain.Forbidden)
		_, err = a1.Transfer(ctx, task.ID, "R01")
		wantCode(t, "transfer to a reviewer", err, domain.Rejected)
		_, err = a1.Transfer(ctx, task.ID, "A01")
		wantCode(t, "transfer to yourself", err, domain.Rejected)
		_, err = a1.Transfer(ctx, task.ID, "Z99")
		wantCode(t, "transfer to nobody", err, domain.Invalid)

		if got, err := a1.Transfer(ctx, task.ID, "A02"); err != nil || got.ClaimedBy != "A02" {
			t.Fatalf("Transfer = %+v, %v; want held by A02", got, err)
		}
		_, err = a1.Complete(ctx, task.ID, counter.OutcomeApprove, "")
		wantCode(t, "complete after transferring away", err, domain.Forbidden)
		if got, err := a2.Transfer(ctx, task.ID, "A03"); err != nil || got.ClaimedBy != "A03" {
			t.Fatalf("second transfer = %+v, %v; want held by A03", got, err)
		}
		if _, err := a3.Complete(ctx, task.ID, counter.OutcomeApprove, "同意"); err != nil {
			t.Errorf("the final holder completes: %v", err)
		}
	})
}

func TestTerminateEndsTheCase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("pension.retirement", "p:1"))
		c.pass(t, r.CaseNo)
		task := c.openTask(t, r.CaseNo)
		rv := c.as(sim.TokenReviewer)
		if _, err := rv.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err := rv.Terminate(ctx, task.ID, "")
		wantCode(t, "terminate without a reason", err, domain.Invalid)
		_, err = c.as(sim.TokenReviewer2).Terminate(ctx, task.ID, "重复申请")
		wantCode(t, "terminate a task someone else holds", err, domain.Forbidden)
		if _, err := rv.Terminate(ctx, task.ID, "重复申请"); err != nil {
			t.Fatal(err)
		}
		got := c.caseOf(t, r.CaseNo)
		if got.Status != acceptance.StatusTerminated || got.Comment != "重复申请" || got.Step != "" || got.FinishedAt.IsZero() {
			t.Errorf("case %+v; want terminated with the reason, no current step", got)
		}
		if e := lastEvent(t, c, r.CaseNo); e.Kind != acceptance.EventTerminated || e.Status != acceptance.StatusTerminated {
			t.Errorf("last event %+v; want terminated", e)
		}
		_, err = rv.Complete(ctx, task.ID, counter.OutcomeApprove, "")
		wantCode(t, "complete a terminated task", err, domain.Conflict)
	})
}

func TestSendBackOnlyToAStepPassed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("pension.retirement", "p:1"))
		c.pass(t, r.CaseNo) // 受理
		c.pass(t, r.CaseNo) // 审核
		task := c.openTask(t, r.CaseNo)
		ap := c.as(sim.TokenApprover)
		if _, err := ap.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err := ap.SendBack(ctx, task.ID, "finish", "退回")
		wantCode(t, "send back to a step ahead", err, domain.Rejected)
		_, err = ap.SendBack(ctx, task.ID, "approve", "退回")
		wantCode(t, "send back to the current step", err, domain.Rejected)
		_, err = ap.SendBack(ctx, task.ID, "review", "")
		wantCode(t, "send back without a reason", err, domain.Invalid)

		got, err := ap.SendBack(ctx, task.ID, "review", "缴费年限核对有误")
		if err != nil || got.State != counter.TaskSentBack {
			t.Fatalf("SendBack = %+v, %v; want the task sent back", got, err)
		}
		again := c.openTask(t, r.CaseNo)
		if again.Step != "review" || again.ClaimedBy != "" || again.ID == task.ID {
			t.Errorf("open task %+v; want a new unclaimed 审核 task", again)
		}
		if pending := ids(c.as(sim.TokenReviewer2).Tasks(ctx, counter.ScopePending)); !slices.Contains(pending, again.ID) {
			t.Errorf("reviewers are not offered the returned task %d", again.ID)
		}
		if cs := c.caseOf(t, r.CaseNo); cs.Step != "review" || cs.Status != acceptance.StatusInProgress {
			t.Errorf("case at %s, %s; want in progress at review", cs.Step, cs.Status)
		}
		if e := lastEvent(t, c, r.CaseNo); e.Kind != acceptance.EventSentBack || e.Step != "review" || e.Comment != "缴费年限核对有误" {
			t.Errorf("last event %+v; want sent back to review with the reason", e)
		}
	})
}

func TestRevokeWhileTheNextStepIsUnclaimed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("pension.retirement", "p:1"))
		accepted := c.pass(t, r.CaseNo)
		next := c.openTask(t, r.CaseNo)
		_, err := c.as(sim.TokenAcceptor2).Revoke(ctx, accepted.ID)
		wantCode(t, "revoke a colleague's task", err, domain.Forbidden)

		a1 := c.as(sim.TokenAcceptor)
		got, err := a1.Revoke(ctx, accepted.ID)
		if err != nil || got.State != counter.TaskOpen || got.ClaimedBy != "A01" {
			t.Fatalf("Revoke = %+v, %v; want the 受理 task open again, held by A01", got, err)
		}
		if n, _ := c.as(sim.TokenReviewer).Task(ctx, next.ID); n.State != counter.TaskCancelled {
			t.Errorf("next task %s; want cancelled", n.State)
		}
		if cs := c.caseOf(t, r.CaseNo); cs.Step != "accept" || cs.Staff != "综合柜员01" {
			t.Errorf("case at %s held by %q; want back at accept with 综合柜员01", cs.Step, cs.Staff)
		}
		if e := lastEvent(t, c, r.CaseNo); e.Kind != acceptance.EventRevoked {
			t.Errorf("last event %s; want revoked", e.Kind)
		}

		if _, err := a1.Complete(ctx, accepted.ID, counter.OutcomeApprove, "同意"); err != nil {
			t.Fatal(err)
		}
		review := c.openTask(t, r.CaseNo)
		if _, err := c.as(sim.TokenReviewer).Claim(ctx, review.ID); err != nil {
			t.Fatal(err)
		}
		_, err = a1.Revoke(ctx, accepted.ID)
		wantCode(t, "revoke after the next step was claimed", err, domain.Conflict)
	})
}

func TestCompleteOutcomes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()

		approved := c.submit(t, application("pension.retirement", "p:1"))
		for range 4 {
			c.pass(t, approved.CaseNo)
		}
		want := []acceptance.EventKind{acceptance.EventAccepted,
			acceptance.EventClaimed, acceptance.EventStepCompleted, // 受理
			acceptance.EventClaimed, acceptance.EventStepCompleted, // 审核
			acceptance.EventClaimed, acceptance.EventApproved, // 审批
			acceptance.EventClaimed, acceptance.EventCompleted} // 办结
		if got := c.kindsOf(t, approved.CaseNo); !slices.Equal(got, want) {
			t.Errorf("events %v; want %v", got, want)
		}
		if cs := c.caseOf(t, approved.CaseNo); cs.Status != acceptance.StatusCompleted || cs.Steps[3].State != acceptance.StepDone {
			t.Errorf("case %s, steps %v; want completed with every step done", cs.Status, cs.Steps)
		}

		rejected := c.submit(t, application("pension.retirement", "p:2"))
		task := c.openTask(t, rejected.CaseNo)
		a1 := c.as(sim.TokenAcceptor)
		if _, err := a1.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err := a1.Complete(ctx, task.ID, counter.OutcomeReject, "")
		wantCode(t, "reject without a reason", err, domain.Invalid)
		_, err = a1.Complete(ctx, task.ID, "maybe", "")
		wantCode(t, "an outcome that does not exist", err, domain.Invalid)
		if _, err := a1.Complete(ctx, task.ID, counter.OutcomeReject, "未达到法定退休年龄"); err != nil {
			t.Fatal(err)
		}
		if cs := c.caseOf(t, rejected.CaseNo); cs.Status != acceptance.StatusRejected || cs.Comment != "未达到法定退休年龄" {
			t.Errorf("case %s %q; want rejected with the reason", cs.Status, cs.Comment)
		}
	})
}

func TestMaterialsRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := startCore(t, db, sim.Config{}, patient)
		ctx := context.Background()
		r := c.submit(t, application("pension.retirement", "p:1"))
		c.pass(t, r.CaseNo)
		task := c.openTask(t, r.CaseNo)
		r2 := c.as(sim.TokenReviewer2)
		if _, err := r2.Claim(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
		supplied := []acceptance.Material{{Name: "档案出生日期证明", Hash: "sha256:77ee"}}
		wantCode(t, "supply before anyone asked", c.client.SupplyMaterials(ctx, r.CaseNo, supplied), domain.Conflict)
		if _, err := r2.Complete(ctx, task.ID, counter.OutcomeMaterials, "请补充档案出生日期证明"); err != nil {
			t.Fatal(err)
		}
		if cs := c.caseOf(t, r.CaseNo); cs.Status != acceptance.StatusAwaitingMaterials || cs.Comment != "请补充档案出生日期证明" {
			t.Errorf("case %s %q; want awaiting materials with what is missing", cs.Status, cs.Comment)
		}
		wantCode(t, "supply nothing", c.client.SupplyMaterials(ctx, r.CaseNo, nil), domain.Invalid)
		if err := c.client.SupplyMaterials(ctx, r.CaseNo, supplied); err != nil {
			t.Fatal(err)
		}
		back := c.openTask(t, r.CaseNo)
		if back.Step != "review" || back.ClaimedBy != "R02" {
			t.Errorf("task after supply %+v; want 审核 held by R02, who asked", back)
		}
		if err := c.client.SupplyMaterials(ctx, r.CaseNo, supplied); err != nil {
			t.Errorf("repeated supply: %v; want nil", err)
		}
		other := []acceptance.Material{{Name: "其他", Hash: "sha256:1234"}}
		wantCode(t, "a different supply when none is asked", c.client.SupplyMaterials(ctx, r.CaseNo, other), domain.Conflict)
		if cs := c.caseOf(t, r.CaseNo); cs.Status != acceptance.StatusInProgress || cs.Comment != "" {
			t.Errorf("case %s %q; want in progress, comment cleared", cs.Status, cs.Comment)
		}
	})
}
