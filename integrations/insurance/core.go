package insurance

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// The Client's insured.Core methods: one SOAP operation each. Errors are
// those insured.Core documents: NotFound, Invalid and Rejected from the
// core's faults, Unavailable, Timeout and Internal from remote.Caller.

var _ insured.Core = (*Client)(nil)

// Person implements insured.Core.
func (c *Client) Person(ctx context.Context, id domain.IDNumber) (insured.Person, error) {
	var w PersonResponse
	if err := c.call(ctx, OpPerson, Request{IDNumber: id.Raw()}, &w); err != nil {
		return insured.Person{}, err
	}
	return toPerson(&w)
}

// Overview implements insured.Core.
func (c *Client) Overview(ctx context.Context, id domain.IDNumber) (insured.InsuranceOverview, error) {
	var w OverviewResponse
	if err := c.call(ctx, OpOverview, Request{IDNumber: id.Raw()}, &w); err != nil {
		return insured.InsuranceOverview{}, err
	}
	return toOverview(&w)
}

// Contributions implements insured.Core.
func (c *Client) Contributions(ctx context.Context, id domain.IDNumber, year int) (insured.ContributionYear, error) {
	var w ContributionsResponse
	if err := c.call(ctx, OpContributions, Request{IDNumber: id.Raw(), Year: year}, &w); err != nil {
		return insured.ContributionYear{}, err
	}
	return toContributionYear(&w)
}

// PensionAccount implements insured.Core.
func (c *Client) PensionAccount(ctx context.Context, id domain.IDNumber) (insured.PensionAccount, error) {
	var w PensionAccountResponse
	if err := c.call(ctx, OpPensionAccount, Request{IDNumber: id.Raw()}, &w); err != nil {
		return insured.PensionAccount{}, err
	}
	return toPensionAccount(&w)
}

// PensionBenefit implements insured.Core.
func (c *Client) PensionBenefit(ctx context.Context, id domain.IDNumber) (insured.PensionBenefit, error) {
	var w PensionBenefitResponse
	if err := c.call(ctx, OpPensionBenefit, Request{IDNumber: id.Raw()}, &w); err != nil {
		return insured.PensionBenefit{}, err
	}
	return toPensionBenefit(&w)
}

// PensionPayments implements insured.Core.
func (c *Client) PensionPayments(ctx context.Context, id domain.IDNumber, year int) ([]insured.PensionPayment, error) {
	var w PensionPaymentsResponse
	if err := c.call(ctx, OpPensionPayments, Request{IDNumber: id.Raw(), Year: year}, &w); err != nil {
		return nil, err
	}
	return toPensionPayments(&w)
}

// WorkInjuries implements insured.Core.
func (c *Client) WorkInjuries(ctx context.Context, id domain.IDNumber) ([]insured.WorkInjury, error) {
	var w WorkInjuriesResponse
	if err := c.call(ctx, OpWorkInjuries, Request{IDNumber: id.Raw()}, &w); err != nil {
		return nil, err
	}
	return toWorkInjuries(&w)
}

// UnemploymentClaims implements insured.Core.
func (c *Client) UnemploymentClaims(ctx context.Context, id domain.IDNumber) ([]insured.UnemploymentClaim, error) {
	var w UnemploymentResponse
	if err := c.call(ctx, OpUnemployment, Request{IDNumber: id.Raw()}, &w); err != nil {
		return nil, err
	}
	return toUnemploymentClaims(&w)
}

// BaseTiers implements insured.Core.
func (c *Client) BaseTiers(ctx context.Context, id domain.IDNumber) (insured.BaseTierOptions, error) {
	var w BaseTiersResponse
	if err := c.call(ctx, OpBaseTiers, Request{IDNumber: id.Raw()}, &w); err != nil {
		return insured.BaseTierOptions{}, err
	}
	return toBaseTierOptions(&w)
}

// ChangeBaseTier implements insured.Core. It is retried like a read: the
// core sets the tier, so a repeat after a lost answer changes nothing.
func (c *Client) ChangeBaseTier(ctx context.Context, id domain.IDNumber, percent int) (insured.BaseTierOptions, error) {
	var w BaseTiersResponse
	if err := c.call(ctx, OpChangeBaseTier, Request{IDNumber: id.Raw(), Percent: percent}, &w); err != nil {
		return insured.BaseTierOptions{}, err
	}
	return toBaseTierOptions(&w)
}

// Unit implements insured.Core.
func (c *Client) Unit(ctx context.Context, code domain.CreditCode) (insured.Unit, error) {
	var w UnitResponse
	if err := c.call(ctx, OpUnit, Request{CreditCode: string(code)}, &w); err != nil {
		return insured.Unit{}, err
	}
	return toUnit(&w)
}

// UnitStaff implements insured.Core.
func (c *Client) UnitStaff(ctx context.Context, code domain.CreditCode, page, size int) (insured.StaffPage, error) {
	var w UnitStaffResponse
	if err := c.call(ctx, OpUnitStaff, Request{CreditCode: string(code), Page: page, Size: size}, &w); err != nil {
		return insured.StaffPage{}, err
	}
	return toStaffPage(&w)
}

// UnitRates implements insured.Core.
func (c *Client) UnitRates(ctx context.Context, code domain.CreditCode) (insured.UnitRates, error) {
	var w UnitRatesResponse
	if err := c.call(ctx, OpUnitRates, Request{CreditCode: string(code)}, &w); err != nil {
		return insured.UnitRates{}, err
	}
	return toUnitRates(&w)
}

// UnitAssessments implements insured.Core.
func (c *Client) UnitAssessments(ctx context.Context, code domain.CreditCode, year int) ([]insured.UnitAssessment, error) {
	var w UnitAssessmentsResponse
	if err := c.call(ctx, OpUnitAssessments, Request{CreditCode: string(code), Year: year}, &w); err != nil {
		return nil, err
	}
	return toUnitAssessments(&w)
}

// UnitPayments implements insured.Core.
func (c *Client) UnitPayments(ctx context.Context, code domain.CreditCode, year int) ([]insured.UnitPayment, error) {
	var w UnitPaymentsResponse
	if err := c.call(ctx, OpUnitPayments, Request{CreditCode: string(code), Year: year}, &w); err != nil {
		return nil, err
	}
	return toUnitPayments(&w)
}
