package insured

import "github.com/dandong-hrss/hrss/domain"

// InsuranceType is one of the insurance schemes the bureau runs (险种).
type InsuranceType string

// The insurance types the bureau's core keeps. Maternity insurance was
// merged into medical insurance in 2019 and has no records of its own.
const (
	PensionInsurance      InsuranceType = "pension"      // 企业职工基本养老保险
	MedicalInsurance      InsuranceType = "medical"      // 职工基本医疗保险
	WorkInjuryInsurance   InsuranceType = "work_injury"  // 工伤保险
	UnemploymentInsurance InsuranceType = "unemployment" // 失业保险
)

// InsuranceTypes lists the types in the order statements print them.
var InsuranceTypes = []InsuranceType{PensionInsurance, MedicalInsurance, WorkInjuryInsurance, UnemploymentInsurance}

// Label returns the short Chinese name printed on statements.
func (t InsuranceType) Label() string {
	switch t {
	case PensionInsurance:
		return "养老保险"
	case MedicalInsurance:
		return "医疗保险"
	case WorkInjuryInsurance:
		return "工伤保险"
	case UnemploymentInsurance:
		return "失业保险"
	}
	return string(t)
}

// CoverageStatus is the state of one insurance type for one person
// (个人缴费状态).
type CoverageStatus string

// The coverage states.
const (
	Paying     CoverageStatus = "paying"     // 参保缴费: contributions are due every month
	Suspended  CoverageStatus = "suspended"  // 暂停缴费: interrupted, e.g. after losing a job
	Terminated CoverageStatus = "terminated" // 终止参保: ended, e.g. by retirement
)

// Label returns the Chinese term shown to citizens.
func (s CoverageStatus) Label() string {
	switch s {
	case Paying:
		return "参保缴费"
	case Suspended:
		return "暂停缴费"
	case Terminated:
		return "终止参保"
	}
	return string(s)
}

// Coverage is a person's standing in one insurance type.
type Coverage struct {
	Type   InsuranceType
	Status CoverageStatus
	// UnitCode and UnitName name the unit that pays or last paid; empty for
	// people insured on their own.
	UnitCode domain.CreditCode
	UnitName string
	Since    Month      // first month of this coverage
	Until    Month      // last month paid when suspended or terminated; zero while paying
	Base     domain.Fen // the monthly base (缴费基数) contributions are reckoned on now; zero when not paying
}

// InsuranceOverview is a person's standing in every insurance type they have
// ever been covered by (参保信息查询).
type InsuranceOverview struct {
	ID         domain.IDNumber
	Status     PersonStatus
	Coverages  []Coverage // in InsuranceTypes order; types never covered are absent
	PaidMonths int        // months of pension contributions paid in the digitised record (累计缴费月数)
}

// Coverage returns the coverage of type t and whether there is one.
func (o InsuranceOverview) Coverage(t InsuranceType) (Coverage, bool) {
	for _, c := range o.Coverages {
		if c.Type == t {
			return c, true
		}
	}
	return Coverage{}, false
}
