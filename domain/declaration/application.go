// Package declaration is online declaration (网上申报/申请): a citizen or an
// employer clerk files an application for one matter (事项), or for a whole
// bundle of linked matters at once (打包办, "一件事一次办": one form, one set
// of materials, fanned out to every matter and tracked as one package), from
// any channel; drafts follow the applicant from the kiosk to the phone; and
// every acknowledged application reaches the counter acceptance and dispatch
// core (综合柜员制受理) exactly once as far as the applicant can tell.
//
// Durability is the point of the design. The BFF generates the application
// id, then commits the application and an outbox row in one transaction
// before it answers; the Dispatcher forwards the outbox to the core at least
// once, with backoff, across restarts and hours of core outage, and the core
// de-duplicates by the id. A double tap or a retried request carries the
// same Idempotency-Key, which a unique key in the database turns into the
// first answer, never a second application.
//
// Personal data stays sealed: the applicant is stored as a keyed blind
// index (to find their applications), the sealed ID number or credit code,
// and a masked display; the form, which may hold phone numbers and family
// members' ID numbers, is stored sealed as a whole.
package declaration

import (
	"crypto/rand"
	"encoding/base32"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// Status is where an application stands as its applicant sees it: two
// states of its own before the core has it, then the core's case status
// (acceptance.Status values, converted).
type Status string

// The statuses an application has before or instead of a case.
const (
	// StatusSubmitted (已提交): committed and acknowledged, not yet accepted
	// by the core; the dispatcher is forwarding it.
	StatusSubmitted Status = "submitted"
	// StatusRefused (提交未成功): the core refused the application for good
	// (malformed, or its id clashes); staff see the reason and follow up.
	StatusRefused Status = "refused"
)

// Label returns the status in the words progress pages use.
func (s Status) Label() string {
	switch s {
	case StatusSubmitted:
		return "已提交，等待受理"
	case StatusRefused:
		return "提交未成功，工作人员将与您联系"
	}
	return acceptance.Status(s).Label()
}

// Final reports whether nothing more will happen to the application.
func (s Status) Final() bool {
	return s == StatusRefused || acceptance.Status(s).Final()
}

// Applicant is who an application is about, as stored: never the raw
// number. Ref is the keyed blind index of the ID number (person) or credit
// code (unit), by which the applicant's applications and drafts are found;
// SealedID is the number sealed by the privacy.Sealer; Display is what
// receipts and staff show, already masked (张* 2106**********123X).
type Applicant struct {
	Kind     acceptance.ApplicantKind
	Ref      string
	SealedID string
	Display  string
}

// Application is one application (申请) for one matter, with the state of
// its case at the core as far as the BFF has heard.
type Application struct {
	ID         string // "AP" + UTC yyyymmddHHMMSS + random; sortable by time
	BundleID   string // the package (打包办) it belongs to; "" when alone
	MatterCode string
	MatterName string
	Situation  string // the applicant's situation (情形) the form was checked against
	Applicant  Applicant
	// ActingFor is who filed the application on the applicant's behalf
	// (亲情服务: a family member at the kiosk or on their phone), with
	// Relation saying how they are related; zero when the applicant filed.
	ActingFor      Applicant
	Relation       string
	Channel        domain.Channel
	IdempotencyKey string // "" for the members of a bundle: the bundle holds the key
	// SealedForm is the declaration form as the channel filled it, sealed
	// as a whole: forms hold phone numbers and relatives' ID numbers.
	SealedForm        string
	Materials         []acceptance.Material
	PrerequisitesDone []string // prerequisites the BFF knows are done elsewhere
	SubmittedAt       time.Time
	State             State
}

// State is what the BFF knows of an application's case: from the receipt
// the dispatcher stored and from the events the core sent since.
type State struct {
	Status  Status
	CaseNo  string // 办件编号; "" until the core accepts the application
	Generic bool   // accepted as a generic intake (纯接件)
	// Step, StepName and Office are the current step (当前环节) and the
	// office handling it (经办科室); empty once final.
	Step, StepName, Office string
	// Comment is the last word of staff for the applicant: what materials
	// are missing, why the case was refused; or why withdrawn.
	Comment              string
	ForwardedAt          time.Time // when the core acknowledged it
	AcceptedAt           time.Time
	PromisedBy           time.Time // 承诺办结日期, midnight in Beijing
	FinishedAt           time.Time
	PendingPrerequisites []string
	LastSeq              int    // the per-case sequence of the last event applied
	ForwardError         string // why the core refused it (StatusRefused), for staff
}

// Bundle is one package (打包办): the applications of one submission for a
// bundle of linked matters (一件事).
type Bundle struct {
	ID             string // "PK" + UTC yyyymmddHHMMSS + random
	Code           string // the bundle's code in the catalog
	Name           string
	ApplicantRef   string
	Channel        domain.Channel
	IdempotencyKey string
	CreatedAt      time.Time
}

// Filed is what one submission created: its applications and, for a
// bundle, the package row (Bundle.ID "" otherwise).
type Filed struct {
	Bundle       Bundle
	Applications []Application
}

// idEncoding spells the random part of ids: RFC 4648 base32, upper case.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns an id with prefix ("AP", "PK"), the UTC time to the second
// and over 40 random bits, like AP20261129083015KQ3ZB7XMA. The random part
// starts with a letter so that the digits never run to 18, which log
// maskers and data scans would take for an ID number.
func NewID(prefix string, now time.Time) string {
	var b [6]byte
	rand.Read(b[:]) // crypto/rand never fails; it crashes the program instead
	letter := byte('A' + b[0]%26)
	return prefix + now.UTC().Format("20060102150405") + string(letter) + idEncoding.EncodeToString(b[1:])
}
