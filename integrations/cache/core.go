package cache

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// CorePolicies are the policies of each read of the business core. Past
// years are history and change only through an application the bureau
// completes, which invalidates them; the current year and the person's
// standing change with every month's assessment.
type CorePolicies struct {
	Person, Overview                            Policy
	Contributions, ContributionsThisYear        Policy
	PensionAccount, PensionBenefit              Policy
	PensionPayments, PensionPaymentsThisYear    Policy
	WorkInjuries, UnemploymentClaims, BaseTiers Policy
	Unit, UnitStaff, UnitRates                  Policy
	UnitAssessments, UnitAssessmentsThisYear    Policy
	UnitPayments, UnitPaymentsThisYear          Policy
}

// DefaultCorePolicies are the policies for the bureau's peak (1000 requests
// a second, most of them a person's overview and contributions): every
// answer stays in memory 30 s, refusals 1 min, and stale answers up to 24 h
// old are served while the core is down.
func DefaultCorePolicies() CorePolicies {
	p := func(ttl time.Duration, l1Size int) Policy {
		return Policy{TTL: ttl, L1TTL: 30 * time.Second, L1Size: l1Size, RefusalTTL: time.Minute, MaxStale: 24 * time.Hour}
	}
	const hot, warm, cold = 50_000, 20_000, 5_000
	return CorePolicies{
		Person:                  p(10*time.Minute, hot),
		Overview:                p(10*time.Minute, hot),
		Contributions:           p(24*time.Hour, warm),
		ContributionsThisYear:   p(10*time.Minute, hot),
		PensionAccount:          p(time.Hour, warm),
		PensionBenefit:          p(time.Hour, warm),
		PensionPayments:         p(24*time.Hour, cold),
		PensionPaymentsThisYear: p(time.Hour, warm),
		WorkInjuries:            p(time.Hour, cold),
		UnemploymentClaims:      p(30*time.Minute, cold),
		BaseTiers:               p(10*time.Minute, cold),
		Unit:                    p(30*time.Minute, cold),
		UnitStaff:               p(5*time.Minute, cold),
		UnitRates:               p(24*time.Hour, cold),
		UnitAssessments:         p(24*time.Hour, cold),
		UnitAssessmentsThisYear: p(10*time.Minute, cold),
		UnitPayments:            p(24*time.Hour, cold),
		UnitPaymentsThisYear:    p(10*time.Minute, cold),
	}
}

// CoreConfig configures a CachedCore.
type CoreConfig struct {
	// HashKey keys the hash that stands for ID numbers and credit codes in
	// Redis keys (at least 16 bytes; HRSS_CACHE_HASH_KEY). Instances that
	// share Redis must share it.
	HashKey []byte
	// Policies per read; DefaultCorePolicies when zero.
	Policies CorePolicies
}

// CachedCore is the business core behind the caches: it implements
// insured.Core by reading through a Layered per read over another
// insured.Core (the SOAP client), so that channels use it unchanged.
// ChangeBaseTier passes through and invalidates the person's answers; the
// BFF's other writes call Invalidate and InvalidateUnit.
type CachedCore struct {
	next  insured.Core
	s     *Shared
	blind *Blinder
	ahead chan struct{} // a slot per prefetch in flight

	person                              *Layered[insured.Person]
	overview                            *Layered[insured.InsuranceOverview]
	contributions, contributionsNow     *Layered[insured.ContributionYear]
	pensionAccount                      *Layered[insured.PensionAccount]
	pensionBenefit                      *Layered[insured.PensionBenefit]
	pensionPayments, pensionPaymentsNow *Layered[[]insured.PensionPayment]
	workInjuries                        *Layered[[]insured.WorkInjury]
	unemployment                        *Layered[[]insured.UnemploymentClaim]
	baseTiers                           *Layered[insured.BaseTierOptions]
	unit                                *Layered[insured.Unit]
	unitStaff                           *Layered[insured.StaffPage]
	unitRates                           *Layered[insured.UnitRates]
	assessments, assessmentsNow         *Layered[[]insured.UnitAssessment]
	unitPayments, unitPaymentsNow       *Layered[[]insured.UnitPayment]
}

var _ insured.Core = (*CachedCore)(nil)

