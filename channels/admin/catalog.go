package admin

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// The catalog's definitions travel in the shape of catalog.json (see
// domain/catalog/README.md), so what an administrator reads can be changed
// and sent back as is, and a change can later be copied into the file.

// matterDef is a matter's definition as read and written here: the fields
// of catalog.Matter, with code, version and updatedAt optional on the way
// in (the code is the path's; updatedAt is ignored).
type matterDef struct {
	Code          string                `json:"code,omitempty" doc:"事项编码；提交时可不填，填写则须与路径一致"`
	Name          string                `json:"name" doc:"事项名称"`
	Description   string                `json:"description,omitempty" doc:"事项说明"`
	Applicant     catalog.ApplicantKind `json:"applicant" enum:"person,unit" doc:"申请人类型：person 个人、unit 单位"`
	Channels      []domain.Channel      `json:"channels" doc:"可办理渠道：kiosk、app、wechat、enterprise，及 counter（一窗受理，必选）"`
	Fields        []catalog.Field       `json:"fields" doc:"申请表字段"`
	Materials     []catalog.Material    `json:"materials,omitempty" doc:"申请材料"`
	Limits        catalog.Limits        `json:"limits" doc:"办理时限（工作日）"`
	HighFrequency bool                  `json:"highFrequency,omitempty" doc:"是否高频事项"`
	Prerequisites []string              `json:"prerequisites,omitempty" doc:"前置事项编码"`
	Related       []string              `json:"related,omitempty" doc:"关联事项编码"`
	Situations    []catalog.Situation   `json:"situations,omitempty" doc:"办理情形（多情形）"`
	Version       int64                 `json:"version,omitempty" doc:"所依据的版本（读取时返回）；新增事项不填。也可用 If-Match 头"`
	UpdatedAt     string                `json:"updatedAt,omitempty" doc:"最后修改时间（只读，提交时忽略）"`
}

func matterDefOf(m catalog.Matter) *matterDef {
	return &matterDef{Code: m.Code, Name: m.Name, Description: m.Description, Applicant: m.Applicant,
		Channels: m.Channels, Fields: m.Fields, Materials: m.Materials, Limits: m.Limits,
		HighFrequency: m.HighFrequency, Prerequisites: m.Prerequisites, Related: m.Related,
		Situations: m.Situations, Version: m.Version, UpdatedAt: stamp(m.UpdatedAt)}
}

func (d matterDef) matter(code string, version int64) catalog.Matter {
	return catalog.Matter{Code: code, Name: d.Name, Description: d.Description, Applicant: d.Applicant,
		Channels: d.Channels, Fields: d.Fields, Materials: d.Materials, Limits: d.Limits,
		HighFrequency: d.HighFrequency, Prerequisites: d.Prerequisites, Related: d.Related,
		Situations: d.Situations, Version: version}
}

type listMattersInput struct {
	Channel       string `query:"channel" enum:"kiosk,app,wechat,enterprise,counter" doc:"只列出可在该渠道办理的事项"`
	Applicant     string `query:"applicant" enum:"person,unit" doc:"申请人类型"`
	Area          string `query:"area" maxLength:"32" doc:"业务领域，如 pension、unit"`
	HighFrequency bool   `query:"highFrequency" doc:"只列出高频事项"`
	Keyword       string `query:"q" maxLength:"60" doc:"名称、说明或编码中包含的关键词"`
	IfNoneMatch   string `header:"If-None-Match"`
}

type listMattersOutput struct {
	Status int
	ETag   string `header:"ETag"`
	Body   *matterList
}

type matterList struct {
	Items []catalog.Summary `json:"items"`
	Total int               `json:"total"`
}

func (a *Admin) listMatters(_ context.Context, in *listMattersInput) (*listMattersOutput, error) {
	etag := a.catalog.ETag()
	if in.IfNoneMatch != "" && tagMatches(in.IfNoneMatch, etag) {
		return &listMattersOutput{Status: 304, ETag: etag}, nil
	}
	items := a.catalog.List(catalog.Filter{Channel: domain.Channel(in.Channel), Applicant: catalog.ApplicantKind(in.Applicant),
		Area: in.Area, HighFrequency: in.HighFrequency, Keyword: in.Keyword})
	if items == nil {
		items = []catalog.Summary{}
	}
	return &listMattersOutput{Status: 200, ETag: etag, Body: &matterList{Items: items, Total: len(items)}}, nil
}

type codeInput struct {
	Code        string `path:"code" maxLength:"64" doc:"事项编码"`
	IfNoneMatch string `header:"If-None-Match"`
}

type matterOutput struct {
	Status int
	ETag   string `header:"ETag"`
	Body   *matterDef
}

func (a *Admin) getMatter(_ context.Context, in *codeInput) (*matterOutput, error) {
	m, err := a.catalog.Matter(in.Code)
	if err != nil {
		return nil, err
	}
	etag := versionTag(m.Version)
	if in.IfNoneMatch != "" && tagMatches(in.IfNoneMatch, etag) {
		return &matterOutput{Status: 304, ETag: etag}, nil
	}
	return &matterOutput{Status: 200, ETag: etag, Body: matterDefOf(m)}, nil
}

type putMatterInput struct {
	Code    string `path:"code" maxLength:"64" doc:"事项编码，如 pension.certification"`
	IfMatch string `header:"If-Match" doc:"读取事项时返回的 ETag，如 \"v3\"；新增事项不填"`
	Body    matterDef
}

// putMatter adds or changes a matter: 201 for a new one, 200 for a change.
func (a *Admin) putMatter(ctx context.Context, in *putMatterInput) (*matterOutput, error) {
	code := owned(in.Code) // kept in the served catalog
	detail := map[string]string{"matter": code}
	version, err := baseVersion(in.IfMatch, in.Body.Version)
	if err == nil && in.Body.Code != "" && in.Body.Code != code {
		err = domain.InvalidFields(domain.FieldError{Field: "code", Message: "与路径中的事项编码不一致"})
	}
	var saved catalog.Matter
	if err == nil {
		saved, err = a.catalog.Upsert(ctx, in.Body.matter(code, version))
	}
	detail["basedOn"] = strconv.FormatInt(version, 10)
	if err != nil {
		return nil, a.change(ctx, "catalog.matter.put", err, detail)
	}
	detail["version"] = strconv.FormatInt(saved.Version, 10)
	a.change(ctx, "catalog.matter.put", nil, detail)
	status := 200
	if version == 0 {
		status = 201
	}
	return &matterOutput{Status: status, ETag: versionTag(saved.Version), Body: matterDefOf(saved)}, nil
}
