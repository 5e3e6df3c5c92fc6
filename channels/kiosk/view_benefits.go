package kiosk

import (
	"slices"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// Card is one record shown as a panel of labelled values, for lists short
// enough not to page: a work injury, an unemployment claim.
type Card struct {
	Title  string  `json:"title"`
	Fields []Field `json:"fields"`
}

// WorkInjuryView is the 工伤认定与待遇核定 screen: each recognised injury
// with its disability grade and what the fund paid for it, by kind.
type WorkInjuryView struct {
	Title    string  `json:"title"`
	Summary  []Field `json:"summary"`
	Injuries []Card  `json:"injuries"`
	Notice   string  `json:"notice,omitempty"`
}

// workInjuryView shows the injuries, oldest first, numbered.
func workInjuryView(injuries []insured.WorkInjury) WorkInjuryView {
	sorted := slices.Clone(injuries)
	slices.SortStableFunc(sorted, func(a, b insured.WorkInjury) int { return a.InjuredOn.Compare(b.InjuredOn) })
	v := WorkInjuryView{Title: "工伤认定与待遇核定", Injuries: make([]Card, 0, len(sorted)),
		Summary: []Field{{"工伤认定次数", count(len(sorted), "次")}}}
	for i, in := range sorted {
		v.Injuries = append(v.Injuries, injuryCard(i+1, in))
	}
	if len(sorted) == 0 {
		v.Notice = "您没有工伤认定记录"
	}
	return v
}

func injuryCard(n int, in insured.WorkInjury) Card {
	c := Card{Title: "第" + strconv.Itoa(n) + "次工伤（" + dateCN(in.InjuredOn) + "）", Fields: []Field{
		{"受伤日期", dateCN(in.InjuredOn)}, {"认定日期", dateCN(in.RecognizedOn)}, {"认定书编号", orNone(in.DecisionNo)},
		{"用人单位", orNone(in.UnitName)}, {"受伤原因", orNone(in.Cause)}, {"伤残等级", gradeLabel(in.Grade)}}}
	totals := map[insured.WorkInjuryBenefitKind]domain.Fen{}
	for _, b := range in.Benefits {
		totals[b.Kind] += b.Amount
	}
	for _, k := range []insured.WorkInjuryBenefitKind{insured.InjuryMedical, insured.DisabilityLump, insured.DisabilityAllowance} {
		if amount, ok := totals[k]; ok {
			c.Fields = append(c.Fields, Field{k.Label() + "合计", money(amount)})
		}
	}
	c.Fields = append(c.Fields, Field{"待遇发放笔数", count(len(in.Benefits), "笔")})
	return c
}

// gradeLabel writes a disability grade the way the appraisal does: 七级伤残.
func gradeLabel(g int) string {
	if g < 1 || g > 10 {
		return "未达伤残等级"
	}
	return []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[g-1] + "级伤残"
}

// PaymentsView is a list of benefit payments (待遇发放记录), newest first.
type PaymentsView struct {
	Title   string       `json:"title"`
	Summary []Field      `json:"summary"`
	Columns []Column     `json:"columns"`
	Rows    []PaymentRow `json:"rows"`
	Paging  Paging       `json:"paging"`
	Notice  string       `json:"notice,omitempty"`
}

// PaymentRow is one payment.
type PaymentRow struct {
	Item   string `json:"item"`  // 伤残津贴, 失业保险金
	Month  string `json:"month"` // the month it is for
	Amount string `json:"amount"`
	PaidOn string `json:"paidOn"`
}

var paymentColumns = []Column{{"item", "待遇项目"}, {"month", "所属年月"}, {"amount", "发放金额"}, {"paidOn", "发放日期"}}

// payment is one benefit payment before it is shown.
type payment struct {
	item   string
	month  insured.Month
	amount domain.Fen
	paidOn time.Time
}

// paymentsView shows page of ps, newest first, with their count and total.
func paymentsView(title, empty string, ps []payment, page int) PaymentsView {
	var total domain.Fen
	rows := make([]PaymentRow, 0, len(ps))
	for _, p := range newestFirst(ps, func(p payment) insured.Month { return p.month }) {
		total += p.amount
		rows = append(rows, PaymentRow{Item: p.item, Month: monthCN(p.month), Amount: money(p.amount), PaidOn: dateCN(p.paidOn)})
	}
	v := PaymentsView{Title: title, Columns: paymentColumns,
		Summary: []Field{{"发放笔数", count(len(rows), "笔")}, {"发放合计", money(total)}}}
	v.Rows, v.Paging = paginate(rows, page)
	if len(rows) == 0 {
		v.Notice = empty
	}
	return v
}

// workInjuryPaymentsView shows the work-injury benefits paid (工伤待遇发放)
// for every injury together.
func workInjuryPaymentsView(injuries []insured.WorkInjury, page int) PaymentsView {
	var ps []payment
	for _, in := range injuries {
		for _, b := range in.Benefits {
			ps = append(ps, payment{item: b.Kind.Label(), month: b.Month, amount: b.Amount, paidOn: b.PaidOn})
		}
	}
	return paymentsView("工伤待遇发放记录", "您没有工伤待遇发放记录", ps, page)
}

// UnemploymentView is the 失业保险待遇核定 screen: each claim with what it
// entitles to and how much of it was drawn.
type UnemploymentView struct {
	Title   string  `json:"title"`
	Summary []Field `json:"summary"`
	Claims  []Card  `json:"claims"`
	Notice  string  `json:"notice,omitempty"`
}

// unemploymentView shows the claims, latest first.
func unemploymentView(claims []insured.UnemploymentClaim) UnemploymentView {
	sorted := slices.Clone(claims)
	slices.SortStableFunc(sorted, func(a, b insured.UnemploymentClaim) int { return b.RegisteredOn.Compare(a.RegisteredOn) })
	v := UnemploymentView{Title: "失业保险待遇核定", Claims: make([]Card, 0, len(sorted)),
		Summary: []Field{{"失业登记次数", count(len(sorted), "次")}}}
	for _, c := range sorted {
		v.Claims = append(v.Claims, Card{Title: "失业登记（" + dateCN(c.RegisteredOn) + "）", Fields: []Field{
			{"失业登记日期", dateCN(c.RegisteredOn)}, {"应领月数", months(c.EntitledMonths)}, {"已领月数", months(c.PaidMonths)},
			{"剩余月数", months(max(c.EntitledMonths-c.PaidMonths, 0))}, {"月失业保险金", money(c.Monthly)},
			{"领取状态", c.Status.Label()}}})
	}
	if len(sorted) == 0 {
		v.Notice = "您没有失业保险待遇记录"
	}
	return v
}

// unemploymentPaymentsView shows the unemployment benefit paid (失业保险金
// 发放) under every claim together.
func unemploymentPaymentsView(claims []insured.UnemploymentClaim, page int) PaymentsView {
	var ps []payment
	for _, c := range claims {
		for _, p := range c.Payments {
			ps = append(ps, payment{item: "失业保险金", month: p.Month, amount: p.Amount, paidOn: p.PaidOn})
		}
	}
	return paymentsView("失业保险金发放记录", "您没有失业保险金发放记录", ps, page)
}
