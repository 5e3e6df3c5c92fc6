package declaration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// MaxFormSize bounds a declaration form: forms are field values, files go
// as materials.
const MaxFormSize = 64 << 10

// Request is one submission from a channel: one matter (MatterCode) or one
// bundle of linked matters (BundleCode, 打包办), never both.
type Request struct {
	MatterCode string
	BundleCode string
	Situation  string // the situation (情形) chosen; "" for the default
	Applicant  Who
	// ActingFor is who files for the applicant (亲情服务): the person
	// signed in on the channel, when that is not the applicant; Relation
	// says how they are related (配偶, 子女…).
	ActingFor *Who
	Relation  string
	Channel   domain.Channel
	// IdempotencyKey is the channel's Idempotency-Key for this submission,
	// unique per applicant: repeating the submission with the same key
	// returns the first result.
	IdempotencyKey    string
	Form              json.RawMessage
	Materials         []acceptance.Material // uploaded first with UploadMaterial
	PrerequisitesDone []string
	FromDraft         bool // the draft for the code is deleted once filed
}

// Submit files the request — checked against the matter's form, situation
// and material checklist, or every linked matter's for a bundle — and
// commits it with its outbox rows before answering: once Submit returns, the
// application will reach the core. The same IdempotencyKey from the same
// applicant returns the first filing, however often and concurrently it is
// repeated. Errors: Invalid naming each field at fault (including the ID
// number or credit code); NotFound for an unknown matter or bundle;
// Rejected when the matter is not for this kind of applicant; Conflict when
// the key was used for a different matter or bundle; Unavailable.
func (s *Service) Submit(ctx context.Context, req Request) (Filed, error) {
	if err := checkRequest(req); err != nil {
		return Filed{}, err
	}
	applicant, acting, err := s.applicants(req)
	if err != nil {
		return Filed{}, err
	}
	bundle, matters, err := s.matters(ctx, req, applicant.Kind)
	if err != nil {
		return Filed{}, err
	}
	if err := s.checkFiling(ctx, req, matters); err != nil {
		return Filed{}, err
	}
	f, err := s.build(req, applicant, acting, bundle, matters)
	if err != nil {
		return Filed{}, err
	}
	stored, existing, err := s.store.Create(ctx, f)
	if err != nil {
		return Filed{}, err
	}
	if existing {
		return stored, sameRequest(stored, req)
	}
	s.submitted()
	if req.FromDraft {
		code := req.MatterCode + req.BundleCode
		_ = s.drafts.DeleteDraft(ctx, applicant.Ref, code) // best effort: a stale draft is harmless
	}
	return stored, nil
}

// checkRequest checks what needs no look-up.
func checkRequest(req Request) error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if (req.MatterCode == "") == (req.BundleCode == "") {
		add("matterCode", "请选择要办理的事项")
	}
	if _, err := domain.ParseChannel(string(req.Channel)); err != nil {
		add("channel", "不支持的办理渠道")
	}
	if !isKey(req.IdempotencyKey) {
		add("idempotencyKey", "请求缺少幂等键或格式不正确，请刷新页面后重新提交")
	}
	if len(req.Form) > MaxFormSize {
		add("form", "申请表内容过长")
	} else if len(req.Form) > 0 && !isObject(req.Form) {
		add("form", "申请表内容格式不正确")
	}
	if req.ActingFor != nil && req.Relation == "" {
		add("relation", "代他人办理时请选择与申请人的关系")
	}
	if len(req.Relation) > 64 {
		add("relation", "关系描述过长")
	}
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// applicants identifies the applicant and whoever acts for them.
func (s *Service) applicants(req Request) (applicant, acting Applicant, err error) {
	if applicant, err = s.Identify(req.Applicant); err != nil {
		return
	}
	if req.ActingFor != nil {
		if acting, err = s.Identify(*req.ActingFor); err != nil {
			return
		}
		if acting.Ref == applicant.Ref {
			acting = Applicant{} // acting for oneself is filing
		}
	}
	return
}

// matters resolves the request to the matters it files, with the bundle's
// rule for a package.
func (s *Service) matters(ctx context.Context, req Request, kind acceptance.ApplicantKind) (BundleRule, []Matter, error) {
	codes := []string{req.MatterCode}
	var rule BundleRule
	if req.BundleCode != "" {
		var err error
		if rule, err = s.rules.Bundle(ctx, req.BundleCode); err != nil {
			return rule, nil, err
		}
		codes = rule.Matters
	}
	matters := make([]Matter, 0, len(codes))
	for _, code := range codes {
		m, err := s.rules.Matter(ctx, code, req.Situation)
		if err != nil {
			return rule, nil, err
		}
		if len(m.ApplicantKinds) > 0 && !slices.Contains(m.ApplicantKinds, kind) {
			return rule, nil, domain.Errorf(domain.Rejected, "“%s”不能由%s申请", m.Name, kindLabel(kind))
		}
		matters = append(matters, m)
	}
	if len(matters) == 0 {
		return rule, nil, domain.Errorf(domain.NotFound, "该事项暂不支持网上办理")
	}
	return rule, matters, nil
}

