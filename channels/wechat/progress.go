package wechat

import (
	"context"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/danielgtaylor/huma/v2"
)

// WxApplicationItem is one application in the 办件进度 list.
type WxApplicationItem struct {
	ID          string    `json:"id"`
	Matter      string    `json:"matter"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"statusLabel" doc:"已提交，等待受理、办理中、待补齐材料、已办结…"`
	Final       bool      `json:"final" doc:"已办结、未通过、已撤回等不再变化的状态"`
	CaseNo      string    `json:"caseNo,omitempty" doc:"办件编号，受理后才有"`
	Applicant   string    `json:"applicant" doc:"申请人（脱敏）"`
	ActingFor   string    `json:"actingFor,omitempty" doc:"代办人（脱敏），亲情代办时才有"`
	SubmittedAt time.Time `json:"submittedAt"`
	PromisedBy  string    `json:"promisedBy,omitempty" doc:"承诺办结日期"`
	Overdue     bool      `json:"overdue,omitempty"`
	PageURL     string    `json:"pageUrl" doc:"H5 进度详情页"`
}

// WxApplicationsInput pages through the applications of the follower, or
// of the relative named in X-Act-For.
type WxApplicationsInput struct {
	ActFor
	Before string `query:"before" maxLength:"40" doc:"上一页返回的 next；不传为最新一页"`
	Limit  int    `query:"limit" minimum:"1" maximum:"50" default:"10"`
}

// WxApplicationsOutput is one page of applications, newest first.
type WxApplicationsOutput struct {
	Body struct {
		Items []WxApplicationItem `json:"items"`
		Next  string              `json:"next,omitempty" doc:"下一页的 before；没有更多时不返回"`
	}
}

// WxApplicationInput names one application.
type WxApplicationInput struct {
	ActFor
	ID string `path:"id" maxLength:"40"`
}

// WxTimelineEntry is one step of an application's progress.
type WxTimelineEntry struct {
	Label       string    `json:"label" doc:"已受理、环节办理完成、需补齐材料…"`
	StatusLabel string    `json:"statusLabel"`
	Step        string    `json:"step,omitempty"`
	Office      string    `json:"office,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	At          time.Time `json:"at"`
}

// WxApplicationDetail is the H5 progress page of one application.
type WxApplicationDetail struct {
	WxApplicationItem
	Step               string            `json:"step,omitempty" doc:"当前环节"`
	Office             string            `json:"office,omitempty" doc:"经办科室"`
	Comment            string            `json:"comment,omitempty" doc:"工作人员的说明：需补齐的材料、未通过的原因"`
	WorkdaysLeft       int               `json:"workdaysLeft,omitempty" doc:"距承诺办结日的工作日数，逾期为负"`
	FinishedAt         time.Time         `json:"finishedAt,omitzero"`
	CanWithdraw        bool              `json:"canWithdraw"`
	CanSupplyMaterials bool              `json:"canSupplyMaterials"`
	Timeline           []WxTimelineEntry `json:"timeline"`
}

// WxApplicationOutput answers GET /wechat/v1/applications/{id}.
type WxApplicationOutput struct {
	Body WxApplicationDetail
}

func (c *Channel) registerProgress(api huma.API) {
	huma.Register(api, c.op(api, bound, http.MethodGet, "/applications", "applications", "办件进度：我的申请（本人或代办亲属）"), c.applications)
	huma.Register(api, c.op(api, bound, http.MethodGet, "/applications/{id}", "application", "办件进度：申请详情与办理过程"), c.application)
}

func (c *Channel) applications(ctx context.Context, in *WxApplicationsInput) (*WxApplicationsOutput, error) {
	p := principalFrom(ctx)
	views, next, err := c.progress.ByApplicant(ctx, p.SubjectRef, in.Before, in.Limit)
	c.record(ctx, p, "wechat.progress.list", err)
	if err != nil {
		return nil, err
	}
	out := &WxApplicationsOutput{}
	out.Body.Items, out.Body.Next = make([]WxApplicationItem, 0, len(views)), next
	for _, v := range views {
		out.Body.Items = append(out.Body.Items, c.item(v))
	}
	return out, nil
}

func (c *Channel) application(ctx context.Context, in *WxApplicationInput) (*WxApplicationOutput, error) {
	p := principalFrom(ctx)
	v, err := c.progress.ByApplication(ctx, in.ID, p.SubjectRef)
	c.record(ctx, p, "wechat.progress.read", err)
	if err != nil {
		return nil, err
	}
	d := WxApplicationDetail{WxApplicationItem: c.item(v), Step: v.StepName, Office: v.Office,
		Comment: domain.MaskText(v.Comment), WorkdaysLeft: v.WorkdaysLeft, FinishedAt: bj(v.FinishedAt),
		CanWithdraw: v.CanWithdraw, CanSupplyMaterials: v.CanSupplyMaterials, Timeline: make([]WxTimelineEntry, 0, len(v.Timeline))}
	for _, e := range v.Timeline {
		d.Timeline = append(d.Timeline, WxTimelineEntry{Label: e.Label, StatusLabel: e.StatusLabel, Step: e.StepName,
			Office: e.Office, Comment: domain.MaskText(e.Comment), At: bj(e.At)})
	}
	return &WxApplicationOutput{Body: d}, nil
}

// item shows a progress view in the list's terms.
func (c *Channel) item(v progress.View) WxApplicationItem {
	it := WxApplicationItem{ID: v.ApplicationID, Matter: v.MatterName, Status: string(v.Status), StatusLabel: v.StatusLabel,
		Final: v.Final, CaseNo: v.CaseNo, Applicant: v.Applicant, ActingFor: v.ActingFor, SubmittedAt: bj(v.SubmittedAt),
		Overdue: v.Overdue, PageURL: c.progressPage(v.ApplicationID)}
	if !v.PromisedBy.IsZero() {
		it.PromisedBy = dateCN(v.PromisedBy)
	}
	return it
}
