package rating

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// State is where a rectification (整改) stands.
type State string

// The states. A rectification opens, is called back, verified, then fixed
// or explained and closed with a result; before it is fixed or explained
// staff may appeal once, and the review either upholds the rating (the
// rectification goes back to where it was) or finds it unfounded (closed).
const (
	StateOpen       State = "open"        // 待回访
	StateCalledBack State = "called_back" // 已回访
	StateVerified   State = "verified"    // 已核实
	StateFixed      State = "fixed"       // 已整改
	StateExplained  State = "explained"   // 已解释说明
	StateAppealed   State = "appealed"    // 申诉复核中
	StateClosed     State = "closed"      // 已办结
)

var stateLabels = map[State]string{
	StateOpen: "待回访", StateCalledBack: "已回访", StateVerified: "已核实", StateFixed: "已整改",
	StateExplained: "已解释说明", StateAppealed: "申诉复核中", StateClosed: "已办结",
}

// Label returns the state's Chinese name; "未知状态" for an unknown value.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return "未知状态"
}

// Action is one step staff take on a rectification.
type Action string

// The actions.
const (
	ActionCallBack  Action = "call_back" // 回访: contact the applicant
	ActionVerify    Action = "verify"    // 核实: establish what happened
	ActionFix       Action = "fix"       // 整改: put it right
	ActionExplain   Action = "explain"   // 解释说明: explain why it stands
	ActionClose     Action = "close"     // 办结: close with the result
	ActionAppeal    Action = "appeal"    // 申诉: claim the rating is unfounded
	ActionUphold    Action = "uphold"    // 复核: the rating stands
	ActionUnfounded Action = "unfounded" // 复核: the rating is unfounded
)

// move is what an action needs and where it leads; to "" means back to
// the state the appeal came from.
type move struct {
	from  []State
	to    State
	label string // the action in Chinese, for messages
	note  string // what the note must say, for the Invalid message
}

var moves = map[Action]move{
	ActionCallBack:  {[]State{StateOpen}, StateCalledBack, "回访", "请填写回访情况"},
	ActionVerify:    {[]State{StateCalledBack}, StateVerified, "核实", "请填写核实情况"},
	ActionFix:       {[]State{StateVerified}, StateFixed, "整改", "请填写整改措施"},
	ActionExplain:   {[]State{StateVerified}, StateExplained, "解释说明", "请填写向申请人所作的解释"},
	ActionClose:     {[]State{StateFixed, StateExplained}, StateClosed, "办结", "请填写整改结果"},
	ActionAppeal:    {[]State{StateOpen, StateCalledBack, StateVerified}, StateAppealed, "申诉", "请填写申诉理由"},
	ActionUphold:    {[]State{StateAppealed}, "", "复核", "请填写复核意见"},
	ActionUnfounded: {[]State{StateAppealed}, StateClosed, "复核", "请填写复核意见"},
}

// MaxNoteLen bounds the note of one step, in characters.
const MaxNoteLen = 1000

// Step is one recorded action on a rectification: who did what, when.
type Step struct {
	Action Action
	From   State
	To     State
	By     string // staff display name
	Note   string // ID and phone numbers masked
	At     time.Time
}

// Rectification is the follow-up a bad rating (差评) opens. Its ID is the
// rating's. It copies the rating's matter, office and staff so lists of
// rectifications need no join.
type Rectification struct {
	ID            string
	ApplicationID string
	Stage         Stage
	Level         Level
	MatterCode    string
	MatterName    string
	Channel       domain.Channel
	Office        string
	Staff         string
	State         State
	// AppealedFrom is the state an appeal was made from; set once, so a
	// rating can be appealed only once.
	AppealedFrom State
	Unfounded    bool   // closed by a review that found the rating unfounded
	Result       string // the closing note: the result of the fix or explanation, or the review
	OpenedAt     time.Time
	Deadline     time.Time // the instant it becomes overdue
	ClosedAt     time.Time // zero while open
	Steps        []Step    // oldest first; only when read one at a time
}

// Overdue reports whether the rectification is still open at now although
// its deadline has passed (超期).
func (r Rectification) Overdue(now time.Time) bool {
	return r.State != StateClosed && !now.Before(r.Deadline)
}

