package kiosk

import (
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// UnitView is the 单位参保信息 screen.
type UnitView struct {
	Title   string  `json:"title"`
	Summary []Field `json:"summary"`
}

// unitView shows a unit; the legal representative's name comes masked from
// the core.
func unitView(u insured.Unit) UnitView {
	return UnitView{Title: "单位参保信息", Summary: []Field{
		{"单位名称", u.Name}, {"统一社会信用代码", u.Code.String()}, {"单位类型", u.Type.Label()},
		{"单位地址", orNone(u.Address)}, {"法定代表人", orNone(u.LegalRep)}, {"参保状态", u.Status.Label()},
		{"首次参保年月", monthCN(u.Since)}, {"参保人数", count(u.InsuredCount, "人")}}}
}

// UnitRatesView is the 单位缴费比例 screen: the insurance types the unit
// pays and at what rates (险种信息).
type UnitRatesView struct {
	Title   string    `json:"title"`
	Summary []Field   `json:"summary"`
	Columns []Column  `json:"columns"`
	Rows    []RateRow `json:"rows"`
}

// RateRow is one insurance type's rates.
type RateRow struct {
	Insurance string `json:"insurance"`
	UnitRate  string `json:"unitRate"` // 16%
	Personal  string `json:"personal"` // 8%
}

var rateColumns = []Column{{"insurance", "险种"}, {"unitRate", "单位缴费比例"}, {"personal", "个人缴费比例"}}

func unitRatesView(r insured.UnitRates) UnitRatesView {
	v := UnitRatesView{Title: "单位缴费比例", Columns: rateColumns, Rows: make([]RateRow, 0, len(r.Rates)),
		Summary: []Field{{"统一社会信用代码", r.Code.String()}, {"参保险种数", count(len(r.Rates), "项")}}}
	for _, c := range r.Rates {
		v.Rows = append(v.Rows, RateRow{Insurance: c.Type.Label(), UnitRate: c.Unit.String(), Personal: c.Personal.String()})
	}
	return v
}

// StaffView is the 参保人员及工资申报 screen: the people on the unit's roll
// with the monthly wage base declared for each (缴费工资申报).
type StaffView struct {
	Title   string     `json:"title"`
	Summary []Field    `json:"summary"`
	Columns []Column   `json:"columns"`
	Rows    []StaffRow `json:"rows"`
	Paging  Paging     `json:"paging"`
	Notice  string     `json:"notice,omitempty"`
}

// StaffRow is one person on the roll, masked.
type StaffRow struct {
	Name     string `json:"name"`     // 张*
	IDNumber string `json:"idNumber"` // 2106**********123X
	Status   string `json:"status"`   // 在职
	Since    string `json:"since"`
	Base     string `json:"base"` // the declared base, — for retirees
}

var staffColumns = []Column{{"name", "姓名"}, {"idNumber", "身份证号"}, {"status", "人员状态"},
	{"since", "参保年月"}, {"base", "申报缴费工资"}}

// staffView shows one page of the roll as the core paged it.
func staffView(p insured.StaffPage) StaffView {
	v := StaffView{Title: "参保人员及工资申报", Columns: staffColumns, Rows: make([]StaffRow, 0, len(p.Staff)),
		Paging: newPaging(p.Page, p.Total, PageSize), Summary: []Field{{"参保人数", count(p.Total, "人")}}}
	for _, s := range p.Staff {
		base := none
		if s.Base > 0 {
			base = money(s.Base)
		}
		v.Rows = append(v.Rows, StaffRow{Name: domain.MaskName(s.Name), IDNumber: s.ID.Masked(), Status: s.Status.Label(),
			Since: monthCN(s.Since), Base: base})
	}
	if p.Total == 0 {
		v.Notice = "该单位没有参保人员"
	}
	return v
}

// AssessmentsView is the 单位核定信息 screen: one year of monthly
// assessments (月申报核定单), newest first.
type AssessmentsView struct {
	Title   string          `json:"title"`
	Year    int             `json:"year"`
	Years   []YearOption    `json:"years"`
	Summary []Field         `json:"summary"`
	Columns []Column        `json:"columns"`
	Rows    []AssessmentRow `json:"rows"`
	Paging  Paging          `json:"paging"`
	Notice  string          `json:"notice,omitempty"`
}

// AssessmentRow is one month's assessment.
type AssessmentRow struct {
	Month     string `json:"month"`
	Headcount string `json:"headcount"` // 25人
	UnitPart  string `json:"unitPart"`
	Personal  string `json:"personal"`
	Total     string `json:"total"`
	Status    string `json:"status"` // 已缴费
}

var assessmentColumns = []Column{{"month", "费款所属期"}, {"headcount", "核定人数"}, {"unitPart", "单位应缴"},
	{"personal", "个人应缴"}, {"total", "应缴合计"}, {"status", "核定状态"}}

func assessmentsView(year int, years []YearOption, as []insured.UnitAssessment, page int) AssessmentsView {
	v := AssessmentsView{Title: "单位核定信息", Year: year, Years: years, Columns: assessmentColumns}
	var total domain.Fen
	owed := 0
	for _, a := range as {
		if a.Status != insured.Settled {
			owed++
		}
		total += a.Total
	}
	v.Rows, v.Paging = paginate(assessmentRows(as), page)
	v.Summary = []Field{{"核定年度", yearLabel(year)}, {"核定月数", months(len(as))}, {"核定金额合计", money(total)},
		{"未缴月数", months(owed)}}
	if len(as) == 0 {
		v.Notice = yearLabel(year) + "没有核定记录"
	}
	return v
}

// assessmentRows are the assessments, newest first.
func assessmentRows(as []insured.UnitAssessment) []AssessmentRow {
	rows := make([]AssessmentRow, 0, len(as))
	for _, a := range newestFirst(as, func(a insured.UnitAssessment) insured.Month { return a.Month }) {
		var unit, personal domain.Fen
		for _, l := range a.Lines {
			unit += l.UnitPart
			personal += l.Personal
		}
		rows = append(rows, AssessmentRow{Month: monthCN(a.Month), Headcount: count(a.Headcount, "人"), UnitPart: money(unit),
			Personal: money(personal), Total: money(a.Total), Status: a.Status.Label()})
	}
	return rows
}

// UnitPaymentsView is the 单位缴费记录 screen: one year, newest first.
type UnitPaymentsView struct {
	Title   string           `json:"title"`
	Year    int              `json:"year"`
	Years   []YearOption     `json:"years"`
	Summary []Field          `json:"summary"`
	Columns []Column         `json:"columns"`
	Rows    []UnitPaymentRow `json:"rows"`
	Paging  Paging           `json:"paging"`
	Notice  string           `json:"notice,omitempty"`
}

// UnitPaymentRow is one payment against an assessment.
type UnitPaymentRow struct {
	Month   string `json:"month"`
	Amount  string `json:"amount"`
	PaidOn  string `json:"paidOn"`
	Voucher string `json:"voucher"` // 缴费票据号
}

var unitPaymentColumns = []Column{{"month", "费款所属期"}, {"amount", "缴费金额"}, {"paidOn", "缴费日期"}, {"voucher", "票据号"}}

func unitPaymentsView(year int, years []YearOption, ps []insured.UnitPayment, page int) UnitPaymentsView {
	v := UnitPaymentsView{Title: "单位缴费记录", Year: year, Years: years, Columns: unitPaymentColumns}
	var total domain.Fen
	rows := make([]UnitPaymentRow, 0, len(ps))
	for _, p := range newestFirst(ps, func(p insured.UnitPayment) insured.Month { return p.Month }) {
		total += p.Amount
		rows = append(rows, UnitPaymentRow{Month: monthCN(p.Month), Amount: money(p.Amount), PaidOn: dateCN(p.PaidOn),
			Voucher: orNone(p.Voucher)})
	}
	v.Rows, v.Paging = paginate(rows, page)
	v.Summary = []Field{{"缴费年度", yearLabel(year)}, {"缴费笔数", count(len(ps), "笔")}, {"缴费合计", money(total)}}
	if len(rows) == 0 {
		v.Notice = yearLabel(year) + "没有缴费记录"
	}
	return v
}