// checkFiling validates the form against every matter and the materials
// against the union of their checklists, reporting every fault at once.
func (s *Service) checkFiling(ctx context.Context, req Request, matters []Matter) error {
	var fields []domain.FieldError
	var required []string
	commitments := map[string]string{}
	form := formOrEmpty(req.Form)
	for _, m := range matters {
		if err := s.rules.ValidateForm(ctx, m.Code, req.Situation, form); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid {
				return err
			}
			if len(de.Fields) == 0 {
				de = domain.InvalidFields(domain.FieldError{Field: "form", Message: de.Message})
			}
			fields = appendNew(fields, de.Fields...)
		}
		required = append(required, m.RequiredMaterials...)
		for name, text := range m.Commitments {
			commitments[name] = text
		}
	}
	more, err := s.checkMaterials(ctx, req.Materials, dedupe(required), commitments)
	if err != nil {
		return err
	}
	if fields = appendNew(fields, more...); fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// build makes the filing to store: ids, sealed form, one application per
// matter.
func (s *Service) build(req Request, applicant, acting Applicant, rule BundleRule, matters []Matter) (Filed, error) {
	sealed, err := s.sealer.Seal(string(formOrEmpty(req.Form)))
	if err != nil {
		return Filed{}, err
	}
	now := s.now()
	var f Filed
	key := req.IdempotencyKey
	if req.BundleCode != "" {
		f.Bundle = Bundle{ID: NewID("PK", now), Code: rule.Code, Name: rule.Name, ApplicantRef: applicant.Ref,
			Channel: req.Channel, IdempotencyKey: key, CreatedAt: now}
		key = "" // the bundle holds the key for all its applications
	}
	// Ids sort in filing order, so a package reads back in the order of its
	// matters.
	ids := make([]string, len(matters))
	for i := range ids {
		ids[i] = NewID("AP", now)
	}
	slices.Sort(ids)
	for i, m := range matters {
		f.Applications = append(f.Applications, Application{
			ID: ids[i], BundleID: f.Bundle.ID, MatterCode: m.Code, MatterName: m.Name, Situation: req.Situation,
			Applicant: applicant, ActingFor: acting, Relation: relation(acting, req.Relation), Channel: req.Channel,
			IdempotencyKey: key, SealedForm: sealed, Materials: req.Materials, PrerequisitesDone: req.PrerequisitesDone,
			SubmittedAt: now, State: State{Status: StatusSubmitted},
		})
	}
	return f, nil
}

// sameRequest checks that a repeated idempotency key came with the same
// matter or bundle as the first time.
func sameRequest(stored Filed, req Request) error {
	same := req.BundleCode != "" && stored.Bundle.Code == req.BundleCode ||
		req.MatterCode != "" && stored.Bundle.ID == "" && len(stored.Applications) == 1 && stored.Applications[0].MatterCode == req.MatterCode
	if !same {
		return domain.Errorf(domain.Conflict, "该请求编号已用于另一项申请，请刷新页面后重新提交")
	}
	return nil
}

func relation(acting Applicant, rel string) string {
	if acting.Ref == "" {
		return ""
	}
	return rel
}

func kindLabel(k acceptance.ApplicantKind) string {
	if k == acceptance.Unit {
		return "单位"
	}
	return "个人"
}

func formOrEmpty(form json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(form)) == 0 {
		return json.RawMessage(`{}`)
	}
	return form
}

func isObject(form json.RawMessage) bool {
	t := bytes.TrimSpace(form)
	return len(t) > 0 && t[0] == '{' && json.Valid(t)
}

// isKey accepts 1–64 characters of letters, digits, '-', '_' and ':' (a
// UUID, a ULID, a channel's own scheme).
func isKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c == '-' || c == '_' || c == ':' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}

// appendNew appends the field errors not already in list, so a field that
// two matters of a bundle share is reported once.
func appendNew(list []domain.FieldError, more ...domain.FieldError) []domain.FieldError {
	for _, f := range more {
		if !slices.Contains(list, f) {
			list = append(list, f)
		}
	}
	return list
}

func dedupe(names []string) []string {
	out := names[:0:0]
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
