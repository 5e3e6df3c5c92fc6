package insurance

// This file is the wire contract of the business core's SOAP service: the
// operations, the request, every response body and the code tables. Both
// the client and the simulator (./sim) speak it; nothing here knows the
// domain types, which convert.go maps to and from.
//
// The conventions follow the legacy core: dates are yyyymmdd, months yyyymm
// (费款所属期), money is yuan with two decimals ("1234.56"), rates are
// fractions with four decimals ("0.1600"), and enumerations are short codes.

// Namespace is the XML namespace of every operation's body element.
const Namespace = "urn:dandong-hrss:si-core:v1"

// EnvelopeNamespace is the SOAP 1.1 envelope namespace.
const EnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

// ServicePath is where the core serves its one SOAP endpoint, below the base
// URL the client is configured with.
const ServicePath = "/services/SiCoreService"

// The operations. Each is the local name of the request's body element and,
// after Namespace and "#", the SOAPAction header; the response element is the
// operation name with "Response" appended.
const (
	OpPerson          = "QueryPerson"
	OpOverview        = "QueryInsurance"
	OpContributions   = "QueryContributions"
	OpPensionAccount  = "QueryPensionAccount"
	OpPensionBenefit  = "QueryPensionBenefit"
	OpPensionPayments = "QueryPensionPayments"
	OpWorkInjuries    = "QueryWorkInjuries"
	OpUnemployment    = "QueryUnemploymentClaims"
	OpBaseTiers       = "QueryBaseTiers"
	OpChangeBaseTier  = "ChangeBaseTier"
	OpUnit            = "QueryUnit"
	OpUnitStaff       = "QueryUnitStaff"
	OpUnitRates       = "QueryUnitRates"
	OpUnitAssessments = "QueryUnitAssessments"
	OpUnitPayments    = "QueryUnitPayments"
)

// Operations lists every operation, for tests and tables that must cover all.
var Operations = []string{OpPerson, OpOverview, OpContributions, OpPensionAccount,
	OpPensionBenefit, OpPensionPayments, OpWorkInjuries, OpUnemployment, OpBaseTiers,
	OpChangeBaseTier, OpUnit, OpUnitStaff, OpUnitRates, OpUnitAssessments, OpUnitPayments}

// SOAPAction returns the SOAPAction header value of op, quoted as SOAP 1.1
// requires.
func SOAPAction(op string) string { return `"` + Namespace + "#" + op + `"` }

// Request is the body of every operation; each uses only some fields:
// IDNumber for the person operations, CreditCode for the unit ones, Year for
// the yearly pages, Page and Size for UnitStaff, Percent for ChangeBaseTier.
type Request struct {
	IDNumber   string `xml:"idNumber,omitempty"`
	CreditCode string `xml:"creditCode,omitempty"`
	Year       int    `xml:"year,omitempty"`
	Page       int    `xml:"page,omitempty"`
	Size       int    `xml:"size,omitempty"`
	Percent    int    `xml:"percent,omitempty"`
}

// Fault detail codes: the machine-readable reason of a soap:Fault, in its
// <detail><error><code>.
const (
	FaultPersonNotFound   = "PERSON_NOT_FOUND"  // no person with this ID number
	FaultUnitNotFound     = "UNIT_NOT_FOUND"    // no unit with this credit code
	FaultNoPension        = "PENSION_NOT_FOUND" // the person draws no pension
	FaultNotFlexible      = "NOT_FLEXIBLE"      // base tiers are for flexible employment only
	FaultInvalidArgument  = "INVALID_ARGUMENT"  // a request field is wrong; <field> names it
	FaultUnknownOperation = "UNKNOWN_OPERATION" // the SOAPAction names no operation
	FaultBusy             = "SYSTEM_BUSY"       // the core cannot answer now
)

// Person status codes (人员状态).
const (
	PersonEmployed   = "1" // 在职
	PersonRetired    = "2" // 退休
	PersonUnemployed = "3" // 失业
	PersonFlexible   = "4" // 灵活就业
)

// Gender codes of GB/T 2261.1.
const (
	GenderMale   = "1"
	GenderFemale = "2"
)

// Insurance type codes (险种类型) as the core numbers them.
const (
	TypePension      = "110" // 企业职工基本养老保险
	TypeUnemployment = "210" // 失业保险
	TypeMedical      = "310" // 职工基本医疗保险
	TypeWorkInjury   = "410" // 工伤保险
)

// Coverage status codes (个人缴费状态).
const (
	CoveragePaying     = "1" // 参保缴费
	CoverageSuspended  = "2" // 暂停缴费
	CoverageTerminated = "3" // 终止参保
)

// Flag codes for yes/no fields such as a contribution's paid flag.
const (
	FlagNo  = "0"
	FlagYes = "1"
)

