package kiosk

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// monthlyMatter is the unit's monthly declaration and assessment
// (单位月申报核定申请); public institutions declare through another matter
// the kiosk does not offer.
const monthlyMatter = "unit.monthly_assessment"

// AssessmentFormView is the 单位月申报核定申请 screen: the form prefilled
// from the unit's latest assessment, for the clerk to check and correct.
type AssessmentFormView struct {
	Title       string  `json:"title"`
	Summary     []Field `json:"summary"`
	AssessMonth string  `json:"assessMonth" doc:"建议申报的核定月份（本月），如 2025-06"`
	StaffCount  int     `json:"staffCount" doc:"建议申报的缴费人数：最近一次核定的人数"`
	TotalWage   int64   `json:"totalWage" doc:"建议申报的缴费工资总额（分）：最近一次核定的养老保险缴费基数合计"`
	Notice      string  `json:"notice,omitempty"`
}

func (c *Channel) assessmentForm(ctx context.Context, s Session, _ *struct{}) (AssessmentFormView, error) {
	if err := c.checkEnterprise(ctx, s); err != nil {
		return AssessmentFormView{}, err
	}
	this := insured.MonthOf(c.now())
	v := AssessmentFormView{Title: "单位月申报核定申请", AssessMonth: this.String(),
		Summary: []Field{{"单位名称", s.UnitName}, {"统一社会信用代码", s.Unit.String()}, {"核定月份", monthCN(this)}}}
	last, ok, err := c.latestAssessment(ctx, s)
	if err != nil {
		return AssessmentFormView{}, err
	}
	if ok {
		v.StaffCount, v.TotalWage = last.Headcount, int64(pensionBase(last))
		v.Summary = append(v.Summary, Field{"上次核定", monthCN(last.Month) + "，" + count(last.Headcount, "人") + "，应缴" + money(last.Total)})
		v.Notice = "已按" + monthCN(last.Month) + "核定数填好，人数或工资有变化的请修改后提交"
	}
	v.Notice, err = c.withPending(ctx, s, v.Notice)
	return v, err
}

// withPending puts a warning of an undecided monthly application before
// notice.
func (c *Channel) withPending(ctx context.Context, s Session, notice string) (string, error) {
	p, err := c.pendingNotice(ctx, s, monthlyMatter, "月申报核定")
	if p == "" || err != nil {
		return notice, err
	}
	return p, nil
}

// latestAssessment is the unit's latest assessment of this year or last.
func (c *Channel) latestAssessment(ctx context.Context, s Session) (insured.UnitAssessment, bool, error) {
	for _, year := range []int{c.thisYear(), c.thisYear() - 1} {
		as, err := c.core.UnitAssessments(ctx, s.Unit, year)
		if err != nil {
			return insured.UnitAssessment{}, false, err
		}
		if len(as) > 0 {
			return newestFirst(as, func(a insured.UnitAssessment) insured.Month { return a.Month })[0], true, nil
		}
	}
	return insured.UnitAssessment{}, false, nil
}

// pensionBase is the wage base an assessment's pension line was reckoned
// on: the staff's declared wages.
func pensionBase(a insured.UnitAssessment) domain.Fen {
	for _, l := range a.Lines {
		if l.Type == insured.PensionInsurance {
			return l.Base
		}
	}
	return 0
}

// checkEnterprise keeps public institutions to their own declaration.
func (c *Channel) checkEnterprise(ctx context.Context, s Session) error {
	u, err := c.core.Unit(ctx, s.Unit)
	if err != nil {
		return err
	}
	if u.Type == insured.Institution {
		return domain.Errorf(domain.Rejected, "机关事业单位请通过企业网上申报的“机关事业单位申报”办理")
	}
	return nil
}

type assessmentInput struct {
	IdempotencyKey string `header:"Idempotency-Key" minLength:"8" maxLength:"64" pattern:"^[A-Za-z0-9_:-]+$" patternDescription:"8到64位字母、数字、“_”“:”或“-”" doc:"幂等键：每次提交生成一个（如 UUID），重试时保持不变；同一幂等键只办理一次"`
	Body           struct {
		AssessMonth string `json:"assessMonth" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" patternDescription:"年-月，如 2025-06" doc:"核定月份，如 2025-06"`
		StaffCount  int    `json:"staffCount" minimum:"0" maximum:"100000" doc:"本月缴费人数"`
		TotalWage   int64  `json:"totalWage" minimum:"0" maximum:"100000000000" doc:"本月缴费工资总额（分）"`
	}
}

// fileAssessment files the month's declaration for assessment (核定申请)
// with the figures the clerk confirmed. The counter core assesses it; the
// slip can be printed once the business core has the assessment.
func (c *Channel) fileAssessment(ctx context.Context, s Session, in *assessmentInput) (ApplicationView, error) {
	b := in.Body
	if parseMonth(b.AssessMonth) > insured.MonthOf(c.now()) {
		return ApplicationView{}, domain.InvalidFields(domain.FieldError{Field: "assessMonth", Message: "核定月份不能晚于本月"})
	}
	if err := c.checkEnterprise(ctx, s); err != nil {
		return ApplicationView{}, err
	}
	form := map[string]any{"assessMonth": b.AssessMonth, "staffCount": b.StaffCount, "totalWage": b.TotalWage}
	return c.file(ctx, s, filing{matter: monthlyMatter, form: form, key: in.IdempotencyKey})
}
