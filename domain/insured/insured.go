// Package insured is what the channels may know about insured people and
// employer units, as the social-insurance business core (社保经办系统, the
// legacy 金保 system) records it: a person's insurance, contributions,
// pension, work-injury and unemployment benefits, and a unit's staff, rates,
// monthly assessments and payments.
//
// The types are a read model in the bureau's words, not the core's wire
// format: integrations/insurance translates its SOAP answers into them, so a
// channel never sees the legacy field codes. Money is always domain.Fen, a
// calendar month of contributions is a Month, and dates are midnight in
// Beijing (domain.Beijing).
//
// The core is slow and sometimes down; callers should expect Unavailable and
// Timeout from every method and cache reads in front of it.
package insured

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
)

// Core is the port to the social-insurance business core. Every method may
// also return Unavailable when the core is down or its circuit breaker is
// open, Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood; those are not repeated below.
type Core interface {
	// Person returns the basic record of the person with this ID number.
	// NotFound when the core has no such person.
	Person(ctx context.Context, id domain.IDNumber) (Person, error)

	// Overview returns the person's standing in each insurance type
	// (参保信息). NotFound when the core has no such person.
	Overview(ctx context.Context, id domain.IDNumber) (InsuranceOverview, error)

	// Contributions returns the person's contribution records (缴费记录) of
	// one calendar year, which is how the kiosk and the app page through a
	// history of up to forty years. A year without contributions gives an
	// empty page, not an error. NotFound when the core has no such person;
	// Invalid for a year before 1900 or after next year.
	Contributions(ctx context.Context, id domain.IDNumber, year int) (ContributionYear, error)

	// PensionAccount returns the personal pension account (养老个人账户)
	// with its yearly statement. NotFound when the core has no such person.
	PensionAccount(ctx context.Context, id domain.IDNumber) (PensionAccount, error)

	// PensionBenefit returns the pension the person draws (养老待遇).
	// NotFound when the core has no such person or the person draws no
	// pension.
	PensionBenefit(ctx context.Context, id domain.IDNumber) (PensionBenefit, error)

	// PensionPayments returns the pension paid out (养老金发放) in one
	// calendar year; empty when none was paid that year. NotFound when the
	// core has no such person; Invalid for an impossible year.
	PensionPayments(ctx context.Context, id domain.IDNumber, year int) ([]PensionPayment, error)

	// WorkInjuries returns the person's recognised work injuries (工伤) with
	// the benefits paid for each; empty for most people. NotFound when the
	// core has no such person.
	WorkInjuries(ctx context.Context, id domain.IDNumber) ([]WorkInjury, error)

	// UnemploymentClaims returns the person's unemployment-benefit claims
	// (失业待遇) with their payments; empty for most people. NotFound when
	// the core has no such person.
	UnemploymentClaims(ctx context.Context, id domain.IDNumber) ([]UnemploymentClaim, error)

	// BaseTiers returns the pension contribution base tiers (养老个人缴费基数
	// 档次) a flexible-employment person may choose from, and the current
	// one. NotFound when the core has no such person; Rejected when the
	// person is not in flexible employment, since an employer declares the
	// base of its staff.
	BaseTiers(ctx context.Context, id domain.IDNumber) (BaseTierOptions, error)

	// ChangeBaseTier sets the person's pension base tier, in percent of the
	// provincial average wage, from the current month on, and returns the
	// options with the new tier current. Setting the tier already in force
	// changes nothing, so a retried call is harmless. NotFound when the core
	// has no such person; Rejected when the person is not in flexible
	// employment; Invalid when percent is not one of the offered tiers.
	ChangeBaseTier(ctx context.Context, id domain.IDNumber, percent int) (BaseTierOptions, error)

	// Unit returns the employer unit (参保单位) with this credit code.
	// NotFound when the core has no such unit.
	Unit(ctx context.Context, code domain.CreditCode) (Unit, error)

	// UnitStaff returns one page of the people insured through the unit
	// (单位参保人员), retirees it manages included, in the core's order.
	// page counts from 1; size is at most MaxPageSize. NotFound when the core
	// has no such unit; Invalid for a page below 1 or a size outside
	// 1..MaxPageSize. A page past the end is empty.
	UnitStaff(ctx context.Context, code domain.CreditCode, page, size int) (StaffPage, error)

	// UnitRates returns the contribution rates (缴费比例) the unit pays at
	// today. NotFound when the core has no such unit.
	UnitRates(ctx context.Context, code domain.CreditCode) (UnitRates, error)

	// UnitAssessments returns the unit's monthly assessments (月申报核定单)
	// of one calendar year; empty for a year before the unit joined.
	// NotFound when the core has no such unit; Invalid for an impossible year.
	UnitAssessments(ctx context.Context, code domain.CreditCode, year int) ([]UnitAssessment, error)

	// UnitPayments returns the contributions the unit paid (单位缴费记录) in
	// one calendar year. NotFound when the core has no such unit; Invalid
	// for an impossible year.
	UnitPayments(ctx context.Context, code domain.CreditCode, year int) ([]UnitPayment, error)
}

// MaxPageSize bounds UnitStaff pages: the core answers slowly enough that a
// clerk is better served by paging than by one huge list.
const MaxPageSize = 100

// Prefetcher is a Core that can read a person's first screens ahead, in
// the background (the BFF's cache does).
type Prefetcher interface {
	Prefetch(id domain.IDNumber)
	PrefetchUnit(code domain.CreditCode)
}

// ReadAhead asks core to read id's first screens ahead, when it can: the
// channels call it as a citizen signs in (a card read, a login), so that
// their first screen does not wait on the business core.
func ReadAhead(core Core, id domain.IDNumber) {
	if p, ok := core.(Prefetcher); ok && id != "" {
		p.Prefetch(id)
	}
}

// ReadAheadUnit is ReadAhead for a unit whose clerk signs in.
func ReadAheadUnit(core Core, code domain.CreditCode) {
	if p, ok := core.(Prefetcher); ok && code != "" {
		p.PrefetchUnit(code)
	}
}
