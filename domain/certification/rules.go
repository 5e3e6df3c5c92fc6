package certification

import (
	"fmt"
	"slices"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Rules are the bureau's certification rules. They are read when a cycle
// opens: a cycle keeps the dates it opened with.
type Rules struct {
	// IntervalMonths is how long a certification holds: the next is due
	// this many months after it (每12个月认证一次).
	IntervalMonths int
	// OpenDays is how many days before its due date a cycle opens, so
	// that reminders can go out and early certifications count for it.
	OpenDays int
	// GraceDays is how many days after the due date a cycle still counts
	// as in time.
	GraceDays int
	// SuspendAfterDays is how many days a cycle may be overdue before the
	// benefit is suspended (暂停发放).
	SuspendAfterDays int
	// RemindDays lists how many days before the due date to remind the
	// pensioner; a reminder also goes out when the cycle falls overdue.
	RemindDays []int
}

// DefaultRules are the rules of the embedded default: due a year after the
// last certification, open 60 days before, 30 days' grace, suspension after
// 60 days overdue, reminders 30 and 7 days before the due date.
func DefaultRules() Rules {
	return Rules{IntervalMonths: 12, OpenDays: 60, GraceDays: 30, SuspendAfterDays: 60, RemindDays: []int{30, 7}}
}

// Validate reports the first rule that makes no sense, naming the setting.
func (r Rules) Validate() error {
	switch {
	case r.IntervalMonths < 1 || r.IntervalMonths > 36:
		return fmt.Errorf("certification interval %d months: want 1–36", r.IntervalMonths)
	case r.OpenDays < 1 || r.OpenDays >= r.IntervalMonths*28:
		return fmt.Errorf("certification window of %d days: want at least 1 and shorter than the interval", r.OpenDays)
	case r.GraceDays < 0:
		return fmt.Errorf("certification grace of %d days: want 0 or more", r.GraceDays)
	case r.SuspendAfterDays < 1:
		return fmt.Errorf("suspension after %d overdue days: want 1 or more", r.SuspendAfterDays)
	}
	for i, d := range r.RemindDays {
		if d < 1 || d > r.OpenDays {
			return fmt.Errorf("reminder %d days before the due date: want 1–%d (the window)", d, r.OpenDays)
		}
		if slices.Contains(r.RemindDays[:i], d) {
			return fmt.Errorf("reminder %d days before the due date is listed twice", d)
		}
	}
	return nil
}

// day returns midnight in Beijing of t's date.
func day(t time.Time) time.Time {
	y, m, d := t.In(domain.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, domain.Beijing)
}

// nextDue is when the certification after c's is due.
func (r Rules) nextDue(c Cycle) time.Time {
	return day(c.Certification.At).AddDate(0, r.IntervalMonths, 0)
}

// nextOpen is when the cycle after the certified c opens.
func (r Rules) nextOpen(c Cycle) time.Time {
	return r.nextDue(c).AddDate(0, 0, -r.OpenDays)
}

// successor is the cycle after the certified prev, opened at now. After a
// baseline from the business core's record the cycle is due no earlier
// than the day it opens, so a pensioner the core last saw long ago is
// reminded and given the grace days rather than suspended on sight.
func (r Rules) successor(id string, prev Cycle, now time.Time) Cycle {
	due := r.nextDue(prev)
	if prev.Certification.Method == Recorded && due.Before(day(now)) {
		due = day(now)
	}
	overdue := due.AddDate(0, 0, r.GraceDays+1)
	c := Cycle{
		ID: id, PersonRef: prev.PersonRef, PersonSealed: prev.PersonSealed, PersonDisplay: prev.PersonDisplay,
		Seq: prev.Seq + 1, Year: due.Year(),
		OpensOn: due.AddDate(0, 0, -r.OpenDays), DueOn: due, OverdueOn: overdue,
		SuspendOn: overdue.AddDate(0, 0, r.SuspendAfterDays),
		State:     Due, CreatedAt: now, UpdatedAt: now,
	}
	c.NextCheck = r.checkAfter(c, time.Time{})
	return c
}

// baseline is a pensioner's cycle 0: the certification the business core
// recorded last, or the retirement date when it recorded none, or — when
// the core knows neither — a year ago, which makes the first cycle due now.
func (r Rules) baseline(id string, p Pensioner, now time.Time) Cycle {
	at := p.LastCertified
	if at.IsZero() {
		at = p.RetiredOn
	}
	if at.IsZero() {
		at = now.AddDate(0, -r.IntervalMonths, 0)
	}
	d := day(at)
	c := Cycle{
		ID: id, Year: d.Year(), OpensOn: d, DueOn: d, OverdueOn: d, SuspendOn: d, State: Certified,
		Certification: &Certification{At: at, Method: Recorded, Channel: domain.Counter, Actor: ActorRecord{Kind: System}},
		CreatedAt:     now, UpdatedAt: now,
	}
	c.NextCheck = r.nextOpen(c)
	return c
}

// stateAt is the state time has brought the open cycle c to at now.
func (r Rules) stateAt(c Cycle, now time.Time) State {
	switch {
	case c.State == Suspended || !now.Before(c.SuspendOn):
		return Suspended
	case c.State == Overdue || !now.Before(c.OverdueOn):
		return Overdue
	}
	return Due
}

// checkAfter is the first moment after t at which something happens to c:
// a reminder or a state change while it is open, the opening of the next
// cycle once it is certified; zero when nothing will.
func (r Rules) checkAfter(c Cycle, t time.Time) time.Time {
	var points []time.Time
	switch c.State {
	case Due:
		for _, d := range r.RemindDays {
			points = append(points, c.DueOn.AddDate(0, 0, -d))
		}
		points = append(points, c.OverdueOn)
	case Overdue:
		points = append(points, c.SuspendOn)
	case Certified, Resumed:
		points = append(points, r.nextOpen(c))
	}
	var first time.Time
	for _, p := range points {
		if p.After(t) && (first.IsZero() || p.Before(first)) {
			first = p
		}
	}
	return first
}

// reminderAt is the reminder c is owed at now, "" when none: the one for
// the nearest due-date threshold passed, or the overdue reminder. Earlier
// thresholds passed while no sweep ran are skipped, so the pensioner gets
// one message saying how things stand now, not a burst of stale ones.
func (r Rules) reminderAt(c Cycle, now time.Time) ReminderKind {
	switch c.State {
	case Overdue:
		return RemindOverdue
	case Due:
		best := 0
		for _, d := range r.RemindDays {
			if !now.Before(c.DueOn.AddDate(0, 0, -d)) && (best == 0 || d < best) {
				best = d
			}
		}
		if best > 0 {
			return dueReminder(best)
		}
	}
	return ""
}

// deadline is the last day a certification of c still counts as in time.
func deadline(c Cycle) time.Time { return c.OverdueOn.AddDate(0, 0, -1) }
