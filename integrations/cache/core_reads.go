package cache

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// The reads of insured.Core, each through its cache: Peek first, so that an
// answer in memory costs no closure and no call to Redis; Load on a miss.
// The errors are those insured.Core documents, plus a stale answer instead
// of Unavailable or Timeout while one is at hand.

// Person implements insured.Core.
func (c *CachedCore) Person(ctx context.Context, id domain.IDNumber) (insured.Person, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.person.Peek(ctx, k); ok {
		return v, err
	}
	return c.person.Load(ctx, k, func(ctx context.Context) (insured.Person, error) { return c.next.Person(ctx, id) })
}

// Overview implements insured.Core.
func (c *CachedCore) Overview(ctx context.Context, id domain.IDNumber) (insured.InsuranceOverview, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.overview.Peek(ctx, k); ok {
		return v, err
	}
	return c.overview.Load(ctx, k, func(ctx context.Context) (insured.InsuranceOverview, error) { return c.next.Overview(ctx, id) })
}

// Contributions implements insured.Core.
func (c *CachedCore) Contributions(ctx context.Context, id domain.IDNumber, year int) (insured.ContributionYear, error) {
	l := byYear(c, year, c.contributions, c.contributionsNow)
	k := Key{Group: c.personGroup(id), N: year}
	if v, ok, err := l.Peek(ctx, k); ok {
		return v, err
	}
	return l.Load(ctx, k, func(ctx context.Context) (insured.ContributionYear, error) {
		return c.next.Contributions(ctx, id, year)
	})
}

// PensionAccount implements insured.Core.
func (c *CachedCore) PensionAccount(ctx context.Context, id domain.IDNumber) (insured.PensionAccount, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.pensionAccount.Peek(ctx, k); ok {
		return v, err
	}
	return c.pensionAccount.Load(ctx, k, func(ctx context.Context) (insured.PensionAccount, error) { return c.next.PensionAccount(ctx, id) })
}

// PensionBenefit implements insured.Core.
func (c *CachedCore) PensionBenefit(ctx context.Context, id domain.IDNumber) (insured.PensionBenefit, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.pensionBenefit.Peek(ctx, k); ok {
		return v, err
	}
	return c.pensionBenefit.Load(ctx, k, func(ctx context.Context) (insured.PensionBenefit, error) { return c.next.PensionBenefit(ctx, id) })
}

// PensionPayments implements insured.Core.
func (c *CachedCore) PensionPayments(ctx context.Context, id domain.IDNumber, year int) ([]insured.PensionPayment, error) {
	l := byYear(c, year, c.pensionPayments, c.pensionPaymentsNow)
	k := Key{Group: c.personGroup(id), N: year}
	if v, ok, err := l.Peek(ctx, k); ok {
		return v, err
	}
	return l.Load(ctx, k, func(ctx context.Context) ([]insured.PensionPayment, error) {
		return c.next.PensionPayments(ctx, id, year)
	})
}

// WorkInjuries implements insured.Core.
func (c *CachedCore) WorkInjuries(ctx context.Context, id domain.IDNumber) ([]insured.WorkInjury, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.workInjuries.Peek(ctx, k); ok {
		return v, err
	}
	return c.workInjuries.Load(ctx, k, func(ctx context.Context) ([]insured.WorkInjury, error) { return c.next.WorkInjuries(ctx, id) })
}

// UnemploymentClaims implements insured.Core.
func (c *CachedCore) UnemploymentClaims(ctx context.Context, id domain.IDNumber) ([]insured.UnemploymentClaim, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.unemployment.Peek(ctx, k); ok {
		return v, err
	}
	return c.unemployment.Load(ctx, k, func(ctx context.Context) ([]insured.UnemploymentClaim, error) {
		return c.next.UnemploymentClaims(ctx, id)
	})
}

// BaseTiers implements insured.Core.
func (c *CachedCore) BaseTiers(ctx context.Context, id domain.IDNumber) (insured.BaseTierOptions, error) {
	k := Key{Group: c.personGroup(id), N: 0}
	if v, ok, err := c.baseTiers.Peek(ctx, k); ok {
		return v, err
	}
	return c.baseTiers.Load(ctx, k, func(ctx context.Context) (insured.BaseTierOptions, error) { return c.next.BaseTiers(ctx, id) })
}

// Unit implements insured.Core.
func (c *CachedCore) Unit(ctx context.Context, code domain.CreditCode) (insured.Unit, error) {
	k := Key{Group: c.unitGroup(code), N: 0}
	if v, ok, err := c.unit.Peek(ctx, k); ok {
		return v, err
	}
	return c.unit.Load(ctx, k, func(ctx context.Context) (insured.Unit, error) { return c.next.Unit(ctx, code) })
}

// UnitRates implements insured.Core.
func (c *CachedCore) UnitRates(ctx context.Context, code domain.CreditCode) (insured.UnitRates, error) {
	k := Key{Group: c.unitGroup(code), N: 0}
	if v, ok, err := c.unitRates.Peek(ctx, k); ok {
		return v, err
	}
	return c.unitRates.Load(ctx, k, func(ctx context.Context) (insured.UnitRates, error) { return c.next.UnitRates(ctx, code) })
}

// UnitAssessments implements insured.Core.
func (c *CachedCore) UnitAssessments(ctx context.Context, code domain.CreditCode, year int) ([]insured.UnitAssessment, error) {
	l := byYear(c, year, c.assessments, c.assessmentsNow)
	k := Key{Group: c.unitGroup(code), N: year}
	if v, ok, err := l.Peek(ctx, k); ok {
		return v, err
	}
	return l.Load(ctx, k, func(ctx context.Context) ([]insured.UnitAssessment, error) {
		return c.next.UnitAssessments(ctx, code, year)
	})
}

// UnitPayments implements insured.Core.
func (c *CachedCore) UnitPayments(ctx context.Context, code domain.CreditCode, year int) ([]insured.UnitPayment, error) {
	l := byYear(c, year, c.unitPayments, c.unitPaymentsNow)
	k := Key{Group: c.unitGroup(code), N: year}
	if v, ok, err := l.Peek(ctx, k); ok {
		return v, err
	}
	return l.Load(ctx, k, func(ctx context.Context) ([]insured.UnitPayment, error) { return c.next.UnitPayments(ctx, code, year) })
}

// UnitStaff implements insured.Core. A page or size outside the range the
// core accepts goes to the core uncached, for its Invalid answer.
func (c *CachedCore) UnitStaff(ctx context.Context, code domain.CreditCode, page, size int) (insured.StaffPage, error) {
	if page < 1 || size < 1 || size > insured.MaxPageSize {
		return c.next.UnitStaff(ctx, code, page, size)
	}
	k := Key{Group: c.unitGroup(code), N: page*(insured.MaxPageSize+1) + size}
	if v, ok, err := c.unitStaff.Peek(ctx, k); ok {
		return v, err
	}
	return c.unitStaff.Load(ctx, k, func(ctx context.Context) (insured.StaffPage, error) {
		return c.next.UnitStaff(ctx, code, page, size)
	})
}
