package sim

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// taskJoined is a task with the case fields a workbench list shows.
type taskJoined struct {
	taskRow
	CaseNo        string `db:"case_no"`
	ApplicationID string `db:"application_id"`
	MatterCode    string `db:"matter_code"`
	MatterName    string `db:"matter_name"`
	Applicant     string `db:"applicant_display"`
}

const taskJoinSelect = `SELECT t.id, t.case_id, t.step, t.step_name, t.role, t.office, t.state, t.claimed_by,
	t.claimed_at, t.locked, t.outcome, t.done_by, t.done_at, t.comment, t.created_at, c.case_no, c.application_id,
	c.matter_code, c.matter_name, c.applicant_display FROM csim_tasks t JOIN csim_cases c ON c.id = t.case_id `

// maxTasks bounds a workbench list.
const maxTasks = 200

// tasks lists a scope of st's work: 待办 (the pool of their role), their
// own open tasks, or 已办 (what they finished, newest first).
func (s *Sim) tasks(ctx context.Context, st *staff, scope string) ([]counter.Task, error) {
	var where string
	var args []any
	switch scope {
	case counter.ScopePending:
		where, args = `WHERE t.state = 'open' AND t.role = ? AND t.claimed_by IS NULL ORDER BY t.id`, []any{st.Role}
	case counter.ScopeMine:
		where, args = `WHERE t.state = 'open' AND t.claimed_by = ? ORDER BY t.id`, []any{st.ID}
	case counter.ScopeDone:
		where, args = `WHERE t.done_by = ? ORDER BY t.done_at DESC, t.id DESC`, []any{st.ID}
	default:
		return nil, domain.InvalidFields(domain.FieldError{Field: "scope", Message: "查询范围应为 pending、mine 或 done"})
	}
	var rows []taskJoined
	if err := s.db.SelectContext(ctx, &rows, taskJoinSelect+where+` LIMIT ?`, append(args, maxTasks)...); err != nil {
		return nil, err
	}
	return s.tasksToWire(rows), nil
}

// task returns one task as the workbench shows it.
func (s *Sim) task(ctx context.Context, id int64) (counter.Task, error) {
	var row taskJoined
	if err := s.db.GetContext(ctx, &row, taskJoinSelect+`WHERE t.id = ?`, id); err != nil {
		return counter.Task{}, store.Translate(err, "任务")
	}
	return s.taskToWire(row), nil
}

// flow returns a case with every task it has had (业务流程查询).
func (s *Sim) flow(ctx context.Context, caseNo string) (counter.Flow, error) {
	c, err := s.view(ctx, caseNo)
	if err != nil {
		return counter.Flow{}, err
	}
	var rows []taskJoined
	if err := s.db.SelectContext(ctx, &rows, taskJoinSelect+`WHERE c.case_no = ? ORDER BY t.id`, caseNo); err != nil {
		return counter.Flow{}, err
	}
	return counter.Flow{Case: c, Tasks: s.tasksToWire(rows)}, nil
}

func (s *Sim) tasksToWire(rows []taskJoined) []counter.Task {
	out := make([]counter.Task, 0, len(rows))
	for _, r := range rows {
		out = append(out, s.taskToWire(r))
	}
	return out
}

func (s *Sim) taskToWire(r taskJoined) counter.Task {
	t := counter.Task{
		ID: r.ID, CaseNo: r.CaseNo, ApplicationID: r.ApplicationID, MatterCode: r.MatterCode,
		MatterName: r.MatterName, Applicant: r.Applicant, Step: r.Step, StepName: r.StepName, Role: r.Role,
		Office: r.Office, State: r.State, Locked: r.Locked, Outcome: r.Outcome, DoneBy: r.DoneBy,
		Comment: r.Comment, CreatedAt: r.CreatedAt.In(domain.Beijing),
	}
	if r.ClaimedBy.Valid {
		t.ClaimedBy, t.ClaimedByName = r.ClaimedBy.String, s.staffName(r.ClaimedBy.String)
	}
	if r.ClaimedAt.Valid {
		at := r.ClaimedAt.Time.In(domain.Beijing)
		t.ClaimedAt = &at
	}
	if r.DoneAt.Valid {
		at := r.DoneAt.Time.In(domain.Beijing)
		t.DoneAt = &at
	}
	return t
}

func (s *Sim) staffToWire(st *staff) counter.Staff {
	return counter.Staff{ID: st.ID, Name: st.Name, Role: st.Role, RoleName: s.wf.Roles[st.Role], Office: st.Office}
}
