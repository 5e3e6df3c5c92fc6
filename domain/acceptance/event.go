package acceptance

import "time"

// EventKind says what happened to a case.
type EventKind string

// The event kinds, one for every change the core makes. Task operations of
// staff (claim, release, grab, transfer) are events too: channels may show
// "正在办理" once someone holds the case.
const (
	EventAccepted             EventKind = "accepted"               // 已受理: the case was opened
	EventRouted               EventKind = "routed"                 // 已分发: a generic intake was routed to a matter (受理分发)
	EventClaimed              EventKind = "claimed"                // 已领取: a staff member took the task
	EventReleased             EventKind = "released"               // 已退领: the task is back in the pool
	EventGrabbed              EventKind = "grabbed"                // 已抓取: a staff member force-claimed the task
	EventTransferred          EventKind = "transferred"            // 已转派: the task was handed to another staff member
	EventStepCompleted        EventKind = "step_completed"         // 环节办结: a step passed, the next one is open
	EventApproved             EventKind = "approved"               // 审批通过: the deciding step passed
	EventReturnedForMaterials EventKind = "returned_for_materials" // 需补齐材料: staff asked for more materials
	EventMaterialsSupplied    EventKind = "materials_supplied"     // 已补齐材料: the applicant supplied them
	EventSentBack             EventKind = "sent_back"              // 已打回: back to an earlier step (任务打回)
	EventRevoked              EventKind = "revoked"                // 已撤销: a done step was undone (任务撤销)
	EventRejected             EventKind = "rejected"               // 未通过: refused, case closed
	EventCompleted            EventKind = "completed"              // 已办结: the last step passed, case closed
	EventTerminated           EventKind = "terminated"             // 已终止: staff stopped the workflow (任务终止)
	EventWithdrawn            EventKind = "withdrawn"              // 已撤回: the applicant withdrew
)

// EventKinds lists every kind, for tables that must cover them all.
var EventKinds = []EventKind{EventAccepted, EventRouted, EventClaimed, EventReleased, EventGrabbed, EventTransferred, EventStepCompleted,
	EventApproved, EventReturnedForMaterials, EventMaterialsSupplied, EventSentBack, EventRevoked, EventRejected, EventCompleted,
	EventTerminated, EventWithdrawn}

var kindLabels = map[EventKind]string{
	EventAccepted:             "已受理",
	EventRouted:               "已分发",
	EventClaimed:              "已领取",
	EventReleased:             "已退领",
	EventGrabbed:              "已抓取",
	EventTransferred:          "已转派",
	EventStepCompleted:        "环节办理完成",
	EventApproved:             "审批通过",
	EventReturnedForMaterials: "需补齐材料",
	EventMaterialsSupplied:    "已补齐材料",
	EventSentBack:             "已打回",
	EventRevoked:              "已撤销",
	EventRejected:             "未通过",
	EventCompleted:            "已办结",
	EventTerminated:           "已终止",
	EventWithdrawn:            "已撤回",
}

// Label returns the kind in the words progress timelines use; "未知进度"
// for an unknown value.
func (k EventKind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return "未知进度"
}

// Event is one change to one case. The core pushes each event by webhook,
// in order per case and at least once, and lists them for polling; the BFF
// de-duplicates by ID and may rely on Seq to order a case's events.
type Event struct {
	ID            string // unique across all cases; the webhook's event id
	Cursor        string // pass to Core.Events to list the events after this one
	CaseNo        string
	Seq           int // 1, 2, 3… within the case, without gaps
	ApplicationID string
	Kind          EventKind
	Status        Status // the case's status after the event
	Step          string // the step the event concerns (for sent_back, the step returned to)
	StepName      string
	Office        string
	Staff         string // display name of the staff member who acted; "" for the applicant or the system
	Comment       string // staff's words for the applicant, if any
	PromisedBy    time.Time
	At            time.Time
}
