package kiosk

import (
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// OverviewView is the 参保信息 screen: the person's standing in each
// insurance type.
type OverviewView struct {
	Title   string        `json:"title"`
	Summary []Field       `json:"summary"`
	Columns []Column      `json:"columns"`
	Rows    []CoverageRow `json:"rows"`
	Notice  string        `json:"notice,omitempty" doc:"无记录等提示"`
}

// CoverageRow is one insurance type of the overview.
type CoverageRow struct {
	Insurance string `json:"insurance"` // 养老保险
	Status    string `json:"status"`    // 参保缴费
	Unit      string `json:"unit"`      // the paying unit, or 个人参保
	Since     string `json:"since"`     // 2010年3月
	Until     string `json:"until"`     // — while paying
	Base      string `json:"base"`      // ￥4,141.00, or — when not paying
}

var coverageColumns = []Column{{"insurance", "险种"}, {"status", "参保状态"}, {"unit", "参保单位"},
	{"since", "参保起始"}, {"until", "缴费截止"}, {"base", "月缴费基数"}}

// overviewView shows the overview; the ID number is masked.
func overviewView(o insured.InsuranceOverview) OverviewView {
	v := OverviewView{Title: "参保信息", Columns: coverageColumns, Rows: make([]CoverageRow, 0, len(o.Coverages)),
		Summary: []Field{{"身份证号", o.ID.Masked()}, {"人员状态", o.Status.Label()}, {"累计缴费月数", months(o.PaidMonths)}}}
	for _, c := range o.Coverages {
		row := CoverageRow{Insurance: c.Type.Label(), Status: c.Status.Label(), Unit: c.UnitName,
			Since: monthCN(c.Since), Until: monthCN(c.Until), Base: none}
		if row.Unit == "" {
			row.Unit = "个人参保"
		}
		if c.Base > 0 {
			row.Base = money(c.Base)
		}
		v.Rows = append(v.Rows, row)
	}
	if len(v.Rows) == 0 {
		v.Notice = "未查询到您的参保记录"
	}
	return v
}

// ContributionsView is the 缴费明细 screen: one year of contributions, of
// one insurance type or all, newest month first.
type ContributionsView struct {
	Title     string            `json:"title"`
	Year      int               `json:"year"`
	Insurance string            `json:"insurance"` // 养老保险, or 全部险种
	Years     []YearOption      `json:"years" doc:"有缴费记录的年度，供选择"`
	Summary   []Field           `json:"summary"`
	Columns   []Column          `json:"columns"`
	Rows      []ContributionRow `json:"rows"`
	Paging    Paging            `json:"paging"`
	Notice    string            `json:"notice,omitempty"`
}

// ContributionRow is one month of one insurance type.
type ContributionRow struct {
	Month     string `json:"month"`     // 2024年5月
	Insurance string `json:"insurance"` // 养老保险
	Base      string `json:"base"`
	UnitPart  string `json:"unitPart"`
	Personal  string `json:"personal"`
	Total     string `json:"total"`
	State     string `json:"state"` // 已缴费 or 欠缴
}

var contributionColumns = []Column{{"month", "费款所属期"}, {"insurance", "险种"}, {"base", "缴费基数"},
	{"unitPart", "单位缴纳"}, {"personal", "个人缴纳"}, {"total", "合计"}, {"state", "缴费状态"}}

// contributionsView shows page of the year's records of type t ("" for all).
func contributionsView(y insured.ContributionYear, t insured.InsuranceType, page int) ContributionsView {
	label := "全部险种"
	if t != "" {
		label = t.Label()
	}
	v := ContributionsView{Title: "缴费明细", Year: y.Year, Insurance: label, Years: yearOptions(y.FirstYear, y.LastYear),
		Columns: contributionColumns}
	rows, sum := contributionRows(y.Records, t)
	v.Rows, v.Paging = paginate(rows, page)
	v.Summary = []Field{{"缴费年度", yearLabel(y.Year)}, {"险种", label}, {"已缴月数", months(len(sum.paid))},
		{"单位缴纳合计", money(sum.unit)}, {"个人缴纳合计", money(sum.personal)}, {"欠缴月数", months(len(sum.owed))}}
	if len(rows) == 0 {
		v.Notice = yearLabel(y.Year) + "没有" + label + "缴费记录"
	}
	return v
}

// contributionSum adds up the rows a contributions screen shows.
type contributionSum struct {
	unit, personal domain.Fen
	paid, owed     map[insured.Month]bool
}

// contributionRows are the records of type t ("" for all), newest month
// first and, within a month, in the order statements print the types.
func contributionRows(records []insured.ContributionRecord, t insured.InsuranceType) ([]ContributionRow, contributionSum) {
	sorted := newestFirst(records, func(r insured.ContributionRecord) insured.Month { return r.Month })
	sum := contributionSum{paid: map[insured.Month]bool{}, owed: map[insured.Month]bool{}}
	rows := make([]ContributionRow, 0, len(sorted))
	for _, r := range sorted {
		if t != "" && r.Type != t {
			continue
		}
		state := "已缴费"
		if r.Paid {
			sum.paid[r.Month] = true
		} else {
			state, sum.owed[r.Month] = "欠缴", true
		}
		sum.unit += r.UnitPart
		sum.personal += r.Personal
		rows = append(rows, ContributionRow{Month: monthCN(r.Month), Insurance: r.Type.Label(), Base: money(r.Base),
			UnitPart: money(r.UnitPart), Personal: money(r.Personal), Total: money(r.Total()), State: state})
	}
	return rows, sum
}
