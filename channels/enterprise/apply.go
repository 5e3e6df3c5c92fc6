package enterprise

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// KeyHeader is the Idempotency-Key every filing carries: the same key from the
// same unit returns the first result instead of filing again.
type KeyHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" required:"true" minLength:"1" maxLength:"64" doc:"幂等键：同一次提交重试时保持不变（如 UUID）"`
}

// entMaterialIn is an uploaded material cited by a filing.
type entMaterialIn struct {
	Name string `json:"name" minLength:"1" maxLength:"100" doc:"材料名称，与事项材料清单一致"`
	Hash string `json:"hash" pattern:"^sha256:[0-9a-f]{64}$" doc:"上传材料后返回的哈希"`
}

func materialsOf(in []entMaterialIn) []acceptance.Material {
	out := make([]acceptance.Material, 0, len(in))
	for _, m := range in {
		out = append(out, acceptance.Material{Name: m.Name, Hash: m.Hash})
	}
	return out
}

type entSubmitIn struct {
	UnitPath
	KeyHeader
	Body struct {
		MatterCode string          `json:"matterCode,omitempty" maxLength:"64" doc:"事项编码，如 unit.info_change；与 bundleCode 二选一"`
		BundleCode string          `json:"bundleCode,omitempty" maxLength:"64" doc:"打包办“一件事”编码，如 bundle.hire_staff"`
		Situation  string          `json:"situation,omitempty" maxLength:"64" doc:"办理情形，如 unit.deregistration 的 bankruptcy（破产）、merger（合并）"`
		Form       map[string]any  `json:"form" doc:"申请表，字段见事项目录"`
		Materials  []entMaterialIn `json:"materials,omitempty" maxItems:"50"`
		FromDraft  bool            `json:"fromDraft,omitempty" doc:"由草稿提交：提交成功后删除草稿"`
	}
}

type entFiledOut struct {
	Body struct {
		Applications []entApplicationOut `json:"applications"`
	}
}

// joining are the matters about a person who is not yet on the unit's
// roll: they join it. Every other matter naming a person needs them on it.
var joining = []string{"unit.staff_add", "unit.staff_transfer_in", "employment.registration", "institution.staff_add",
	"institution.contract_filing"}

// submit files any matter or bundle the channel offers to units: 单位信息
// 变更, 分户, 合并, 破产, 注销, single staff changes, registrations….
func (ch *Channel) submit(ctx context.Context, in *entSubmitIn) (*entFiledOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	codes, err := ch.offeredMatters(in.Body.MatterCode, in.Body.BundleCode)
	if err != nil {
		return nil, err
	}
	f := filing{matter: in.Body.MatterCode, bundle: in.Body.BundleCode, situation: in.Body.Situation,
		form: in.Body.Form, materials: materialsOf(in.Body.Materials), key: in.IdempotencyKey, fromDraft: in.Body.FromDraft}
	if f.person, err = ch.personOf(ctx, s, codes, in.Body.Form); err != nil {
		return nil, err
	}
	filed, err := ch.file(ctx, s, f)
	if err != nil {
		return nil, err
	}
	out := &entFiledOut{}
	out.Body.Applications = filedOf(filed.Applications)
	return out, nil
}

// offeredMatters returns the matters a request files, each checked to be
// offered on this channel. Errors: Invalid for neither or both codes;
// NotFound for a matter not offered to units online.
func (ch *Channel) offeredMatters(matter, bundle string) ([]string, error) {
	if (matter == "") == (bundle == "") {
		return nil, domain.InvalidFields(domain.FieldError{Field: "matterCode", Message: "请选择要办理的事项"})
	}
	codes := []string{matter}
	if bundle != "" {
		b, err := ch.cfg.Catalog.Bundle(bundle)
		if err != nil {
			return nil, err
		}
		codes = nil
		for _, m := range b.Packaged {
			codes = append(codes, m.Code)
		}
	}
	for _, code := range codes {
		m, err := ch.cfg.Catalog.Matter(code)
		if err != nil || !m.Offers(domain.Enterprise) {
			return nil, domain.Errorf(domain.NotFound, "该事项不能通过企业网上申报办理，请到服务大厅窗口办理")
		}
	}
	return codes, nil
}

// personOf checks the person a form names. A matter a person applies for
// (就业创业证, 失业保险金) is filed by the unit for its own staff member, who
// is returned; any other matter naming a person who is not joining the
// unit needs them on its roll. Errors: Invalid, NotFound (not on the roll).
func (ch *Channel) personOf(ctx context.Context, s account.Session, codes []string, form map[string]any) (*insured.Person, error) {
	id, _ := form["idNumber"].(string)
	personal := false
	for _, code := range codes {
		m, _ := ch.cfg.Catalog.Matter(code)
		personal = personal || m.Applicant == catalog.Person
	}
	if personal && strings.TrimSpace(id) == "" {
		return nil, domain.InvalidFields(domain.FieldError{Field: "idNumber", Message: "请填写职工身份证号码"})
	}
	mustBeOurs := personal
	for _, code := range codes {
		mustBeOurs = mustBeOurs || id != "" && !slices.Contains(joining, code)
	}
	if !mustBeOurs {
		return nil, nil
	}
	p, err := ch.ownStaff(ctx, s, id, "unit.staff.check")
	if err != nil {
		return nil, err
	}
	if !personal {
		return nil, nil
	}
	return &p, nil
}

