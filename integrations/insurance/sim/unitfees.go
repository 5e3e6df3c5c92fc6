package sim

import (
	"strconv"

	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// unitRates answers QueryUnitRates with the rates in force this month.
func (s *Sim) unitRates(u *unit) *insurance.UnitRatesResponse {
	r := &insurance.UnitRatesResponse{Code: u.code, Rates: make([]insurance.RateXML, numTypes)}
	for t := range numTypes {
		ur, pr := employeeRates(t, s.now, u.riskRate)
		r.Rates[t] = insurance.RateXML{Type: t.wire(), Unit: insurance.FormatRate(ur), Personal: insurance.FormatRate(pr)}
	}
	return r
}

// assessed is one month of a unit's assessment being summed up.
type assessed struct {
	headcount            int
	base, unit, personal [numTypes]int64
}

// assess sums up unit u's months of year y from the people on its roll,
// each rounded per person as the core rounds them, so that a unit's
// assessment is exactly the sum of its staff's contribution records.
func (s *Sim) assess(u *unitProfile, y int) (months [12]assessed) {
	from, to := s.roll(u.j)
	first, last := monthOf(y, 1), min(s.now, monthOf(y, 12))
	for i := from; i < to; i++ {
		p := s.profile(i)
		start, end := max(p.start, first), min(s.lastPaying(&p), last)
		if start > end {
			continue
		}
		base := s.base(&p, start) // bases of people on rolls change only by year
		for m := start; m <= end; m++ {
			a := &months[m-first]
			a.headcount++
			for t := range numTypes {
				ur, pr := employeeRates(t, m, u.riskRate)
				a.base[t] += base
				a.unit[t] += percentOf(base, ur)
				a.personal[t] += percentOf(base, pr)
			}
		}
	}
	return months
}

// assessmentStatus is where month m's assessment stands.
func (s *Sim) assessmentStatus(u *unitProfile, m month) string {
	switch {
	case m >= s.now:
		return insurance.AssessmentAssessed
	case u.inArrears(m, s.now):
		return insurance.AssessmentOverdue
	}
	return insurance.AssessmentPaid
}

// unitAssessments answers QueryUnitAssessments for year y; months before
// anyone on the roll contributed are left out.
func (s *Sim) unitAssessments(u *unitProfile, y int) *insurance.UnitAssessmentsResponse {
	r := &insurance.UnitAssessmentsResponse{}
	months := s.assess(u, y)
	for k := range months {
		a := &months[k]
		if a.headcount == 0 {
			continue
		}
		m := monthOf(y, k+1)
		x := insurance.AssessmentXML{Month: m.yyyymm(), Headcount: a.headcount, Status: s.assessmentStatus(u, m)}
		var total int64
		for t := range numTypes {
			x.Lines = append(x.Lines, insurance.AssessmentLineXML{Type: t.wire(), Base: insurance.FormatYuan(a.base[t]),
				UnitPart: insurance.FormatYuan(a.unit[t]), Personal: insurance.FormatYuan(a.personal[t])})
			total += a.unit[t] + a.personal[t]
		}
		x.Total = insurance.FormatYuan(total)
		r.Assessments = append(r.Assessments, x)
	}
	return r
}

// unitPayments answers QueryUnitPayments for year y: one payment for each
// paid assessment, on a working day of its month.
func (s *Sim) unitPayments(u *unitProfile, y int) *insurance.UnitPaymentsResponse {
	r := &insurance.UnitPaymentsResponse{}
	for _, a := range s.unitAssessments(u, y).Assessments {
		if a.Status != insurance.AssessmentPaid {
			continue
		}
		m := monthOf(y, digits(a.Month[4:]))
		h := hash(s.seed, tagPayment, u.j*12*256+int(m)%(12*256))
		r.Payments = append(r.Payments, insurance.UnitPaymentXML{Month: a.Month, Amount: a.Total,
			PaidOn:  m.day(10 + int(h%16)).yyyymmdd(),
			Voucher: "JF" + a.Month + strconv.Itoa(1_000_000 + int(h>>32)%1_000_000)[1:]})
	}
	return r
}

// unitSince is the first month anyone on unit j's roll contributed, which
// is when the unit registered as far as the digitised record knows.
func (s *Sim) unitSince(j int) month {
	from, to := s.roll(j)
	since := s.now
	for i := from; i < to; i++ {
		p := s.profile(i)
		since = min(since, p.start)
	}
	return since
}

// staffPage answers QueryUnitStaff.
func (s *Sim) staffPage(j, page, size int) *insurance.UnitStaffResponse {
	from, to := s.roll(j)
	r := &insurance.UnitStaffResponse{Page: page, Size: size, Total: to - from}
	for i := from + (page-1)*size; i < min(to, from+page*size); i++ {
		p := s.person(i)
		base := int64(0)
		if p.status == employed {
			base = s.base(&p.profile, s.now)
		}
		r.Staff = append(r.Staff, insurance.StaffXML{IDNumber: p.idNumber, PersonalNo: p.personalNo,
			Name: p.name, Status: p.status.wire(), Since: p.start.yyyymm(), Base: insurance.FormatYuan(base)})
	}
	return r
}
