package enterprise

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// The unemployment-benefit matters a unit files for a leaver: the
// registration form (失业保险金申领登记表, 单位代报), its change before a
// decision, and its withdrawal (申领删除).
const (
	claimMatter       = "unemployment.claim_registration"
	claimChangeMatter = "unemployment.claim_change"
)

// claimMatters are every unemployment matter a unit's list of claims shows.
var claimMatters = []string{claimMatter, claimChangeMatter, "unemployment.claim_withdraw", "unemployment.benefit_claim"}

type entClaimIn struct {
	UnitPath
	KeyHeader
	Body struct {
		Name               string          `json:"name" minLength:"2" maxLength:"30" doc:"职工姓名"`
		IDNumber           string          `json:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
		Phone              string          `json:"phone" minLength:"11" maxLength:"20" doc:"职工手机号码，接收办理进度短信"`
		SeparationDate     string          `json:"separationDate" format:"date" doc:"解除（终止）劳动关系日期"`
		SeparationReason   string          `json:"separationReason" enum:"expired,mutual,by_employer,by_employee,bankruptcy,other" doc:"解除（终止）原因"`
		ContributionMonths int             `json:"contributionMonths" minimum:"0" maximum:"600" doc:"累计缴纳失业保险费月数"`
		Materials          []entMaterialIn `json:"materials,omitempty" maxItems:"10" doc:"解除或终止劳动合同证明；已签署告知承诺的可不上传"`
	}
}

// fileClaim files the unemployment-benefit registration (失业保险金申领登记)
// for a leaver on the unit's roll.
func (ch *Channel) fileClaim(ctx context.Context, in *entClaimIn) (*entFiledOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	b := in.Body
	if _, err := ch.ownStaff(ctx, s, b.IDNumber, "unit.staff.check"); err != nil {
		return nil, err
	}
	phone, err := domain.ParsePhone(b.Phone)
	if err != nil {
		return nil, err
	}
	form := map[string]any{"name": b.Name, "idNumber": b.IDNumber, "phone": phone.Raw(), "separationDate": b.SeparationDate,
		"separationReason": b.SeparationReason, "contributionMonths": b.ContributionMonths}
	filed, err := ch.file(ctx, s, filing{matter: claimMatter, form: form, materials: materialsOf(b.Materials),
		key: subKey(in.IdempotencyKey, "U", 0)})
	if err != nil {
		return nil, err
	}
	out := &entFiledOut{}
	out.Body.Applications = filedOf(filed.Applications)
	return out, nil
}

type entClaimChangeIn struct {
	ApplicationPath
	KeyHeader
	Body struct {
		Name             string `json:"name" minLength:"2" maxLength:"30" doc:"职工姓名"`
		IDNumber         string `json:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
		Phone            string `json:"phone,omitempty" maxLength:"20" doc:"更正后的手机号码"`
		SeparationDate   string `json:"separationDate,omitempty" format:"date" doc:"更正后的解除（终止）日期"`
		SeparationReason string `json:"separationReason,omitempty" enum:"expired,mutual,by_employer,by_employee,bankruptcy,other" doc:"更正后的解除（终止）原因"`
		Reason           string `json:"reason" minLength:"1" maxLength:"200" doc:"修改说明"`
	}
}

// changeClaim files a change of a registration not yet decided
// (失业保险金申领信息修改).
func (ch *Channel) changeClaim(ctx context.Context, in *entClaimChangeIn) (*entFiledOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	if _, err := ch.openClaim(ctx, s, in.ID, "修改"); err != nil {
		return nil, err
	}
	b := in.Body
	if _, err := ch.ownStaff(ctx, s, b.IDNumber, "unit.staff.check"); err != nil {
		return nil, err
	}
	form := map[string]any{"name": b.Name, "idNumber": b.IDNumber, "reason": b.Reason}
	for k, v := range map[string]string{"phone": b.Phone, "separationDate": b.SeparationDate, "separationReason": b.SeparationReason} {
		if v != "" {
			form[k] = v
		}
	}
	req := filing{matter: claimChangeMatter, form: form, key: subKey(in.IdempotencyKey, "U", 1)}
	filed, err := ch.fileDone(ctx, s, req, claimMatter)
	if err != nil {
		return nil, err
	}
	out := &entFiledOut{}
	out.Body.Applications = filedOf(filed.Applications)
	return out, nil
}

type entClaimDeleteIn struct {
	ApplicationPath
	Reason string `query:"reason" maxLength:"200" doc:"删除（撤回）原因"`
}

// deleteClaim withdraws a registration not yet decided (申领删除).
func (ch *Channel) deleteClaim(ctx context.Context, in *entClaimDeleteIn) (*entApplicationResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	if _, err := ch.openClaim(ctx, s, in.ID, "删除"); err != nil {
		return nil, err
	}
	reason := in.Reason
	if reason == "" {
		reason = "单位删除失业保险金申领登记"
	}
	_, err = ch.cfg.Declarations.Withdraw(ctx, in.ID, s.UnitRef, reason)
	ch.record(ctx, s, "declaration.withdraw", s.UnitRef, err, map[string]string{"application": in.ID})
	if err != nil {
		return nil, err
	}
	return ch.application(ctx, &in.ApplicationPath)
}

// openClaim returns one of the unit's registrations that is still
// undecided. Errors: NotFound; Conflict once decided.
func (ch *Channel) openClaim(ctx context.Context, s account.Session, id, what string) (declaration.Application, error) {
	app, err := ch.cfg.Declarations.Application(ctx, id, s.UnitRef)
	if err == nil && app.MatterCode != claimMatter {
		err = domain.Errorf(domain.NotFound, "未找到该失业保险金申领登记")
	}
	if err != nil {
		return app, err
	}
	if app.State.Status.Final() {
		return app, domain.Errorf(domain.Conflict, "该申领已%s，不能再%s", app.State.Status.Label(), what)
	}
	return app, nil
}

// fileDone files f with its prerequisite marked done: the unit shows the
// registration it changes.
func (ch *Channel) fileDone(ctx context.Context, s account.Session, f filing, done string) (declaration.Filed, error) {
	f.prerequisites = []string{done}
	return ch.file(ctx, s, f)
}

// claims lists the unit's unemployment-benefit applications with progress.
func (ch *Channel) claims(ctx context.Context, in *UnitPath) (*entListOut, error) {
	return ch.listMatters(ctx, in, claimMatters)
}

// listMatters lists the unit's applications of some matters, newest first.
func (ch *Channel) listMatters(ctx context.Context, in *UnitPath, codes []string) (*entListOut, error) {
	s, err := ch.unitSession(ctx, *in)
	if err != nil {
		return nil, err
	}
	views, err := ch.matterViews(ctx, s.UnitRef, codes, zeroTime, zeroTime)
	if err != nil {
		return nil, err
	}
	out := &entListOut{}
	out.Body.Applications = make([]entApplicationOut, 0, len(views))
	for _, v := range views {
		out.Body.Applications = append(out.Body.Applications, applicationOf(v))
	}
	return out, nil
}
