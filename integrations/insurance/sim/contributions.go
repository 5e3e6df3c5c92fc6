package sim

import "github.com/dandong-hrss/hrss/integrations/insurance"

// lastPaying returns the last month p contributes in, up to now.
func (s *Sim) lastPaying(p *profile) month {
	if p.end != 0 {
		return min(p.end-1, s.now)
	}
	return s.now
}

// hasRecords reports whether p has any digitised contributions; people who
// retired before the record began have none.
func (s *Sim) hasRecords(p *profile) bool { return p.start <= s.lastPaying(p) }

// types returns the insurance types p contributes to: all four through a
// unit, pension and medical alone.
func (p *profile) types() []insType {
	if p.selfPaid {
		return []insType{pension, medical}
	}
	return []insType{pension, medical, workInjury, unemployment}
}

// contribution returns base, unit part and personal part of type t in
// month m. u is the unit paid through, nil when self-paid.
func (s *Sim) contribution(p *profile, u *unitProfile, t insType, m month, base int64) (b, unit, personal int64) {
	if p.selfPaid {
		if t == medical {
			b = averageWage(m.year()) * flexibleMedicalTier / 100
			return b, 0, percentOf(b, flexibleMedicalRate)
		}
		return base, 0, percentOf(base, flexiblePensionRate)
	}
	ur, pr := employeeRates(t, m, u.riskRate)
	return base, percentOf(base, ur), percentOf(base, pr)
}

// paid reports whether month m's contributions have been paid: not yet for
// the current month, nor for a unit's months in arrears, nor for last month
// of a flexible worker who pays late.
func (s *Sim) paid(p *profile, u *unitProfile, m month) bool {
	switch {
	case m >= s.now:
		return false
	case u != nil && p.former < 0 && u.inArrears(m, s.now):
		return false
	case p.status == flexible && p.lateFee && m == s.now-1:
		return false
	}
	return true
}

// payer returns the unit p pays through with its code, or nil and "".
func (s *Sim) payer(p *profile) (*unitProfile, string) {
	j := p.unitAt()
	if j < 0 {
		return nil, ""
	}
	u, _ := s.unitProfile(j)
	return &u, s.unitCode(u)
}

// contributions answers QueryContributions for year y.
func (s *Sim) contributions(p *profile, y int) *insurance.ContributionsResponse {
	r := &insurance.ContributionsResponse{Year: y}
	if !s.hasRecords(p) {
		return r
	}
	last := s.lastPaying(p)
	r.FirstYear, r.LastYear = p.start.year(), last.year()
	u, code := s.payer(p)
	types := p.types()
	for m := max(p.start, monthOf(y, 1)); m <= min(last, monthOf(y, 12)); m++ {
		base, paid := s.base(p, m), insurance.FlagNo
		if s.paid(p, u, m) {
			paid = insurance.FlagYes
		}
		for _, t := range types {
			b, unit, personal := s.contribution(p, u, t, m, base)
			r.Records = append(r.Records, insurance.ContributionXML{Month: m.yyyymm(), Type: t.wire(),
				UnitCode: code, Base: insurance.FormatYuan(b), UnitPart: insurance.FormatYuan(unit),
				Personal: insurance.FormatYuan(personal), Paid: paid})
		}
	}
	return r
}

// overview answers QueryInsurance.
func (s *Sim) overview(p *person, l *ledger) *insurance.OverviewResponse {
	r := &insurance.OverviewResponse{IDNumber: p.idNumber, Status: p.status.wire(), PaidMonths: l.paidMonths}
	u, code := s.payer(&p.profile)
	name := ""
	if u != nil {
		name = s.unit(u.j).name
	}
	since := p.start
	if !s.hasRecords(&p.profile) {
		since = p.workStart
	}
	for _, t := range p.types() {
		c := insurance.CoverageXML{Type: t.wire(), UnitCode: code, UnitName: name, Since: since.yyyymm(), Base: "0.00"}
		s.coverageState(&p.profile, u, t, &c)
		r.Coverages = append(r.Coverages, c)
	}
	return r
}

// coverageState fills in status, end and base of one coverage.
func (s *Sim) coverageState(p *profile, u *unitProfile, t insType, c *insurance.CoverageXML) {
	switch {
	case p.status == retired && t == medical:
		c.Status = insurance.CoveragePaying // retirees stay covered without contributing
	case p.status == retired:
		c.Status, c.Until = insurance.CoverageTerminated, (p.end - 1).yyyymm()
	case p.status == unemployed:
		c.Status, c.Until = insurance.CoverageSuspended, (p.end - 1).yyyymm()
	default:
		b, _, _ := s.contribution(p, u, t, s.now, s.base(p, s.now))
		c.Status, c.Base = insurance.CoveragePaying, insurance.FormatYuan(b)
	}
}
