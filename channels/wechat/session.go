package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/danielgtaylor/huma/v2"
)

// WxAuthorizeInput asks for web authorization before an H5 page.
type WxAuthorizeInput struct {
	Next  string `query:"next" default:"/h5/" maxLength:"200" pattern:"^/h5/[A-Za-z0-9/_.~=&%?-]*$" doc:"授权后回到的 H5 页面路径，以 /h5/ 开头"`
	State string `query:"state" maxLength:"32" pattern:"^[A-Za-z0-9]*$" doc:"页面生成的随机串，回跳时原样带回，供页面核对；不传则由服务端生成"`
}

// WxRedirectOutput sends the browser on.
type WxRedirectOutput struct {
	Location     string `header:"Location"`
	CacheControl string `header:"Cache-Control"`
}

// WxSessionInput trades an authorization code for a session.
type WxSessionInput struct {
	Body struct {
		Code string `json:"code" minLength:"1" maxLength:"128" doc:"微信网页授权回跳时带回的 code，只能使用一次，5分钟内有效"`
	}
}

// WxSessionView is a new H5 session and who it is.
type WxSessionView struct {
	Token     string    `json:"token" doc:"会话令牌，之后每个请求放在 Authorization: Bearer 中"`
	ExpiresAt time.Time `json:"expiresAt"`
	Me        WxMeView  `json:"me"`
}

// WxSessionOutput answers POST /wechat/v1/sessions.
type WxSessionOutput struct {
	Body WxSessionView
}

// WxMeView is the follower's binding as the 我的 page shows it.
type WxMeView struct {
	Bound       bool      `json:"bound" doc:"是否已绑定本人社保身份"`
	Name        string    `json:"name,omitempty" doc:"姓名（脱敏）"`
	IDNumber    string    `json:"idNumber,omitempty" doc:"身份证号码（脱敏）"`
	Method      string    `json:"method,omitempty" enum:"sms,ecard" doc:"绑定方式"`
	MethodLabel string    `json:"methodLabel,omitempty" doc:"短信验证 或 电子社保卡认证"`
	BoundAt     time.Time `json:"boundAt,omitzero"`
}

// WxMeOutput answers GET /wechat/v1/me and binding.
type WxMeOutput struct {
	Body WxMeView
}

func (c *Channel) registerSession(api huma.API) {
	op := c.op(api, public, http.MethodGet, "/oauth/authorize", "oauth-authorize", "网页授权：跳转微信静默授权后回到 H5 页面")
	op.DefaultStatus = http.StatusFound
	huma.Register(api, op, c.authorize)
	op = c.op(api, public, http.MethodPost, "/sessions", "open-session", "用网页授权 code 换取会话令牌")
	op.DefaultStatus = http.StatusCreated
	huma.Register(api, op, c.openSession)
	op = c.op(api, anyFollower, http.MethodDelete, "/sessions/current", "close-session", "退出当前会话")
	op.DefaultStatus = http.StatusNoContent
	huma.Register(api, op, c.closeSession)
	huma.Register(api, c.op(api, anyFollower, http.MethodGet, "/me", "me", "我的：绑定状态"), c.me)
}

// authorize sends the browser to WeChat's silent authorization, which
// comes back to the H5 landing page /h5/oauth with code and state; the
// page posts the code to /wechat/v1/sessions and goes on to next.
func (c *Channel) authorize(_ context.Context, in *WxAuthorizeInput) (*WxRedirectOutput, error) {
	state := in.State
	if state == "" {
		var b [8]byte
		rand.Read(b[:])
		state = hex.EncodeToString(b[:])
	}
	back := c.page("/oauth") + "?next=" + url.QueryEscape(in.Next)
	return &WxRedirectOutput{Location: c.platform.AuthorizeURL(back, state), CacheControl: "no-store"}, nil
}

func (c *Channel) openSession(ctx context.Context, in *WxSessionInput) (*WxSessionOutput, error) {
	openID, err := c.platform.OpenID(ctx, in.Body.Code)
	if err != nil {
		return nil, err
	}
	s, err := c.followers.OpenSession(ctx, openID)
	if err != nil {
		return nil, err
	}
	b, bound, err := c.bindingOf(ctx, openID)
	if err != nil {
		return nil, err
	}
	if bound {
		insured.ReadAhead(c.core, b.Person) // a bound follower's first screens
	}
	return &WxSessionOutput{Body: WxSessionView{Token: s.Token, ExpiresAt: bj(s.ExpiresAt), Me: meView(b, bound)}}, nil
}

func (c *Channel) closeSession(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, c.followers.CloseSession(ctx, callerFrom(ctx).token)
}

func (c *Channel) me(ctx context.Context, _ *struct{}) (*WxMeOutput, error) {
	b, bound, err := c.bindingOf(ctx, callerFrom(ctx).openID)
	if err != nil {
		return nil, err
	}
	return &WxMeOutput{Body: meView(b, bound)}, nil
}

// bindingOf is the openid's binding, and whether there is one.
func (c *Channel) bindingOf(ctx context.Context, openID string) (follower.Binding, bool, error) {
	b, err := c.followers.Binding(ctx, openID)
	if domain.IsCode(err, domain.NotFound) {
		return follower.Binding{}, false, nil
	}
	return b, err == nil, err
}

// meView shows a binding, or that there is none.
func meView(b follower.Binding, bound bool) WxMeView {
	if !bound {
		return WxMeView{}
	}
	return bindingView(b)
}

func bindingView(b follower.Binding) WxMeView {
	label := "短信验证"
	if b.Method == follower.ByECard {
		label = "电子社保卡认证"
	}
	return WxMeView{Bound: true, Name: b.MaskedName, IDNumber: b.Person.Masked(), Method: string(b.Method),
		MethodLabel: label, BoundAt: bj(b.BoundAt)}
}
