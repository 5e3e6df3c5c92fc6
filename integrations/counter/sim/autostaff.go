package sim

import (
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/counter"
)

// autoBatch bounds the tasks auto-staff touches per round, and
// autoParallel how many it works on at once (tasks of different cases,
// mostly, so they seldom wait on each other).
const (
	autoBatch    = 200
	autoParallel = 8
)

// autoTask is an open task auto-staff may act on.
type autoTask struct {
	ID        int64   `db:"id"`
	Role      string  `db:"role"`
	ClaimedBy *string `db:"claimed_by"`
}

// autoLoop plays the staff until Close: a task waits StepDelay/2 in the
// pool before the first staff member of its role claims it, and StepDelay/2
// in their hands before they complete it.
func (s *Sim) autoLoop() {
	tick := min(max(s.cfg.StepDelay/4, 5*time.Millisecond), 250*time.Millisecond)
	for s.pause(tick) {
		s.autoRound()
	}
}

func (s *Sim) autoRound() {
	half := s.cfg.StepDelay / 2
	due := now().Add(-half)
	var ids []any
	for _, st := range s.autoStaff() {
		ids = append(ids, st.ID)
	}
	if len(ids) == 0 {
		return
	}
	var tasks []autoTask
	err := s.db.SelectContext(s.ctx, &tasks, `SELECT id, role, claimed_by FROM csim_tasks
		WHERE state = 'open' AND step <> ? AND ((claimed_by IS NULL AND created_at <= ?)
		OR (claimed_by IN (?`+strings.Repeat(", ?", len(ids)-1)+`) AND claimed_at <= ?))
		ORDER BY id LIMIT ?`, append(append([]any{s.wf.Generic.Step.Code, due}, ids...), due, autoBatch)...)
	if err != nil {
		if s.ctx.Err() == nil {
			s.cfg.Logger.Error("counter sim: auto-staff read tasks", "err", err)
		}
		return
	}
	sem := make(chan struct{}, autoParallel)
	var wg sync.WaitGroup
	for _, t := range tasks {
		if s.ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s.autoAct(t)
		})
	}
	wg.Wait()
}

// autoAct claims an unclaimed task or completes one auto-staff holds.
// Losing a race to a person is normal and ignored.
func (s *Sim) autoAct(t autoTask) {
	st := s.wf.staffOfRole(t.Role)
	if st == nil {
		return
	}
	var err error
	switch {
	case t.ClaimedBy == nil:
		err = s.claim(s.ctx, st, t.ID)
	case *t.ClaimedBy == st.ID:
		outcome, comment := s.drawOutcome()
		err = s.complete(s.ctx, st, t.ID, outcome, comment)
	}
	switch domain.ErrorCode(err) {
	case "", domain.Conflict, domain.Forbidden, domain.Rejected:
	default:
		if s.ctx.Err() == nil {
			s.cfg.Logger.Error("counter sim: auto-staff", "task", t.ID, "err", err)
		}
	}
}

// autoStaff is whom auto-staff acts as: the first staff member of each role.
func (s *Sim) autoStaff() []*staff {
	var out []*staff
	for role := range s.wf.Roles {
		if st := s.wf.staffOfRole(role); st != nil {
			out = append(out, st)
		}
	}
	return out
}

// drawOutcome decides how auto-staff completes a task, by the configured
// rates.
func (s *Sim) drawOutcome() (outcome, comment string) {
	s.mu.Lock()
	u := s.rng.Float64()
	s.mu.Unlock()
	switch {
	case u < s.cfg.AutoRejectRate:
		return counter.OutcomeReject, "经审核，不符合办理条件"
	case u < s.cfg.AutoRejectRate+s.cfg.AutoMaterialsRate:
		return counter.OutcomeMaterials, "请补充提交身份证明材料"
	}
	return counter.OutcomeApprove, "同意"
}
