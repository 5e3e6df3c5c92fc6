package enterprise

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/rating"
)

// entFileForm is a multipart upload of one file in the part named "file".
// Any declared type is let through: the content is what is checked.
type entFileForm struct {
	File huma.FormFile `form:"file" contentType:"application/octet-stream" doc:"上传的文件"`
}

// readUpload reads the uploaded file, refusing a missing one and one over
// max bytes.
func readUpload(f huma.FormFile, max int, tooLarge string) ([]byte, error) {
	if !f.IsSet || f.File == nil {
		return nil, domain.InvalidFields(domain.FieldError{Field: "file", Message: "请选择要上传的文件"})
	}
	defer f.File.Close()
	data, err := io.ReadAll(io.LimitReader(f.File, int64(max)+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.Invalid, "文件读取失败，请重新上传")
	}
	if len(data) > max {
		return nil, domain.Errorf(domain.TooLarge, "%s", tooLarge)
	}
	return data, nil
}

type entUploadIn struct {
	UnitPath
	RawBody huma.MultipartFormFiles[entFileForm]
}

type entUploadOut struct {
	Body struct {
		Hash        string `json:"hash" doc:"提交申请时引用的材料哈希"`
		ContentType string `json:"contentType"`
		Size        int    `json:"size"`
	}
}

// uploadMaterial stores a material file (PDF, JPG, PNG) for a later filing.
func (ch *Channel) uploadMaterial(ctx context.Context, in *entUploadIn) (*entUploadOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	data, err := readUpload(in.RawBody.Data().File, declaration.MaxMaterialSize, "文件超过10MB，请压缩或分页后重新上传")
	if err != nil {
		return nil, err
	}
	f, err := ch.cfg.Declarations.UploadMaterial(ctx, data)
	ch.record(ctx, s, "declaration.material.upload", s.UnitRef, err, nil)
	if err != nil {
		return nil, err
	}
	out := &entUploadOut{}
	out.Body.Hash, out.Body.ContentType, out.Body.Size = f.Hash, f.ContentType, f.Size
	return out, nil
}

// DraftPath is a route of the unit's draft of one matter.
type DraftPath struct {
	UnitPath
	Matter string `path:"matter" maxLength:"64" doc:"事项或“一件事”编码"`
}

type entSaveDraftIn struct {
	DraftPath
	Body struct {
		Situation string          `json:"situation,omitempty" maxLength:"64"`
		Form      map[string]any  `json:"form"`
		Materials []entMaterialIn `json:"materials,omitempty" maxItems:"50"`
	}
}

type entDraftOut struct {
	Code      string          `json:"code"`
	Situation string          `json:"situation,omitempty"`
	Form      map[string]any  `json:"form"`
	Materials []entMaterialIn `json:"materials"`
	Channel   string          `json:"channel" doc:"最后保存草稿的渠道"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

type entDraftResp struct {
	Body entDraftOut
}

func draftOf(d declaration.Draft) entDraftOut {
	o := entDraftOut{Code: d.Code, Situation: d.Situation, Form: map[string]any{}, Channel: d.Channel.Label(),
		UpdatedAt: d.UpdatedAt.In(domain.Beijing), Materials: []entMaterialIn{}}
	_ = json.Unmarshal(d.Form, &o.Form)
	for _, m := range d.Materials {
		o.Materials = append(o.Materials, entMaterialIn{Name: m.Name, Hash: m.Hash})
	}
	return o
}

// saveDraft saves the unit's draft (草稿) of a matter, replacing the last.
func (ch *Channel) saveDraft(ctx context.Context, in *entSaveDraftIn) (*entDraftResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	form, _ := json.Marshal(in.Body.Form)
	d, err := ch.cfg.Declarations.SaveDraft(ctx, unitWho(s), declaration.Draft{Code: in.Matter, Situation: in.Body.Situation,
		Form: form, Materials: materialsOf(in.Body.Materials), Channel: domain.Enterprise})
	if err != nil {
		return nil, err
	}
	return &entDraftResp{Body: draftOf(d)}, nil
}

// draft answers the unit's draft of a matter.
func (ch *Channel) draft(ctx context.Context, in *DraftPath) (*entDraftResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	d, err := ch.cfg.Declarations.Draft(ctx, s.UnitRef, in.Matter)
	if err != nil {
		return nil, err
	}
	return &entDraftResp{Body: draftOf(d)}, nil
}

// deleteDraft discards the unit's draft of a matter.
func (ch *Channel) deleteDraft(ctx context.Context, in *DraftPath) (*struct{}, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	return nil, ch.cfg.Declarations.DeleteDraft(ctx, s.UnitRef, in.Matter)
}

type entRateIn struct {
	ApplicationPath
	Body struct {
		Stage   string   `json:"stage" enum:"accepted,completed" doc:"accepted 受理服务；completed 办理结果"`
		Level   int      `json:"level" minimum:"1" maximum:"5" doc:"1 非常满意 … 5 非常不满意"`
		Tags    []string `json:"tags,omitempty" maxItems:"8"`
		Comment string   `json:"comment,omitempty" maxLength:"500"`
	}
}

type entRateOut struct {
	Body struct {
		ID         string `json:"id"`
		LevelLabel string `json:"levelLabel"`
		Rectifying bool   `json:"rectifying" doc:"差评：将有专人回访整改"`
	}
}

// rate rates a stage of one of the unit's applications (好差评).
func (ch *Channel) rate(ctx context.Context, in *entRateIn) (*entRateOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	r, rect, err := ch.cfg.Ratings.Rate(ctx, rating.RateInput{ApplicationID: in.ID, Stage: rating.Stage(in.Body.Stage),
		Level: rating.Level(in.Body.Level), Tags: in.Body.Tags, Comment: in.Body.Comment, RaterRef: s.UnitRef})
	if err != nil {
		return nil, err
	}
	out := &entRateOut{}
	out.Body.ID, out.Body.LevelLabel, out.Body.Rectifying = r.ID, r.Level.Label(), rect != nil
	return out, nil
}
