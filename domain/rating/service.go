package rating

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Config holds the rules a bureau may tune. Zero fields take the defaults.
type Config struct {
	// RectifyWorkdays is the number of working days a rectification has
	// before it is overdue (整改时限); default 5.
	RectifyWorkdays int
	// RemindAfter is how long after an application finishes an unrated
	// applicant is reminded; default 24 hours.
	RemindAfter time.Duration
	// RemindBatch bounds the reminders of one RemindUnrated run; default 500.
	RemindBatch int
	// Calendar says which days are working days; default Weekdays.
	Calendar Calendar
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// The defaults of Config.
const (
	DefaultRectifyWorkdays = 5
	DefaultRemindAfter     = 24 * time.Hour
	DefaultRemindBatch     = 500
)

func (c Config) withDefaults() Config {
	if c.RectifyWorkdays <= 0 {
		c.RectifyWorkdays = DefaultRectifyWorkdays
	}
	if c.RemindAfter <= 0 {
		c.RemindAfter = DefaultRemindAfter
	}
	if c.RemindBatch <= 0 {
		c.RemindBatch = DefaultRemindBatch
	}
	if c.Calendar == nil {
		c.Calendar = Weekdays{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Service applies the rating rules over a Store. It is safe for concurrent
// use; the database keeps the one-rating-per-stage rule under concurrency.
type Service struct {
	store     Store
	apps      Applications
	reminders Reminders
	cfg       Config
}

// New returns the rating service.
func New(store Store, apps Applications, reminders Reminders, cfg Config) *Service {
	return &Service{store: store, apps: apps, reminders: reminders, cfg: cfg.withDefaults()}
}

// msgAlreadyRated answers a second rating of the same stage.
const msgAlreadyRated = "该事项已评价，感谢您的反馈"

// Rate records the applicant's rating of one stage of their application and,
// for a bad rating, opens its rectification in the same transaction.
// Errors: Invalid (fields), Unauthenticated (no rater), NotFound (no such
// application), Forbidden (not the applicant), Rejected (stage not reached
// yet), Conflict (already rated), Unavailable.
func (s *Service) Rate(ctx context.Context, in RateInput) (Rating, *Rectification, error) {
	in, err := in.normalize()
	if err != nil {
		return Rating{}, nil, err
	}
	f, err := s.apps.Facts(ctx, in.ApplicationID)
	if err != nil {
		return Rating{}, nil, err
	}
	if f.ApplicantRef == "" || f.ApplicantRef != in.RaterRef {
		return Rating{}, nil, domain.Errorf(domain.Forbidden, "只有申请人本人可以评价该办件")
	}
	if ok, why := f.reached(in.Stage); !ok {
		return Rating{}, nil, domain.Errorf(domain.Rejected, "%s", why)
	}
	r := Rating{
		ID: newID(), ApplicationID: f.ApplicationID, Stage: in.Stage, Level: in.Level,
		Tags: in.Tags, Comment: in.Comment, Channel: f.Channel, MatterCode: f.MatterCode,
		MatterName: f.MatterName, Office: f.Office, Staff: f.Staff, RaterRef: in.RaterRef, At: s.now(),
	}
	var rect *Rectification
	if r.Level.Bad() {
		opened := open(r, s.cfg.Calendar, s.cfg.RectifyWorkdays)
		rect = &opened
	}
	if err := s.store.Add(ctx, r, rect); err != nil {
		if domain.IsCode(err, domain.Conflict) {
			return Rating{}, nil, domain.Wrap(err, domain.Conflict, msgAlreadyRated)
		}
		return Rating{}, nil, err
	}
	return r, rect, nil
}

// Ratings returns the ratings the applicant gave an application, so a
// progress page can show them and offer only the stages still open.
// Errors: NotFound (no such application), Forbidden (not the applicant),
// Unavailable.
func (s *Service) Ratings(ctx context.Context, applicationID, raterRef string) ([]Rating, error) {
	f, err := s.apps.Facts(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	if raterRef == "" || f.ApplicantRef != raterRef {
		return nil, domain.Errorf(domain.Forbidden, "只能查看本人申请的评价")
	}
	return s.store.Ratings(ctx, applicationID)
}

// Rectification returns one rectification with its steps, for staff.
// Errors: NotFound, Unavailable.
func (s *Service) Rectification(ctx context.Context, id string) (Rectification, error) {
	return s.store.Rectification(ctx, id)
}

// Rectify takes action a on rectification id, by the staff member named by
// (display name), with a note saying what was done; each step records who
// and when. Errors: Invalid (no note or actor, unknown action), NotFound,
// Conflict (not the next step in the current state, already appealed, or
// someone else acted first), Unavailable.
func (s *Service) Rectify(ctx context.Context, id string, a Action, by, note string) (Rectification, error) {
	cur, err := s.store.Rectification(ctx, id)
	if err != nil {
		return Rectification{}, err
	}
	next, err := cur.apply(a, by, note, s.now())
	if err != nil {
		return Rectification{}, err
	}
	if err := s.store.Advance(ctx, next, cur.State); err != nil {
		return Rectification{}, err
	}
	return next, nil
}

// Rectifications lists rectifications for staff. Error: Unavailable.
func (s *Service) Rectifications(ctx context.Context, f RectificationFilter) ([]Rectification, error) {
	return s.store.Rectifications(ctx, f)
}

// Overdue lists the rectifications of office ("" for all) still open after
// their deadline (超期未办结), earliest deadline first. Error: Unavailable.
func (s *Service) Overdue(ctx context.Context, office string, limit int) ([]Rectification, error) {
	return s.store.Rectifications(ctx, RectificationFilter{Office: office, OverdueAt: s.now(), Limit: limit})
}

// Stats returns the rating statistics asked for by q (好差评统计), one Stat
// per group, ratings found unfounded on appeal counted apart.
// Errors: Invalid (query), Unavailable.
func (s *Service) Stats(ctx context.Context, q StatsQuery) ([]Stat, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	stats, err := s.store.Stats(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range stats {
		if q.By == ByChannel {
			stats[i].Label = domain.Channel(stats[i].Key).Label()
		} else if stats[i].Label == "" {
			stats[i].Label = stats[i].Key
		}
	}
	return stats, nil
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// newID returns a random identifier for a rating: 24 hex characters.
func newID() string {
	b := make([]byte, 12)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b)
}
