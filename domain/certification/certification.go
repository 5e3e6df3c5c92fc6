// Package certification is the yearly pension entitlement certification
// (领取养老保险待遇资格认证, 养老生存认证): every pensioner shows once a
// year that they are alive and still entitled, or their pension is suspended
// (暂停发放) until they do.
//
// A pensioner's certifications form cycles, one per year. A cycle opens some
// weeks before its due date — twelve months after the last certification —
// and is due (待认证); past the due date and a grace period it is overdue
// (逾期未认证); overdue long enough, the benefit is suspended (暂停发放).
// Certifying closes the cycle: certified (已认证), or resumed (恢复发放) when
// the benefit had been suspended, with a back-pay notice (补发) for the months
// held back. The next cycle then runs from the certification date.
//
// A cycle is certified by data matching (数据比对: the pensioner was seen in
// hospital, transport or other records), by a face check at a kiosk or in
// the app (the e-card platform verifies the face-check token), or by a staff
// visit (上门认证). A relative may act for an elderly pensioner (亲情认证);
// the relative and the relation are recorded.
//
// Cycles start lazily: the first Status or Certify of a pensioner reads the
// last certification the business core knows and takes it from there. Sweep,
// run periodically, moves cycles along, opens next year's cycles and sends
// reminders before the due date and on falling overdue. Certifications,
// suspensions and resumptions are forwarded to the counter core as
// applications of matter MatterCode, through an outbox of events so that
// none is lost when the core is down.
//
// Pensioners are stored by blind index, sealed ID number and masked display
// (privacy); no raw ID number reaches the Store, a log or an error.
package certification

import (
	"github.com/dandong-hrss/hrss/domain"
)

// MatterCode is the catalogue matter (事项) the counter core files
// certifications, suspensions and resumptions under.
const MatterCode = "pension.certification"

// Method is how a pensioner was certified.
type Method string

// The certification methods.
const (
	DataMatch  Method = "data_match"  // 数据比对: seen in hospital, transport or other data
	KioskFace  Method = "kiosk_face"  // 自助一体机刷脸
	AppFace    Method = "app_face"    // 手机APP刷脸 (app or WeChat)
	StaffVisit Method = "staff_visit" // 上门认证 by bureau or community staff
	// Recorded is a certification the business core recorded before this
	// system knew the pensioner: the baseline a first cycle runs from. It
	// cannot be passed to Certify.
	Recorded Method = "recorded"
)

var methodLabels = map[Method]string{
	DataMatch:  "数据比对认证",
	KioskFace:  "自助一体机刷脸认证",
	AppFace:    "手机APP刷脸认证",
	StaffVisit: "工作人员上门认证",
	Recorded:   "经办系统认证记录",
}

// Label returns the Chinese name shown to citizens and staff.
func (m Method) Label() string {
	if l, ok := methodLabels[m]; ok {
		return l
	}
	return string(m)
}

// face reports whether the method rests on a face check.
func (m Method) face() bool { return m == KioskFace || m == AppFace }

// channel is the channel a method is usually carried out through.
func (m Method) channel() domain.Channel {
	switch m {
	case KioskFace:
		return domain.Kiosk
	case AppFace:
		return domain.App
	}
	return domain.Counter
}

// State is where a cycle stands.
type State string

// The cycle states.
const (
	Due       State = "due"       // 待认证: open, not yet certified, still in time
	Overdue   State = "overdue"   // 逾期未认证: past the due date and the grace days
	Suspended State = "suspended" // 暂停发放: overdue too long, the benefit is held back
	Certified State = "certified" // 已认证
	Resumed   State = "resumed"   // 已认证，恢复发放: certified after a suspension
)

var stateLabels = map[State]string{
	Due:       "待认证",
	Overdue:   "逾期未认证",
	Suspended: "已暂停发放待遇",
	Certified: "已认证",
	Resumed:   "已认证，恢复发放待遇",
}

// Label returns the Chinese words shown to citizens.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Done reports whether the cycle is certified (resumed included).
func (s State) Done() bool { return s == Certified || s == Resumed }

// ActorKind says who carried out a certification.
type ActorKind string

// The actors.
const (
	Self     ActorKind = "self"     // 本人
	Relative ActorKind = "relative" // 亲情认证: a relative acting for the pensioner
	Staff    ActorKind = "staff"    // 工作人员, on a visit
	System   ActorKind = "system"   // the data match, or the business core's record
)

// Relation is how a relative acting for a pensioner is related to them.
type Relation string

// The relations a relative may act under.
const (
	Spouse     Relation = "spouse"     // 配偶
	Child      Relation = "child"      // 子女
	Grandchild Relation = "grandchild" // 孙子女、外孙子女
	Sibling    Relation = "sibling"    // 兄弟姐妹
	OtherKin   Relation = "other"      // 其他亲属
)

var relationLabels = map[Relation]string{
	Spouse:     "配偶",
	Child:      "子女",
	Grandchild: "孙子女",
	Sibling:    "兄弟姐妹",
	OtherKin:   "其他亲属",
}

// Label returns the Chinese word for the relation.
func (r Relation) Label() string {
	if l, ok := relationLabels[r]; ok {
		return l
	}
	return string(r)
}

// Actor is who asks to certify a pensioner, as the channel authenticated
// them. The channel has already checked that a relative may act for the
// pensioner (the family binding of the app account); this package records
// who acted and how they are related.
type Actor struct {
	Kind ActorKind
	// Channel is the channel the certification came through; "" takes the
	// method's usual one (kiosk for KioskFace, app for AppFace, counter
	// otherwise).
	Channel domain.Channel
	// Relative, Name and Relation describe the relative for Kind Relative:
	// their ID number (sealed before storing), their name (masked) and
	// how they are related to the pensioner.
	Relative domain.IDNumber
	Name     string
	Relation Relation
	// StaffID is the staff member's number (工号) for Kind Staff.
	StaffID string
}
