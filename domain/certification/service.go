package certification

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Config is what a Service needs. Auditor, Rules (zero: DefaultRules),
// Now and Logger are optional.
type Config struct {
	Store      Store
	Pensioners Pensioners
	Faces      FaceVerifier
	Forwarder  Forwarder
	Reminders  Reminders
	Sealer     privacy.Sealer
	Auditor    Auditor
	Rules      Rules
	Now        func() time.Time
	Logger     *slog.Logger
}

// Service runs pensioners' certification cycles. It is safe for
// concurrent use, and several instances may share one Store.
type Service struct {
	store      Store
	pensioners Pensioners
	faces      FaceVerifier
	forwarder  Forwarder
	reminders  Reminders
	sealer     privacy.Sealer
	auditor    Auditor
	rules      Rules
	now        func() time.Time
	log        *slog.Logger
}

// The messages a citizen may see.
const (
	msgNotPensioner = "您目前不是养老保险待遇领取人员，无需进行待遇资格认证；如有疑问，请到社保经办大厅窗口咨询"
	msgBusy         = "您的认证信息正在更新，请稍后再试"
)

// forwardLease is how long a new event is left to the request that made
// it before a sweep may forward it too.
const forwardLease = time.Minute

// NewService returns a Service. It fails on a missing port or rules that
// make no sense, naming which.
func NewService(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil, cfg.Pensioners == nil, cfg.Faces == nil, cfg.Forwarder == nil,
		cfg.Reminders == nil, cfg.Sealer == nil:
		return nil, errors.New("certification: Store, Pensioners, Faces, Forwarder, Reminders and Sealer are required")
	}
	if cfg.Rules.IntervalMonths == 0 {
		cfg.Rules = DefaultRules()
	}
	if err := cfg.Rules.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{store: cfg.Store, pensioners: cfg.Pensioners, faces: cfg.Faces, forwarder: cfg.Forwarder,
		reminders: cfg.Reminders, sealer: cfg.Sealer, auditor: cfg.Auditor, rules: cfg.Rules,
		now: cfg.Now, log: cfg.Logger}, nil
}

// Rules returns the rules the Service opens cycles with.
func (s *Service) Rules() Rules { return s.rules }

// Status returns the pensioner's current cycle: the open one, or the last
// certified one until the next opens. The first call for a pensioner
// starts their cycles from the business core's record; a cycle time has
// moved on is moved on here too (a suspension is forwarded at once).
// Errors: Invalid for a malformed ID number; Rejected when the person is
// not a pensioner; the core's Unavailable or Timeout on a first call.
func (s *Service) Status(ctx context.Context, person domain.IDNumber) (Cycle, error) {
	id, err := parsePerson(person)
	if err != nil {
		return Cycle{}, err
	}
	c, err := s.current(ctx, id, s.now(), true, nil)
	return s.view(c), err
}

// current returns the person's latest cycle at now, starting their cycles
// if they have none and opening the next one when it is due to open. With
// moveOn it also applies what time has done to an open cycle.
func (s *Service) current(ctx context.Context, id domain.IDNumber, now time.Time, moveOn bool, rep *SweepReport) (Cycle, error) {
	ref := privacy.IDIndex(s.sealer, id)
	c, err := s.store.Latest(ctx, ref)
	if domain.IsCode(err, domain.NotFound) {
		c, err = s.start(ctx, id, ref, now)
	}
	if err != nil {
		return Cycle{}, err
	}
	return s.advance(ctx, c, now, moveOn, rep)
}

// start reads the person from the business core and stores their baseline
// cycle. Errors: Rejected for a person who draws no pension.
func (s *Service) start(ctx context.Context, id domain.IDNumber, ref string, now time.Time) (Cycle, error) {
	p, err := s.pensioners.Pensioner(ctx, id)
	if domain.IsCode(err, domain.NotFound) || err == nil && !p.Retired {
		return Cycle{}, domain.Errorf(domain.Rejected, msgNotPensioner)
	}
	if err != nil {
		return Cycle{}, err
	}
	sealed, err := privacy.SealID(s.sealer, id)
	if err != nil {
		return Cycle{}, err
	}
	c := s.rules.baseline(newID(), p, now)
	c.PersonRef, c.PersonSealed, c.PersonDisplay = ref, sealed, display(p.Name, id)
	err = s.store.Insert(ctx, c)
	if domain.IsCode(err, domain.Conflict) {
		return s.store.Latest(ctx, ref)
	}
	return c, err
}

