package insurance

import (
	"errors"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// The converters from wire to domain. Each reads one response; a value the
// contract does not allow (an unknown code, a malformed amount) makes the
// whole answer Internal, because a half-understood benefit record shown to
// a citizen is worse than none.

// parser converts wire values and keeps the first failure, so that the
// converters read as plain assignments.
type parser struct{ bad string }

func (p *parser) fail(field string) {
	if p.bad == "" {
		p.bad = field
	}
}

// err returns the Internal error for the first failure, or nil. The message
// names the field only: values may be personal data.
func (p *parser) err(op string) error {
	if p.bad == "" {
		return nil
	}
	return domain.Wrap(errors.New(op+": malformed field "+p.bad), domain.Internal, msgBadAnswer)
}

const msgBadAnswer = "社保经办系统返回的信息无法识别，请稍后再试或到服务大厅办理"

func (p *parser) fen(field, s string) domain.Fen {
	v, err := ParseYuan(s)
	if err != nil {
		p.fail(field)
	}
	return domain.Fen(v)
}

// month reads yyyymm; "" is the zero Month.
func (p *parser) month(field, s string) insured.Month {
	if s == "" {
		return 0
	}
	m := insured.Month(atoi(s))
	if len(s) != 6 || !m.Valid() {
		p.fail(field)
		return 0
	}
	return m
}

// date reads yyyymmdd as midnight in Beijing; "" is the zero time.
func (p *parser) date(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	n := atoi(s)
	y, m, d := n/10000, n/100%100, n%100
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, domain.Beijing)
	if len(s) != 8 || t.Month() != time.Month(m) || t.Day() != d {
		p.fail(field)
		return time.Time{}
	}
	return t
}

func (p *parser) rate(field, s string) insured.Rate {
	v, err := ParseRate(s)
	if err != nil {
		p.fail(field)
	}
	return insured.Rate(v)
}

