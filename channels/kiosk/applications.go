package kiosk

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
)

// ApplicationsView is the 我的办件 screen: the holder's (or the unit's)
// applications from every channel, newest first, PageSize at a time.
type ApplicationsView struct {
	Title   string           `json:"title"`
	Columns []Column         `json:"columns"`
	Rows    []ApplicationRow `json:"rows"`
	Next    string           `json:"next,omitempty" doc:"下一页：作为 before 参数传回；没有更多时为空"`
	Notice  string           `json:"notice,omitempty"`
}

// ApplicationRow is one application in a list.
type ApplicationRow struct {
	ID          string `json:"id"`
	Matter      string `json:"matter"`
	Channel     string `json:"channel"` // 自助查询一体机, 丹东人社公众号 …
	SubmittedAt string `json:"submittedAt"`
	Status      string `json:"status"` // 已提交，等待受理, 办理中, 已办结 …
	CaseNo      string `json:"caseNo"` // 办件编号, — until accepted
	Final       bool   `json:"final"`
}

var applicationColumns = []Column{{"matter", "办理事项"}, {"channel", "申请渠道"}, {"submittedAt", "申请时间"},
	{"status", "办理状态"}, {"caseNo", "办件编号"}}

func applicationRow(v progress.View) ApplicationRow {
	return ApplicationRow{ID: v.ApplicationID, Matter: v.MatterName, Channel: v.Channel.Label(), SubmittedAt: dateTimeCN(v.SubmittedAt),
		Status: v.StatusLabel, CaseNo: orNone(v.CaseNo), Final: v.Final}
}

type applicationsInput struct {
	Before string `query:"before" maxLength:"40" pattern:"^[A-Za-z0-9]*$" doc:"上一页返回的 next；第一页不填"`
}

func (c *Channel) applications(ctx context.Context, s Session, in *applicationsInput) (ApplicationsView, error) {
	views, next, err := c.progress.ByApplicant(ctx, applicantRef(s), in.Before, PageSize)
	if err != nil {
		return ApplicationsView{}, err
	}
	v := ApplicationsView{Title: "我的办件", Columns: applicationColumns, Rows: make([]ApplicationRow, 0, len(views)), Next: next}
	for _, a := range views {
		v.Rows = append(v.Rows, applicationRow(a))
	}
	if len(views) == 0 && in.Before == "" {
		v.Notice = "您还没有办理过业务"
	}
	return v, nil
}

// scanLimit is how many of the holder's latest applications a filtered
// list looks through: years of a citizen's filings.
const scanLimit = 100

// unemploymentApplications is the 失业待遇申领 screen: the holder's
// applications of unemployment matters (申领失业保险金, 一次性生活补助 …)
// from whatever channel they filed them, with where each stands.
func (c *Channel) unemploymentApplications(ctx context.Context, s Session, _ *struct{}) (ApplicationsView, error) {
	views, _, err := c.progress.ByApplicant(ctx, applicantRef(s), "", scanLimit)
	if err != nil {
		return ApplicationsView{}, err
	}
	v := ApplicationsView{Title: "失业保险待遇申领", Columns: applicationColumns, Rows: []ApplicationRow{}}
	for _, a := range views {
		if strings.HasPrefix(a.MatterCode, "unemployment.") && len(v.Rows) < PageSize {
			v.Rows = append(v.Rows, applicationRow(a))
		}
	}
	if len(v.Rows) == 0 {
		v.Notice = "您没有失业保险待遇申领记录；申领失业保险金可通过丹东人社公众号、APP或到窗口办理"
	}
	return v, nil
}

// ApplicationView is one application's progress page: where it stands, its
// timeline, and what the holder may do with it (withdraw, rate).
type ApplicationView struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"` // the matter
	Status      string        `json:"status" doc:"办理状态代码：submitted, in_progress, completed …"`
	StatusLabel string        `json:"statusLabel"`
	Final       bool          `json:"final"`
	Summary     []Field       `json:"summary"`
	Columns     []Column      `json:"columns"`
	Timeline    []TimelineRow `json:"timeline"`
	CanWithdraw bool          `json:"canWithdraw"`
	RateStages  []StageOption `json:"rateStages" doc:"可以评价的环节；已评价或尚未到达的环节不列出"`
	Ratings     []Field       `json:"ratings" doc:"已作出的评价"`
	Notice      string        `json:"notice,omitempty"`
}

