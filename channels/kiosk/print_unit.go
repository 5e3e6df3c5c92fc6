package kiosk

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// monthInput picks the month of one assessment slip.
type monthInput struct {
	Month string `query:"month" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" patternDescription:"年-月，如 2025-05" doc:"费款所属期，如 2025-05；必填"`
}

// printYearInput picks the year of a yearly print.
type printYearInput struct {
	Year int `query:"year" minimum:"1950" maximum:"2100" doc:"年度，缺省为今年"`
}

// parseMonth reads a month the input pattern has checked already.
func parseMonth(s string) insured.Month {
	t, _ := time.ParseInLocation("2006-01", s, domain.Beijing)
	return insured.MonthOf(t)
}

// assessmentSlipDoc is the unit's contribution assessment slip
// (单位缴费核定单) of one month: per insurance type the assessed base and
// what the unit and its staff owe, on A4 — the slip the unit pays against.
func (c *Channel) assessmentSlipDoc(ctx context.Context, s Session, in *monthInput) (document.Document, error) {
	if in.Month == "" {
		return document.Document{}, domain.InvalidFields(domain.FieldError{Field: "month", Message: "请选择要打印的费款所属期"})
	}
	m := parseMonth(in.Month)
	if m > insured.MonthOf(c.now()) {
		return document.Document{}, domain.InvalidFields(domain.FieldError{Field: "month", Message: "不能晚于本月"})
	}
	as, err := c.core.UnitAssessments(ctx, s.Unit, m.Year())
	if err != nil {
		return document.Document{}, err
	}
	for _, a := range as {
		if a.Month == m {
			return document.Document{Kind: document.AssessmentSlip, Title: "社会保险费单位缴费核定单", Subject: unitSubject(s),
				PageSize: document.A4, Sections: []document.Section{assessmentSection(a)}}, nil
		}
	}
	return document.Document{}, domain.Errorf(domain.NotFound, "%s没有核定记录，请先办理月申报核定", monthCN(m))
}

var assessmentLineColumns = []Column{{"insurance", "险种"}, {"base", "缴费基数"}, {"unitPart", "单位应缴"},
	{"personal", "个人应缴"}, {"total", "小计"}}

// assessmentSection is one month's assessment: its facts and its lines,
// with a total line.
func assessmentSection(a insured.UnitAssessment) document.Section {
	rows := make([][]string, 0, len(a.Lines)+1)
	var unit, personal domain.Fen
	for _, l := range a.Lines {
		unit += l.UnitPart
		personal += l.Personal
		rows = append(rows, []string{l.Type.Label(), money(l.Base), money(l.UnitPart), money(l.Personal), money(l.UnitPart + l.Personal)})
	}
	rows = append(rows, []string{"合计", none, money(unit), money(personal), money(a.Total)})
	return document.Section{Heading: monthCN(a.Month) + "核定明细", Rows: []document.Row{
		{Label: "费款所属期", Value: monthCN(a.Month)}, {Label: "核定人数", Value: count(a.Headcount, "人")},
		{Label: "应缴合计", Value: money(a.Total)}, {Label: "核定状态", Value: a.Status.Label()}},
		Table: table(assessmentLineColumns, rows)}
}

// batchAssessmentDoc is the batch assessment slip (批量核定单): every
// month of a year on one A4 document, one line a month as the 单位核定信息
// screen shows them, with the year's totals.
func (c *Channel) batchAssessmentDoc(ctx context.Context, s Session, in *printYearInput) (document.Document, error) {
	year, err := c.year(in.Year)
	if err != nil {
		return document.Document{}, err
	}
	as, err := c.core.UnitAssessments(ctx, s.Unit, year)
	if err != nil {
		return document.Document{}, err
	}
	if len(as) == 0 {
		return document.Document{}, domain.Errorf(domain.NotFound, "%s没有核定记录", yearLabel(year))
	}
	v := assessmentsView(year, nil, as, 1)
	rows := make([][]string, 0, len(as))
	for _, r := range assessmentRows(as) {
		rows = append(rows, []string{r.Month, r.Headcount, r.UnitPart, r.Personal, r.Total, r.Status})
	}
	return document.Document{Kind: document.BatchAssessment, Title: yearLabel(year) + "社会保险费批量核定单",
		Subject: unitSubject(s), PageSize: document.A4,
		Sections: []document.Section{{Heading: yearLabel(year) + "逐月核定", Rows: docRows(v.Summary[1:]), Table: table(assessmentColumns, rows)}}}, nil
}

// largeAmountDoc is the large-amount insurance slip (大额保险单): the
// unit's large-amount medical insurance (大额医疗保险) for a year, a fixed
// yearly premium per insured employee, reckoned on the headcount of the
// year's latest assessment. The premium is the bureau's yearly notice, set
// in Deps; without it the kiosk does not guess.
func (c *Channel) largeAmountDoc(ctx context.Context, s Session, in *printYearInput) (document.Document, error) {
	if c.premium <= 0 {
		return document.Document{}, domain.Errorf(domain.Unavailable, "本终端暂不能打印大额保险单，请到服务大厅窗口办理")
	}
	year, err := c.year(in.Year)
	if err != nil {
		return document.Document{}, err
	}
	as, err := c.core.UnitAssessments(ctx, s.Unit, year)
	if err != nil {
		return document.Document{}, err
	}
	if len(as) == 0 {
		return document.Document{}, domain.Errorf(domain.NotFound, "%s没有核定记录，无法核定大额保险", yearLabel(year))
	}
	latest := newestFirst(as, func(a insured.UnitAssessment) insured.Month { return a.Month })[0]
	due := c.premium * domain.Fen(latest.Headcount)
	return document.Document{Kind: document.LargeAmountInsurance, Title: yearLabel(year) + "大额医疗保险缴费单",
		Subject: unitSubject(s), PageSize: document.A4, Sections: []document.Section{{Heading: "大额医疗保险", Rows: []document.Row{
			{Label: "保险年度", Value: yearLabel(year)},
			{Label: "参保职工人数", Value: count(latest.Headcount, "人") + "（" + monthCN(latest.Month) + "核定）"},
			{Label: "缴费标准", Value: money(c.premium) + "/人·年"},
			{Label: "应缴金额", Value: money(due)},
			{Label: "说明", Value: "按本年度最近一次核定的参保职工人数计算；人数变动的，以社保经办机构核定为准。"},
		}}}}, nil
}
