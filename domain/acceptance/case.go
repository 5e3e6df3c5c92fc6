package acceptance

import "time"

// Status is where a case stands as the applicant sees it.
type Status string

// The case statuses. The last four are final: nothing happens to the case
// afterwards.
const (
	StatusAwaitingRouting   Status = "awaiting_routing"   // 待分发: a generic intake waiting for staff to route it
	StatusInProgress        Status = "in_progress"        // 办理中: a task is open at some step
	StatusAwaitingMaterials Status = "awaiting_materials" // 待补齐材料: staff asked the applicant for more
	StatusCompleted         Status = "completed"          // 已办结: approved at every step
	StatusRejected          Status = "rejected"           // 未通过: refused at some step, with the reason
	StatusTerminated        Status = "terminated"         // 已终止: staff stopped the workflow
	StatusWithdrawn         Status = "withdrawn"          // 已撤回: the applicant withdrew it
)

// Statuses lists every status, for tables that must cover them all.
var Statuses = []Status{StatusAwaitingRouting, StatusInProgress, StatusAwaitingMaterials,
	StatusCompleted, StatusRejected, StatusTerminated, StatusWithdrawn}

var statusLabels = map[Status]string{
	StatusAwaitingRouting:   "待分发",
	StatusInProgress:        "办理中",
	StatusAwaitingMaterials: "待补齐材料",
	StatusCompleted:         "已办结",
	StatusRejected:          "未通过",
	StatusTerminated:        "已终止",
	StatusWithdrawn:         "已撤回",
}

// Label returns the status in the words progress pages use; "未知状态" for
// an unknown value.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return "未知状态"
}

// Final reports whether the case is over, so that channels stop offering
// withdrawal or supplying materials and ask for a rating (好差评) instead.
func (s Status) Final() bool {
	return s == StatusCompleted || s == StatusRejected || s == StatusTerminated || s == StatusWithdrawn
}

// StepState is how far a case got with one step of its workflow.
type StepState string

// The step states, for drawing the workflow (业务流程查询).
const (
	StepDone    StepState = "done"
	StepCurrent StepState = "current"
	StepPending StepState = "pending"
)

// Step is one step of a case's workflow with its state.
type Step struct {
	Code  string // like "review"
	Name  string // like 审核
	State StepState
}

// Case is the current state of one case (办件).
type Case struct {
	CaseNo        string
	ApplicationID string
	MatterCode    string // "" while a generic intake waits for routing
	MatterName    string
	Generic       bool   // accepted as a generic intake (纯接件), routed or not
	BundleID      string // the 打包办 bundle it was filed in, if any
	Status        Status
	// Step and StepName are the current step (当前环节); empty once final.
	Step, StepName string
	Office         string // the office handling the current step (经办科室)
	Staff          string // display name of the staff holding the task; "" while unclaimed
	// Comment is the last word of staff the applicant must read: what
	// materials are missing, why the case was refused or stopped.
	Comment    string
	AcceptedAt time.Time
	PromisedBy time.Time // midnight in Beijing of the promised day
	FinishedAt time.Time // zero until the status is final
	Steps      []Step    // the whole workflow, for a progress bar
	// PendingPrerequisites lists prerequisite matters still not completed
	// by the applicant, as of now.
	PendingPrerequisites []string
}