// Pension component codes (待遇项目).
const (
	ComponentBasic        = "01" // 基础养老金
	ComponentAccount      = "02" // 个人账户养老金
	ComponentTransitional = "03" // 过渡性养老金
	ComponentAdjustment   = "09" // 历年调待
)

// Work-injury benefit codes.
const (
	InjuryMedical   = "41" // 工伤医疗费
	InjuryLumpSum   = "42" // 一次性伤残补助金
	InjuryAllowance = "43" // 伤残津贴
)

// Unemployment claim status codes.
const (
	ClaimDrawing = "1" // 领取中
	ClaimEnded   = "2" // 已终止
)

// Unit type and status codes.
const (
	UnitEnterprise  = "10" // 企业
	UnitInstitution = "30" // 机关事业单位
	UnitActive      = "1"  // 正常参保
	UnitArrears     = "2"  // 欠费
)

// Assessment status codes (核定状态).
const (
	AssessmentAssessed = "0" // 已核定待缴费
	AssessmentPaid     = "1" // 已缴费
	AssessmentOverdue  = "2" // 欠费
)

// PersonResponse answers OpPerson.
type PersonResponse struct {
	Person PersonXML `xml:"person"`
}

// PersonXML is a person's basic record.
type PersonXML struct {
	IDNumber     string `xml:"idNumber"`
	PersonalNo   string `xml:"personalNo"`
	Name         string `xml:"name"`
	Gender       string `xml:"gender"`
	BirthDate    string `xml:"birthDate"`
	Phone        string `xml:"phone,omitempty"`
	Status       string `xml:"status"`
	UnitCode     string `xml:"unitCode,omitempty"`
	UnitName     string `xml:"unitName,omitempty"`
	InsuredSince string `xml:"insuredSince"`
}

// OverviewResponse answers OpOverview.
type OverviewResponse struct {
	IDNumber   string        `xml:"idNumber"`
	Status     string        `xml:"status"`
	PaidMonths int           `xml:"paidMonths"`
	Coverages  []CoverageXML `xml:"coverages>coverage"`
}

// CoverageXML is one insurance type of a person.
type CoverageXML struct {
	Type     string `xml:"type"`
	Status   string `xml:"status"`
	UnitCode string `xml:"unitCode,omitempty"`
	UnitName string `xml:"unitName,omitempty"`
	Since    string `xml:"since"`
	Until    string `xml:"until,omitempty"`
	Base     string `xml:"base"`
}

// ContributionsResponse answers OpContributions.
type ContributionsResponse struct {
	Year      int               `xml:"year"`
	FirstYear int               `xml:"firstYear"`
	LastYear  int               `xml:"lastYear"`
	Records   []ContributionXML `xml:"records>record"`
}

// ContributionXML is one month of one insurance type.
type ContributionXML struct {
	Month    string `xml:"month"`
	Type     string `xml:"type"`
	UnitCode string `xml:"unitCode,omitempty"`
	Base     string `xml:"base"`
	UnitPart string `xml:"unitPart"`
	Personal string `xml:"personal"`
	Paid     string `xml:"paid"`
}

// PensionAccountResponse answers OpPensionAccount.
type PensionAccountResponse struct {
	Balance    string           `xml:"balance"`
	PaidMonths int              `xml:"paidMonths"`
	Years      []AccountYearXML `xml:"years>year"`
}

// AccountYearXML is one line of the personal account statement.
type AccountYearXML struct {
	Year     int    `xml:"year"`
	Months   int    `xml:"months"`
	Credited string `xml:"credited"`
	Interest string `xml:"interest"`
	PaidOut  string `xml:"paidOut"`
	Balance  string `xml:"balance"`
}

// PensionBenefitResponse answers OpPensionBenefit.
type PensionBenefitResponse struct {
	RetiredOn  string         `xml:"retiredOn"`
	Start      string         `xml:"start"`
	Monthly    string         `xml:"monthly"`
	Components []ComponentXML `xml:"components>component"`
	Bank       string         `xml:"bank"`
	Account    string         `xml:"account"`
}

// ComponentXML is one component of a pension.
type ComponentXML struct {
	Kind   string `xml:"kind"`
	Amount string `xml:"amount"`
}

// PensionPaymentsResponse answers OpPensionPayments.
type PensionPaymentsResponse struct {
	Payments []PensionPaymentXML `xml:"payments>payment"`
}

// PensionPaymentXML is one month of pension paid.
type PensionPaymentXML struct {
	Month   string `xml:"month"`
	Amount  string `xml:"amount"`
	PaidOn  string `xml:"paidOn"`
	Bank    string `xml:"bank"`
	Account string `xml:"account"`
}

// WorkInjuriesResponse answers OpWorkInjuries.
type WorkInjuriesResponse struct {
	Injuries []WorkInjuryXML `xml:"injuries>injury"`
}

