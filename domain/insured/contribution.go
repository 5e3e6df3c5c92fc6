package insured

import "github.com/dandong-hrss/hrss/domain"

// ContributionRecord is one month of one insurance type in a person's
// contribution history (缴费明细).
type ContributionRecord struct {
	Month    Month
	Type     InsuranceType
	UnitCode domain.CreditCode // the unit that paid; empty for flexible employment
	Base     domain.Fen        // 缴费基数
	UnitPart domain.Fen        // 单位缴纳
	Personal domain.Fen        // 个人缴纳
	Paid     bool              // false while the month is assessed but not yet paid (欠缴)
}

// Total returns what the month cost, unit and person together.
func (r ContributionRecord) Total() domain.Fen { return r.UnitPart + r.Personal }

// ContributionYear is one page of a contribution history: the records of one
// calendar year, by month and then in InsuranceTypes order. FirstYear and
// LastYear bound the history so that a channel can page through it; both are
// zero for a person with no digitised contributions (pensioners who retired
// before records were kept).
type ContributionYear struct {
	Year                int
	FirstYear, LastYear int
	Records             []ContributionRecord
}
