package counter

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// The paths of the core's API for the BFF. Every request carries
// "Authorization: Bearer <api token>".
const (
	PathCases   = "/counter/v1/cases"   // POST SubmitRequest → Receipt (201 new, 200 repeat)
	PathCase    = "/counter/v1/cases/"  // GET + case no → Case
	PathEvents  = "/counter/v1/events"  // GET ?after=<cursor>&limit=<n> → EventPage
	PathWebhook = "/counter/v1/webhook" // PUT WebhookRequest: where to post events

	SuffixMaterials = "/materials" // POST PathCase + case no + this: MaterialsRequest
	SuffixWithdraw  = "/withdraw"  // POST PathCase + case no + this: WithdrawRequest
)

// The paths of the staff API (审核调度 workbench). Every request carries
// "Authorization: Bearer <staff token>"; the token names the staff member
// and so their role.
const (
	PathStaffMe   = "/counter/v1/staff/me"     // GET → Staff
	PathTasks     = "/counter/v1/staff/tasks"  // GET ?scope=pending|mine|done → TaskList
	PathTask      = "/counter/v1/staff/tasks/" // GET + id → Task; POST + id + "/" + op → Task
	PathStaffCase = "/counter/v1/staff/cases/" // GET + case no → Flow
)

// The task operations, posted to PathTask + id + "/" + op.
const (
	OpClaim     = "claim"     // 领取; no body
	OpRelease   = "release"   // 退领; no body
	OpGrab      = "grab"      // 抓取; no body
	OpTransfer  = "transfer"  // 转派; TransferRequest
	OpTerminate = "terminate" // 终止; CommentRequest
	OpSendBack  = "send-back" // 打回; SendBackRequest
	OpRevoke    = "revoke"    // 撤销; no body
	OpComplete  = "complete"  // 办理; CompleteRequest
	OpRoute     = "route"     // 受理分发 of a generic intake; RouteRequest
)

// The webhook headers on every event the core posts to the BFF. The
// signature is HMAC-SHA256, keyed by the shared webhook secret, over the
// timestamp, a ".", and the raw body, in lowercase hex.
const (
	HeaderEventID   = "X-Counter-Event-Id"
	HeaderTimestamp = "X-Counter-Timestamp" // Unix seconds
	HeaderSignature = "X-Counter-Signature"
)

// MaxEventPage is the most events one poll of PathEvents returns.
const MaxEventPage = 1000

// DateLayout is how dates without a time (the promised date) travel.
const DateLayout = "2006-01-02"

// Envelope is the body of every non-2xx answer. Code is a domain.Code
// ("conflict", "forbidden", …) so both ends agree on what a refusal means;
// Message is Chinese fit to show.
type Envelope struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []domain.FieldError `json:"fields,omitempty"`
}

// Applicant is the wire form of acceptance.Applicant.
type Applicant struct {
	Kind    string `json:"kind"`
	Ref     string `json:"ref"`
	Display string `json:"display"`
}

// Material is the wire form of acceptance.Material.
type Material struct {
	Name   string `json:"name"`
	Hash   string `json:"hash,omitempty"`
	Pledge string `json:"pledge,omitempty"` // the commitment signed instead (告知承诺制)
}

// SubmitRequest is the body of POST PathCases.
type SubmitRequest struct {
	ApplicationID     string          `json:"applicationId"`
	MatterCode        string          `json:"matterCode,omitempty"`
	MatterName        string          `json:"matterName,omitempty"`
	Applicant         Applicant       `json:"applicant"`
	Channel           string          `json:"channel"`
	Form              json.RawMessage `json:"form,omitempty"`
	Materials         []Material      `json:"materials,omitempty"`
	BundleID          string          `json:"bundleId,omitempty"`
	PrerequisitesDone []string        `json:"prerequisitesDone,omitempty"`
}

// Receipt answers a SubmitRequest.
type Receipt struct {
	CaseNo               string    `json:"caseNo"`
	ApplicationID        string    `json:"applicationId"`
	MatterCode           string    `json:"matterCode"`
	MatterName           string    `json:"matterName"`
	AcceptedAt           time.Time `json:"acceptedAt"`
	PromisedBy           string    `json:"promisedBy"` // DateLayout, a Beijing date
	Generic              bool      `json:"generic"`
	PendingPrerequisites []string  `json:"pendingPrerequisites"`
}

// Step is one workflow step with its state (done, current, pending).
type Step struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	State string `json:"state"`
}

// Case answers GET PathCase + case no.
type Case struct {
	CaseNo               string     `json:"caseNo"`
	ApplicationID        string     `json:"applicationId"`
	MatterCode           string     `json:"matterCode"`
	MatterName           string     `json:"matterName"`
	Generic              bool       `json:"generic"`
	Applicant            string     `json:"applicant"` // the masked display
	Channel              string     `json:"channel"`
	BundleID             string     `json:"bundleId,omitempty"`
	Status               string     `json:"status"`
	Step                 string     `json:"step"`
	StepName             string     `json:"stepName"`
	Office               string     `json:"office"`
	Staff                string     `json:"staff"`
	Comment              string     `json:"comment"`
	AcceptedAt           time.Time  `json:"acceptedAt"`
	PromisedBy           string     `json:"promisedBy"`
	FinishedAt           *time.Time `json:"finishedAt,omitempty"`
	Steps                []Step     `json:"steps"`
	PendingPrerequisites []string   `json:"pendingPrerequisites"`
}