// WorkInjuryXML is one recognised work injury.
type WorkInjuryXML struct {
	InjuredOn    string             `xml:"injuredOn"`
	RecognizedOn string             `xml:"recognizedOn"`
	DecisionNo   string             `xml:"decisionNo"`
	UnitCode     string             `xml:"unitCode"`
	UnitName     string             `xml:"unitName"`
	Cause        string             `xml:"cause"`
	Grade        int                `xml:"grade"`
	Benefits     []InjuryBenefitXML `xml:"benefits>benefit"`
}

// InjuryBenefitXML is one work-injury payment.
type InjuryBenefitXML struct {
	Kind   string `xml:"kind"`
	Month  string `xml:"month"`
	Amount string `xml:"amount"`
	PaidOn string `xml:"paidOn"`
}

// UnemploymentResponse answers OpUnemployment.
type UnemploymentResponse struct {
	Claims []ClaimXML `xml:"claims>claim"`
}

// ClaimXML is one unemployment-benefit claim.
type ClaimXML struct {
	RegisteredOn   string                   `xml:"registeredOn"`
	EntitledMonths int                      `xml:"entitledMonths"`
	PaidMonths     int                      `xml:"paidMonths"`
	Monthly        string                   `xml:"monthly"`
	Status         string                   `xml:"status"`
	Payments       []UnemploymentPaymentXML `xml:"payments>payment"`
}

// UnemploymentPaymentXML is one month of unemployment benefit paid.
type UnemploymentPaymentXML struct {
	Month  string `xml:"month"`
	Amount string `xml:"amount"`
	PaidOn string `xml:"paidOn"`
}

// BaseTiersResponse answers OpBaseTiers and OpChangeBaseTier.
type BaseTiersResponse struct {
	Year        int       `xml:"year"`
	AverageWage string    `xml:"averageWage"`
	Current     int       `xml:"current"`
	Tiers       []TierXML `xml:"tiers>tier"`
}

// TierXML is one base tier.
type TierXML struct {
	Percent int    `xml:"percent"`
	Base    string `xml:"base"`
	Monthly string `xml:"monthly"`
}

// UnitResponse answers OpUnit.
type UnitResponse struct {
	Unit UnitXML `xml:"unit"`
}

// UnitXML is a unit's basic record.
type UnitXML struct {
	Code         string `xml:"code"`
	Name         string `xml:"name"`
	Type         string `xml:"type"`
	Address      string `xml:"address"`
	LegalRep     string `xml:"legalRep"`
	Status       string `xml:"status"`
	Since        string `xml:"since"`
	InsuredCount int    `xml:"insuredCount"`
}

// UnitStaffResponse answers OpUnitStaff.
type UnitStaffResponse struct {
	Page  int        `xml:"page"`
	Size  int        `xml:"size"`
	Total int        `xml:"total"`
	Staff []StaffXML `xml:"staff>member"`
}

// StaffXML is one person on a unit's roll.
type StaffXML struct {
	IDNumber   string `xml:"idNumber"`
	PersonalNo string `xml:"personalNo"`
	Name       string `xml:"name"`
	Status     string `xml:"status"`
	Since      string `xml:"since"`
	Base       string `xml:"base"`
}

// UnitRatesResponse answers OpUnitRates.
type UnitRatesResponse struct {
	Code  string    `xml:"code"`
	Rates []RateXML `xml:"rates>rate"`
}

// RateXML is the unit's and the employee's rate for one insurance type.
type RateXML struct {
	Type     string `xml:"type"`
	Unit     string `xml:"unit"`
	Personal string `xml:"personal"`
}

// UnitAssessmentsResponse answers OpUnitAssessments.
type UnitAssessmentsResponse struct {
	Assessments []AssessmentXML `xml:"assessments>assessment"`
}

// AssessmentXML is one month's assessment of a unit.
type AssessmentXML struct {
	Month     string              `xml:"month"`
	Headcount int                 `xml:"headcount"`
	Lines     []AssessmentLineXML `xml:"lines>line"`
	Total     string              `xml:"total"`
	Status    string              `xml:"status"`
}

// AssessmentLineXML is one insurance type of an assessment.
type AssessmentLineXML struct {
	Type     string `xml:"type"`
	Base     string `xml:"base"`
	UnitPart string `xml:"unitPart"`
	Personal string `xml:"personal"`
}

// UnitPaymentsResponse answers OpUnitPayments.
type UnitPaymentsResponse struct {
	Payments []UnitPaymentXML `xml:"payments>payment"`
}

// UnitPaymentXML is one payment by a unit.
type UnitPaymentXML struct {
	Month   string `xml:"month"`
	Amount  string `xml:"amount"`
	PaidOn  string `xml:"paidOn"`
	Voucher string `xml:"voucher"`
}
