package app

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain/identity"
)

// RelativeView is a registered relative, numbers masked. ID is what
// X-Act-For names.
type RelativeView struct {
	ID           string    `json:"id" doc:"亲属编号：代其办理时放在 X-Act-For 头中"`
	Name         string    `json:"name" example:"王*"`
	IDNumber     string    `json:"idNumber" example:"2106**********123X"`
	Relation     string    `json:"relation"`
	RelationText string    `json:"relationText" example:"父母"`
	VerifiedAt   time.Time `json:"verifiedAt"`
}

func relativeView(r identity.Relative) RelativeView {
	return RelativeView{ID: r.ID, Name: r.MaskedName, IDNumber: r.Person.Masked(), Relation: string(r.Relation),
		RelationText: r.Relation.Label(), VerifiedAt: *instant(r.VerifiedAt)}
}

// relativeFields are what names a relative in a request.
type relativeFields struct {
	IDNumber string `json:"idNumber" minLength:"15" maxLength:"18" doc:"亲属的身份证号码"`
	Name     string `json:"name" minLength:"1" maxLength:"30" doc:"亲属的姓名"`
	Relation string `json:"relation" enum:"spouse,parent,child,grandparent,grandchild,sibling" doc:"与亲属的关系：配偶、父母、子女、祖父母/外祖父母、孙子女/外孙子女、兄弟姐妹"`
}

type startRelativeInput struct {
	Signed
	Body relativeFields
}

type addRelativeInput struct {
	Signed
	Body struct {
		IDNumber string `json:"idNumber" minLength:"15" maxLength:"18" doc:"亲属的身份证号码，与第一步一致"`
		Name     string `json:"name" minLength:"1" maxLength:"30" doc:"亲属的姓名，与第一步一致"`
		Relation string `json:"relation" enum:"spouse,parent,child,grandparent,grandchild,sibling" doc:"与亲属的关系"`
		Code     string `json:"code" minLength:"6" maxLength:"6" doc:"发到亲属社保登记手机号上的验证码，由亲属告知"`
	}
}

type relativeOutput struct{ Body RelativeView }

// Relatives lists the relatives the holder may act for.
type Relatives struct {
	Items []RelativeView `json:"items"`
	Max   int            `json:"max" doc:"最多可添加的亲属人数"`
}

type relativesOutput struct{ Body Relatives }

type removeRelativeInput struct {
	Signed
	ID string `path:"id" maxLength:"32"`
}

func (c *Channel) registerRelatives(api huma.API) {
	huma.Register(api, op("start-relative", http.MethodPost, "/relatives/verifications", "亲情服务",
		"添加亲属第一步：核验亲属实名，并向亲属在社保登记的手机号发送验证码", true),
		func(ctx context.Context, in *startRelativeInput) (*codeOutput, error) {
			p, err := c.signedIn(ctx, in.Signed)
			if err != nil {
				return nil, err
			}
			sent, err := c.cfg.Identity.StartRelative(ctx, p, in.Body.IDNumber, in.Body.Name, identity.Relation(in.Body.Relation))
			if err != nil {
				return nil, withRetryAfter(err)
			}
			return &codeOutput{Body: codeSent(sent)}, nil
		})
	add := op("add-relative", http.MethodPost, "/relatives", "亲情服务", "添加亲属第二步：输入亲属告知的验证码，完成登记", true)
	add.DefaultStatus = http.StatusCreated
	huma.Register(api, add, func(ctx context.Context, in *addRelativeInput) (*relativeOutput, error) {
		p, err := c.signedIn(ctx, in.Signed)
		if err != nil {
			return nil, err
		}
		b := in.Body
		r, err := c.cfg.Identity.ConfirmRelative(ctx, p, b.IDNumber, b.Name, identity.Relation(b.Relation), b.Code)
		c.record(ctx, p, "app.relative.add", err, map[string]string{"relativeId": r.ID, "relation": b.Relation})
		if err != nil {
			return nil, err
		}
		return &relativeOutput{Body: relativeView(r)}, nil
	})
	huma.Register(api, op("relatives", http.MethodGet, "/relatives", "亲情服务", "我登记的亲属", true),
		func(ctx context.Context, in *Signed) (*relativesOutput, error) {
			p, err := c.signedIn(ctx, *in)
			if err != nil {
				return nil, err
			}
			list, err := c.cfg.Identity.Relatives(ctx, p)
			if err != nil {
				return nil, err
			}
			out := &relativesOutput{Body: Relatives{Items: make([]RelativeView, len(list)), Max: c.cfg.Identity.MaxRelatives()}}
			for i, r := range list {
				out.Body.Items[i] = relativeView(r)
			}
			return out, nil
		})
	huma.Register(api, op("remove-relative", http.MethodDelete, "/relatives/{id}", "亲情服务", "删除亲属，不再代其办理", true),
		func(ctx context.Context, in *removeRelativeInput) (*ackOutput, error) {
			p, err := c.signedIn(ctx, in.Signed)
			if err != nil {
				return nil, err
			}
			err = c.cfg.Identity.RemoveRelative(ctx, p, in.ID)
			c.record(ctx, p, "app.relative.remove", err, map[string]string{"relativeId": in.ID})
			if err != nil {
				return nil, err
			}
			return acked(), nil
		})
}
