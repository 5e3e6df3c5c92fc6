package insured

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// PensionAccount is a person's personal pension account (养老保险个人账户):
// the personal share of contributions credited each month plus the yearly
// interest the province declares, drawn down after retirement.
type PensionAccount struct {
	Balance    domain.Fen // at the end of the last year in Years, or today's balance for the current year
	PaidMonths int        // months credited, in the digitised record
	Years      []PensionAccountYear
}

// PensionAccountYear is one line of the yearly statement (个人账户对账单).
type PensionAccountYear struct {
	Year     int
	Months   int        // months credited that year
	Credited domain.Fen // 本年记账金额
	Interest domain.Fen // 本年记账利息
	PaidOut  domain.Fen // drawn as the account part of the pension, after retirement
	Balance  domain.Fen // 年末累计储存额
}

// PensionBenefit is the pension a retiree draws (养老待遇核定信息).
type PensionBenefit struct {
	RetiredOn  time.Time
	Start      Month      // first month paid
	Monthly    domain.Fen // what is paid each month now
	Components []BenefitComponent
	Bank       string // the bank the pension is paid into
	Account    string // the account number, masked by the core
}

// BenefitComponent is one part of a monthly benefit; the parts add up to the
// monthly amount.
type BenefitComponent struct {
	Kind   BenefitKind
	Amount domain.Fen
}

// BenefitKind names a component of a pension.
type BenefitKind string

// The components of an enterprise employee's pension.
const (
	BasicPension        BenefitKind = "basic"        // 基础养老金
	AccountPension      BenefitKind = "account"      // 个人账户养老金
	TransitionalPension BenefitKind = "transitional" // 过渡性养老金, for service before personal accounts
	PensionAdjustment   BenefitKind = "adjustment"   // 历年调待, the yearly increases since retirement
)

// Label returns the Chinese term printed on the benefit slip.
func (k BenefitKind) Label() string {
	switch k {
	case BasicPension:
		return "基础养老金"
	case AccountPension:
		return "个人账户养老金"
	case TransitionalPension:
		return "过渡性养老金"
	case PensionAdjustment:
		return "历年调待"
	}
	return string(k)
}

// PensionPayment is one month of pension paid out (养老金发放记录).
type PensionPayment struct {
	Month   Month
	Amount  domain.Fen
	PaidOn  time.Time
	Bank    string
	Account string // masked by the core
}
