package counter

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dandong-hrss/hrss/integrations/remote"
)

// StaffClient is one staff member at the workbench of the dispatch core
// (审核调度), authenticated by their bearer token. The BFF never uses it;
// tests, the demo and the load test do, to move cases along. Reads are
// retried; task operations are not, because each one changes who holds a
// task and a blind repeat could undo a colleague's move. Every method may
// return Unauthenticated for an unknown token, Unavailable and Timeout.
type StaffClient struct {
	t transport
}

// NewStaffClient returns a client acting as the staff member whose token is
// given. It registers no metrics.
func NewStaffClient(baseURL, token string, p remote.Policy) *StaffClient {
	return &StaffClient{t: newTransport(baseURL, token, remote.NewCaller("counter_staff", Name, p, nil), true)}
}

// Me returns the staff member the token names.
func (s *StaffClient) Me(ctx context.Context) (Staff, error) {
	var out Staff
	err := s.t.call(ctx, "me", true, http.MethodGet, PathStaffMe, nil, &out)
	return out, err
}

// Tasks lists tasks in a scope: ScopePending (待办: unclaimed, for my
// role), ScopeMine (held by me) or ScopeDone (已办: finished by me). Errors:
// Invalid for another scope.
func (s *StaffClient) Tasks(ctx context.Context, scope string) ([]Task, error) {
	var out TaskList
	err := s.t.call(ctx, "tasks", true, http.MethodGet, PathTasks+"?scope="+url.QueryEscape(scope), nil, &out)
	return out.Tasks, err
}

// Task returns one task. Errors: NotFound.
func (s *StaffClient) Task(ctx context.Context, id int64) (Task, error) {
	var out Task
	err := s.t.call(ctx, "task", true, http.MethodGet, taskPath(id, ""), nil, &out)
	return out, err
}

// Flow returns a case with all its tasks (业务流程查询). Errors: NotFound.
func (s *StaffClient) Flow(ctx context.Context, caseNo string) (Flow, error) {
	var out Flow
	err := s.t.call(ctx, "flow", true, http.MethodGet, PathStaffCase+url.PathEscape(caseNo), nil, &out)
	return out, err
}

// Claim takes an unclaimed task (领取); then it is no longer offered to
// others. Of several staff claiming one task at once exactly one wins.
// Errors: NotFound; Forbidden when the task is for another role; Conflict
// when someone (even you) holds it or it is closed.
func (s *StaffClient) Claim(ctx context.Context, id int64) (Task, error) {
	return s.op(ctx, id, OpClaim, nil)
}

// Release gives a claimed task back (退领), so that everyone with the role
// may take it. Errors: Conflict when nobody holds it or it is closed;
// Forbidden when someone else holds it.
func (s *StaffClient) Release(ctx context.Context, id int64) (Task, error) {
	return s.op(ctx, id, OpRelease, nil)
}

// Grab force-claims a task (抓取), even from a colleague, and locks it: the
// previous holder can no longer work on it and nobody can grab it back until
// you release or transfer it. Errors: Forbidden for another role's task;
// Conflict when you already hold it, it is locked by another grab, or it is
// closed.
func (s *StaffClient) Grab(ctx context.Context, id int64) (Task, error) {
	return s.op(ctx, id, OpGrab, nil)
}

// Transfer hands a task you hold to a colleague with the same role (转派);
// they may transfer it again. Errors: Forbidden when you do not hold it;
// Conflict when nobody holds it; Invalid for an unknown colleague; Rejected
// for yourself or a colleague of another role.
func (s *StaffClient) Transfer(ctx context.Context, id int64, toStaffID string) (Task, error) {
	return s.op(ctx, id, OpTransfer, TransferRequest{To: toStaffID})
}

// Terminate stops the case's workflow at this task (终止); the case becomes
// terminated with reason as its comment. Errors: Invalid without a reason;
// Forbidden when you do not hold the task; Conflict when nobody does.
func (s *StaffClient) Terminate(ctx context.Context, id int64, reason string) (Task, error) {
	return s.op(ctx, id, OpTerminate, CommentRequest{Comment: reason})
}

// SendBack returns the case to an earlier step it has passed (打回); a new
// task opens there. Errors: Invalid without a reason; Forbidden/Conflict as
// for Terminate; Rejected for a step the case has not passed.
func (s *StaffClient) SendBack(ctx context.Context, id int64, step, reason string) (Task, error) {
	return s.op(ctx, id, OpSendBack, SendBackRequest{Step: step, Comment: reason})
}

// Revoke undoes a task you approved (撤销) while the next step's task is
// still unclaimed: that task is cancelled and yours reopens, held by you.
// Errors: Forbidden when someone else finished it; Conflict when the next
// task has been claimed, the case moved on or is closed, or the task was
// not approved.
func (s *StaffClient) Revoke(ctx context.Context, id int64) (Task, error) {
	return s.op(ctx, id, OpRevoke, nil)
}

// Complete finishes a task you hold with an outcome: OutcomeApprove moves
// the case to the next step (or completes it), OutcomeReject closes it,
// OutcomeMaterials makes it wait for the applicant (补齐材料). Errors:
// Invalid for another outcome, or without a comment where the applicant
// needs one; Forbidden when you do not hold the task; Conflict when nobody
// does or it is closed; Rejected for a generic intake, which is routed, not
// completed.
func (s *StaffClient) Complete(ctx context.Context, id int64, outcome, comment string) (Task, error) {
	return s.op(ctx, id, OpComplete, CompleteRequest{Outcome: outcome, Comment: comment})
}

// Route sends a generic intake you hold to a matter's workflow (受理分发).
// Errors: Rejected for an unknown matter or a task that is not a generic
// intake; Forbidden/Conflict as for Complete.
func (s *StaffClient) Route(ctx context.Context, id int64, matterCode, comment string) (Task, error) {
	return s.op(ctx, id, OpRoute, RouteRequest{MatterCode: matterCode, Comment: comment})
}

func (s *StaffClient) op(ctx context.Context, id int64, op string, body any) (Task, error) {
	if body == nil {
		body = struct{}{}
	}
	var out Task
	err := s.t.call(ctx, op, false, http.MethodPost, taskPath(id, op), body, &out)
	return out, err
}

func taskPath(id int64, op string) string {
	p := PathTask + strconv.FormatInt(id, 10)
	if op != "" {
		p += "/" + op
	}
	return p
}
