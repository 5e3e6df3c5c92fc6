package enterprise

import (
	"context"
	"fmt"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

type entUnitOut struct {
	Body struct {
		CreditCode   string `json:"creditCode"`
		Name         string `json:"name" doc:"单位名称"`
		Type         string `json:"type" enum:"enterprise,institution"`
		TypeLabel    string `json:"typeLabel" doc:"企业 或 机关事业单位"`
		Address      string `json:"address"`
		LegalRep     string `json:"legalRep" doc:"法定代表人（脱敏）"`
		Status       string `json:"status" enum:"active,arrears"`
		StatusLabel  string `json:"statusLabel" doc:"正常参保 或 欠费"`
		Since        string `json:"since" doc:"首次参保年月，如 2010年3月"`
		InsuredCount int    `json:"insuredCount" doc:"参保人数（含本单位管理的退休人员）"`
	}
}

// unitInfo answers 单位基本信息.
func (ch *Channel) unitInfo(ctx context.Context, in *UnitPath) (*entUnitOut, error) {
	s, err := ch.unitSession(ctx, *in)
	if err != nil {
		return nil, err
	}
	u, err := ch.cfg.Core.Unit(ctx, s.UnitCode)
	if err != nil {
		return nil, err
	}
	ch.units.Store(u.Code, u.Name)
	out := &entUnitOut{}
	b := &out.Body
	b.CreditCode, b.Name, b.Type, b.TypeLabel = string(u.Code), u.Name, string(u.Type), u.Type.Label()
	b.Address, b.LegalRep, b.Status, b.StatusLabel = u.Address, domain.MaskName(u.LegalRep), string(u.Status), u.Status.Label()
	b.Since, b.InsuredCount = monthCN(u.Since), u.InsuredCount
	return out, nil
}

// unitName returns the unit's name for the applicant display, from memory
// after the first look-up; "" when the core cannot say now.
func (ch *Channel) unitName(ctx context.Context, code domain.CreditCode) string {
	if n, ok := ch.units.Load(code); ok {
		return n.(string)
	}
	u, err := ch.cfg.Core.Unit(ctx, code)
	if err != nil {
		return ""
	}
	ch.units.Store(code, u.Name)
	return u.Name
}

type entStaffPageIn struct {
	UnitPath
	Page int `query:"page" minimum:"1" default:"1" doc:"页码，从1开始"`
	Size int `query:"size" minimum:"1" maximum:"100" default:"20" doc:"每页人数，最多100"`
}

type entStaffOut struct {
	IDNumber    string `json:"idNumber" doc:"身份证号码（脱敏）"`
	PersonalNo  string `json:"personalNo" doc:"个人编号"`
	Name        string `json:"name" doc:"姓名（脱敏）"`
	Status      string `json:"status"`
	StatusLabel string `json:"statusLabel" doc:"在职 或 退休"`
	Since       string `json:"since" doc:"在本单位参保起始年月"`
	Base        string `json:"base" doc:"本年度缴费基数（元）"`
}

type entStaffPageOut struct {
	Body struct {
		Page  int           `json:"page"`
		Size  int           `json:"size"`
		Total int           `json:"total"`
		Staff []entStaffOut `json:"staff"`
	}
}

// staffPage answers 单位参保人员名册, one page at a time.
func (ch *Channel) staffPage(ctx context.Context, in *entStaffPageIn) (*entStaffPageOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	p, err := ch.cfg.Core.UnitStaff(ctx, s.UnitCode, in.Page, in.Size)
	ch.record(ctx, s, "unit.staff.list", s.UnitRef, err, map[string]string{"page": fmt.Sprint(in.Page)})
	if err != nil {
		return nil, err
	}
	out := &entStaffPageOut{}
	out.Body.Page, out.Body.Size, out.Body.Total = p.Page, p.Size, p.Total
	out.Body.Staff = make([]entStaffOut, 0, len(p.Staff))
	for _, m := range p.Staff {
		out.Body.Staff = append(out.Body.Staff, entStaffOut{IDNumber: m.ID.Masked(), PersonalNo: m.PersonalNo,
			Name: domain.MaskName(m.Name), Status: string(m.Status), StatusLabel: m.Status.Label(), Since: monthCN(m.Since),
			Base: m.Base.Yuan()})
	}
	return out, nil
}

type entStaffMemberIn struct {
	UnitPath
	IDNumber string `path:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
}

type entStaffMemberOut struct {
	Body struct {
		IDNumber     string `json:"idNumber" doc:"身份证号码（脱敏）"`
		PersonalNo   string `json:"personalNo"`
		Name         string `json:"name" doc:"姓名（脱敏）"`
		Gender       string `json:"gender" doc:"男 或 女"`
		Phone        string `json:"phone,omitempty" doc:"手机号码（脱敏）"`
		Status       string `json:"status"`
		StatusLabel  string `json:"statusLabel"`
		InsuredSince string `json:"insuredSince" doc:"首次参保年月"`
		UnitName     string `json:"unitName"`
	}
}

// staffMember answers one person on the unit's roll; anyone else is not
// found, whoever they are.
func (ch *Channel) staffMember(ctx context.Context, in *entStaffMemberIn) (*entStaffMemberOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	p, err := ch.ownStaff(ctx, s, in.IDNumber, "unit.staff.read")
	if err != nil {
		return nil, err
	}
	out := &entStaffMemberOut{}
	b := &out.Body
	b.IDNumber, b.PersonalNo, b.Name, b.Gender = p.ID.Masked(), p.PersonalNo, domain.MaskName(p.Name), p.Gender.Label()
	b.Phone, b.Status, b.StatusLabel = p.Phone.Masked(), string(p.Status), p.Status.Label()
	b.InsuredSince, b.UnitName = monthCN(p.InsuredSince), p.UnitName
	return out, nil
}

// msgNotOurs answers a person who is not on the unit's roll, whether or not
// the core knows them: another unit's staff are nobody's business here.
const msgNotOurs = "本单位参保人员中没有该职工，请核对身份证号码"

// ownStaff returns the person with the ID number if the unit's roll has
// them, recording the read. Errors: Invalid for a malformed number;
// NotFound for anyone else; Unavailable.
func (ch *Channel) ownStaff(ctx context.Context, s account.Session, raw, action string) (insured.Person, error) {
	id, err := domain.ParseIDNumber(raw)
	if err != nil {
		return insured.Person{}, err
	}
	p, err := ch.cfg.Core.Person(ctx, id)
	if err == nil && p.UnitCode != s.UnitCode {
		err = domain.Errorf(domain.NotFound, msgNotOurs)
	}
	if domain.IsCode(err, domain.NotFound) {
		err = domain.Errorf(domain.NotFound, msgNotOurs)
	}
	ch.record(ctx, s, action, ch.personRef(id), err, nil)
	return p, err
}

// personRef is the audit log's reference of a person: the blind index.
func (ch *Channel) personRef(id domain.IDNumber) string {
	return privacy.IDIndex(ch.cfg.Sealer, id)
}

type entYearIn struct {
	UnitPath
	Year int `query:"year" minimum:"1990" maximum:"2100" doc:"年度；不填为本年"`
}

type entAssessmentOut struct {
	Month       string `json:"month" doc:"核定年月，如 2026年1月"`
	Headcount   int    `json:"headcount" doc:"核定人数"`
	Total       string `json:"total" doc:"应缴金额（元）"`
	Status      string `json:"status" enum:"assessed,paid,overdue"`
	StatusLabel string `json:"statusLabel" doc:"已核定待缴费、已缴费 或 欠费"`
	PaidOn      string `json:"paidOn,omitempty" doc:"缴费日期"`
	PaidAmount  string `json:"paidAmount,omitempty" doc:"实缴金额（元）"`
	Voucher     string `json:"voucher,omitempty" doc:"缴费票据号"`
}

type entAssessmentsOut struct {
	Body struct {
		Year        int                `json:"year"`
		Assessments []entAssessmentOut `json:"assessments"`
	}
}

// assessments answers 单位核定及缴费情况 of a year: each month's assessment
// with the payment made against it.
func (ch *Channel) assessments(ctx context.Context, in *entYearIn) (*entAssessmentsOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	year := in.Year
	if year == 0 {
		year = ch.cfg.Now().In(domain.Beijing).Year()
	}
	list, err := ch.assessmentsOf(ctx, s.UnitCode, year)
	if err != nil {
		return nil, err
	}
	out := &entAssessmentsOut{}
	out.Body.Year, out.Body.Assessments = year, list
	return out, nil
}

func (ch *Channel) assessmentsOf(ctx context.Context, code domain.CreditCode, year int) ([]entAssessmentOut, error) {
	as, err := ch.cfg.Core.UnitAssessments(ctx, code, year)
	if err != nil {
		return nil, err
	}
	pays, err := ch.cfg.Core.UnitPayments(ctx, code, year)
	if err != nil {
		return nil, err
	}
	paid := map[insured.Month]insured.UnitPayment{}
	for _, p := range pays {
		paid[p.Month] = p
	}
	out := make([]entAssessmentOut, 0, len(as))
	for _, a := range as {
		o := entAssessmentOut{Month: monthCN(a.Month), Headcount: a.Headcount, Total: a.Total.Yuan(),
			Status: string(a.Status), StatusLabel: a.Status.Label()}
		if p, ok := paid[a.Month]; ok {
			o.PaidOn, o.PaidAmount, o.Voucher = domain.FormatDateCN(p.PaidOn), p.Amount.Yuan(), p.Voucher
		}
		out = append(out, o)
	}
	return out, nil
}

// monthCN writes a month as 2026年1月; "" for none.
func monthCN(m insured.Month) string {
	if !m.Valid() {
		return ""
	}
	return fmt.Sprintf("%d年%d月", m.Year(), int(m.Month()))
}