// atoi reads a run of ASCII digits; anything else gives -1.
func atoi(s string) int {
	if s == "" || len(s) > 9 {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// code looks s up in a code table, failing on a code the table lacks.
func code[T any](p *parser, field, s string, table map[string]T) T {
	v, ok := table[s]
	if !ok {
		p.fail(field)
	}
	return v
}

// The code tables of the contract, wire code → domain value.
var (
	personStatuses = map[string]insured.PersonStatus{PersonEmployed: insured.Employed,
		PersonRetired: insured.Retired, PersonUnemployed: insured.Unemployed, PersonFlexible: insured.Flexible}
	genders        = map[string]insured.Gender{GenderMale: insured.Male, GenderFemale: insured.Female}
	insuranceTypes = map[string]insured.InsuranceType{TypePension: insured.PensionInsurance,
		TypeMedical: insured.MedicalInsurance, TypeWorkInjury: insured.WorkInjuryInsurance,
		TypeUnemployment: insured.UnemploymentInsurance}
	coverageStatuses = map[string]insured.CoverageStatus{CoveragePaying: insured.Paying,
		CoverageSuspended: insured.Suspended, CoverageTerminated: insured.Terminated}
	flags        = map[string]bool{FlagYes: true, FlagNo: false}
	benefitKinds = map[string]insured.BenefitKind{ComponentBasic: insured.BasicPension,
		ComponentAccount: insured.AccountPension, ComponentTransitional: insured.TransitionalPension,
		ComponentAdjustment: insured.PensionAdjustment}
	injuryBenefitKinds = map[string]insured.WorkInjuryBenefitKind{InjuryMedical: insured.InjuryMedical,
		InjuryLumpSum: insured.DisabilityLump, InjuryAllowance: insured.DisabilityAllowance}
	claimStatuses      = map[string]insured.ClaimStatus{ClaimDrawing: insured.Drawing, ClaimEnded: insured.Ended}
	unitTypes          = map[string]insured.UnitType{UnitEnterprise: insured.Enterprise, UnitInstitution: insured.Institution}
	unitStatuses       = map[string]insured.UnitStatus{UnitActive: insured.UnitActive, UnitArrears: insured.UnitArrears}
	assessmentStatuses = map[string]insured.AssessmentStatus{AssessmentAssessed: insured.Assessed,
		AssessmentPaid: insured.Settled, AssessmentOverdue: insured.Overdue}
)

func toPerson(w *PersonResponse) (insured.Person, error) {
	var p parser
	x := &w.Person
	out := insured.Person{
		ID: domain.IDNumber(x.IDNumber), PersonalNo: x.PersonalNo, Name: x.Name,
		Gender:    code(&p, "gender", x.Gender, genders),
		BirthDate: p.date("birthDate", x.BirthDate), Phone: domain.Phone(x.Phone),
		Status:   code(&p, "status", x.Status, personStatuses),
		UnitCode: domain.CreditCode(x.UnitCode), UnitName: x.UnitName,
		InsuredSince: p.month("insuredSince", x.InsuredSince),
	}
	return out, p.err(OpPerson)
}

func toOverview(w *OverviewResponse) (insured.InsuranceOverview, error) {
	var p parser
	out := insured.InsuranceOverview{ID: domain.IDNumber(w.IDNumber),
		Status: code(&p, "status", w.Status, personStatuses), PaidMonths: w.PaidMonths,
		Coverages: make([]insured.Coverage, len(w.Coverages))}
	for k, c := range w.Coverages {
		out.Coverages[k] = insured.Coverage{
			Type:     code(&p, "coverage.type", c.Type, insuranceTypes),
			Status:   code(&p, "coverage.status", c.Status, coverageStatuses),
			UnitCode: domain.CreditCode(c.UnitCode), UnitName: c.UnitName,
			Since: p.month("coverage.since", c.Since), Until: p.month("coverage.until", c.Until),
			Base: p.fen("coverage.base", c.Base),
		}
	}
	return out, p.err(OpOverview)
}

func toContributionYear(w *ContributionsResponse) (insured.ContributionYear, error) {
	var p parser
	out := insured.ContributionYear{Year: w.Year, FirstYear: w.FirstYear, LastYear: w.LastYear,
		Records: make([]insured.ContributionRecord, len(w.Records))}
	for k, r := range w.Records {
		out.Records[k] = insured.ContributionRecord{
			Month: p.month("record.month", r.Month), Type: code(&p, "record.type", r.Type, insuranceTypes),
			UnitCode: domain.CreditCode(r.UnitCode), Base: p.fen("record.base", r.Base),
			UnitPart: p.fen("record.unitPart", r.UnitPart), Personal: p.fen("record.personal", r.Personal),
			Paid: code(&p, "record.paid", r.Paid, flags),
		}
	}
	return out, p.err(OpContributions)
}

func toPensionAccount(w *PensionAccountResponse) (insured.PensionAccount, error) {
	var p parser
	out := insured.PensionAccount{Balance: p.fen("balance", w.Balance), PaidMonths: w.PaidMonths,
		Years: make([]insured.PensionAccountYear, len(w.Years))}
	for k, y := range w.Years {
		out.Years[k] = insured.PensionAccountYear{Year: y.Year, Months: y.Months,
			Credited: p.fen("year.credited", y.Credited), Interest: p.fen("year.interest", y.Interest),
			PaidOut: p.fen("year.paidOut", y.PaidOut), Balance: p.fen("year.balance", y.Balance)}
	}
	return out, p.err(OpPensionAccount)
}

func toPensionBenefit(w *PensionBenefitResponse) (insured.PensionBenefit, error) {
	var p parser
	out := insured.PensionBenefit{RetiredOn: p.date("retiredOn", w.RetiredOn), Start: p.month("start", w.Start),
		Monthly: p.fen("monthly", w.Monthly), Bank: w.Bank, Account: w.Account,
		Components: make([]insured.BenefitComponent, len(w.Components))}
	for k, c := range w.Components {
		out.Components[k] = insured.BenefitComponent{Kind: code(&p, "component.kind", c.Kind, benefitKinds),
			Amount: p.fen("component.amount", c.Amount)}
	}
	return out, p.err(OpPensionBenefit)
}

func toPensionPayments(w *PensionPaymentsResponse) ([]insured.PensionPayment, error) {
	var p parser
	out := make([]insured.PensionPayment, len(w.Payments))
	for k, x := range w.Payments {
		out[k] = insured.PensionPayment{Month: p.month("payment.month", x.Month),
			Amount: p.fen("payment.amount", x.Amount), PaidOn: p.date("payment.paidOn", x.PaidOn),
			Bank: x.Bank, Account: x.Account}
	}
	return out, p.err(OpPensionPayments)
}

func toWorkInjuries(w *WorkInjuriesResponse) ([]insured.WorkInjury, error) {
	var p parser
	out := make([]insured.WorkInjury, len(w.Injuries))
	for k, x := range w.Injuries {
		in := insured.WorkInjury{InjuredOn: p.date("injury.injuredOn", x.InjuredOn),
			RecognizedOn: p.date("injury.recognizedOn", x.RecognizedOn), DecisionNo: x.DecisionNo,
			UnitCode: domain.CreditCode(x.UnitCode), UnitName: x.UnitName, Cause: x.Cause, Grade: x.Grade,
			Benefits: make([]insured.WorkInjuryBenefit, len(x.Benefits))}
		if x.Grade < 0 || x.Grade > 10 {
			p.fail("injury.grade")
		}
		for b, y := range x.Benefits {
			in.Benefits[b] = insured.WorkInjuryBenefit{Kind: code(&p, "benefit.kind", y.Kind, injuryBenefitKinds),
				Month: p.month("benefit.month", y.Month), Amount: p.fen("benefit.amount", y.Amount),
				PaidOn: p.date("benefit.paidOn", y.PaidOn)}
		}
		out[k] = in
	}
	return out, p.err(OpWorkInjuries)
}

func toUnemploymentClaims(w *UnemploymentResponse) ([]insured.UnemploymentClaim, error) {
	var p parser
	out := make([]insured.UnemploymentClaim, len(w.Claims))
	for k, x := range w.Claims {
		c := insured.UnemploymentClaim{RegisteredOn: p.date("claim.registeredOn", x.RegisteredOn),
			EntitledMonths: x.EntitledMonths, PaidMonths: x.PaidMonths, Monthly: p.fen("claim.monthly", x.Monthly),
			Status:   code(&p, "claim.status", x.Status, claimStatuses),
			Payments: make([]insured.UnemploymentPayment, len(x.Payments))}
		for n, y := range x.Payments {
			c.Payments[n] = insured.UnemploymentPayment{Month: p.month("payment.month", y.Month),
				Amount: p.fen("payment.amount", y.Amount), PaidOn: p.date("payment.paidOn", y.PaidOn)}
		}
		out[k] = c
	}
	return out, p.err(OpUnemployment)
}

func toBaseTierOptions(w *BaseTiersResponse) (insured.BaseTierOptions, error) {
	var p parser
	out := insured.BaseTierOptions{Year: w.Year, AverageWage: p.fen("averageWage", w.AverageWage),
		Current: w.Current, Tiers: make([]insured.BaseTier, len(w.Tiers))}
	for k, t := range w.Tiers {
		out.Tiers[k] = insured.BaseTier{Percent: t.Percent, Base: p.fen("tier.base", t.Base),
			Monthly: p.fen("tier.monthly", t.Monthly)}
	}
	return out, p.err(OpBaseTiers)
}

func toUnit(w *UnitResponse) (insured.Unit, error) {
	var p parser
	x := &w.Unit
	out := insured.Unit{Code: domain.CreditCode(x.Code), Name: x.Name,
		Type: code(&p, "type", x.Type, unitTypes), Address: x.Address, LegalRep: x.LegalRep,
		Status: code(&p, "status", x.Status, unitStatuses), Since: p.month("since", x.Since),
		InsuredCount: x.InsuredCount}
	return out, p.err(OpUnit)
}

func toStaffPage(w *UnitStaffResponse) (insured.StaffPage, error) {
	var p parser
	out := insured.StaffPage{Page: w.Page, Size: w.Size, Total: w.Total,
		Staff: make([]insured.StaffMember, len(w.Staff))}
	for k, x := range w.Staff {
		out.Staff[k] = insured.StaffMember{ID: domain.IDNumber(x.IDNumber), PersonalNo: x.PersonalNo,
			Name: x.Name, Status: code(&p, "member.status", x.Status, personStatuses),
			Since: p.month("member.since", x.Since), Base: p.fen("member.base", x.Base)}
	}
	return out, p.err(OpUnitStaff)
}

func toUnitRates(w *UnitRatesResponse) (insured.UnitRates, error) {
	var p parser
	out := insured.UnitRates{Code: domain.CreditCode(w.Code), Rates: make([]insured.ContributionRate, len(w.Rates))}
	for k, r := range w.Rates {
		out.Rates[k] = insured.ContributionRate{Type: code(&p, "rate.type", r.Type, insuranceTypes),
			Unit: p.rate("rate.unit", r.Unit), Personal: p.rate("rate.personal", r.Personal)}
	}
	return out, p.err(OpUnitRates)
}

func toUnitAssessments(w *UnitAssessmentsResponse) ([]insured.UnitAssessment, error) {
	var p parser
	out := make([]insured.UnitAssessment, len(w.Assessments))
	for k, x := range w.Assessments {
		a := insured.UnitAssessment{Month: p.month("assessment.month", x.Month), Headcount: x.Headcount,
			Total: p.fen("assessment.total", x.Total), Status: code(&p, "assessment.status", x.Status, assessmentStatuses),
			Lines: make([]insured.AssessmentLine, len(x.Lines))}
		for n, l := range x.Lines {
			a.Lines[n] = insured.AssessmentLine{Type: code(&p, "line.type", l.Type, insuranceTypes),
				Base: p.fen("line.base", l.Base), UnitPart: p.fen("line.unitPart", l.UnitPart),
				Personal: p.fen("line.personal", l.Personal)}
		}
		out[k] = a
	}
	return out, p.err(OpUnitAssessments)
}

func toUnitPayments(w *UnitPaymentsResponse) ([]insured.UnitPayment, error) {
	var p parser
	out := make([]insured.UnitPayment, len(w.Payments))
	for k, x := range w.Payments {
		out[k] = insured.UnitPayment{Month: p.month("payment.month", x.Month), Amount: p.fen("payment.amount", x.Amount),
			PaidOn: p.date("payment.paidOn", x.PaidOn), Voucher: x.Voucher}
	}
	return out, p.err(OpUnitPayments)
}
