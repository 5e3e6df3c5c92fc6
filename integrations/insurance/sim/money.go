package sim

import "github.com/dandong-hrss/hrss/integrations/insurance"

// The money tables. The figures are plausible for Liaoning, not official:
// they make bases, benefits and balances look right to a clerk, and are
// fixed so that the data never changes under a test.

// averageWageAnchor is the monthly provincial average wage the contribution
// bases of 2024 were reckoned on, in fen (about 6,900 yuan).
const (
	averageWageAnchorYear = 2024
	averageWageAnchor     = 690_000
)

// averageWage returns the monthly provincial average wage of year y in fen,
// rounded to the yuan: 7% a year of growth back to 2010, 12% a year before
// that, and 4% a year after the anchor.
func averageWage(y int) int64 {
	w := int64(averageWageAnchor)
	for x := averageWageAnchorYear; x > y; x-- {
		if x > 2010 {
			w = w * 100 / 107
		} else {
			w = w * 100 / 112
		}
	}
	for x := averageWageAnchorYear; x < y; x++ {
		w = w * 104 / 100
	}
	return w / 100 * 100
}

// percentOf returns bp basis points of amount, rounded half up to the fen,
// the way the core rounds every contribution.
func percentOf(amount int64, bp int) int64 { return (amount*int64(bp) + 5000) / 10000 }

// insType is an insurance type, numbered in the order statements print them.
type insType int

const (
	pension insType = iota
	medical
	workInjury
	unemployment
	numTypes
)

// wire returns the core's code of the type.
func (t insType) wire() string {
	return [...]string{insurance.TypePension, insurance.TypeMedical,
		insurance.TypeWorkInjury, insurance.TypeUnemployment}[t]
}

// The month the rates changed: the pension unit rate fell from 20% to 16%
// and unemployment to 0.5% + 0.5% in May 2019; unemployment had fallen from
// 2% + 1% in March 2015.
var (
	rateCut2015 = monthOf(2015, 3)
	rateCut2019 = monthOf(2019, 5)
)

// employeeRates returns the unit's and the employee's rates, in basis
// points, for type t in month m; riskRate is the unit's work-injury rate.
func employeeRates(t insType, m month, riskRate int) (unit, personal int) {
	switch t {
	case pension:
		if m < rateCut2019 {
			return 2000, 800
		}
		return 1600, 800
	case medical:
		return 800, 200
	case workInjury:
		return riskRate, 0
	}
	switch {
	case m < rateCut2015:
		return 200, 100
	case m < rateCut2019:
		return 100, 50
	}
	return 50, 50
}

// flexibleRates are what a flexible-employment person pays alone: 20% for
// pension on the chosen tier, 8% for medical on 60% of the average wage.
const (
	flexiblePensionRate = 2000
	flexibleMedicalRate = 800
	flexibleMedicalTier = 60
)

// accountRate is the share of the base credited to the personal pension
// account each month.
const accountRate = 800

// riskRates are the work-injury base rates of the eight industry risk
// classes (行业风险类别), 0.2% to 1.9%, with how common each class is.
var (
	riskRates   = []int{20, 40, 70, 90, 110, 130, 160, 190}
	riskWeights = []int{30, 25, 15, 10, 8, 6, 4, 2}
)

// accountInterest is the yearly interest rate credited to personal pension
// accounts (记账利率), in basis points.
func accountInterest(y int) int {
	switch {
	case y <= 2015:
		return 300
	case y >= 2025:
		return 250
	}
	return [...]int{831, 712, 829, 761, 604, 669, 612, 397, 262}[y-2016]
}

// pensionRaise is the yearly pension adjustment (养老金调整) from January of
// year y, in basis points.
func pensionRaise(y int) int {
	switch {
	case y <= 2004:
		return 600
	case y <= 2015:
		return 1000
	case y >= 2025:
		return 200
	}
	return [...]int{650, 550, 500, 500, 500, 450, 400, 380, 300}[y-2016]
}

// annuityMonths is the divisor of the account balance at retirement (计发月数)
// by retirement age.
func annuityMonths(age int) int64 {
	switch age {
	case 50:
		return 195
	case 55:
		return 170
	}
	return 139
}

// unemploymentMonthly is the monthly unemployment benefit: 90% of the local
// minimum wage of 1,710 yuan.
const unemploymentMonthly = 153_900

// baseTiers are the pension base tiers open to flexible employment, in
// percent of the average wage, with how many people choose each.
var (
	baseTiers       = []int{60, 70, 80, 90, 100, 150, 200, 250, 300}
	baseTierWeights = []int{55, 15, 10, 5, 8, 4, 2, 0, 1}
)
