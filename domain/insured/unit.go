package insured

import "github.com/dandong-hrss/hrss/domain"

// Unit is an employer insured with the bureau (参保单位基本信息), as the
// enterprise online declaration and the kiosk's unit queries show it.
type Unit struct {
	Code     domain.CreditCode
	Name     string
	Type     UnitType
	Address  string
	LegalRep string // the legal representative's name, masked by the core (张*)
	Status   UnitStatus
	Since    Month // the month the unit first registered for insurance
	// InsuredCount is the number of people on the unit's roll, retirees it
	// manages included; it is the Total of UnitStaff.
	InsuredCount int
}

// UnitType tells enterprises from government bodies and public institutions,
// which declare through a different route (机关事业单位申报).
type UnitType string

// The unit types.
const (
	Enterprise  UnitType = "enterprise"  // 企业
	Institution UnitType = "institution" // 机关事业单位
)

// Label returns the Chinese term.
func (t UnitType) Label() string {
	if t == Institution {
		return "机关事业单位"
	}
	return "企业"
}

// UnitStatus is a unit's standing (单位参保状态).
type UnitStatus string

// The unit states.
const (
	UnitActive  UnitStatus = "active"  // 正常参保
	UnitArrears UnitStatus = "arrears" // 欠费: assessed months left unpaid; its staff's coverage is suspended
)

// Label returns the Chinese term.
func (s UnitStatus) Label() string {
	if s == UnitArrears {
		return "欠费"
	}
	return "正常参保"
}

// StaffPage is one page of a unit's roll (单位参保人员名册).
type StaffPage struct {
	Page, Size int
	Total      int
	Staff      []StaffMember
}

// StaffMember is one person on a unit's roll.
type StaffMember struct {
	ID         domain.IDNumber
	PersonalNo string
	Name       string
	Status     PersonStatus // Employed or Retired
	Since      Month        // joined the unit's insurance
	Base       domain.Fen   // this year's declared base; zero for retirees
}
