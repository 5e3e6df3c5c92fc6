package sim

import (
	"context"
	"database/sql"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// The refusals staff meet most, in the words of the workbench.
var (
	errClosed    = domain.Errorf(domain.Conflict, "该任务已办结或已关闭")
	errUnclaimed = domain.Errorf(domain.Conflict, "该任务尚未被领取，请先领取")
	errNotYours  = domain.Errorf(domain.Forbidden, "该任务由他人办理，您不能操作")
	errWrongRole = domain.Errorf(domain.Forbidden, "您的岗位不能办理该任务")
	errHeld      = domain.Errorf(domain.Conflict, "您已领取该任务")
)

// taskOp runs fn on task id with its case locked, in a transaction. Every
// staff operation goes through it, so operations on one case serialise;
// the conditional UPDATEs inside are what decide races all the same.
func (s *Sim) taskOp(ctx context.Context, id int64, fn func(tx *sqlx.Tx, c *caseRow, t *taskRow) error) error {
	var caseID int64
	if err := s.db.GetContext(ctx, &caseID, `SELECT case_id FROM csim_tasks WHERE id = ?`, id); err != nil {
		return store.Translate(err, "任务")
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		var t taskRow
		if err := tx.GetContext(ctx, &t, `SELECT `+taskColumns+` FROM csim_tasks WHERE id = ?`+s.forUpdate(), id); err != nil {
			return store.Translate(err, "任务")
		}
		return fn(tx, c, &t)
	})
	if err == nil {
		s.wake()
	}
	return err
}

// mustHold checks that st holds the open task t.
func mustHold(t *taskRow, st *staff) error {
	switch {
	case t.State != counter.TaskOpen:
		return errClosed
	case !t.ClaimedBy.Valid:
		return errUnclaimed
	case t.ClaimedBy.String != st.ID:
		return errNotYours
	}
	return nil
}

// claim is 任务领取: an unclaimed task of st's role becomes st's. The
// conditional UPDATE lets exactly one of several claimants win.
func (s *Sim) claim(ctx context.Context, st *staff, id int64) error {
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if t.Role != st.Role {
			return errWrongRole
		}
		if t.State != counter.TaskOpen {
			return errClosed
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE csim_tasks SET claimed_by = ?, claimed_at = ?
			WHERE id = ? AND state = 'open' AND claimed_by IS NULL`, st.ID, now(), id))
		if err != nil {
			return err
		}
		if n == 0 {
			if t.ClaimedBy.String == st.ID {
				return errHeld
			}
			return domain.Errorf(domain.Conflict, "该任务已被他人领取")
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventClaimed, staff: st.Name})
	})
}

// release is 任务退领: the holder gives the task back to the pool, where
// everyone with the role may take it.
func (s *Sim) release(ctx context.Context, st *staff, id int64) error {
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE csim_tasks SET claimed_by = NULL, claimed_at = NULL, locked = 0
			WHERE id = ? AND state = 'open' AND claimed_by = ?`, id, st.ID))
		if err != nil || n == 0 {
			return orConflict(err)
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventReleased, staff: st.Name})
	})
}

// grab is 任务抓取: st force-claims a task of their role, from whoever held
// it, and locks it so nobody else can take it until st lets go.
func (s *Sim) grab(ctx context.Context, st *staff, id int64) error {
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		switch {
		case t.Role != st.Role:
			return errWrongRole
		case t.State != counter.TaskOpen:
			return errClosed
		case t.ClaimedBy.String == st.ID:
			return errHeld
		case t.Locked:
			return domain.Errorf(domain.Conflict, "该任务已被他人抓取锁定")
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE csim_tasks SET claimed_by = ?, claimed_at = ?, locked = 1
			WHERE id = ? AND state = 'open' AND locked = 0`, st.ID, now(), id))
		if err != nil || n == 0 {
			return orConflict(err)
		}
		comment := ""
		if t.ClaimedBy.Valid {
			comment = "从" + s.staffName(t.ClaimedBy.String) + "处抓取"
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventGrabbed, staff: st.Name, comment: comment})
	})
}

// transfer is 任务转派: the holder hands the task to a colleague of the same
// role, who holds it now and may transfer it again (二次分派).
func (s *Sim) transfer(ctx context.Context, st *staff, id int64, to string) error {
	target := s.wf.byID[to]
	if target == nil {
		return domain.InvalidFields(domain.FieldError{Field: "to", Message: "未找到该工作人员"})
	}
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		if target.ID == st.ID {
			return domain.Errorf(domain.Rejected, "不能转派给自己")
		}
		if target.Role != t.Role {
			return domain.Errorf(domain.Rejected, "%s的岗位不能办理该任务", target.Name)
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE csim_tasks SET claimed_by = ?, claimed_at = ?, locked = 0
			WHERE id = ? AND state = 'open' AND claimed_by = ?`, target.ID, now(), id, st.ID))
		if err != nil || n == 0 {
			return orConflict(err)
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventTransferred, staff: st.Name, comment: "转派给" + target.Name})
	})
}