// NewCachedCore returns next behind caches on s.
func NewCachedCore(s *Shared, next insured.Core, cfg CoreConfig) (*CachedCore, error) {
	blind, err := NewBlinder(cfg.HashKey)
	if err != nil {
		return nil, err
	}
	p := cfg.Policies
	if p == (CorePolicies{}) {
		p = DefaultCorePolicies()
	}
	return &CachedCore{
		next: next, s: s, blind: blind, ahead: make(chan struct{}, maxPrefetches),
		person:             NewLayered[insured.Person](s, "core:person", p.Person),
		overview:           NewLayered[insured.InsuranceOverview](s, "core:overview", p.Overview),
		contributions:      NewLayered[insured.ContributionYear](s, "core:contributions", p.Contributions),
		contributionsNow:   NewLayered[insured.ContributionYear](s, "core:contributions_now", p.ContributionsThisYear),
		pensionAccount:     NewLayered[insured.PensionAccount](s, "core:pension_account", p.PensionAccount),
		pensionBenefit:     NewLayered[insured.PensionBenefit](s, "core:pension_benefit", p.PensionBenefit),
		pensionPayments:    NewLayered[[]insured.PensionPayment](s, "core:pension_payments", p.PensionPayments),
		pensionPaymentsNow: NewLayered[[]insured.PensionPayment](s, "core:pension_payments_now", p.PensionPaymentsThisYear),
		workInjuries:       NewLayered[[]insured.WorkInjury](s, "core:work_injuries", p.WorkInjuries),
		unemployment:       NewLayered[[]insured.UnemploymentClaim](s, "core:unemployment", p.UnemploymentClaims),
		baseTiers:          NewLayered[insured.BaseTierOptions](s, "core:base_tiers", p.BaseTiers),
		unit:               NewLayered[insured.Unit](s, "core:unit", p.Unit),
		unitStaff:          NewLayered[insured.StaffPage](s, "core:unit_staff", p.UnitStaff),
		unitRates:          NewLayered[insured.UnitRates](s, "core:unit_rates", p.UnitRates),
		assessments:        NewLayered[[]insured.UnitAssessment](s, "core:unit_assessments", p.UnitAssessments),
		assessmentsNow:     NewLayered[[]insured.UnitAssessment](s, "core:unit_assessments_now", p.UnitAssessmentsThisYear),
		unitPayments:       NewLayered[[]insured.UnitPayment](s, "core:unit_payments", p.UnitPayments),
		unitPaymentsNow:    NewLayered[[]insured.UnitPayment](s, "core:unit_payments_now", p.UnitPaymentsThisYear),
	}, nil
}

// personGroup is the cache group of a person: a keyed hash, never the ID number.
func (c *CachedCore) personGroup(id domain.IDNumber) string { return c.blind.Blind("p", id.Raw()) }

// unitGroup is the cache group of a unit.
func (c *CachedCore) unitGroup(code domain.CreditCode) string {
	return c.blind.Blind("u", string(code))
}

// Invalidate drops every cached answer about the person, on every
// instance: call it after a write that changes what the core says of them
// (an approved change, a completed application, a payment). It fails only
// when Redis does; the caller logs that and carries on, since other
// instances then still see the change within their L1TTL and Redis TTL.
func (c *CachedCore) Invalidate(ctx context.Context, id domain.IDNumber) error {
	return c.s.Invalidate(ctx, c.personGroup(id))
}

// InvalidateAsOf is Invalidate for a change the business core made at a
// known time (see Shared.InvalidateAsOf): told of it twice, it does not drop
// what was fetched since.
func (c *CachedCore) InvalidateAsOf(ctx context.Context, id domain.IDNumber, at time.Time) error {
	return c.s.InvalidateAsOf(ctx, c.personGroup(id), at)
}

// InvalidateUnitAsOf is InvalidateAsOf for a unit.
func (c *CachedCore) InvalidateUnitAsOf(ctx context.Context, code domain.CreditCode, at time.Time) error {
	return c.s.InvalidateAsOf(ctx, c.unitGroup(code), at)
}

// InvalidateUnit drops every cached answer about the unit, on every
// instance (after a staff change, a declaration or a payment).
func (c *CachedCore) InvalidateUnit(ctx context.Context, code domain.CreditCode) error {
	return c.s.Invalidate(ctx, c.unitGroup(code))
}

// ChangeBaseTier implements insured.Core: it passes through and, unless the
// core refused the change outright, invalidates the person's answers (a
// Timeout may hide a change that was made).
func (c *CachedCore) ChangeBaseTier(ctx context.Context, id domain.IDNumber, percent int) (insured.BaseTierOptions, error) {
	opts, err := c.next.ChangeBaseTier(ctx, id, percent)
	switch domain.ErrorCode(err) {
	case domain.Invalid, domain.NotFound, domain.Rejected:
		return opts, err
	}
	// A failed invalidation is counted in the metrics; the change is made
	// and must be reported as made.
	_ = c.Invalidate(context.WithoutCancel(ctx), id)
	return opts, err
}

// thisYear is the current calendar year in Beijing.
func (c *CachedCore) thisYear() int { return insured.MonthOf(c.s.now()).Year() }

// byYear picks the cache of a year's page: history, or this year's.
func byYear[V any](c *CachedCore, year int, past, now *Layered[V]) *Layered[V] {
	if year >= c.thisYear() {
		return now
	}
	return past
}