// filing is one submission of the channel to the domain core.
type filing struct {
	matter, bundle, situation string
	form                      map[string]any
	materials                 []acceptance.Material
	person                    *insured.Person // the applicant when a person applies and the unit files for them
	key                       string
	fromDraft                 bool
	prerequisites             []string // done before, as the unit shows
}

// unitWho is the session's unit as an applicant.
func unitWho(s account.Session) declaration.Who {
	return declaration.Who{Kind: acceptance.Unit, CreditCode: string(s.UnitCode)}
}

// file submits f through declaration.Submit for the session's unit, or for
// its staff member with the unit acting for them (单位代办).
func (ch *Channel) file(ctx context.Context, s account.Session, f filing) (declaration.Filed, error) {
	form, err := json.Marshal(f.form)
	if err != nil || f.form == nil {
		form = []byte(`{}`)
	}
	unit := declaration.Who{Kind: acceptance.Unit, CreditCode: string(s.UnitCode), Name: ch.unitName(ctx, s.UnitCode)}
	req := declaration.Request{MatterCode: f.matter, BundleCode: f.bundle, Situation: f.situation, Applicant: unit,
		Channel: domain.Enterprise, IdempotencyKey: f.key, Form: form, Materials: f.materials, FromDraft: f.fromDraft,
		PrerequisitesDone: f.prerequisites}
	if f.person != nil {
		req.Applicant = declaration.Who{Kind: acceptance.Person, IDNumber: f.person.ID.Raw(), Name: f.person.Name}
		req.ActingFor, req.Relation = &unit, "所在单位代办"
	}
	filed, err := ch.cfg.Declarations.Submit(ctx, req)
	detail := map[string]string{"matter": f.matter + f.bundle}
	if err == nil {
		detail["application"] = filed.Applications[0].ID
	}
	ch.record(ctx, s, "declaration.submit", s.UnitRef, err, detail)
	return filed, err
}

type entListIn struct {
	UnitPath
	Before string `query:"before" maxLength:"32" doc:"翻页：上一页最后一条的申请编号"`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"每页条数"`
}

type entListOut struct {
	Body struct {
		Applications []entApplicationOut `json:"applications"`
		Next         string              `json:"next,omitempty" doc:"下一页的 before；没有更多时为空"`
	}
}

// applications answers 我的办件: every application of the unit — filed by
// it, or for its staff — newest first, with progress.
func (ch *Channel) applications(ctx context.Context, in *entListIn) (*entListOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	views, next, err := ch.cfg.Progress.ByApplicant(ctx, s.UnitRef, in.Before, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &entListOut{}
	out.Body.Next = next
	out.Body.Applications = make([]entApplicationOut, 0, len(views))
	for _, v := range views {
		out.Body.Applications = append(out.Body.Applications, applicationOf(v))
	}
	return out, nil
}

// ApplicationPath is a route of one of the unit's applications. It is
// exported only because huma reads the parameters of embedded structs
// whose type is exported.
type ApplicationPath struct {
	UnitPath
	ID string `path:"id" maxLength:"32" doc:"申请编号"`
}

type entApplicationResp struct {
	Body entApplicationOut
}

// application answers one application's progress with its timeline.
func (ch *Channel) application(ctx context.Context, in *ApplicationPath) (*entApplicationResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	v, err := ch.cfg.Progress.ByApplication(ctx, in.ID, s.UnitRef)
	if err != nil {
		return nil, err
	}
	return &entApplicationResp{Body: applicationOf(v)}, nil
}

type entWithdrawIn struct {
	ApplicationPath
	Body struct {
		Reason string `json:"reason,omitempty" maxLength:"200" doc:"撤回原因"`
	}
}

// withdraw withdraws an undecided application (撤回).
func (ch *Channel) withdraw(ctx context.Context, in *entWithdrawIn) (*entApplicationResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	_, err = ch.cfg.Declarations.Withdraw(ctx, in.ID, s.UnitRef, in.Body.Reason)
	ch.record(ctx, s, "declaration.withdraw", s.UnitRef, err, map[string]string{"application": in.ID})
	if err != nil {
		return nil, err
	}
	return ch.application(ctx, &in.ApplicationPath)
}

type entSupplyIn struct {
	ApplicationPath
	Body struct {
		Materials []entMaterialIn `json:"materials" minItems:"1" maxItems:"50"`
	}
}

// supply hands the core the materials staff asked for (补齐材料).
func (ch *Channel) supply(ctx context.Context, in *entSupplyIn) (*entApplicationResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	_, err = ch.cfg.Declarations.SupplyMaterials(ctx, in.ID, s.UnitRef, materialsOf(in.Body.Materials))
	ch.record(ctx, s, "declaration.supply", s.UnitRef, err, map[string]string{"application": in.ID})
	if err != nil {
		return nil, err
	}
	return ch.application(ctx, &in.ApplicationPath)
}
