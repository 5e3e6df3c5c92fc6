package acceptance

import (
	"encoding/json"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// ApplicantKind says whether an application is a person's or a unit's.
type ApplicantKind string

// The applicant kinds.
const (
	Person ApplicantKind = "person" // a citizen applying for themselves or a family member
	Unit   ApplicantKind = "unit"   // an employer unit, through its clerk
)

// Applicant is who the case is about, as far as the core needs to know. The
// core never receives a raw ID number: Ref is an opaque reference the BFF
// derives (a keyed blind index) so that the core can match a person's cases
// for prerequisites, and Display is what staff and receipts show, already
// masked (张* 2106**********123X).
type Applicant struct {
	Kind    ApplicantKind
	Ref     string
	Display string
}

// Material is one piece of supporting material (申请材料) by reference: the
// name it has in the matter's checklist and the hash of its stored content.
// The content stays with the BFF; the core keeps the reference.
//
// Under the notification-and-commitment scheme (告知承诺制) the applicant may
// sign the matter's commitment instead of providing the material: Pledge is
// then the commitment text exactly as shown and signed, and Hash is empty.
type Material struct {
	Name   string
	Hash   string
	Pledge string
}

// Submission is one application handed to the core.
type Submission struct {
	// ApplicationID is the BFF's own id of the application, unique and
	// stable across retries: the core de-duplicates by it.
	ApplicationID string
	// MatterCode names the matter (事项) in the core's catalogue. Empty or
	// unknown makes a generic intake (纯接件); then MatterName says what the
	// applicant asked for.
	MatterCode string
	MatterName string
	Applicant  Applicant
	Channel    domain.Channel
	Form       json.RawMessage // the declaration form as the channel filled it
	Materials  []Material
	// BundleID groups applications filed together (打包办, "one thing done
	// once"); empty when the application stands alone.
	BundleID string
	// PrerequisitesDone lists prerequisite matters (关联前置事项) the BFF
	// knows are done elsewhere, e.g. confirmed by the business core, so the
	// core need not find a completed case of its own for them.
	PrerequisitesDone []string
}

// maxIDLength bounds application ids, bundle ids and matter codes.
const maxIDLength = 64

// Validate checks what the core needs before the submission leaves the BFF;
// it returns an Invalid *domain.Error naming each field at fault.
func (s Submission) Validate() error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if !isToken(s.ApplicationID) {
		add("applicationId", "申请编号缺失或格式不正确")
	}
	if s.MatterCode == "" && s.MatterName == "" {
		add("matterName", "请填写申请办理的事项")
	}
	if len(s.MatterCode) > maxIDLength {
		add("matterCode", "事项编码过长")
	}
	if s.BundleID != "" && !isToken(s.BundleID) {
		add("bundleId", "打包办件编号格式不正确")
	}
	if s.Applicant.Kind != Person && s.Applicant.Kind != Unit {
		add("applicant.kind", "申请人类型应为个人或单位")
	}
	if s.Applicant.Ref == "" || len(s.Applicant.Ref) > 128 {
		add("applicant.ref", "缺少申请人标识")
	}
	if _, err := domain.ParseChannel(string(s.Channel)); err != nil {
		add("channel", "不支持的办理渠道")
	}
	if len(s.Form) > 0 && !json.Valid(s.Form) {
		add("form", "申请表内容格式不正确")
	}
	for _, m := range s.Materials {
		if m.Name == "" || (m.Hash == "") == (m.Pledge == "") {
			add("materials", "每份材料都需要名称，以及内容摘要或签署的承诺（二者之一）")
			break
		}
	}
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// isToken accepts 1–64 characters of letters, digits, '-' and '_': ids that
// survive URLs, logs and the log masker unchanged.
func isToken(s string) bool {
	if s == "" || len(s) > maxIDLength {
		return false
	}
	for _, c := range []byte(s) {
		ok := c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}

// Receipt is the core's answer to a submission: the acceptance slip (受理回执)
// the channels print or show.
type Receipt struct {
	CaseNo        string // 办件编号, like DD2026112900000123
	ApplicationID string
	MatterCode    string // "" for a generic intake until staff route it
	MatterName    string
	AcceptedAt    time.Time
	// PromisedBy is the promised completion date (承诺办结日期), counted in
	// working days from acceptance; midnight of that day in Beijing.
	PromisedBy time.Time
	// Generic is true for a generic intake (纯接件): the matter was not in
	// the core's catalogue and waits for staff to route it (受理分发).
	Generic bool
	// PendingPrerequisites lists the matter codes of prerequisites (关联事项)
	// the applicant has not completed. The case is accepted anyway; the
	// channel should tell the applicant to file those too.
	PendingPrerequisites []string
}
