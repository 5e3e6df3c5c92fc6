package kiosk

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
)

// PensionCertificationView is the 养老待遇资格认证 screen: where this year's
// certification stands and whether the pensioner can certify now.
type PensionCertificationView struct {
	Title      string              `json:"title"`
	State      certification.State `json:"state" enum:"due,overdue,suspended,certified,resumed"`
	Summary    []Field             `json:"summary"`
	CanCertify bool                `json:"canCertify" doc:"本年度尚未认证：可进行刷脸认证"`
	Notice     string              `json:"notice,omitempty"`
}

// certificationView shows a cycle.
func certificationView(cy certification.Cycle) PensionCertificationView {
	v := PensionCertificationView{Title: "养老待遇资格认证", State: cy.State, Summary: certificationFields(cy), CanCertify: !cy.State.Done()}
	switch cy.State {
	case certification.Due:
		v.Notice = "请在认证截止日期前完成认证：正对摄像头，按提示眨眼、张嘴即可"
	case certification.Overdue:
		v.Notice = "您已逾期未认证，请尽快认证，以免暂停发放养老待遇"
	case certification.Suspended:
		v.Notice = "您的养老待遇已暂停发放，认证通过后将恢复发放并补发暂停期间的待遇"
	case certification.Resumed:
		v.Notice = "认证通过，养老待遇已恢复发放，暂停期间的待遇将予补发"
	case certification.Certified:
		v.Notice = "本年度已完成认证，无需重复认证"
	}
	return v
}

// certificationFields are the labelled facts of a cycle, on the screen and
// on the printed receipt.
func certificationFields(cy certification.Cycle) []Field {
	f := []Field{{"认证年度", yearLabel(cy.Year)}, {"认证状态", cy.State.Label()}}
	if cert := cy.Certification; cy.State.Done() && cert != nil {
		f = append(f, Field{"认证方式", cert.Method.Label()}, Field{"认证时间", dateTimeCN(cert.At)})
		if !cy.NextDueOn.IsZero() {
			f = append(f, Field{"下次应认证日期", dateCN(cy.NextDueOn)})
		}
		return f
	}
	return append(f, Field{"应认证日期", dateCN(cy.DueOn)}, Field{"认证截止日期", dateCN(cy.OverdueOn.AddDate(0, 0, -1))})
}

// dateTimeCN writes an instant as 2026年11月29日 10:30 in Beijing.
func dateTimeCN(t time.Time) string {
	if t.IsZero() {
		return none
	}
	return domain.FormatDateCN(t) + " " + t.In(domain.Beijing).Format("15:04")
}

func (c *Channel) certificationStatus(ctx context.Context, s Session, _ *struct{}) (PensionCertificationView, error) {
	cy, err := c.certs.Status(ctx, s.Person)
	if err != nil {
		return PensionCertificationView{}, err
	}
	return certificationView(cy), nil
}

// faceCertifyInput is the kiosk camera's face-check result.
type faceCertifyInput struct {
	IdempotencyKey string `header:"Idempotency-Key" minLength:"8" maxLength:"64" pattern:"^[A-Za-z0-9_:-]+$" patternDescription:"8到64位字母、数字、“_”“:”或“-”" doc:"幂等键：每次提交生成一个（如 UUID），重试时保持不变"`
	Body           struct {
		FaceToken string `json:"faceToken" minLength:"1" maxLength:"512" doc:"人脸识别结果令牌：一体机摄像头采集后由省电子社保卡平台人脸识别接口返回，只能使用一次"`
	}
}

// certify certifies this year's cycle of the card holder by the face check
// the kiosk's camera made: the kiosk sent the capture to the e-card
// platform and posts the result token it got back; the certification
// service redeems the token once with the platform, which says whose face
// it was and whether it passed. The kiosk is never trusted to say so
// itself. Certifying a certified cycle again answers the certification
// already made and redeems nothing, so a retry is harmless whatever its
// key.
func (c *Channel) certify(ctx context.Context, s Session, in *faceCertifyInput) (PensionCertificationView, error) {
	cy, err := c.certs.Certify(ctx, s.Person, certification.KioskFace,
		certification.Actor{Kind: certification.Self, Channel: domain.Kiosk}, in.Body.FaceToken)
	if err != nil {
		return PensionCertificationView{}, err
	}
	return certificationView(cy), nil
}
