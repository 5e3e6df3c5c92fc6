package certification

import (
	"context"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/ecard"
)

// Store keeps cycles, the events owed to the counter core and the
// reminders sent. Every method may return Unavailable when the database
// fails; that is not repeated below.
type Store interface {
	// Latest returns the person's cycle with the highest Seq. NotFound when
	// the person has none yet.
	Latest(ctx context.Context, personRef string) (Cycle, error)
	// Cycle returns one cycle. NotFound for an unknown id.
	Cycle(ctx context.Context, id string) (Cycle, error)
	// Insert adds a person's baseline cycle. Conflict when the person has a
	// cycle of that Seq already (another request started them first).
	Insert(ctx context.Context, c Cycle) error
	// Open adds next, the cycle after prev, and clears prev's NextCheck, in
	// one transaction. Conflict when prev is no longer at prev.Version or
	// a cycle of next's Seq exists: someone else opened it.
	Open(ctx context.Context, prev, next Cycle) error
	// Update writes c's changeable fields (state, times, certification,
	// NextCheck) and adds events, in one transaction, if the stored cycle
	// is still at c.Version; the stored version becomes c.Version+1. False,
	// with nothing written, when the cycle changed since it was read.
	Update(ctx context.Context, c Cycle, events []Event) (bool, error)
	// DueChecks returns up to limit cycles whose NextCheck is at or before
	// now and after the cursor, in (NextCheck, ID) order.
	DueChecks(ctx context.Context, now time.Time, after CheckCursor, limit int) ([]Cycle, error)
	// ClaimReminder records that the reminder kind of the cycle is being
	// sent; false when it was recorded already, by this or another instance.
	ClaimReminder(ctx context.Context, cycleID string, kind ReminderKind, at time.Time) (bool, error)
	// ReleaseReminder forgets a claim whose sending failed, so a later
	// sweep sends it.
	ReleaseReminder(ctx context.Context, cycleID string, kind ReminderKind) error
	// Unforwarded returns the cycle's events not yet acknowledged by the
	// Forwarder, in the order they happened.
	Unforwarded(ctx context.Context, cycleID string) ([]Event, error)
	// RetryDue returns up to limit ids of cycles with an unforwarded event
	// whose next attempt is at or before now, longest waiting first.
	RetryDue(ctx context.Context, now time.Time, limit int) ([]string, error)
	// Forwarded marks an event acknowledged.
	Forwarded(ctx context.Context, eventID string, at time.Time) error
	// ForwardFailed counts a failed attempt, keeps why (no personal data)
	// and sets when to try again.
	ForwardFailed(ctx context.Context, eventID string, retryAt time.Time, reason string) error
}

// CheckCursor pages through DueChecks: the NextCheck and ID of the last
// cycle of the previous page; zero for the first page.
type CheckCursor struct {
	At time.Time
	ID string
}

// EventKind is what the counter core is told of.
type EventKind string

// The events forwarded to the counter core.
const (
	EventCertified EventKind = "certified" // 认证通过
	EventSuspended EventKind = "suspended" // 暂停发放
	EventResumed   EventKind = "resumed"   // 认证通过，恢复发放并补发
)

// Event is a change the counter core must hear of, kept with the cycle
// change in one transaction (the outbox) until the Forwarder takes it.
type Event struct {
	ID      string // unique; the idempotency key of what the Forwarder files
	CycleID string
	Kind    EventKind
	At      time.Time
	// NextAttempt is when a sweep may (re)try to forward it. A new event
	// gets a short lease: the request that made it forwards it first.
	NextAttempt time.Time
	Attempts    int
}

// Pensioners is the port to what the business core knows of a person that
// certification needs. The wiring adapts insured.Core (see CorePensioners).
type Pensioners interface {
	// Pensioner returns the person's pension standing. NotFound when the
	// core has no such person; Unavailable or Timeout when it is down.
	Pensioner(ctx context.Context, id domain.IDNumber) (Pensioner, error)
}

// Pensioner is a person as certification sees them.
type Pensioner struct {
	Name      string    // only for the masked display
	Retired   bool      // 退休, drawing a pension: only then is there anything to certify
	RetiredOn time.Time // when the pension began
	// LastCertified is the last certification the core recorded; zero when
	// it recorded none (the first cycle then runs from RetiredOn).
	LastCertified time.Time
}

// PensionersFunc adapts a function to Pensioners.
type PensionersFunc func(ctx context.Context, id domain.IDNumber) (Pensioner, error)

// Pensioner calls f.
func (f PensionersFunc) Pensioner(ctx context.Context, id domain.IDNumber) (Pensioner, error) {
	return f(ctx, id)
}

// FaceVerifier redeems face-check result tokens. ecard.Platform satisfies
// it as is: the e-card platform answers each token once, Rejected for one
// used or expired, NotFound for one it never issued.
type FaceVerifier interface {
	VerifyFace(ctx context.Context, token string) (ecard.FaceResult, error)
}

// Forwarder tells the counter core of an event. The wiring files an
// application of matter MatterCode through declarations, with
// Notice.EventID as its idempotency key: an event may be forwarded more
// than once (a retry after a lost answer, two instances sweeping), never
// lost. An error leaves the event for the next sweep.
type Forwarder interface {
	Forward(ctx context.Context, n Notice) error
}

// ForwarderFunc adapts a function to Forwarder.
type ForwarderFunc func(ctx context.Context, n Notice) error

// Forward calls f.
func (f ForwarderFunc) Forward(ctx context.Context, n Notice) error { return f(ctx, n) }

// Notice is one event as the counter core is told of it.
type Notice struct {
	EventID string
	Kind    EventKind
	At      time.Time
	// Person is the pensioner, opened from the sealed column for the
	// wiring to file under; it masks itself in logs.
	Person  domain.IDNumber
	Display string // masked name and number
	Year    int
	DueOn   time.Time
	// Certification is how the cycle was certified; nil for a suspension.
	Certification *Certification
	// ActingFor is the relative who certified for the pensioner, opened;
	// "" when no relative did. Certification.Actor.Relation says how they
	// are related.
	ActingFor   domain.IDNumber
	SuspendedAt time.Time
	BackPay     *BackPay // the months to pay back, for a resumption
}

// Reminders sends certification reminders (认证提醒) to pensioners; the
// wiring implements it with SMS and app notifications. Each reminder of a
// cycle is sent once; an error makes the next sweep try again.
type Reminders interface {
	Remind(ctx context.Context, r Reminder) error
}

// RemindersFunc adapts a function to Reminders.
type RemindersFunc func(ctx context.Context, r Reminder) error

// Remind calls f.
func (f RemindersFunc) Remind(ctx context.Context, r Reminder) error { return f(ctx, r) }

// ReminderKind names a reminder of a cycle: "due_30" (30 days before the
// due date), "due_7", …, and "overdue".
type ReminderKind string

// RemindOverdue is the reminder sent when a cycle falls overdue.
const RemindOverdue ReminderKind = "overdue"

func dueReminder(days int) ReminderKind { return ReminderKind("due_" + strconv.Itoa(days)) }

// Reminder is one reminder to a pensioner.
type Reminder struct {
	CycleID string
	Kind    ReminderKind
	Person  domain.IDNumber // opened; masks itself in logs
	Display string
	Year    int
	DueOn   time.Time
	// Deadline is the last day a certification counts as in time;
	// SuspendOn the day the benefit is suspended without one (逾期将暂停发放).
	Deadline  time.Time
	SuspendOn time.Time
	DaysLeft  int // whole days from today to Deadline; 0 when overdue
}

// Auditor records audit entries; *audit.Recorder satisfies it.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry)
}
