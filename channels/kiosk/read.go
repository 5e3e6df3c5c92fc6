package kiosk

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// pageInput picks a page of a list.
type pageInput struct {
	Page int `query:"page" minimum:"1" maximum:"1000" default:"1" doc:"页码，从1开始"`
}

// yearInput picks a year and a page of it. (huma reads parameters of the
// input's own fields only, so Page is repeated rather than embedded.)
type yearInput struct {
	Year int `query:"year" minimum:"1950" maximum:"2100" doc:"年度，缺省为今年"`
	Page int `query:"page" minimum:"1" maximum:"1000" default:"1" doc:"页码，从1开始"`
}

// contributionsInput picks a year, an insurance type and a page.
type contributionsInput struct {
	Year int    `query:"year" minimum:"1950" maximum:"2100" doc:"年度，缺省为有缴费记录的最近一年"`
	Type string `query:"type" enum:"pension,medical,work_injury,unemployment" doc:"险种：pension 养老，medical 医疗，work_injury 工伤，unemployment 失业；缺省为全部险种"`
	Page int    `query:"page" minimum:"1" maximum:"1000" default:"1" doc:"页码，从1开始"`
}

// read makes a handler of a read of the session's own data: it runs fn for
// the session and audits the read, successful or not.
func read[I, T any](c *Channel, action string, fn func(context.Context, Session, *I) (T, error)) func(context.Context, *I) (*out[T], error) {
	return func(ctx context.Context, in *I) (*out[T], error) {
		s, _ := SessionFrom(ctx)
		v, err := fn(ctx, s, in)
		c.record(ctx, s, action, err)
		if err != nil {
			return nil, err
		}
		return &out[T]{Body: v}, nil
	}
}

// year is the year asked for, this year when none; a future year is
// refused, naming the field.
func (c *Channel) year(asked int) (int, error) {
	this := c.thisYear()
	if asked == 0 {
		return this, nil
	}
	if asked > this {
		return 0, domain.InvalidFields(domain.FieldError{Field: "year", Message: "不能晚于今年（" + strconv.Itoa(this) + "年）"})
	}
	return asked, nil
}

// recentYears offers the last ten years in the year picker of lists whose
// span the core does not tell.
func (c *Channel) recentYears() []YearOption {
	this := c.thisYear()
	return yearOptions(this-9, this)
}

func (c *Channel) overview(ctx context.Context, s Session, _ *struct{}) (OverviewView, error) {
	o, err := c.core.Overview(ctx, s.Person)
	if err != nil {
		return OverviewView{}, err
	}
	return overviewView(o), nil
}

// contributions shows a year of contributions; with no year asked it shows
// the latest year that has any, so a retiree does not land on an empty page.
func (c *Channel) contributions(ctx context.Context, s Session, in *contributionsInput) (ContributionsView, error) {
	year, err := c.year(in.Year)
	if err != nil {
		return ContributionsView{}, err
	}
	var y insured.ContributionYear
	if in.Year == 0 {
		y, err = c.latestContributions(ctx, s.Person)
	} else {
		y, err = c.core.Contributions(ctx, s.Person, year)
	}
	if err != nil {
		return ContributionsView{}, err
	}
	return contributionsView(y, insured.InsuranceType(in.Type), in.Page), nil
}

// latestContributions is this year's contributions or, when there are
// none, those of the latest year that has any.
func (c *Channel) latestContributions(ctx context.Context, id domain.IDNumber) (insured.ContributionYear, error) {
	year := c.thisYear()
	y, err := c.core.Contributions(ctx, id, year)
	if err == nil && len(y.Records) == 0 && y.LastYear != 0 && y.LastYear != year {
		y, err = c.core.Contributions(ctx, id, y.LastYear)
	}
	return y, err
}

func (c *Channel) pensionAccount(ctx context.Context, s Session, in *pageInput) (PensionAccountView, error) {
	a, err := c.core.PensionAccount(ctx, s.Person)
	if err != nil {
		return PensionAccountView{}, err
	}
	return pensionAccountView(a, in.Page), nil
}

