package admin

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// BundleDef is a bundle's definition (一件事打包), as read and written: the
// matters it packages and the labels it changes; everything else is derived
// from the matters.
type BundleDef struct {
	Code        string                `json:"code,omitempty" doc:"一件事编码，如 bundle.hire_staff；提交时可不填，填写则须与路径一致"`
	Name        string                `json:"name" doc:"一件事名称"`
	Description string                `json:"description,omitempty" doc:"说明"`
	Applicant   catalog.ApplicantKind `json:"applicant" enum:"person,unit" doc:"申请人类型"`
	Matters     []string              `json:"matters" doc:"打包的事项编码，按办理顺序"`
	FieldLabels map[string]string     `json:"fieldLabels,omitempty" doc:"合并表单中改用的字段名称，按字段键"`
	Version     int64                 `json:"version,omitempty" doc:"所依据的版本；新增不填。也可用 If-Match 头"`
	UpdatedAt   string                `json:"updatedAt,omitempty" doc:"最后修改时间（只读）"`
}

// bundleView is a bundle with what it derives from its matters.
type bundleView struct {
	BundleDef
	Packaged []catalog.Summary `json:"packaged" doc:"打包的事项"`
	Channels []domain.Channel  `json:"channels" doc:"全部事项均可办理的渠道"`
	Limits   catalog.Limits    `json:"limits" doc:"办理时限（取各事项最长者）"`
	Fields   int               `json:"fieldCount" doc:"合并表单的字段数"`
}

func bundleViewOf(v catalog.BundleView) bundleView {
	b := v.Bundle
	return bundleView{
		BundleDef: BundleDef{Code: b.Code, Name: b.Name, Description: b.Description, Applicant: b.Applicant,
			Matters: b.Matters, FieldLabels: b.FieldLabels, Version: b.Version, UpdatedAt: stamp(b.UpdatedAt)},
		Packaged: v.Packaged, Channels: v.Channels, Limits: v.Limits, Fields: len(v.Fields),
	}
}

type listBundlesOutput struct {
	ETag string `header:"ETag"`
	Body struct {
		Items []bundleView `json:"items"`
	}
}

func (a *Admin) listBundles(context.Context, *struct{}) (*listBundlesOutput, error) {
	out := &listBundlesOutput{ETag: a.catalog.ETag()}
	out.Body.Items = []bundleView{}
	for _, v := range a.catalog.Bundles() {
		out.Body.Items = append(out.Body.Items, bundleViewOf(v))
	}
	return out, nil
}

type bundleOutput struct {
	Status int
	ETag   string `header:"ETag"`
	Body   *bundleView
}

func (a *Admin) getBundle(_ context.Context, in *codeInput) (*bundleOutput, error) {
	v, err := a.catalog.Bundle(in.Code)
	if err != nil {
		return nil, err
	}
	etag := versionTag(v.Version)
	if in.IfNoneMatch != "" && tagMatches(in.IfNoneMatch, etag) {
		return &bundleOutput{Status: 304, ETag: etag}, nil
	}
	view := bundleViewOf(v)
	return &bundleOutput{Status: 200, ETag: etag, Body: &view}, nil
}

type putBundleInput struct {
	Code    string `path:"code" maxLength:"64" doc:"一件事编码"`
	IfMatch string `header:"If-Match" doc:"读取时返回的 ETag；新增不填"`
	Body    BundleDef
}

// putBundle adds or changes a bundle: 201 for a new one, 200 for a change.
func (a *Admin) putBundle(ctx context.Context, in *putBundleInput) (*bundleOutput, error) {
	code := owned(in.Code) // kept in the served catalog
	detail := map[string]string{"bundle": code}
	version, err := baseVersion(in.IfMatch, in.Body.Version)
	if err == nil && in.Body.Code != "" && in.Body.Code != code {
		err = domain.InvalidFields(domain.FieldError{Field: "code", Message: "与路径中的编码不一致"})
	}
	var saved catalog.BundleView
	if err == nil {
		d := in.Body
		saved, err = a.catalog.UpsertBundle(ctx, catalog.Bundle{Code: code, Name: d.Name, Description: d.Description,
			Applicant: d.Applicant, Matters: d.Matters, FieldLabels: d.FieldLabels, Version: version})
	}
	detail["basedOn"] = strconv.FormatInt(version, 10)
	if err != nil {
		return nil, a.change(ctx, "catalog.bundle.put", err, detail)
	}
	detail["version"] = strconv.FormatInt(saved.Version, 10)
	a.change(ctx, "catalog.bundle.put", nil, detail)
	status := 200
	if version == 0 {
		status = 201
	}
	view := bundleViewOf(saved)
	return &bundleOutput{Status: status, ETag: versionTag(saved.Version), Body: &view}, nil
}
