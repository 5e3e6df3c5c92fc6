package insured

import (
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Rate is a contribution rate in basis points (万分之一): 1600 is 16%, 50 is
// 0.5%. Rates are integers so that base × rate rounds the same way the
// core rounds it, to the fen.
type Rate int

// Of returns the contribution at this rate on base, rounded half up to the fen.
func (r Rate) Of(base domain.Fen) domain.Fen { return (base*domain.Fen(r) + 5000) / 10000 }

// String writes the rate as a percentage: 1600 → "16%", 75 → "0.75%".
func (r Rate) String() string {
	s := strconv.Itoa(int(r) / 100)
	if frac := int(r) % 100; frac != 0 {
		f := strconv.Itoa(100 + frac)[1:]
		if f[1] == '0' {
			f = f[:1]
		}
		s += "." + f
	}
	return s + "%"
}

// UnitRates are the rates a unit contributes at (缴费比例); the work-injury
// rate depends on the unit's industry risk class, the others are the
// province's.
type UnitRates struct {
	Code  domain.CreditCode
	Rates []ContributionRate // in InsuranceTypes order
}

// ContributionRate is the unit's and the employee's share for one type.
type ContributionRate struct {
	Type     InsuranceType
	Unit     Rate
	Personal Rate
}

// UnitAssessment is one month's assessment of what a unit owes (月申报核定单),
// the slip the kiosk prints and the unit pays against.
type UnitAssessment struct {
	Month     Month
	Headcount int // employees assessed
	Lines     []AssessmentLine
	Total     domain.Fen
	Status    AssessmentStatus
}

// AssessmentLine is one insurance type of an assessment.
type AssessmentLine struct {
	Type     InsuranceType
	Base     domain.Fen // the sum of the employees' bases
	UnitPart domain.Fen
	Personal domain.Fen // withheld from wages by the unit
}

// AssessmentStatus is where an assessment stands.
type AssessmentStatus string

// The assessment states.
const (
	Assessed AssessmentStatus = "assessed" // 已核定待缴费
	Settled  AssessmentStatus = "paid"     // 已缴费
	Overdue  AssessmentStatus = "overdue"  // 欠费
)

// Label returns the Chinese term.
func (s AssessmentStatus) Label() string {
	switch s {
	case Assessed:
		return "已核定待缴费"
	case Settled:
		return "已缴费"
	case Overdue:
		return "欠费"
	}
	return string(s)
}

// UnitPayment is one payment a unit made against an assessment (单位缴费记录).
type UnitPayment struct {
	Month   Month // the assessment month paid
	Amount  domain.Fen
	PaidOn  time.Time
	Voucher string // the receipt number (缴费票据号)
}
