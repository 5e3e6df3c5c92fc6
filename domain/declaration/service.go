package declaration

import (
	"time"

	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Config holds what a Service needs. Everything but Submitted and Now is
// required.
type Config struct {
	Store     Store
	Materials MaterialStore
	Drafts    DraftStore
	Rules     MatterRules
	Sealer    privacy.Sealer
	// Core is used after forwarding: withdrawing a case, supplying
	// materials. Submission itself never calls it; the Dispatcher does.
	Core acceptance.Core
	// Submitted is called after every new filing is committed, so that the
	// dispatcher forwards it now rather than at its next tick: wire it to
	// Dispatcher.Kick. It must not block.
	Submitted func()
	Now       func() time.Time // the clock; time.Now if nil
}

// Service files, withdraws and completes applications, and keeps drafts and
// material files. It is safe for concurrent use.
type Service struct {
	store     Store
	materials MaterialStore
	drafts    DraftStore
	rules     MatterRules
	sealer    privacy.Sealer
	core      acceptance.Core
	submitted func()
	clock     func() time.Time
}

// NewService returns a Service over cfg.
func NewService(cfg Config) *Service {
	s := &Service{store: cfg.Store, materials: cfg.Materials, drafts: cfg.Drafts, rules: cfg.Rules,
		sealer: cfg.Sealer, core: cfg.Core, submitted: cfg.Submitted, clock: cfg.Now}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.submitted == nil {
		s.submitted = func() {}
	}
	return s
}

// now is the clock in UTC to the millisecond, the precision stored, so
// that what a method returns equals what a later read returns.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// Identify turns who a channel authenticated into the applicant as stored;
// see the function Identify.
func (s *Service) Identify(who Who) (Applicant, error) { return Identify(s.sealer, who) }

// Ref returns the blind index of who, by which their applications are
// queried; see the function Ref.
func (s *Service) Ref(who Who) (string, error) { return Ref(s.sealer, who) }
