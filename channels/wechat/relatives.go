package wechat

import (
	"context"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/danielgtaylor/huma/v2"
)

// WxRelativeView is one relative the follower may act for.
type WxRelativeView struct {
	ID            string    `json:"id" doc:"亲属编号，代办时放在 X-Act-For 中"`
	Name          string    `json:"name" doc:"姓名（脱敏）"`
	IDNumber      string    `json:"idNumber" doc:"身份证号码（脱敏）"`
	Relation      string    `json:"relation"`
	RelationLabel string    `json:"relationLabel" doc:"配偶、父母、子女…"`
	VerifiedAt    time.Time `json:"verifiedAt"`
}

// WxRelativesOutput lists the follower's relatives.
type WxRelativesOutput struct {
	Body struct {
		Items []WxRelativeView `json:"items"`
		Max   int              `json:"max" doc:"最多可添加的亲属人数"`
	}
}

// WxRelativeOutput answers adding a relative.
type WxRelativeOutput struct {
	Body WxRelativeView
}

// WxRelativeCodeInput starts adding a relative.
type WxRelativeCodeInput struct {
	Body struct {
		WxPersonInput
		Relation string `json:"relation" enum:"spouse,parent,child,grandparent,grandchild,sibling" doc:"与本人的关系"`
	}
}

// WxAddRelativeInput confirms a relative with their consent code.
type WxAddRelativeInput struct {
	Body struct {
		WxPersonInput
		Relation string `json:"relation" enum:"spouse,parent,child,grandparent,grandchild,sibling" doc:"与本人的关系"`
		Code     string `json:"code" minLength:"6" maxLength:"6" doc:"亲属手机收到的验证码"`
	}
}

// WxRemoveRelativeInput names the relative to remove.
type WxRemoveRelativeInput struct {
	ID string `path:"id" maxLength:"40"`
}

// maxRelatives is what the page tells the follower; follower.Config's
// default.
const maxRelatives = 8

func (c *Channel) registerRelatives(api huma.API) {
	huma.Register(api, c.op(api, self, http.MethodGet, "/relatives", "relatives", "亲情服务：我的亲属"), c.relatives)
	huma.Register(api, c.op(api, self, http.MethodPost, "/relatives/code", "relative-code",
		"亲情服务：核验亲属实名并向其社保登记手机号发送授权验证码"), c.relativeCode)
	op := c.op(api, self, http.MethodPost, "/relatives", "add-relative", "亲情服务：凭亲属授权验证码添加亲属")
	op.DefaultStatus = http.StatusCreated
	huma.Register(api, op, c.addRelative)
	op = c.op(api, self, http.MethodDelete, "/relatives/{id}", "remove-relative", "亲情服务：删除亲属")
	op.DefaultStatus = http.StatusNoContent
	huma.Register(api, op, c.removeRelative)
}

func (c *Channel) relatives(ctx context.Context, _ *struct{}) (*WxRelativesOutput, error) {
	p := principalFrom(ctx)
	rs, err := c.followers.Relatives(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &WxRelativesOutput{}
	out.Body.Max, out.Body.Items = maxRelatives, make([]WxRelativeView, 0, len(rs))
	for _, r := range rs {
		out.Body.Items = append(out.Body.Items, relativeView(r))
	}
	return out, nil
}

func (c *Channel) relativeCode(ctx context.Context, in *WxRelativeCodeInput) (*WxCodeSentOutput, error) {
	p := principalFrom(ctx)
	sent, err := c.followers.StartRelative(ctx, p, in.Body.IDNumber, in.Body.Name, identity.Relation(in.Body.Relation))
	c.recordAttempt(ctx, p.PersonRef, in.Body.IDNumber, "wechat.relative.code", err)
	if err != nil {
		return nil, err
	}
	return &WxCodeSentOutput{Body: codeSentView(sent)}, nil
}

func (c *Channel) addRelative(ctx context.Context, in *WxAddRelativeInput) (*WxRelativeOutput, error) {
	p := principalFrom(ctx)
	r, err := c.followers.ConfirmRelative(ctx, p, in.Body.IDNumber, in.Body.Name, identity.Relation(in.Body.Relation), in.Body.Code)
	c.recordAttempt(ctx, p.PersonRef, in.Body.IDNumber, "wechat.relative.add", err)
	if err != nil {
		return nil, err
	}
	return &WxRelativeOutput{Body: relativeView(r)}, nil
}

func (c *Channel) removeRelative(ctx context.Context, in *WxRemoveRelativeInput) (*struct{}, error) {
	p := principalFrom(ctx)
	err := c.followers.RemoveRelative(ctx, p, in.ID)
	c.record(ctx, p, "wechat.relative.remove", err)
	return nil, err
}

func relativeView(r follower.Relative) WxRelativeView {
	return WxRelativeView{ID: r.ID, Name: r.MaskedName, IDNumber: r.Person.Masked(), Relation: string(r.Relation),
		RelationLabel: r.Relation.Label(), VerifiedAt: bj(r.VerifiedAt)}
}
