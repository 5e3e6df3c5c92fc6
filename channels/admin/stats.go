package admin

import (
	"context"
	"math"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
)

// maxStatsDays bounds the date range of one statistics query: a year and
// a day, enough for any annual report.
const maxStatsDays = 366

// dimensionNames are the dimensions' Chinese names.
var dimensionNames = map[rating.Dimension]string{
	rating.ByMatter: "事项", rating.ByChannel: "渠道", rating.ByOffice: "科室", rating.ByStaff: "人员", rating.ByDay: "日期",
}

type statsInput struct {
	By    string `query:"by" required:"true" enum:"matter,channel,office,staff,day" doc:"统计维度：matter 事项、channel 渠道、office 科室、staff 人员、day 日期"`
	From  string `query:"from" required:"true" format:"date" doc:"开始日期（含），北京时间，如 2026-05-01"`
	To    string `query:"to" required:"true" format:"date" doc:"结束日期（含），至多366天"`
	Stage string `query:"stage" enum:"accepted,completed" doc:"只统计该环节：accepted 受理服务、completed 办理结果；不填为两者"`
}

// statRow is the figures of one group (好差评统计).
type statRow struct {
	Key              string  `json:"key" doc:"事项编码、渠道、科室、人员或日期"`
	Label            string  `json:"label" doc:"显示名称"`
	VerySatisfied    int     `json:"verySatisfied" doc:"非常满意"`
	Satisfied        int     `json:"satisfied" doc:"满意"`
	FairlySatisfied  int     `json:"fairlySatisfied" doc:"基本满意"`
	Dissatisfied     int     `json:"dissatisfied" doc:"不满意"`
	VeryDissatisfied int     `json:"veryDissatisfied" doc:"非常不满意"`
	Total            int     `json:"total" doc:"计入统计的评价数"`
	Good             int     `json:"good" doc:"满意数（前三级）"`
	Bad              int     `json:"bad" doc:"差评数（后两级）"`
	Unfounded        int     `json:"unfounded" doc:"经复核差评不实、不计入的评价数"`
	SatisfactionRate float64 `json:"satisfactionRate" doc:"满意率，0至1，保留四位小数"`
	BadRate          float64 `json:"badRate" doc:"差评率，0至1，保留四位小数"`
}

func statRowOf(s rating.Stat) statRow {
	l := s.Levels
	return statRow{Key: s.Key, Label: s.Label, VerySatisfied: l[0], Satisfied: l[1], FairlySatisfied: l[2],
		Dissatisfied: l[3], VeryDissatisfied: l[4], Total: s.Total(), Good: s.Satisfied(), Bad: s.Bad(),
		Unfounded: s.Unfounded, SatisfactionRate: round4(s.SatisfactionRate()), BadRate: round4(s.BadRate())}
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

type statsOutput struct {
	Body struct {
		By     string    `json:"by"`
		ByName string    `json:"byName"`
		From   string    `json:"from"`
		To     string    `json:"to"`
		Stage  string    `json:"stage,omitempty"`
		Items  []statRow `json:"items"`
		Total  statRow   `json:"total" doc:"全部分组合计"`
	}
}

// stats answers the rating statistics of a date range by one dimension,
// with the total of every group.
func (a *Admin) stats(ctx context.Context, in *statsInput) (*statsOutput, error) {
	from, err := parseDay("from", in.From)
	if err != nil {
		return nil, err
	}
	to, err := parseDay("to", in.To)
	if err != nil {
		return nil, err
	}
	if !to.Before(from) && to.Sub(from).Hours()/24 >= maxStatsDays {
		return nil, domain.InvalidFields(domain.FieldError{Field: "to", Message: "统计区间最长366天，请缩短日期范围"})
	}
	by := rating.Dimension(in.By)
	stats, err := a.ratings.Stats(ctx, rating.StatsQuery{By: by, From: from, To: to, Stage: rating.Stage(in.Stage)})
	if err != nil {
		return nil, err
	}
	out := &statsOutput{}
	b := &out.Body
	b.By, b.ByName, b.From, b.To, b.Stage = in.By, dimensionNames[by], in.From, in.To, in.Stage
	b.Items = make([]statRow, 0, len(stats))
	var sum rating.Stat
	for _, s := range stats {
		b.Items = append(b.Items, statRowOf(s))
		for i := range sum.Levels {
			sum.Levels[i] += s.Levels[i]
		}
		sum.Unfounded += s.Unfounded
	}
	sum.Key, sum.Label = "total", "合计"
	b.Total = statRowOf(sum)
	return out, nil
}
