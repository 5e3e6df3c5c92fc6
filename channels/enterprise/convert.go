package enterprise

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// entApplicationOut is one application with its progress, as every list and
// page of the channel shows it.
type entApplicationOut struct {
	ID                 string          `json:"id" doc:"申请编号"`
	BundleID           string          `json:"bundleId,omitempty" doc:"打包办编号"`
	CaseNo             string          `json:"caseNo,omitempty" doc:"办件编号，受理后生成"`
	MatterCode         string          `json:"matterCode"`
	MatterName         string          `json:"matterName" doc:"事项名称"`
	Applicant          string          `json:"applicant" doc:"申请人（脱敏）"`
	ActingFor          string          `json:"actingFor,omitempty" doc:"代办单位（脱敏），单位代职工申请时填"`
	Status             string          `json:"status"`
	StatusLabel        string          `json:"statusLabel" doc:"已提交，等待受理；办理中；待补齐材料；已办结……"`
	Final              bool            `json:"final" doc:"已办结、未通过、已终止或已撤回"`
	StepName           string          `json:"stepName,omitempty" doc:"当前环节"`
	Office             string          `json:"office,omitempty" doc:"经办科室"`
	Comment            string          `json:"comment,omitempty" doc:"经办人员意见"`
	SubmittedAt        time.Time       `json:"submittedAt"`
	SubmittedOn        string          `json:"submittedOn" doc:"提交日期，如 2026年1月5日"`
	PromisedBy         string          `json:"promisedBy,omitempty" doc:"承诺办结日期"`
	FinishedOn         string          `json:"finishedOn,omitempty" doc:"办结日期"`
	Overdue            bool            `json:"overdue" doc:"已超过承诺办结日期"`
	WorkdaysLeft       int             `json:"workdaysLeft" doc:"距承诺办结日期的工作日数"`
	CanWithdraw        bool            `json:"canWithdraw"`
	CanSupplyMaterials bool            `json:"canSupplyMaterials"`
	Timeline           []entTimeOut    `json:"timeline,omitempty"`
	Progress           *entProgressBar `json:"progress,omitempty"`
}

// entTimeOut is one event of an application's timeline.
type entTimeOut struct {
	Label       string    `json:"label" doc:"已受理、环节办理完成、需补齐材料……"`
	StatusLabel string    `json:"statusLabel"`
	StepName    string    `json:"stepName,omitempty"`
	Office      string    `json:"office,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	At          time.Time `json:"at"`
}

// entProgressBar is a flag a list row can draw (进度标志): how far along.
type entProgressBar struct {
	Stage string `json:"stage" enum:"submitted,accepted,finished" doc:"已提交、已受理、已办结"`
}

func applicationOf(v progress.View) entApplicationOut {
	o := entApplicationOut{ID: v.ApplicationID, BundleID: v.BundleID, CaseNo: v.CaseNo, MatterCode: v.MatterCode,
		MatterName: v.MatterName, Applicant: v.Applicant, ActingFor: v.ActingFor, Status: string(v.Status),
		StatusLabel: v.StatusLabel, Final: v.Final, StepName: v.StepName, Office: v.Office, Comment: v.Comment,
		SubmittedAt: v.SubmittedAt.In(domain.Beijing), SubmittedOn: domain.FormatDateCN(v.SubmittedAt),
		PromisedBy: domain.FormatDateCN(v.PromisedBy), FinishedOn: domain.FormatDateCN(v.FinishedAt),
		Overdue: v.Overdue, WorkdaysLeft: v.WorkdaysLeft, CanWithdraw: v.CanWithdraw, CanSupplyMaterials: v.CanSupplyMaterials}
	stage := "submitted"
	switch {
	case v.Final:
		stage = "finished"
	case v.CaseNo != "":
		stage = "accepted"
	}
	o.Progress = &entProgressBar{Stage: stage}
	for _, e := range v.Timeline {
		o.Timeline = append(o.Timeline, entTimeOut{Label: e.Label, StatusLabel: e.StatusLabel, StepName: e.StepName,
			Office: e.Office, Comment: e.Comment, At: e.At.In(domain.Beijing)})
	}
	return o
}

// filedOf shows applications just filed: no events yet.
func filedOf(apps []declaration.Application) []entApplicationOut {
	out := make([]entApplicationOut, 0, len(apps))
	for _, a := range apps {
		out = append(out, applicationOf(progress.View{ApplicationID: a.ID, BundleID: a.BundleID, CaseNo: a.State.CaseNo,
			MatterCode: a.MatterCode, MatterName: a.MatterName, Applicant: a.Applicant.Display, ActingFor: a.ActingFor.Display,
			Status: a.State.Status, StatusLabel: a.State.Status.Label(), Final: a.State.Status.Final(),
			SubmittedAt: a.SubmittedAt, CanWithdraw: !a.State.Status.Final()}))
	}
	return out
}