// TimelineRow is one step of an application's timeline.
type TimelineRow struct {
	At      string `json:"at"`
	Event   string `json:"event"`  // 已受理, 环节办理完成 …
	Step    string `json:"step"`   // the step's name, or —
	Office  string `json:"office"` // 经办科室
	Comment string `json:"comment"`
}

// StageOption is a stage the holder may rate.
type StageOption struct {
	Stage rating.Stage `json:"stage" enum:"accepted,completed"`
	Label string       `json:"label"`
}

var timelineColumns = []Column{{"at", "时间"}, {"event", "办理情况"}, {"step", "环节"}, {"office", "经办科室"}, {"comment", "说明"}}

// applicationView shows v; given are the ratings made already, nil when
// the viewer may not rate (the answer to a filing, which offers no rating
// yet, or an application filed for someone else).
func applicationView(v progress.View, given []rating.Rating) ApplicationView {
	a := ApplicationView{ID: v.ApplicationID, Title: v.MatterName, Status: string(v.Status), StatusLabel: v.StatusLabel,
		Final: v.Final, Columns: timelineColumns, Timeline: make([]TimelineRow, 0, len(v.Timeline)),
		CanWithdraw: v.CanWithdraw, RateStages: []StageOption{}, Ratings: []Field{},
		Summary: []Field{{"申请编号", v.ApplicationID}, {"办件编号", orNone(v.CaseNo)}, {"办理状态", v.StatusLabel},
			{"申请人", v.Applicant}, {"申请渠道", v.Channel.Label()}, {"申请时间", dateTimeCN(v.SubmittedAt)}}}
	if !v.Final {
		a.Summary = append(a.Summary, Field{"当前环节", orNone(v.StepName)}, Field{"经办科室", orNone(v.Office)})
	}
	if !v.PromisedBy.IsZero() {
		a.Summary = append(a.Summary, Field{"承诺办结日期", dateCN(v.PromisedBy)})
	}
	if v.Final {
		a.Summary = append(a.Summary, Field{"办结时间", dateTimeCN(v.FinishedAt)})
	}
	for _, e := range v.Timeline {
		a.Timeline = append(a.Timeline, TimelineRow{At: dateTimeCN(e.At), Event: e.Label, Step: orNone(e.StepName),
			Office: orNone(e.Office), Comment: orNone(e.Comment)})
	}
	rated := map[rating.Stage]bool{}
	for _, r := range given {
		rated[r.Stage] = true
		a.Ratings = append(a.Ratings, Field{r.Stage.Label(), r.Level.Label()})
	}
	reached := map[rating.Stage]bool{rating.StageAccepted: !v.AcceptedAt.IsZero(), rating.StageCompleted: v.Final}
	for _, st := range rating.Stages {
		if reached[st] && !rated[st] && given != nil {
			a.RateStages = append(a.RateStages, StageOption{Stage: st, Label: st.Label()})
		}
	}
	a.Notice = v.Comment
	return a
}

type applicationInput struct {
	ID string `path:"id" maxLength:"40" pattern:"^[A-Za-z0-9]+$" doc:"申请编号"`
}

func (c *Channel) application(ctx context.Context, s Session, in *applicationInput) (ApplicationView, error) {
	ref := applicantRef(s)
	v, err := c.progress.ByApplication(ctx, in.ID, ref)
	if err != nil {
		return ApplicationView{}, err
	}
	given, err := c.ratings.Ratings(ctx, v.ApplicationID, ref)
	switch {
	case domain.IsCode(err, domain.Forbidden):
		return applicationView(v, nil), nil // filed for someone else (亲情服务): only they rate it
	case err != nil:
		return ApplicationView{}, err
	case given == nil:
		given = []rating.Rating{}
	}
	return applicationView(v, given), nil
}

