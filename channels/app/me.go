package app

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
)

type accountOutput struct{ Body AccountView }

type realNameInput struct {
	Signed
	Body struct {
		IDNumber string `json:"idNumber" minLength:"15" maxLength:"18" doc:"身份证号码"`
		Name     string `json:"name" minLength:"1" maxLength:"30" doc:"姓名"`
	}
}

// Access answers a real-name binding: a new access token that carries
// the binding (the refresh token stays as it was).
type Access struct {
	AccessToken string      `json:"accessToken"`
	TokenType   string      `json:"tokenType" example:"Bearer"`
	ExpiresIn   int         `json:"expiresIn" doc:"访问令牌有效期，秒"`
	Account     AccountView `json:"account"`
}

type accessOutput struct{ Body Access }

func (c *Channel) registerMe(api huma.API) {
	huma.Register(api, op("me", http.MethodGet, "/me", "账户", "当前账户", true),
		func(ctx context.Context, in *Signed) (*accountOutput, error) {
			p, err := c.signedIn(ctx, *in)
			if err != nil {
				return nil, err
			}
			a, err := c.cfg.Identity.Account(ctx, p.AccountID)
			if err != nil {
				return nil, err
			}
			return &accountOutput{Body: accountView(a)}, nil
		})
	huma.Register(api, op("bind-real-name", http.MethodPost, "/me/real-name", "账户",
		"实名认证：经省电子社保卡平台核验姓名与身份证号码后绑定本账户，并换发访问令牌", true),
		func(ctx context.Context, in *realNameInput) (*accessOutput, error) {
			cl, err := c.claims(ctx, in.Authorization)
			if err != nil {
				return nil, err
			}
			a, err := c.cfg.Identity.BindRealName(ctx, cl.AccountID, in.Body.IDNumber, in.Body.Name)
			if err != nil {
				c.record(ctx, identity.Principal{AccountID: cl.AccountID}, "app.real-name.bind", err, nil)
				return nil, err
			}
			bound, err := c.cfg.Identity.ClaimsOf(identity.Session{Account: a, FamilyID: cl.FamilyID})
			if err != nil {
				return nil, err
			}
			p, _ := c.cfg.Identity.Principal(ctx, bound, "")
			c.record(ctx, p, "app.real-name.bind", nil, nil)
			insured.ReadAhead(c.cfg.Core, a.Person)
			access, err := c.cfg.Keys.mint(bound, c.cfg.Now(), c.cfg.AccessTTL)
			if err != nil {
				return nil, err
			}
			return &accessOutput{Body: Access{AccessToken: access, TokenType: "Bearer",
				ExpiresIn: int(c.cfg.AccessTTL / time.Second), Account: accountView(a)}}, nil
		})
}
