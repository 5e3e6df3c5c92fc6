package wechat

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/danielgtaylor/huma/v2"
)

// WxMatterView is one matter the account offers, for the 办事 list.
type WxMatterView struct {
	Code          string                  `json:"code"`
	Name          string                  `json:"name"`
	Description   string                  `json:"description"`
	PromisedDays  int                     `json:"promisedDays" doc:"承诺办结时限（工作日），0 为即办"`
	HighFrequency bool                    `json:"highFrequency" doc:"高频事项"`
	Situations    []catalog.SituationName `json:"situations,omitempty" doc:"办理情形，提交时选择其一"`
}

// WxMattersOutput lists the matters offered on the account.
type WxMattersOutput struct {
	Body struct {
		Items []WxMatterView `json:"items"`
	}
}

// WxFormInput asks for a matter's form.
type WxFormInput struct {
	Code      string `path:"code" maxLength:"64"`
	Situation string `query:"situation" maxLength:"64" doc:"办理情形；不传为基本情形"`
}

// WxFormOutput is a matter's form and checklist, as the H5 renders it.
type WxFormOutput struct {
	Body catalog.Form
}

// WxUploadInput is one material file: a PDF, JPEG or PNG.
type WxUploadInput struct {
	ActFor
	RawBody []byte `contentType:"application/octet-stream" doc:"材料文件（PDF、JPEG 或 PNG），不超过10MB"`
}

// WxUploadOutput names the stored file for the application.
type WxUploadOutput struct {
	Body struct {
		Hash string `json:"hash" doc:"文件摘要，提交申请时在 materials 中引用"`
		Type string `json:"type"`
		Size int    `json:"size"`
	}
}

// WxMaterialRef cites one material of an application.
type WxMaterialRef struct {
	Name   string `json:"name" minLength:"1" maxLength:"100" doc:"材料名称，与事项材料清单一致"`
	Hash   string `json:"hash,omitempty" pattern:"^sha256:[0-9a-f]{64}$" doc:"上传后得到的文件摘要"`
	Pledge string `json:"pledge,omitempty" maxLength:"1000" doc:"以告知承诺代替材料时签署的承诺"`
}