type withdrawInput struct {
	ID   string `path:"id" maxLength:"40" pattern:"^[A-Za-z0-9]+$" doc:"申请编号"`
	Body struct {
		Reason string `json:"reason,omitempty" maxLength:"200" doc:"撤回原因，可不填"`
	}
}

// withdraw withdraws an undecided application (撤回). It needs no key:
// withdrawing what is withdrawn already is refused as decided, and nothing
// is filed twice.
func (c *Channel) withdraw(ctx context.Context, s Session, in *withdrawInput) (ApplicationView, error) {
	if _, err := c.filer.Withdraw(ctx, in.ID, applicantRef(s), in.Body.Reason); err != nil {
		return ApplicationView{}, err
	}
	return c.application(ctx, s, &applicationInput{ID: in.ID})
}

type rateInput struct {
	ID   string `path:"id" maxLength:"40" pattern:"^[A-Za-z0-9]+$" doc:"申请编号"`
	Body struct {
		Stage   rating.Stage `json:"stage" enum:"accepted,completed" doc:"评价环节：accepted 受理服务，completed 办理结果"`
		Level   rating.Level `json:"level" minimum:"1" maximum:"5" doc:"1 非常满意，2 满意，3 基本满意，4 不满意，5 非常不满意"`
		Tags    []string     `json:"tags,omitempty" maxItems:"8" doc:"评价标签，如“办事效率高”“等候时间长”"`
		Comment string       `json:"comment,omitempty" maxLength:"500" doc:"意见建议"`
	}
}

// RatingView is the answer to a rating (好差评).
type RatingView struct {
	Title   string  `json:"title"`
	Summary []Field `json:"summary"`
	Notice  string  `json:"notice,omitempty"`
}

// rate records the holder's rating of a stage of their application. It
// needs no key: a stage is rated once, and a repeat is told so (409).
func (c *Channel) rate(ctx context.Context, s Session, in *rateInput) (RatingView, error) {
	b := in.Body
	r, rect, err := c.ratings.Rate(ctx, rating.RateInput{ApplicationID: in.ID, Stage: b.Stage, Level: b.Level,
		Tags: b.Tags, Comment: b.Comment, RaterRef: applicantRef(s)})
	if err != nil {
		return RatingView{}, err
	}
	v := RatingView{Title: "感谢您的评价", Summary: []Field{{"办理事项", r.MatterName}, {"评价环节", r.Stage.Label()}, {"评价", r.Level.Label()}}}
	if rect != nil {
		v.Notice = "我们将在" + dateCN(rect.Deadline) + "前与您联系，核实情况并整改"
	}
	return v, nil
}

// receiptDoc is an application's receipt (受理回执) on the 80 mm roll: what
// was filed, its numbers and where it stands, to take home.
func (c *Channel) receiptDoc(ctx context.Context, s Session, in *applicationInput) (document.Document, error) {
	v, err := c.progress.ByApplication(ctx, in.ID, applicantRef(s))
	if err != nil {
		return document.Document{}, err
	}
	sub := personSubject(s)
	if s.Kind == UnitSession {
		sub = unitSubject(s)
	}
	rows := []document.Row{{Label: "办理事项", Value: v.MatterName}, {Label: "申请编号", Value: v.ApplicationID},
		{Label: "办件编号", Value: orNone(v.CaseNo)}, {Label: "申请时间", Value: dateTimeCN(v.SubmittedAt)},
		{Label: "办理状态", Value: v.StatusLabel}}
	if !v.PromisedBy.IsZero() {
		rows = append(rows, document.Row{Label: "承诺办结日期", Value: dateCN(v.PromisedBy)})
	}
	if v.Final {
		rows = append(rows, document.Row{Label: "办结时间", Value: dateTimeCN(v.FinishedAt)})
	}
	rows = append(rows, document.Row{Label: "进度查询", Value: "凭申请编号在自助终端、丹东人社公众号或APP查询"})
	return document.Document{Kind: document.AcceptanceReceipt, Title: "业务受理回执", Subject: sub,
		PageSize: document.Receipt80mm, Sections: []document.Section{{Heading: "受理信息", Rows: rows}}}, nil
}