// terminate is 任务终止: the holder stops the case's workflow here.
func (s *Sim) terminate(ctx context.Context, st *staff, id int64, reason string) error {
	if err := needComment(reason, "请填写终止原因"); err != nil {
		return err
	}
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		at := now()
		if err := closeTask(ctx, tx, t.ID, counter.TaskTerminated, "", st, reason, at); err != nil {
			return err
		}
		c.Status, c.Comment, c.FinishedAt = string(acceptance.StatusTerminated), reason, sql.NullTime{Time: at, Valid: true}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventTerminated, staff: st.Name, comment: reason})
	})
}

// sendBack is 任务打回: the holder returns the case to an earlier step it
// has passed, where a new task opens in the pool.
func (s *Sim) sendBack(ctx context.Context, st *staff, id int64, stepCode, reason string) error {
	if err := needComment(reason, "请填写打回原因"); err != nil {
		return err
	}
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		target, ti := s.wf.step(c.MatterCode, stepCode)
		_, ci := s.wf.step(c.MatterCode, t.Step)
		var passed int
		err := tx.GetContext(ctx, &passed, `SELECT COUNT(*) FROM csim_tasks WHERE case_id = ? AND step = ? AND state = ?`,
			c.ID, stepCode, counter.TaskDone)
		if err != nil {
			return err
		}
		if ti < 0 || ti >= ci || passed == 0 {
			return domain.Errorf(domain.Rejected, "只能打回到本办件已办理过的环节")
		}
		if err := closeTask(ctx, tx, t.ID, counter.TaskSentBack, "", st, reason, now()); err != nil {
			return err
		}
		if _, err := insertTask(ctx, tx, c, target, nil); err != nil {
			return err
		}
		c.Step = target.Code
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventSentBack, step: target, staff: st.Name, comment: reason})
	})
}