// Event is one change to a case: the body of each webhook post and an item
// of EventPage.
type Event struct {
	ID            string    `json:"id"` // also the polling cursor
	CaseNo        string    `json:"caseNo"`
	Seq           int       `json:"seq"`
	ApplicationID string    `json:"applicationId"`
	Kind          string    `json:"kind"`
	Status        string    `json:"status"`
	Step          string    `json:"step"`
	StepName      string    `json:"stepName"`
	Office        string    `json:"office"`
	Staff         string    `json:"staff"`
	Comment       string    `json:"comment"`
	PromisedBy    string    `json:"promisedBy"`
	At            time.Time `json:"at"`
}

// EventPage answers GET PathEvents.
type EventPage struct {
	Events []Event `json:"events"`
	Next   string  `json:"next"`
}

// MaterialsRequest is the body of a materials supply (补齐材料).
type MaterialsRequest struct {
	Materials []Material `json:"materials"`
}

// WithdrawRequest is the body of a withdrawal (撤回).
type WithdrawRequest struct {
	Reason string `json:"reason"`
}

// WebhookRequest is the body of PUT PathWebhook.
type WebhookRequest struct {
	URL string `json:"url"`
}

// Staff is a member of the bureau's staff as the staff API knows them.
type Staff struct {
	ID       string `json:"id"`   // 工号, like "A01"
	Name     string `json:"name"` // display name shown on progress pages
	Role     string `json:"role"` // 岗位: acceptor, reviewer, approver
	RoleName string `json:"roleName"`
	Office   string `json:"office"`
}

// The task scopes of GET PathTasks.
const (
	ScopePending = "pending" // 待办任务: open, unclaimed, for my role
	ScopeMine    = "mine"    // 我的任务: open and held by me
	ScopeDone    = "done"    // 已办任务: finished by me, newest first
)

// The states of a task.
const (
	TaskOpen       = "open"
	TaskDone       = "done"
	TaskSentBack   = "sent_back"  // its holder sent the case to an earlier step
	TaskTerminated = "terminated" // its holder stopped the workflow
	TaskCancelled  = "cancelled"  // withdrawn by the applicant, or undone by a revoke
)

// The outcomes of completing a task.
const (
	OutcomeApprove   = "approve"   // 通过: on to the next step, or 办结 at the last
	OutcomeReject    = "reject"    // 不予通过: the case is closed as rejected
	OutcomeMaterials = "materials" // 补齐材料: the case waits for the applicant
	OutcomeRouted    = "routed"    // a generic intake routed to a matter (set by OpRoute)
)

// Task is one step of one case as a unit of staff work (待办任务).
type Task struct {
	ID            int64      `json:"id"`
	CaseNo        string     `json:"caseNo"`
	ApplicationID string     `json:"applicationId"`
	MatterCode    string     `json:"matterCode"`
	MatterName    string     `json:"matterName"`
	Applicant     string     `json:"applicant"` // masked display
	Step          string     `json:"step"`
	StepName      string     `json:"stepName"`
	Role          string     `json:"role"`
	Office        string     `json:"office"`
	State         string     `json:"state"`
	ClaimedBy     string     `json:"claimedBy,omitempty"` // staff id
	ClaimedByName string     `json:"claimedByName,omitempty"`
	Locked        bool       `json:"locked"` // grabbed (抓取): nobody else may take it
	Outcome       string     `json:"outcome,omitempty"`
	DoneBy        string     `json:"doneBy,omitempty"`
	Comment       string     `json:"comment,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
	ClaimedAt     *time.Time `json:"claimedAt,omitempty"`
	DoneAt        *time.Time `json:"doneAt,omitempty"`
}

// TaskList answers GET PathTasks.
type TaskList struct {
	Tasks []Task `json:"tasks"`
}

// TransferRequest is the body of OpTransfer.
type TransferRequest struct {
	To string `json:"to"` // the receiving staff member's id
}

// CommentRequest is the body of OpTerminate.
type CommentRequest struct {
	Comment string `json:"comment"`
}

// SendBackRequest is the body of OpSendBack.
type SendBackRequest struct {
	Step    string `json:"step"` // an earlier step the case has passed
	Comment string `json:"comment"`
}

// CompleteRequest is the body of OpComplete.
type CompleteRequest struct {
	Outcome string `json:"outcome"`
	Comment string `json:"comment"` // required for reject and materials: the applicant reads it
}

// RouteRequest is the body of OpRoute.
type RouteRequest struct {
	MatterCode string `json:"matterCode"`
	Comment    string `json:"comment,omitempty"`
}

// Flow answers GET PathStaffCase + case no: the case with every task it has
// had, oldest first (业务流程查询).
type Flow struct {
	Case  Case   `json:"case"`
	Tasks []Task `json:"tasks"`
}

// WriteJSON writes v as the JSON answer with the given status. It is shared
// with the simulator so both ends frame answers identically.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
