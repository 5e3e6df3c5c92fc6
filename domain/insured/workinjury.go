package insured

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// WorkInjury is one recognised work injury (工伤认定) and what the
// work-injury fund paid for it.
type WorkInjury struct {
	InjuredOn    time.Time
	RecognizedOn time.Time
	DecisionNo   string // the recognition decision's number (认定书编号)
	UnitCode     domain.CreditCode
	UnitName     string
	Cause        string // in Chinese, as the decision states it
	// Grade is the disability grade of the labour-ability appraisal (伤残等级),
	// 1 (most severe) to 10; 0 when the injury left no disability.
	Grade    int
	Benefits []WorkInjuryBenefit
}

// WorkInjuryBenefit is one payment from the work-injury fund (工伤待遇发放).
type WorkInjuryBenefit struct {
	Kind   WorkInjuryBenefitKind
	Month  Month // the month the payment is for
	Amount domain.Fen
	PaidOn time.Time
}

// WorkInjuryBenefitKind names a work-injury benefit.
type WorkInjuryBenefitKind string

// The work-injury benefits the channels show.
const (
	InjuryMedical       WorkInjuryBenefitKind = "medical"   // 工伤医疗费
	DisabilityLump      WorkInjuryBenefitKind = "lump_sum"  // 一次性伤残补助金, grades 1–10
	DisabilityAllowance WorkInjuryBenefitKind = "allowance" // 伤残津贴, monthly for grades 1–4 until retirement
)

// Label returns the Chinese term printed on the benefit slip.
func (k WorkInjuryBenefitKind) Label() string {
	switch k {
	case InjuryMedical:
		return "工伤医疗费"
	case DisabilityLump:
		return "一次性伤残补助金"
	case DisabilityAllowance:
		return "伤残津贴"
	}
	return string(k)
}
