package declaration

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// DraftTTL is how long an untouched draft is kept for resuming.
const DraftTTL = 30 * 24 * time.Hour

// Draft is a form saved before submission (草稿), one per applicant and
// matter or bundle, on whichever channel: start at the kiosk, finish on the
// phone.
type Draft struct {
	ApplicantRef string
	Code         string // the matter or bundle code
	Situation    string
	// SealedForm is what stores keep; Form is it opened, filled in by the
	// Service's reads and ignored by stores.
	SealedForm string
	Form       json.RawMessage
	Materials  []acceptance.Material
	Channel    domain.Channel // where it was last saved
	UpdatedAt  time.Time
}

// SaveDraft saves who's draft for a matter or bundle code, replacing the
// previous one from any channel. The form is not validated: a draft may be
// half filled. Errors: Invalid for a bad applicant, code, channel or a
// form that is not a JSON object.
func (s *Service) SaveDraft(ctx context.Context, who Who, d Draft) (Draft, error) {
	ref, err := s.Ref(who)
	if err != nil {
		return Draft{}, err
	}
	if err := checkDraft(d); err != nil {
		return Draft{}, err
	}
	form := formOrEmpty(d.Form)
	if d.SealedForm, err = s.sealer.Seal(string(form)); err != nil {
		return Draft{}, err
	}
	d.ApplicantRef, d.UpdatedAt, d.Form = ref, s.now(), nil
	if err := s.drafts.SaveDraft(ctx, d); err != nil {
		return Draft{}, err
	}
	d.Form = form
	return d, nil
}

func checkDraft(d Draft) error {
	var fields []domain.FieldError
	if d.Code == "" || len(d.Code) > 64 {
		fields = append(fields, domain.FieldError{Field: "code", Message: "请选择要办理的事项"})
	}
	if _, err := domain.ParseChannel(string(d.Channel)); err != nil {
		fields = append(fields, domain.FieldError{Field: "channel", Message: "不支持的办理渠道"})
	}
	if len(d.Form) > MaxFormSize || len(d.Form) > 0 && !isObject(d.Form) {
		fields = append(fields, domain.FieldError{Field: "form", Message: "申请表内容格式不正确"})
	}
	if len(d.Materials) > maxMaterials {
		fields = append(fields, domain.FieldError{Field: "materials", Message: "材料份数过多，请合并后上传"})
	}
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// Draft returns the applicant's draft for a code with its form opened.
// Errors: NotFound, also for a draft older than DraftTTL.
func (s *Service) Draft(ctx context.Context, applicantRef, code string) (Draft, error) {
	d, err := s.drafts.Draft(ctx, applicantRef, code)
	if err != nil {
		return Draft{}, err
	}
	if s.now().Sub(d.UpdatedAt) > DraftTTL {
		return Draft{}, domain.Errorf(domain.NotFound, "草稿已过期，请重新填写")
	}
	return s.open(d)
}

// Drafts lists the applicant's drafts of the last DraftTTL, newest first,
// with their forms opened.
func (s *Service) Drafts(ctx context.Context, applicantRef string) ([]Draft, error) {
	ds, err := s.drafts.Drafts(ctx, applicantRef, s.now().Add(-DraftTTL))
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if ds[i], err = s.open(ds[i]); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// DeleteDraft discards the applicant's draft for a code.
func (s *Service) DeleteDraft(ctx context.Context, applicantRef, code string) error {
	return s.drafts.DeleteDraft(ctx, applicantRef, code)
}

func (s *Service) open(d Draft) (Draft, error) {
	form, err := s.sealer.Open(d.SealedForm)
	if err != nil {
		return Draft{}, err
	}
	d.Form = json.RawMessage(form)
	return d, nil
}
