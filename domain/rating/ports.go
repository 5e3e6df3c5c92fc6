package rating

import (
	"context"
	"time"
)

// Applications tells rating what it needs about an application. The wiring
// implements it over the declaration store.
type Applications interface {
	// Facts returns the application's facts. Error: NotFound when there is
	// no such application; Unavailable when the store fails.
	Facts(ctx context.Context, applicationID string) (Facts, error)
}

// Reminders asks an applicant to rate a finished application, on the
// channel they used (a WeChat template message, an app notice, an SMS).
type Reminders interface {
	// RemindToRate sends the reminder for c. Error: Unavailable or Timeout
	// when the sender is down, and the reminder is tried again on the next
	// run; any other error gives that reminder up.
	RemindToRate(ctx context.Context, c Candidate) error
}

// Calendar says which days are working days (工作日), for rectification
// deadlines. It has the shape of progress.Calendar, so one holiday
// calendar serves both; Weekdays is the default.
type Calendar interface {
	// Workday reports whether the Beijing date of day is a working day.
	Workday(day time.Time) bool
}

// Store keeps ratings, rectifications and reminder candidates.
// Implementations translate driver errors: Unavailable when the database
// fails.
type Store interface {
	// Add stores a rating and, for a bad one, the rectification it opens,
	// in one transaction; a rating of the completed stage also drops the
	// application from the reminder candidates. Error: Conflict when the
	// application already has a rating at that stage.
	Add(ctx context.Context, r Rating, opened *Rectification) error
	// Ratings returns the ratings of an application, in stage order
	// (accepted first); none is not an error.
	Ratings(ctx context.Context, applicationID string) ([]Rating, error)
	// Rectification returns one rectification with its steps, oldest
	// first. Error: NotFound.
	Rectification(ctx context.Context, id string) (Rectification, error)
	// Rectifications lists rectifications chosen by f, without steps,
	// earliest deadline first.
	Rectifications(ctx context.Context, f RectificationFilter) ([]Rectification, error)
	// Advance stores next, which was in state from, with its last step, in
	// one transaction; when next is closed as unfounded it also excludes
	// its rating from the statistics. Error: Conflict when the
	// rectification is no longer in from (someone else acted first);
	// NotFound when there is none.
	Advance(ctx context.Context, next Rectification, from State) error
	// Stats returns one Stat per group of q.By among the ratings given on
	// Beijing dates q.From to q.To, in order of Key.
	Stats(ctx context.Context, q StatsQuery) ([]Stat, error)
	// AddCandidate records a finished application to remind; recording one
	// again changes nothing.
	AddCandidate(ctx context.Context, c Candidate) error
	// DueCandidates returns up to limit candidates finished at or before
	// finishedBefore, not yet reminded and with no rating of the completed
	// stage, oldest first.
	DueCandidates(ctx context.Context, finishedBefore time.Time, limit int) ([]Candidate, error)
	// MarkReminded records that the candidate was reminded at at, and
	// reports false when it already was (another instance got there first).
	MarkReminded(ctx context.Context, applicationID string, at time.Time) (bool, error)
	// UnmarkReminded undoes MarkReminded when sending failed, so the next
	// run tries again.
	UnmarkReminded(ctx context.Context, applicationID string) error
}