// WxSubmitInput files an application for the follower or a relative.
type WxSubmitInput struct {
	ActFor
	// IdempotencyKey is required; declaration says so in Chinese, which
	// huma's own "required header" message is not.
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"64" pattern:"^[A-Za-z0-9_:-]*$" doc:"必填。每次提交生成一次，重试时不变：重复提交只得到第一次的结果"`
	Body           struct {
		MatterCode string          `json:"matterCode" minLength:"1" maxLength:"64"`
		Situation  string          `json:"situation,omitempty" maxLength:"64"`
		Form       map[string]any  `json:"form" doc:"申请表，键为表单字段；身份证号码由绑定身份自动填入"`
		Materials  []WxMaterialRef `json:"materials,omitempty" maxItems:"30"`
		FromDraft  bool            `json:"fromDraft,omitempty" doc:"由草稿提交，提交后删除草稿"`
	}
}

// WxSubmittedOutput is the receipt of a submission.
type WxSubmittedOutput struct {
	Body struct {
		Applications []WxApplicationItem `json:"applications"`
	}
}

func (c *Channel) registerApply(api huma.API) {
	huma.Register(api, c.op(api, public, http.MethodGet, "/matters", "matters", "办事：公众号可办理的事项"), c.matters)
	huma.Register(api, c.op(api, public, http.MethodGet, "/matters/{code}/form", "matter-form", "办事：事项申请表与材料清单"), c.matterForm)
	op := c.op(api, bound, http.MethodPost, "/materials", "upload-material", "办事：上传申请材料")
	op.DefaultStatus = http.StatusCreated
	huma.Register(api, op, c.upload)
	op = c.op(api, bound, http.MethodPost, "/applications", "submit", "办事：提交申请（本人或代亲属）")
	op.DefaultStatus = http.StatusCreated
	huma.Register(api, op, c.submit)
}

func (c *Channel) matters(_ context.Context, _ *struct{}) (*WxMattersOutput, error) {
	out := &WxMattersOutput{}
	out.Body.Items = []WxMatterView{}
	for _, s := range c.catalog.List(catalog.Filter{Channel: domain.WeChat}) {
		out.Body.Items = append(out.Body.Items, WxMatterView{Code: s.Code, Name: s.Name, Description: s.Description,
			PromisedDays: s.Limits.PromisedDays, HighFrequency: s.HighFrequency, Situations: s.Situations})
	}
	return out, nil
}

func (c *Channel) matterForm(_ context.Context, in *WxFormInput) (*WxFormOutput, error) {
	if _, err := c.wechatMatter(in.Code); err != nil {
		return nil, err
	}
	f, err := c.catalog.Form(in.Code, in.Situation)
	if err != nil {
		return nil, err
	}
	return &WxFormOutput{Body: f}, nil
}

// wechatMatter returns a matter offered on the account.
func (c *Channel) wechatMatter(code string) (catalog.Matter, error) {
	m, err := c.catalog.Matter(code)
	if err == nil && !m.Offers(domain.WeChat) {
		err = domain.Errorf(domain.NotFound, "该事项暂不支持在公众号办理，请通过丹东智慧人社APP或到服务大厅办理")
	}
	return m, err
}

func (c *Channel) upload(ctx context.Context, in *WxUploadInput) (*WxUploadOutput, error) {
	f, err := c.decl.UploadMaterial(ctx, in.RawBody)
	c.record(ctx, principalFrom(ctx), "wechat.material.upload", err)
	if err != nil {
		return nil, err
	}
	out := &WxUploadOutput{}
	out.Body.Hash, out.Body.Type, out.Body.Size = f.Hash, f.ContentType, f.Size
	return out, nil
}

func (c *Channel) submit(ctx context.Context, in *WxSubmitInput) (*WxSubmittedOutput, error) {
	p := principalFrom(ctx)
	filed, err := c.file(ctx, in)
	c.record(ctx, p, "wechat.application.submit", err)
	if err != nil {
		return nil, err
	}
	out := &WxSubmittedOutput{}
	for _, app := range filed.Applications {
		out.Body.Applications = append(out.Body.Applications, c.submittedItem(app))
	}
	return out, nil
}

// file turns the request into a declaration: the applicant is the
// principal's subject, whatever the form says, and the form's ID number is
// theirs.
func (c *Channel) file(ctx context.Context, in *WxSubmitInput) (declaration.Filed, error) {
	p, body := principalFrom(ctx), in.Body
	if _, err := c.wechatMatter(body.MatterCode); err != nil {
		return declaration.Filed{}, err
	}
	form := body.Form
	if form == nil {
		form = map[string]any{}
	}
	form["idNumber"] = p.Subject.Raw()
	raw, err := json.Marshal(form)
	if err != nil {
		return declaration.Filed{}, domain.Wrap(err, domain.Invalid, "申请表内容格式不正确")
	}
	mats := make([]acceptance.Material, 0, len(body.Materials))
	for _, m := range body.Materials {
		mats = append(mats, acceptance.Material{Name: m.Name, Hash: m.Hash, Pledge: m.Pledge})
	}
	applicant, acting, relation := p.Filing()
	return c.decl.Submit(ctx, declaration.Request{MatterCode: body.MatterCode, Situation: body.Situation,
		Applicant: applicant, ActingFor: acting, Relation: relation, Channel: domain.WeChat,
		IdempotencyKey: in.IdempotencyKey, Form: raw, Materials: mats, FromDraft: body.FromDraft})
}

// submittedItem shows a just-filed application in the list's terms.
func (c *Channel) submittedItem(app declaration.Application) WxApplicationItem {
	st := app.State.Status
	return WxApplicationItem{ID: app.ID, Matter: app.MatterName, Status: string(st), StatusLabel: st.Label(),
		Final: st.Final(), CaseNo: app.State.CaseNo, Applicant: app.Applicant.Display, ActingFor: app.ActingFor.Display,
		SubmittedAt: bj(app.SubmittedAt), PageURL: c.progressPage(app.ID)}
}

// progressPage is the H5 progress page of an application, where notices
// link to.
func (c *Channel) progressPage(id string) string { return c.page("/progress/" + url.PathEscape(id)) }
