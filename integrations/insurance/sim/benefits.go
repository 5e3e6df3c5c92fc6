package sim

import (
	"strconv"

	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// injuryShare is the share of people on rolls, in basis points, with a
// recognised work injury.
const injuryShare = 150

// The work-injury benefit rules: the one-off disability grant in months of
// wage, and the monthly allowance of grades 1–4 in percent of wage, by
// grade 1..10 (index 0 unused).
var (
	lumpSumMonths    = [11]int64{0, 27, 25, 23, 21, 18, 16, 13, 11, 9, 7}
	allowancePercent = [11]int64{0, 90, 85, 80, 75}
	gradeWeights     = []int{0, 1, 1, 2, 3, 4, 6, 10, 14, 20, 39}
)

// injury is a work injury before it is put into words.
type injury struct {
	injured, recognized date
	grade               int
	wage                int64
	st                  stream
}

// injury derives p's work injury, if p has one.
func (s *Sim) injury(p *profile) (injury, bool) {
	st := newStream(s.seed, tagInjury, p.i)
	last := s.lastPaying(p)
	if p.unit < 0 || p.former >= 0 || !st.chance(injuryShare) || last-p.start < 6 {
		return injury{}, false
	}
	in := injury{injured: (p.start + month(st.intn(int(last-p.start)))).day(1 + st.intn(28))}
	in.recognized = in.injured.addDays(30 + st.intn(60))
	if in.recognized.month() > s.now {
		in.recognized = s.now.day(1)
	}
	if !st.chance(4000) {
		in.grade = st.pick(gradeWeights)
	}
	in.wage = s.base(p, in.injured.month())
	in.st = st
	return in, true
}

// workInjuries answers QueryWorkInjuries.
func (s *Sim) workInjuries(p *profile) *insurance.WorkInjuriesResponse {
	r := &insurance.WorkInjuriesResponse{}
	in, ok := s.injury(p)
	if !ok {
		return r
	}
	u := s.unit(p.unit)
	st := &in.st
	w := insurance.WorkInjuryXML{
		InjuredOn: in.injured.yyyymmdd(), RecognizedOn: in.recognized.yyyymmdd(),
		DecisionNo: "丹人社工认字〔" + strconv.Itoa(in.recognized.y) + "〕第" +
			strconv.Itoa(10000 + 1 + st.intn(9999))[1:] + "号",
		UnitCode: u.code, UnitName: u.name, Cause: injuryCauses[st.intn(len(injuryCauses))], Grade: in.grade,
	}
	w.Benefits = s.injuryBenefits(p, &in)
	r.Injuries = []insurance.WorkInjuryXML{w}
	return r
}

// injuryBenefits lists what the fund paid: medical bills in the months after
// the injury, the one-off grant two months after recognition, and for
// grades 1–4 the monthly allowance of the last twelve months before
// retirement.
func (s *Sim) injuryBenefits(p *profile, in *injury) []insurance.InjuryBenefitXML {
	var out []insurance.InjuryBenefitXML
	pay := func(kind string, m month, amount int64) {
		if m < s.now {
			out = append(out, insurance.InjuryBenefitXML{Kind: kind, Month: m.yyyymm(),
				Amount: insurance.FormatYuan(amount), PaidOn: m.day(20).yyyymmdd()})
		}
	}
	st := &in.st
	for k, n := 0, 1+st.intn(3); k < n; k++ {
		pay(insurance.InjuryMedical, in.injured.month()+month(1+k), int64(50_000+st.intn(3_000_000)))
	}
	if in.grade == 0 {
		return out
	}
	granted := in.recognized.month() + 2
	pay(insurance.InjuryLumpSum, granted, in.wage*lumpSumMonths[in.grade])
	if in.grade <= 4 {
		last := min(s.now-1, p.pensionAt-1)
		for m := max(granted, last-11); m <= last; m++ {
			pay(insurance.InjuryAllowance, m, in.wage*allowancePercent[in.grade]/100)
		}
	}
	return out
}

// entitledMonths is how long unemployment benefit lasts by whole years of
// contributions: 12 months under five years, 18 under ten, 24 beyond.
func entitledMonths(years int) int {
	switch {
	case years < 5:
		return 12
	case years < 10:
		return 18
	}
	return 24
}

// unemploymentPayDay is the day of the month benefit is paid.
const unemploymentPayDay = 20

// unemploymentClaims answers QueryUnemploymentClaims: an unemployed person
// registered in the month contributions stopped and is paid from the next.
func (s *Sim) unemploymentClaims(p *profile) *insurance.UnemploymentResponse {
	r := &insurance.UnemploymentResponse{}
	if p.status != unemployed {
		return r
	}
	st := newStream(s.seed, tagInjury, p.i)
	entitled := entitledMonths(int(p.end-p.start) / 12)
	c := insurance.ClaimXML{RegisteredOn: p.end.day(1 + st.intn(28)).yyyymmdd(), EntitledMonths: entitled,
		Monthly: insurance.FormatYuan(unemploymentMonthly), Status: insurance.ClaimDrawing}
	first, last := p.end+1, p.end+month(entitled)
	for m := first; m <= min(last, s.now); m++ {
		if m == s.now && s.today.d < unemploymentPayDay {
			break
		}
		c.Payments = append(c.Payments, insurance.UnemploymentPaymentXML{Month: m.yyyymm(),
			Amount: c.Monthly, PaidOn: m.day(unemploymentPayDay).yyyymmdd()})
	}
	c.PaidMonths = len(c.Payments)
	if c.PaidMonths == entitled {
		c.Status = insurance.ClaimEnded
	}
	r.Claims = []insurance.ClaimXML{c}
	return r
}
