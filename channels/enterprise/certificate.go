package enterprise

import (
	"context"
	"fmt"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
)

// certificateMatter is the employment and entrepreneurship certificate
// (就业创业证, formerly 就业失业登记证): a person applies, and a unit may
// apply for its staff member (单位代办).
const certificateMatter = "employment.certificate_apply"

type entCertificateIn struct {
	UnitPath
	KeyHeader
	Body struct {
		Name             string          `json:"name" minLength:"2" maxLength:"30" doc:"职工姓名"`
		IDNumber         string          `json:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
		Phone            string          `json:"phone" minLength:"11" maxLength:"20" doc:"职工手机号码"`
		Address          string          `json:"address,omitempty" maxLength:"100" doc:"联系地址"`
		EmploymentStatus string          `json:"employmentStatus" enum:"employed,unemployed" doc:"就业状态"`
		EducationLevel   string          `json:"educationLevel" enum:"junior,senior,college,bachelor,master,doctor" doc:"文化程度"`
		Materials        []entMaterialIn `json:"materials,omitempty" maxItems:"10" doc:"居民身份证、近期免冠证件照"`
	}
}

// applyCertificate applies for an employment certificate (就业证件申请) for
// a staff member, who is the applicant; the unit acts for them.
func (ch *Channel) applyCertificate(ctx context.Context, in *entCertificateIn) (*entFiledOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	b := in.Body
	p, err := ch.ownStaff(ctx, s, b.IDNumber, "unit.staff.check")
	if err != nil {
		return nil, err
	}
	phone, err := domain.ParsePhone(b.Phone)
	if err != nil {
		return nil, err
	}
	form := map[string]any{"name": b.Name, "idNumber": p.ID.Raw(), "phone": phone.Raw(),
		"employmentStatus": b.EmploymentStatus, "educationLevel": b.EducationLevel}
	if b.Address != "" {
		form["address"] = b.Address
	}
	filed, err := ch.file(ctx, s, filing{matter: certificateMatter, form: form, materials: materialsOf(b.Materials),
		person: &p, key: subKey(in.IdempotencyKey, "C", 0)})
	if err != nil {
		return nil, err
	}
	out := &entFiledOut{}
	out.Body.Applications = filedOf(filed.Applications)
	return out, nil
}

// certificates lists the certificate applications the unit filed, with
// their progress (进度标志).
func (ch *Channel) certificates(ctx context.Context, in *UnitPath) (*entListOut, error) {
	return ch.listMatters(ctx, in, []string{certificateMatter})
}

type entCertificateCaseIn struct {
	UnitPath
	CaseNo string `path:"caseNo" maxLength:"64" doc:"办件编号（受理回执上的编号）"`
}

// certificate answers 就失业证查询: one certificate application by the
// number on its receipt, with its timeline.
func (ch *Channel) certificate(ctx context.Context, in *entCertificateCaseIn) (*entApplicationResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	v, err := ch.cfg.Progress.ByCase(ctx, in.CaseNo, s.UnitRef)
	if err == nil && v.MatterCode != certificateMatter {
		err = domain.Errorf(domain.NotFound, "未找到该就业创业证办件")
	}
	if err != nil {
		return nil, err
	}
	return &entApplicationResp{Body: applicationOf(v)}, nil
}

type entNoticeOut struct {
	Body struct {
		Title    string        `json:"title" doc:"就业登记告知书"`
		Sections []entSectionO `json:"sections"`
		Printed  bool          `json:"printed" doc:"为假时由前端按此内容排版打印"`
	}
}

type entSectionO struct {
	Heading string    `json:"heading"`
	Rows    []entRowO `json:"rows"`
}

type entRowO struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// noticeText is what the notice tells the employee, after the national
// form of 就业登记告知书.
const noticeText = "用人单位已为您办理就业登记，您的劳动用工信息已记入人力资源社会保障部门就业登记系统。" +
	"请核对以上信息，如有不符请及时告知单位更正；劳动关系解除或终止后，单位将为您办理就业登记注销。"

// notice builds the employment notice (就业告知书) of a person on the
// unit's roll.
func (ch *Channel) notice(ctx context.Context, in *entStaffMemberIn) (document.Document, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return document.Document{}, err
	}
	p, err := ch.ownStaff(ctx, s, in.IDNumber, "unit.staff.read")
	if err != nil {
		return document.Document{}, err
	}
	unit := ch.unitName(ctx, s.UnitCode)
	return document.Document{
		Kind:    document.EmploymentNotice,
		Subject: document.Subject{Name: p.Name, ID: p.ID},
		Sections: []document.Section{
			{Heading: "劳动者信息", Rows: []document.Row{{Label: "姓名", Value: domain.MaskName(p.Name)},
				{Label: "身份证号码", Value: p.ID.Masked()}, {Label: "参保起始", Value: monthCN(p.InsuredSince)}}},
			{Heading: "用人单位", Rows: []document.Row{{Label: "单位名称", Value: unit},
				{Label: "统一社会信用代码", Value: string(s.UnitCode)}}},
			{Heading: "告知事项", Rows: []document.Row{{Label: "告知内容", Value: noticeText}}},
		},
		PageSize:    document.A4,
		Issuer:      document.Issuer{Channel: domain.Enterprise},
		RequestedBy: document.Actor{Kind: audit.UnitOperator, Ref: s.OperatorID},
	}, nil
}

// noticeData answers the notice's content, for the page to lay out and
// print when the server does not print it.
func (ch *Channel) noticeData(ctx context.Context, in *entStaffMemberIn) (*entNoticeOut, error) {
	d, err := ch.notice(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &entNoticeOut{}
	out.Body.Title = d.Kind.Label()
	for _, sec := range d.Sections {
		o := entSectionO{Heading: sec.Heading}
		for _, r := range sec.Rows {
			o.Rows = append(o.Rows, entRowO{Label: r.Label, Value: r.Value})
		}
		out.Body.Sections = append(out.Body.Sections, o)
	}
	return out, nil
}

type entPdfOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Serial             string `header:"X-Document-Serial" doc:"文书编号，可扫码或在核验页面核验"`
	Body               []byte
}

// noticePDF prints the notice through the document service: a serial, a
// QR code to verify it, and a record of the print.
func (ch *Channel) noticePDF(ctx context.Context, in *entStaffMemberIn) (*entPdfOut, error) {
	d, err := ch.notice(ctx, in)
	if err != nil {
		return nil, err
	}
	printed, err := ch.cfg.Printer.Issue(ctx, d)
	if err != nil {
		return nil, err
	}
	return &entPdfOut{ContentType: "application/pdf", Serial: printed.Serial, Body: printed.PDF,
		ContentDisposition: fmt.Sprintf(`inline; filename="employment-notice-%s.pdf"`, printed.Serial)}, nil
}
