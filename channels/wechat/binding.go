package wechat

import (
	"context"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/danielgtaylor/huma/v2"
)

// WxPersonInput names a person by what is on their ID card.
type WxPersonInput struct {
	IDNumber string `json:"idNumber" minLength:"15" maxLength:"32" doc:"居民身份证号码"`
	Name     string `json:"name" minLength:"1" maxLength:"30" doc:"姓名，与身份证一致"`
}

// WxBindCodeInput asks for a binding code.
type WxBindCodeInput struct {
	Body WxPersonInput
}

// WxCodeSentView tells the follower a code is on its way and where.
type WxCodeSentView struct {
	MaskedPhone string `json:"maskedPhone" doc:"接收验证码的手机号（社保系统登记的号码，已脱敏）"`
	ExpiresIn   int    `json:"expiresIn" doc:"验证码有效秒数"`
	ResendAfter int    `json:"resendAfter" doc:"多少秒后可重新获取"`
}

// WxCodeSentOutput answers a code request.
type WxCodeSentOutput struct {
	Body WxCodeSentView
}

// WxBindInput binds the follower by one of the two methods.
type WxBindInput struct {
	Body struct {
		WxPersonInput
		Method    string `json:"method" enum:"sms,ecard" doc:"sms：社保登记手机号短信验证；ecard：电子社保卡实名及人脸识别"`
		Code      string `json:"code,omitempty" maxLength:"6" doc:"短信验证码（method 为 sms 时必填）"`
		FaceToken string `json:"faceToken,omitempty" maxLength:"256" doc:"电子社保卡人脸识别结果凭证（method 为 ecard 时必填）"`
	}
}

func (c *Channel) registerBinding(api huma.API) {
	huma.Register(api, c.op(api, anyFollower, http.MethodPost, "/binding/code", "binding-code",
		"绑定身份：向社保登记的手机号发送验证码"), c.bindCode)
	huma.Register(api, c.op(api, anyFollower, http.MethodPost, "/binding", "bind",
		"绑定身份：短信验证码或电子社保卡认证"), c.bind)
	op := c.op(api, anyFollower, http.MethodDelete, "/binding", "unbind", "解除绑定（同时删除已添加的亲属）")
	op.DefaultStatus = http.StatusNoContent
	huma.Register(api, op, c.unbind)
}

func (c *Channel) bindCode(ctx context.Context, in *WxBindCodeInput) (*WxCodeSentOutput, error) {
	sent, err := c.followers.SendBindCode(ctx, callerFrom(ctx).openID, in.Body.IDNumber, in.Body.Name)
	c.recordAttempt(ctx, "", in.Body.IDNumber, "wechat.binding.code", err)
	if err != nil {
		return nil, err
	}
	return &WxCodeSentOutput{Body: codeSentView(sent)}, nil
}

func (c *Channel) bind(ctx context.Context, in *WxBindInput) (*WxMeOutput, error) {
	openID, body := callerFrom(ctx).openID, in.Body
	var b follower.Binding
	var err error
	switch body.Method {
	case string(follower.ByECard):
		b, err = c.followers.BindByECard(ctx, openID, body.IDNumber, body.Name, body.FaceToken)
	default:
		b, err = c.followers.BindBySMS(ctx, openID, body.IDNumber, body.Name, body.Code)
	}
	c.recordAttempt(ctx, b.PersonRef, body.IDNumber, "wechat.binding.bind", err)
	if err != nil {
		return nil, err
	}
	insured.ReadAhead(c.core, b.Person)
	return &WxMeOutput{Body: bindingView(b)}, nil
}

func (c *Channel) unbind(ctx context.Context, _ *struct{}) (*struct{}, error) {
	openID := callerFrom(ctx).openID
	b, err := c.followers.Binding(ctx, openID)
	if domain.IsCode(err, domain.NotFound) {
		return nil, nil // nothing to undo: unbinding twice is no error
	}
	if err != nil {
		return nil, err
	}
	_, err = c.followers.Unbind(ctx, openID)
	c.record(ctx, follower.Principal{PersonRef: b.PersonRef, SubjectRef: b.PersonRef}, "wechat.binding.unbind", err)
	return nil, err
}

func codeSentView(s identity.CodeSent) WxCodeSentView {
	return WxCodeSentView{MaskedPhone: s.MaskedPhone, ExpiresIn: int(s.ExpiresIn.Seconds()), ResendAfter: int(s.ResendAfter.Seconds())}
}