// revoke is 任务撤销: whoever approved a task undoes it while the next
// step's task is still in the pool; that task is cancelled and theirs
// reopens in their hands.
func (s *Sim) revoke(ctx context.Context, st *staff, id int64) error {
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		switch {
		case t.State != counter.TaskDone || t.Outcome != counter.OutcomeApprove:
			return domain.Errorf(domain.Conflict, "只能撤销已审核通过的任务")
		case t.DoneBy != st.ID:
			return domain.Errorf(domain.Forbidden, "只能撤销本人办理的任务")
		case acceptance.Status(c.Status).Final():
			return domain.Errorf(domain.Conflict, "该办件已办结，无法撤销")
		}
		next, err := s.openTask(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		var before sql.NullInt64 // the task that opened next
		if next != nil {
			err = tx.GetContext(ctx, &before, `SELECT MAX(id) FROM csim_tasks WHERE case_id = ? AND id < ?`, c.ID, next.ID)
		}
		if err != nil {
			return err
		}
		if next == nil || before.Int64 != t.ID {
			return domain.Errorf(domain.Conflict, "该办件已继续流转，无法撤销")
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE csim_tasks SET state = ?, done_at = ?, comment = '上一环节撤销'
			WHERE id = ? AND state = 'open' AND claimed_by IS NULL`, counter.TaskCancelled, now(), next.ID))
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.Errorf(domain.Conflict, "下一环节已被领取，无法撤销")
		}
		_, err = tx.ExecContext(ctx, `UPDATE csim_tasks SET state = 'open', outcome = '', done_by = '', done_at = NULL,
			claimed_by = ?, claimed_at = ?, locked = 0 WHERE id = ?`, st.ID, now(), t.ID)
		if err != nil {
			return err
		}
		c.Step = t.Step
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventRevoked, staff: st.Name})
	})
}

// complete is 任务办理: the holder approves (on to the next step, or 办结),
// rejects (the case closes) or asks for materials (the case waits).
func (s *Sim) complete(ctx context.Context, st *staff, id int64, outcome, comment string) error {
	switch outcome {
	case counter.OutcomeApprove:
	case counter.OutcomeReject, counter.OutcomeMaterials:
		if err := needComment(comment, "请填写意见，申请人将看到它"); err != nil {
			return err
		}
	default:
		return domain.InvalidFields(domain.FieldError{Field: "outcome", Message: "办理结果应为通过、不予通过或补齐材料"})
	}
	if utf8.RuneCountInString(comment) > 500 {
		return domain.InvalidFields(domain.FieldError{Field: "comment", Message: "意见不能超过500字"})
	}
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		if c.MatterCode == "" {
			return domain.Errorf(domain.Rejected, "纯接件请先分发到具体事项")
		}
		at := now()
		if err := closeTask(ctx, tx, t.ID, counter.TaskDone, outcome, st, comment, at); err != nil {
			return err
		}
		step, i := s.wf.step(c.MatterCode, t.Step)
		e := eventDraft{step: step, staff: st.Name, comment: comment}
		switch flow := s.wf.flow(c.MatterCode); {
		case outcome == counter.OutcomeMaterials:
			c.Status, c.Comment, e.kind = string(acceptance.StatusAwaitingMaterials), comment, acceptance.EventReturnedForMaterials
		case outcome == counter.OutcomeReject:
			c.Status, c.Comment, e.kind = string(acceptance.StatusRejected), comment, acceptance.EventRejected
			c.FinishedAt = sql.NullTime{Time: at, Valid: true}
		case i+1 == len(flow):
			c.Status, e.kind = string(acceptance.StatusCompleted), acceptance.EventCompleted
			c.FinishedAt = sql.NullTime{Time: at, Valid: true}
		default:
			if _, err := insertTask(ctx, tx, c, flow[i+1], nil); err != nil {
				return err
			}
			c.Step, e.kind = flow[i+1].Code, acceptance.EventStepCompleted
			if step.Decisive {
				e.kind = acceptance.EventApproved
			}
		}
		return s.record(ctx, tx, c, e)
	})
}

// route is 受理分发: the holder of a generic intake sends it to a matter's
// workflow, which starts at its first step with the matter's promised date.
func (s *Sim) route(ctx context.Context, st *staff, id int64, matterCode, comment string) error {
	m := s.wf.matters[matterCode]
	if m == nil {
		return domain.Errorf(domain.Rejected, "未找到该事项，请核对事项编码")
	}
	return s.taskOp(ctx, id, func(tx *sqlx.Tx, c *caseRow, t *taskRow) error {
		if err := mustHold(t, st); err != nil {
			return err
		}
		if c.MatterCode != "" || t.Step != s.wf.Generic.Step.Code {
			return domain.Errorf(domain.Rejected, "该任务不是待分发的纯接件")
		}
		if err := closeTask(ctx, tx, t.ID, counter.TaskDone, counter.OutcomeRouted, st, comment, now()); err != nil {
			return err
		}
		c.MatterCode, c.MatterName, c.Step = m.Code, m.Name, m.steps[0].Code
		c.Status = string(acceptance.StatusInProgress)
		c.PromisedBy = s.wf.calendar.promise(c.AcceptedAt, m.LimitDays).Format(counter.DateLayout)
		pending, err := s.pendingPrereqs(ctx, tx, c)
		if err != nil {
			return err
		}
		c.PrereqsPending = jsonOf(pending)
		if _, err := insertTask(ctx, tx, c, m.steps[0], nil); err != nil {
			return err
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventRouted, staff: st.Name, comment: "分发至" + m.Name})
	})
}

// closeTask ends an open task with state and outcome, done by st.
func closeTask(ctx context.Context, tx *sqlx.Tx, id int64, state, outcome string, st *staff, comment string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE csim_tasks SET state = ?, outcome = ?, done_by = ?, done_at = ?, comment = ?
		WHERE id = ?`, state, outcome, st.ID, at, comment, id)
	return err
}

func needComment(comment, msg string) error {
	if comment == "" {
		return domain.InvalidFields(domain.FieldError{Field: "comment", Message: msg})
	}
	if utf8.RuneCountInString(comment) > 500 {
		return domain.InvalidFields(domain.FieldError{Field: "comment", Message: "意见不能超过500字"})
	}
	return nil
}

// orConflict turns a conditional UPDATE that changed nothing (under the
// case lock, only a concurrent change can cause it) into a Conflict.
func orConflict(err error) error {
	if err != nil {
		return err
	}
	return domain.Errorf(domain.Conflict, "任务状态已变化，请刷新后重试")
}