// maxRaces bounds how often one call re-reads a cycle another request
// changed under it before giving up with Conflict.
const maxRaces = 5

// advance opens the cycle after a certified c when its time has come and,
// with moveOn, moves an open c to the state time has brought it to,
// forwarding a suspension. It re-reads and tries again when another
// request changed the cycle first.
func (s *Service) advance(ctx context.Context, c Cycle, now time.Time, moveOn bool, rep *SweepReport) (Cycle, error) {
	for range maxRaces {
		var changed bool
		var err error
		switch {
		case c.State.Done() && !c.NextCheck.IsZero() && !now.Before(c.NextCheck):
			c, changed, err = s.openNext(ctx, c, now, rep)
		case moveOn && c.open() && s.rules.stateAt(c, now) != c.State:
			c, changed, err = s.moveOn(ctx, c, now, rep)
		default:
			return c, nil
		}
		if err != nil {
			return Cycle{}, err
		}
		if !changed {
			if c, err = s.store.Latest(ctx, c.PersonRef); err != nil {
				return Cycle{}, err
			}
		}
	}
	return Cycle{}, domain.Errorf(domain.Conflict, msgBusy)
}

// openNext opens the cycle after the certified c; false when another
// request opened it first.
func (s *Service) openNext(ctx context.Context, c Cycle, now time.Time, rep *SweepReport) (Cycle, bool, error) {
	next := s.rules.successor(newID(), c, now)
	err := s.store.Open(ctx, c, next)
	if domain.IsCode(err, domain.Conflict) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	if rep != nil {
		rep.Opened++
	}
	return next, true, nil
}

// moveOn moves the open c to the state time has brought it to; false when
// another request changed it first.
func (s *Service) moveOn(ctx context.Context, c Cycle, now time.Time, rep *SweepReport) (Cycle, bool, error) {
	next, suspended := c.moveTo(s.rules.stateAt(c, now), now)
	var events []Event
	if suspended {
		events = []Event{s.event(next, EventSuspended, now)}
	}
	ok, err := s.store.Update(ctx, next, events)
	if err != nil || !ok {
		return c, false, err
	}
	next.Version++
	if rep != nil {
		rep.Overdue += boolInt(c.State == Due)
		rep.Suspended += boolInt(suspended)
	}
	if suspended {
		s.record(ctx, "certification.suspend", next.PersonRef, next, nil, "", nil)
		s.forwardNow(ctx, next.ID, now, rep)
	}
	return next, true, nil
}

// event is a new event of c, leased to the request that made it.
func (s *Service) event(c Cycle, kind EventKind, now time.Time) Event {
	return Event{ID: newID(), CycleID: c.ID, Kind: kind, At: now, NextAttempt: now.Add(forwardLease)}
}

// view fills in what a caller sees but the Store does not keep.
func (s *Service) view(c Cycle) Cycle {
	if c.State.Done() && c.Certification != nil {
		c.NextDueOn = s.rules.nextDue(c)
	}
	return c
}

// parsePerson checks the pensioner's ID number. Errors: Invalid.
func parsePerson(person domain.IDNumber) (domain.IDNumber, error) {
	id, err := domain.ParseIDNumber(person.Raw())
	if err != nil {
		return "", domain.InvalidFields(domain.FieldError{Field: "idNumber", Message: "请核对身份证号码"})
	}
	return id, nil
}

// display is the masked name and ID number shown to staff and on slips.
func display(name string, id domain.IDNumber) string {
	if name == "" {
		return id.Masked()
	}
	return domain.MaskName(name) + " " + id.Masked()
}

// newID returns a random 32-character hex id, safe as an idempotency key.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
