package progress

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// AnyApplicant, as the viewer, lets staff tools see every application;
// channels pass the signed-in applicant's Ref (see declaration.Ref).
const AnyApplicant = declaration.AnyApplicant

// View is one application's progress as every channel shows it.
type View struct {
	ApplicationID string
	BundleID      string
	CaseNo        string // 办件编号; "" until accepted
	MatterCode    string
	MatterName    string
	Applicant     string // masked display: 张* 2106**********123X
	ActingFor     string // masked display of who filed for the applicant (亲情服务); "" if none
	Relation      string
	Channel       domain.Channel
	Status        declaration.Status
	StatusLabel   string // 已提交，等待受理, 办理中, 待补齐材料, 已办结…
	Final         bool
	// Step is the current step (当前环节) and Office the office handling it
	// (经办科室); empty once final.
	Step, StepName, Office string
	Comment                string // staff's word for the applicant: missing materials, reasons
	SubmittedAt            time.Time
	AcceptedAt             time.Time
	PromisedBy             time.Time // 承诺办结日期, midnight in Beijing; zero until accepted
	FinishedAt             time.Time
	// Overdue is true once the promised day has passed and the case is not
	// final. WorkdaysLeft counts the working days to the promised day: 0 on
	// the day itself, negative when overdue, 0 when final or not promised.
	Overdue              bool
	WorkdaysLeft         int
	CanWithdraw          bool // undecided: the applicant may withdraw it (撤回)
	CanSupplyMaterials   bool // staff asked for materials (补齐材料)
	PendingPrerequisites []string
	// Timeline is the application's events by sequence; lists leave it empty.
	Timeline []Entry
}

// Entry is one step of a timeline.
type Entry struct {
	Seq         int
	Kind        acceptance.EventKind
	Label       string // 已受理, 环节办理完成, 需补齐材料…
	Status      declaration.Status
	StatusLabel string
	StepName    string
	Office      string
	Staff       string
	Comment     string
	At          time.Time
}

// ByApplication returns an application's progress with its timeline, if
// viewer may see it. Errors: NotFound, also for someone else's application.
func (s *Service) ByApplication(ctx context.Context, id, viewer string) (View, error) {
	app, err := s.cfg.Store.Application(ctx, id)
	if err != nil {
		return View{}, err
	}
	return s.full(ctx, app, viewer)
}

// ByCase returns the progress of the application whose case number is
// caseNo (办件编号, as printed on the receipt), like ByApplication.
func (s *Service) ByCase(ctx context.Context, caseNo, viewer string) (View, error) {
	app, err := s.cfg.Store.ApplicationByCase(ctx, caseNo)
	if err != nil {
		return View{}, err
	}
	return s.full(ctx, app, viewer)
}

// maxPage bounds one page of ByApplicant.
const maxPage = 100

// ByApplicant lists the applications of ref — filed by them or for them —
// newest first, without timelines: limit (at most 100; 20 if 0) from
// before ("" for the newest). next is the before of the following page,
// "" after the last.
func (s *Service) ByApplicant(ctx context.Context, ref, before string, limit int) (views []View, next string, err error) {
	if ref == "" || ref == AnyApplicant {
		return nil, "", domain.Errorf(domain.Invalid, "请先登录再查询本人的申请")
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, maxPage)
	apps, err := s.cfg.Store.ApplicationsOf(ctx, ref, before, limit)
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now()
	for _, app := range apps {
		views = append(views, s.view(app, now))
	}
	if len(apps) == limit {
		next = apps[len(apps)-1].ID
	}
	return views, next, nil
}

// full checks the viewer and adds the timeline.
func (s *Service) full(ctx context.Context, app declaration.Application, viewer string) (View, error) {
	if !declaration.Visible(app, viewer) {
		return View{}, domain.Errorf(domain.NotFound, "未找到该申请")
	}
	events, err := s.cfg.Store.Timeline(ctx, app.ID)
	if err != nil {
		return View{}, err
	}
	v := s.view(app, s.cfg.Now())
	for _, ev := range events {
		st := declaration.Status(ev.Status)
		v.Timeline = append(v.Timeline, Entry{Seq: ev.Seq, Kind: ev.Kind, Label: ev.Kind.Label(), Status: st,
			StatusLabel: st.Label(), StepName: ev.StepName, Office: ev.Office, Staff: ev.Staff, Comment: ev.Comment, At: ev.At})
	}
	return v, nil
}

// view derives what the applicant sees from the stored state.
func (s *Service) view(app declaration.Application, now time.Time) View {
	st := app.State
	v := View{
		ApplicationID: app.ID, BundleID: app.BundleID, CaseNo: st.CaseNo, MatterCode: app.MatterCode, MatterName: app.MatterName,
		Applicant: app.Applicant.Display, ActingFor: app.ActingFor.Display, Relation: app.Relation, Channel: app.Channel,
		Status: st.Status, StatusLabel: st.Status.Label(), Final: st.Status.Final(),
		Step: st.Step, StepName: st.StepName, Office: st.Office, Comment: st.Comment,
		SubmittedAt: app.SubmittedAt, AcceptedAt: st.AcceptedAt, PromisedBy: st.PromisedBy, FinishedAt: st.FinishedAt,
		PendingPrerequisites: st.PendingPrerequisites,
	}
	v.CanWithdraw = !v.Final
	v.CanSupplyMaterials = st.Status == declaration.Status(acceptance.StatusAwaitingMaterials)
	if !v.Final && !st.PromisedBy.IsZero() {
		today, promised := midnight(now), midnight(st.PromisedBy)
		v.Overdue = today.After(promised)
		if v.Overdue {
			v.WorkdaysLeft = -workdaysBetween(s.cfg.Calendar, promised, today)
		} else {
			v.WorkdaysLeft = workdaysBetween(s.cfg.Calendar, today, promised)
		}
	}
	return v
}