// Late reports whether it was closed after its deadline.
func (r Rectification) Late() bool {
	return r.State == StateClosed && r.ClosedAt.After(r.Deadline)
}

// open starts the rectification of bad rating rt, due at the end of the
// days-th working day after the day it was given.
func open(rt Rating, cal Calendar, days int) Rectification {
	return Rectification{
		ID: rt.ID, ApplicationID: rt.ApplicationID, Stage: rt.Stage, Level: rt.Level,
		MatterCode: rt.MatterCode, MatterName: rt.MatterName, Channel: rt.Channel,
		Office: rt.Office, Staff: rt.Staff, State: StateOpen,
		OpenedAt: rt.At, Deadline: Deadline(cal, rt.At, days),
	}
}

// apply returns r after action a by staff member by, with the step
// recorded, or the error saying why the action is not allowed now:
// Invalid for a missing note or actor, Conflict for a wrong step.
func (r Rectification) apply(a Action, by, note string, at time.Time) (Rectification, error) {
	m, ok := moves[a]
	if !ok {
		return r, domain.InvalidFields(domain.FieldError{Field: "action", Message: "不支持的整改操作"})
	}
	by, note = strings.TrimSpace(by), domain.MaskText(strings.TrimSpace(note))
	if err := checkStep(m, by, note); err != nil {
		return r, err
	}
	if err := r.allows(a, m); err != nil {
		return r, err
	}
	to := m.to
	switch a {
	case ActionAppeal:
		r.AppealedFrom = r.State
	case ActionUphold:
		to = r.AppealedFrom
	case ActionUnfounded:
		r.Unfounded = true
	}
	if to == StateClosed {
		r.Result, r.ClosedAt = note, at
	}
	r.Steps = append(r.Steps[:len(r.Steps):len(r.Steps)], Step{Action: a, From: r.State, To: to, By: by, Note: note, At: at})
	r.State = to
	return r, nil
}

// checkStep checks the actor and note of a step.
func checkStep(m move, by, note string) error {
	var bad []domain.FieldError
	if by == "" {
		bad = append(bad, domain.FieldError{Field: "by", Message: "请填写经办人"})
	}
	if note == "" {
		bad = append(bad, domain.FieldError{Field: "note", Message: m.note})
	} else if utf8.RuneCountInString(note) > MaxNoteLen {
		bad = append(bad, domain.FieldError{Field: "note", Message: "说明请不超过1000字"})
	}
	if len(bad) > 0 {
		return domain.InvalidFields(bad...)
	}
	return nil
}

// allows says whether action a fits r's state; Conflict when not.
func (r Rectification) allows(a Action, m move) error {
	if a == ActionAppeal && r.AppealedFrom != "" {
		return domain.Errorf(domain.Conflict, "该差评已申诉复核过，不能再次申诉")
	}
	for _, s := range m.from {
		if s == r.State {
			return nil
		}
	}
	return domain.Errorf(domain.Conflict, "该整改当前为“%s”，不能%s，请刷新后按流程办理", r.State.Label(), m.label)
}

// Deadline returns when a rectification opened at opened becomes overdue:
// midnight in Beijing after the days-th working day following the day it
// was opened. Opened on a Friday with 1 day, it is due by the end of
// Monday. A calendar with no working days ends the count after a year.
func Deadline(cal Calendar, opened time.Time, days int) time.Time {
	y, m, d := opened.In(domain.Beijing).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, domain.Beijing)
	for n, i := 0, 0; n < days && i < 366; i++ {
		day = day.AddDate(0, 0, 1)
		if cal.Workday(day) {
			n++
		}
	}
	return day.AddDate(0, 0, 1)
}

// Weekdays is the calendar without a holiday table: Monday to Friday are
// working days.
type Weekdays struct{}

// Workday implements Calendar.
func (Weekdays) Workday(day time.Time) bool {
	wd := day.In(domain.Beijing).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// RectificationFilter chooses rectifications to list.
type RectificationFilter struct {
	Office    string    // only this office; "" for all
	OpenOnly  bool      // only those not closed
	OverdueAt time.Time // non-zero: only those still open with Deadline <= OverdueAt
	Limit     int       // at most this many, oldest deadline first; 0 or over 500 means 500
}
