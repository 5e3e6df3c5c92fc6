package app

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// InjuryAssessment is one recognised work injury and its appraisal
// (工伤认定与伤残等级), on which benefits are assessed.
type InjuryAssessment struct {
	DecisionNo   string `json:"decisionNo" doc:"认定书编号"`
	InjuredOn    string `json:"injuredOn"`
	RecognizedOn string `json:"recognizedOn"`
	UnitName     string `json:"unitName"`
	Cause        string `json:"cause"`
	Grade        int    `json:"grade" doc:"伤残等级1–10级，0为未构成伤残"`
	GradeText    string `json:"gradeText" example:"七级伤残"`
}

// InjuryAssessments lists a person's recognised work injuries.
type InjuryAssessments struct {
	Items []InjuryAssessment `json:"items"`
}

type assessmentsOutput struct{ Body InjuryAssessments }

// InjuryPayment is one payment from the work-injury fund (工伤待遇支付).
type InjuryPayment struct {
	DecisionNo string `json:"decisionNo"`
	Kind       string `json:"kind"`
	KindText   string `json:"kindText" example:"伤残津贴"`
	Month      string `json:"month"`
	Amount     int64  `json:"amount" doc:"分"`
	PaidOn     string `json:"paidOn"`
}

// InjuryPayments lists a person's work-injury payments, newest first.
type InjuryPayments struct {
	Items []InjuryPayment `json:"items"`
}

type injuryPaymentsOutput struct{ Body InjuryPayments }

var gradeTexts = []string{"未构成伤残", "一级伤残", "二级伤残", "三级伤残", "四级伤残", "五级伤残", "六级伤残",
	"七级伤残", "八级伤残", "九级伤残", "十级伤残"}

func (c *Channel) registerWorkInjury(api huma.API) {
	huma.Register(api, op("work-injury-contributions", http.MethodGet, "/work-injury/contributions", "工伤服务", "工伤缴费查询（按年）", true),
		func(ctx context.Context, in *yearInput) (*contributionsOutput, error) {
			return read(c, ctx, in.Acting, "app.work-injury.contributions.read", func(p identity.Principal) (*contributionsOutput, error) {
				return c.contributionYear(ctx, p.Subject, c.year(in.YearQuery), insured.WorkInjuryInsurance)
			})
		})
	huma.Register(api, op("work-injury-assessments", http.MethodGet, "/work-injury/assessments", "工伤服务", "工伤待遇核定信息（认定与伤残等级）", true),
		func(ctx context.Context, in *Acting) (*assessmentsOutput, error) {
			return read(c, ctx, *in, "app.work-injury.assessments.read", func(p identity.Principal) (*assessmentsOutput, error) {
				list, err := c.cfg.Core.WorkInjuries(ctx, p.Subject)
				if err != nil {
					return nil, err
				}
				out := InjuryAssessments{Items: make([]InjuryAssessment, len(list))}
				for i, w := range list {
					out.Items[i] = InjuryAssessment{DecisionNo: w.DecisionNo, InjuredOn: day(w.InjuredOn), RecognizedOn: day(w.RecognizedOn),
						UnitName: w.UnitName, Cause: w.Cause, Grade: w.Grade, GradeText: gradeTexts[min(max(w.Grade, 0), 10)]}
				}
				return &assessmentsOutput{Body: out}, nil
			})
		})
	huma.Register(api, op("work-injury-payments", http.MethodGet, "/work-injury/payments", "工伤服务", "工伤待遇发放与支付记录", true),
		func(ctx context.Context, in *Acting) (*injuryPaymentsOutput, error) {
			return read(c, ctx, *in, "app.work-injury.payments.read", func(p identity.Principal) (*injuryPaymentsOutput, error) {
				list, err := c.cfg.Core.WorkInjuries(ctx, p.Subject)
				if err != nil {
					return nil, err
				}
				out := InjuryPayments{Items: []InjuryPayment{}}
				for _, w := range list {
					for _, b := range w.Benefits {
						out.Items = append(out.Items, InjuryPayment{DecisionNo: w.DecisionNo, Kind: string(b.Kind), KindText: b.Kind.Label(),
							Month: b.Month.String(), Amount: int64(b.Amount), PaidOn: day(b.PaidOn)})
					}
				}
				slices.SortStableFunc(out.Items, func(a, b InjuryPayment) int { return strings.Compare(b.Month, a.Month) })
				return &injuryPaymentsOutput{Body: out}, nil
			})
		})
}
