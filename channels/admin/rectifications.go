package admin

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain/rating"
)

// RectificationItem is a rectification (差评整改) in a list; the detail
// embeds it with the steps.
type RectificationItem struct {
	ID            string `json:"id" doc:"整改编号（即差评编号）"`
	ApplicationID string `json:"applicationId" doc:"办件编号"`
	Stage         string `json:"stage" enum:"accepted,completed"`
	StageName     string `json:"stageName" doc:"受理服务或办理结果"`
	Level         int    `json:"level" doc:"评价等级，4 不满意、5 非常不满意"`
	LevelName     string `json:"levelName"`
	MatterCode    string `json:"matterCode"`
	MatterName    string `json:"matterName"`
	Channel       string `json:"channel"`
	ChannelName   string `json:"channelName"`
	Office        string `json:"office" doc:"经办科室"`
	Staff         string `json:"staff" doc:"经办人员"`
	State         string `json:"state" enum:"open,called_back,verified,fixed,explained,appealed,closed"`
	StateName     string `json:"stateName"`
	Appealed      bool   `json:"appealed" doc:"是否已申诉（只能申诉一次）"`
	Unfounded     bool   `json:"unfounded" doc:"经复核为差评不实，不计入统计"`
	Result        string `json:"result,omitempty" doc:"办结时的整改结果或复核意见"`
	OpenedAt      string `json:"openedAt"`
	Deadline      string `json:"deadline" doc:"整改期限（超过即为超期）"`
	ClosedAt      string `json:"closedAt,omitempty"`
	Overdue       bool   `json:"overdue" doc:"超期未办结"`
	Late          bool   `json:"late" doc:"超期后办结"`
}

// stepItem is one recorded step of a rectification.
type stepItem struct {
	Action     string `json:"action"`
	ActionName string `json:"actionName"`
	From       string `json:"from"`
	FromName   string `json:"fromName"`
	To         string `json:"to"`
	ToName     string `json:"toName"`
	By         string `json:"by" doc:"办理人员"`
	Note       string `json:"note" doc:"办理说明（身份证号、手机号已脱敏）"`
	At         string `json:"at"`
}

// rectDetail is one rectification with its steps.
type rectDetail struct {
	RectificationItem
	Steps []stepItem `json:"steps"`
}

// actionNames are the steps' Chinese names.
var actionNames = map[rating.Action]string{
	rating.ActionCallBack: "回访", rating.ActionVerify: "核实", rating.ActionFix: "整改",
	rating.ActionExplain: "解释说明", rating.ActionClose: "办结", rating.ActionAppeal: "申诉",
	rating.ActionUphold: "复核：维持差评", rating.ActionUnfounded: "复核：差评不实",
}

func rectItemOf(r rating.Rectification, now time.Time) RectificationItem {
	return RectificationItem{ID: r.ID, ApplicationID: r.ApplicationID, Stage: string(r.Stage), StageName: r.Stage.Label(),
		Level: int(r.Level), LevelName: r.Level.Label(), MatterCode: r.MatterCode, MatterName: r.MatterName,
		Channel: string(r.Channel), ChannelName: r.Channel.Label(), Office: r.Office, Staff: r.Staff,
		State: string(r.State), StateName: r.State.Label(), Appealed: r.AppealedFrom != "", Unfounded: r.Unfounded,
		Result: r.Result, OpenedAt: stamp(r.OpenedAt), Deadline: stamp(r.Deadline), ClosedAt: stamp(r.ClosedAt),
		Overdue: r.Overdue(now), Late: r.Late()}
}

func rectDetailOf(r rating.Rectification, now time.Time) *rectDetail {
	d := &rectDetail{RectificationItem: rectItemOf(r, now), Steps: make([]stepItem, 0, len(r.Steps))}
	for _, s := range r.Steps {
		d.Steps = append(d.Steps, stepItem{Action: string(s.Action), ActionName: actionNames[s.Action],
			From: string(s.From), FromName: s.From.Label(), To: string(s.To), ToName: s.To.Label(),
			By: s.By, Note: s.Note, At: stamp(s.At)})
	}
	return d
}

type listRectInput struct {
	Office string `query:"office" maxLength:"64" doc:"只列出该科室的；不填为全部"`
	State  string `query:"state" enum:"open,overdue,all" default:"open" doc:"open 未办结（默认）、overdue 超期未办结、all 全部"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100" doc:"最多条数，期限最早的在前"`
}

type listRectOutput struct {
	Body struct {
		Items []RectificationItem `json:"items"`
	}
}

func (a *Admin) listRectifications(ctx context.Context, in *listRectInput) (*listRectOutput, error) {
	var list []rating.Rectification
	var err error
	if in.State == "overdue" {
		list, err = a.ratings.Overdue(ctx, in.Office, in.Limit)
	} else {
		list, err = a.ratings.Rectifications(ctx, rating.RectificationFilter{Office: in.Office,
			OpenOnly: in.State != "all", Limit: in.Limit})
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := &listRectOutput{}
	out.Body.Items = make([]RectificationItem, 0, len(list))
	for _, r := range list {
		out.Body.Items = append(out.Body.Items, rectItemOf(r, now))
	}
	return out, nil
}

type rectIDInput struct {
	ID string `path:"id" maxLength:"32" doc:"整改编号"`
}

type rectOutput struct {
	Body *rectDetail
}

// getRectification reads one rectification with its steps, whose notes
// tell of calls with the applicant: a read of personal data, audited.
func (a *Admin) getRectification(ctx context.Context, in *rectIDInput) (*rectOutput, error) {
	r, err := a.ratings.Rectification(ctx, in.ID)
	a.record(ctx, staffFrom(ctx), "rating.rectification.read", err, "", map[string]string{"rectification": owned(in.ID)})
	if err != nil {
		return nil, err
	}
	return &rectOutput{Body: rectDetailOf(r, a.now())}, nil
}

type rectifyInput struct {
	ID   string `path:"id" maxLength:"32" doc:"整改编号"`
	Body struct {
		Action string `json:"action" enum:"call_back,verify,fix,explain,close,appeal,uphold,unfounded" doc:"call_back 回访、verify 核实、fix 整改、explain 解释说明、close 办结、appeal 申诉、uphold 复核维持、unfounded 复核认定差评不实"`
		Note   string `json:"note" maxLength:"1000" doc:"办理说明：回访情况、核实情况、整改措施、解释内容、整改结果、申诉理由或复核意见"`
	}
}

// rectify takes one step of a rectification, recorded as taken by the
// signed-in staff member.
func (a *Admin) rectify(ctx context.Context, in *rectifyInput) (*rectOutput, error) {
	s := staffFrom(ctx)
	r, err := a.ratings.Rectify(ctx, in.ID, rating.Action(in.Body.Action), s.label(), in.Body.Note)
	detail := map[string]string{"rectification": owned(in.ID), "action": in.Body.Action}
	if err := a.change(ctx, "rating.rectify", err, detail); err != nil {
		return nil, err
	}
	return &rectOutput{Body: rectDetailOf(r, a.now())}, nil
}
