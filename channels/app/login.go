package app

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// CodeSent answers a request for a code.
type CodeSent struct {
	Phone       string `json:"phone" doc:"验证码发往的手机号（脱敏）" example:"138****5678"`
	ExpiresIn   int    `json:"expiresIn" doc:"验证码有效期，秒"`
	ResendAfter int    `json:"resendAfter" doc:"多少秒后可重新获取"`
}

func codeSent(s identity.CodeSent) CodeSent {
	return CodeSent{Phone: s.MaskedPhone, ExpiresIn: int(s.ExpiresIn / time.Second), ResendAfter: int(s.ResendAfter / time.Second)}
}

// Tokens answers a sign-in or a refresh.
type Tokens struct {
	AccessToken      string      `json:"accessToken" doc:"访问令牌，放在 Authorization: Bearer 头中"`
	TokenType        string      `json:"tokenType" example:"Bearer"`
	ExpiresIn        int         `json:"expiresIn" doc:"访问令牌有效期，秒"`
	RefreshToken     string      `json:"refreshToken" doc:"刷新令牌：只能使用一次，每次刷新换发新的；重复使用将使本设备登录失效"`
	RefreshExpiresAt time.Time   `json:"refreshExpiresAt"`
	Account          AccountView `json:"account"`
}

// AccountView is the signed-in account, numbers masked.
type AccountView struct {
	ID       string `json:"id"`
	Phone    string `json:"phone" example:"138****5678"`
	Verified bool   `json:"verified" doc:"是否已实名认证"`
	Name     string `json:"name,omitempty" example:"张*"`
	IDNumber string `json:"idNumber,omitempty" example:"2106**********123X"`
}

func accountView(a identity.Account) AccountView {
	v := AccountView{ID: a.ID, Phone: a.Phone.Masked(), Verified: a.Bound()}
	if a.Bound() {
		v.Name, v.IDNumber = a.MaskedName, a.Person.Masked()
	}
	return v
}

type phoneInput struct {
	Body struct {
		Phone string `json:"phone" minLength:"11" maxLength:"20" doc:"手机号码" example:"13812345678"`
	}
}

type codeOutput struct{ Body CodeSent }

type loginInput struct {
	Body struct {
		Phone string `json:"phone" minLength:"11" maxLength:"20" doc:"手机号码"`
		Code  string `json:"code" minLength:"6" maxLength:"6" doc:"短信验证码（6位数字）"`
	}
}

type refreshInput struct {
	Body struct {
		RefreshToken string `json:"refreshToken" minLength:"1" maxLength:"128"`
	}
}

type tokensOutput struct{ Body Tokens }

func (c *Channel) registerAuth(api huma.API) {
	huma.Register(api, op("send-login-code", http.MethodPost, "/auth/sms-codes", "登录", "获取登录短信验证码", false),
		func(ctx context.Context, in *phoneInput) (*codeOutput, error) {
			sent, err := c.cfg.Identity.SendLoginCode(ctx, in.Body.Phone)
			if err != nil {
				return nil, withRetryAfter(err)
			}
			return &codeOutput{Body: codeSent(sent)}, nil
		})
	huma.Register(api, op("login", http.MethodPost, "/auth/login", "登录", "手机号+验证码登录", false),
		func(ctx context.Context, in *loginInput) (*tokensOutput, error) {
			sess, err := c.cfg.Identity.Login(ctx, in.Body.Phone, in.Body.Code)
			if err != nil {
				return nil, err
			}
			c.record(ctx, identity.Principal{AccountID: sess.Account.ID}, "app.login", nil, nil)
			insured.ReadAhead(c.cfg.Core, sess.Account.Person)
			return c.tokens(sess)
		})
	huma.Register(api, op("refresh", http.MethodPost, "/auth/refresh", "登录", "刷新登录凭证（刷新令牌轮换）", false),
		func(ctx context.Context, in *refreshInput) (*tokensOutput, error) {
			sess, err := c.cfg.Identity.Refresh(ctx, in.Body.RefreshToken)
			if err != nil {
				return nil, err
			}
			return c.tokens(sess)
		})
	huma.Register(api, op("logout", http.MethodPost, "/auth/logout", "登录", "退出登录", true),
		func(ctx context.Context, in *Signed) (*ackOutput, error) {
			cl, err := c.claims(ctx, in.Authorization)
			if err != nil {
				return nil, err
			}
			if err := c.cfg.Identity.Logout(ctx, cl.FamilyID); err != nil {
				return nil, err
			}
			return acked(), nil
		})
}

// tokens mints the access token of a session and answers both tokens.
func (c *Channel) tokens(sess identity.Session) (*tokensOutput, error) {
	cl, err := c.cfg.Identity.ClaimsOf(sess)
	if err != nil {
		return nil, err
	}
	access, err := c.cfg.Keys.mint(cl, c.cfg.Now(), c.cfg.AccessTTL)
	if err != nil {
		return nil, err
	}
	return &tokensOutput{Body: Tokens{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(c.cfg.AccessTTL / time.Second),
		RefreshToken: sess.RefreshToken, RefreshExpiresAt: *instant(sess.RefreshExpiresAt), Account: accountView(sess.Account)}}, nil
}