func (c *Channel) pensionBenefit(ctx context.Context, s Session, _ *struct{}) (PensionBenefitView, error) {
	b, err := c.core.PensionBenefit(ctx, s.Person)
	if domain.IsCode(err, domain.NotFound) {
		return PensionBenefitView{}, domain.Wrap(err, domain.NotFound, "您目前没有领取养老待遇")
	}
	if err != nil {
		return PensionBenefitView{}, err
	}
	return pensionBenefitView(b), nil
}

func (c *Channel) pensionPayments(ctx context.Context, s Session, in *yearInput) (PensionPaymentsView, error) {
	year, err := c.year(in.Year)
	if err != nil {
		return PensionPaymentsView{}, err
	}
	ps, err := c.core.PensionPayments(ctx, s.Person, year)
	if err != nil {
		return PensionPaymentsView{}, err
	}
	return pensionPaymentsView(year, c.recentYears(), ps, in.Page), nil
}

func (c *Channel) workInjuries(ctx context.Context, s Session, _ *struct{}) (WorkInjuryView, error) {
	ws, err := c.core.WorkInjuries(ctx, s.Person)
	if err != nil {
		return WorkInjuryView{}, err
	}
	return workInjuryView(ws), nil
}

func (c *Channel) workInjuryPayments(ctx context.Context, s Session, in *pageInput) (PaymentsView, error) {
	ws, err := c.core.WorkInjuries(ctx, s.Person)
	if err != nil {
		return PaymentsView{}, err
	}
	return workInjuryPaymentsView(ws, in.Page), nil
}

func (c *Channel) unemployment(ctx context.Context, s Session, _ *struct{}) (UnemploymentView, error) {
	cs, err := c.core.UnemploymentClaims(ctx, s.Person)
	if err != nil {
		return UnemploymentView{}, err
	}
	return unemploymentView(cs), nil
}

func (c *Channel) unemploymentPayments(ctx context.Context, s Session, in *pageInput) (PaymentsView, error) {
	cs, err := c.core.UnemploymentClaims(ctx, s.Person)
	if err != nil {
		return PaymentsView{}, err
	}
	return unemploymentPaymentsView(cs, in.Page), nil
}

func (c *Channel) unit(ctx context.Context, s Session, _ *struct{}) (UnitView, error) {
	u, err := c.core.Unit(ctx, s.Unit)
	if err != nil {
		return UnitView{}, err
	}
	return unitView(u), nil
}

func (c *Channel) unitRates(ctx context.Context, s Session, _ *struct{}) (UnitRatesView, error) {
	r, err := c.core.UnitRates(ctx, s.Unit)
	if err != nil {
		return UnitRatesView{}, err
	}
	return unitRatesView(r), nil
}

// unitStaff shows a page of the roll; a page past the end shows the last.
func (c *Channel) unitStaff(ctx context.Context, s Session, in *pageInput) (StaffView, error) {
	p, err := c.core.UnitStaff(ctx, s.Unit, in.Page, PageSize)
	if err == nil && len(p.Staff) == 0 && p.Total > 0 {
		p, err = c.core.UnitStaff(ctx, s.Unit, (p.Total+PageSize-1)/PageSize, PageSize)
	}
	if err != nil {
		return StaffView{}, err
	}
	return staffView(p), nil
}

func (c *Channel) unitAssessments(ctx context.Context, s Session, in *yearInput) (AssessmentsView, error) {
	year, err := c.year(in.Year)
	if err != nil {
		return AssessmentsView{}, err
	}
	as, err := c.core.UnitAssessments(ctx, s.Unit, year)
	if err != nil {
		return AssessmentsView{}, err
	}
	return assessmentsView(year, c.recentYears(), as, in.Page), nil
}

func (c *Channel) unitPayments(ctx context.Context, s Session, in *yearInput) (UnitPaymentsView, error) {
	year, err := c.year(in.Year)
	if err != nil {
		return UnitPaymentsView{}, err
	}
	ps, err := c.core.UnitPayments(ctx, s.Unit, year)
	if err != nil {
		return UnitPaymentsView{}, err
	}
	return unitPaymentsView(year, c.recentYears(), ps, in.Page), nil
}
