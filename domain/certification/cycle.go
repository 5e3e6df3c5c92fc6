package certification

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// Cycle is one year of a pensioner's certification (认证周期). Dates are
// midnight in Beijing; times are instants.
type Cycle struct {
	ID string
	// PersonRef is the blind index of the pensioner's ID number, the key a
	// person's cycles are found by; PersonSealed the sealed number;
	// PersonDisplay the masked name and number (张* 2106**********123X).
	PersonRef     string
	PersonSealed  string
	PersonDisplay string
	// Seq numbers a person's cycles from 0, the baseline taken from the
	// business core's record; Year is the year of the due date (认证年度).
	Seq  int
	Year int
	// OpensOn is the first day a certification counts for this cycle;
	// DueOn the due date (应认证日期); OverdueOn the first day overdue
	// (DueOn plus the grace days, plus one); SuspendOn the first day of
	// suspension. They are fixed when the cycle opens: changed rules apply
	// to cycles opened afterwards.
	OpensOn   time.Time
	DueOn     time.Time
	OverdueOn time.Time
	SuspendOn time.Time
	State     State
	// OverdueAt and SuspendedAt are when the cycle became overdue and
	// suspended; zero when it did not.
	OverdueAt   time.Time
	SuspendedAt time.Time
	// Certification is how the cycle was certified; nil until it is.
	Certification *Certification
	// NextCheck is when Sweep must look at the cycle next: a reminder, a
	// state change or, once certified, the opening of the next cycle. Zero
	// when nothing will happen without a certification (suspended).
	NextCheck time.Time
	// Version counts the stored changes, for optimistic concurrency: the
	// Store writes a cycle only over the version it was read at.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time

	// NextDueOn is, for a certified cycle, when the next certification is
	// due. The Service fills it in; it is not stored.
	NextDueOn time.Time
}

// Certification is how, when and by whom a cycle was certified.
type Certification struct {
	At      time.Time
	Method  Method
	Channel domain.Channel
	Actor   ActorRecord
	// Evidence refers to what the certification rests on: the face-check
	// result token, the matched data record, the visit record number.
	Evidence string
}

// ActorRecord is an Actor as stored: a relative by blind index, sealed ID
// number and masked display, never by raw number.
type ActorRecord struct {
	Kind ActorKind
	// Ref is the relative's blind index or the staff member's number; ""
	// for the pensioner themselves and for the system.
	Ref      string
	Sealed   string // the relative's sealed ID number
	Display  string // the relative's masked name and number
	Relation Relation
}

// BackPay is the back-pay notice (补发通知) of a resumed cycle: the months
// whose pension the suspension held back, from the month it took effect
// through the month of the certification. The counter core pays them; the
// pension is paid as usual from the next month on.
type BackPay struct {
	Months []insured.Month
}

// BackPay returns the back-pay notice of a resumed cycle, nil otherwise.
func (c Cycle) BackPay() *BackPay {
	if c.State != Resumed || c.Certification == nil || c.SuspendedAt.IsZero() {
		return nil
	}
	var months []insured.Month
	last := insured.MonthOf(c.Certification.At)
	for m := insured.MonthOf(c.SuspendedAt); m <= last; m = insured.NewMonth(m.Year(), m.Month()+1) {
		months = append(months, m)
	}
	return &BackPay{Months: months}
}

// open reports whether the cycle still waits for a certification.
func (c Cycle) open() bool { return c.State == Due || c.State == Overdue || c.State == Suspended }

// moveTo returns c moved on in time to state st at now — Due to Overdue or
// Suspended, Overdue to Suspended — and whether the move is a suspension,
// which the counter core must hear of.
func (c Cycle) moveTo(st State, now time.Time) (Cycle, bool) {
	if c.OverdueAt.IsZero() {
		c.OverdueAt = now
	}
	c.State, c.UpdatedAt = st, now
	if st != Suspended {
		return c, false
	}
	c.SuspendedAt = now
	return c, true
}

// certify returns c certified by cert and the event that records it: a
// resumption when the benefit was suspended. nextOpen is when the next
// cycle opens.
func (c Cycle) certify(cert Certification, nextOpen time.Time) (Cycle, EventKind) {
	kind := EventCertified
	c.State = Certified
	if !c.SuspendedAt.IsZero() {
		c.State, kind = Resumed, EventResumed
	}
	c.Certification, c.NextCheck, c.UpdatedAt = &cert, nextOpen, cert.At
	return c, kind
}
