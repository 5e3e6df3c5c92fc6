package insured

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Person is the basic record of an insured person (参保人员基本信息).
type Person struct {
	ID         domain.IDNumber
	PersonalNo string // 个人编号, the core's own key; printed on statements
	Name       string
	Gender     Gender
	BirthDate  time.Time
	Phone      domain.Phone // may be empty: older records have none
	Status     PersonStatus
	// UnitCode and UnitName name the unit the person is insured through, or
	// managed by after retiring from it; both are empty for people insured
	// on their own (flexible employment, registered unemployed, retirees who
	// were in flexible employment).
	UnitCode     domain.CreditCode
	UnitName     string
	InsuredSince Month // 首次参保年月 in the digitised record
}

// Gender is recorded as the core records it; pension age rules depend on it.
type Gender string

// The genders of GB/T 2261.1.
const (
	Male   Gender = "male"
	Female Gender = "female"
)

// Label returns the Chinese word for the gender.
func (g Gender) Label() string {
	if g == Male {
		return "男"
	}
	return "女"
}

// PersonStatus is a person's standing with the bureau (人员参保状态); it decides
// which services a channel offers (base tiers only for flexible employment,
// certification only for retirees).
type PersonStatus string

// The person statuses.
const (
	Employed   PersonStatus = "employed"   // 在职: insured through an employer unit
	Flexible   PersonStatus = "flexible"   // 灵活就业: insured on one's own, chooses a base tier
	Unemployed PersonStatus = "unemployed" // 失业: registered unemployed, contributions suspended
	Retired    PersonStatus = "retired"    // 退休: draws a pension
)

// Label returns the Chinese term shown to citizens.
func (s PersonStatus) Label() string {
	switch s {
	case Employed:
		return "在职"
	case Flexible:
		return "灵活就业"
	case Unemployed:
		return "失业"
	case Retired:
		return "退休"
	}
	return string(s)
}
