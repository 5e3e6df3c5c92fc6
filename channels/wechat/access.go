package wechat

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/danielgtaylor/huma/v2"
)

// access is what a route asks of its caller.
type access int

// The access levels of the channel's routes.
const (
	public      access = iota // anyone: the matter list, institution addresses
	anyFollower               // an H5 session, bound or not: binding, signing out
	bound                     // a bound follower, for themselves or, with X-Act-For, a registered relative
	self                      // a bound follower for themselves only: managing relatives
)

// HeaderActFor names the relative (their id from GET
// /wechat/v1/relatives) a request reads or files for (亲情服务).
const HeaderActFor = "X-Act-For"

// securityScheme names the session token in the OpenAPI document.
const securityScheme = "wechatSession"

// ActFor documents HeaderActFor on the routes that accept it.
type ActFor struct {
	ActFor string `header:"X-Act-For" maxLength:"40" doc:"代办亲属的编号（亲情服务，见 GET /wechat/v1/relatives）；本人办理时不传"`
}

// caller is who a request comes from, as the guard established it.
type caller struct {
	token     string
	openID    string
	principal follower.Principal // zero below bound access
}

type callerKey struct{}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	if c == nil {
		return &caller{} // a route registered without its guard: nobody
	}
	return c
}

// principalFrom returns the bound follower of a request on a bound or
// self route.
func principalFrom(ctx context.Context) follower.Principal { return callerFrom(ctx).principal }

// guard returns what admits a request to a route of access a. It runs
// after routing and before huma reads the input, so a request without a
// session is answered 401 before its parameters are validated.
func (c *Channel) guard(api huma.API, a access) huma.Middlewares {
	if a == public {
		return nil
	}
	return huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		who, err := c.admit(ctx.Context(), ctx.Header, a)
		if err != nil {
			huma.WriteErr(api, ctx, web.Status(domain.ErrorCode(err)), "", err)
			return
		}
		next(huma.WithValue(ctx, callerKey{}, who))
	}}
}

// admit resolves the session token to the openid and, for bound routes,
// the openid and X-Act-For to the principal.
func (c *Channel) admit(ctx context.Context, header func(string) string, a access) (*caller, error) {
	token, ok := strings.CutPrefix(header("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, errNoToken
	}
	openID, err := c.sessionOpenID(ctx, token)
	if err != nil {
		return nil, err
	}
	who := &caller{token: token, openID: openID}
	if a == anyFollower {
		return who, nil
	}
	actFor := header(HeaderActFor)
	if a == self && actFor != "" {
		return nil, errSelfOnly
	}
	if who.principal, err = c.followers.Principal(ctx, openID, actFor); err != nil {
		return nil, err
	}
	return who, nil
}

// sessionOpenID is the follower of a session token: as RateLimit found it,
// when it has just read this very token's session.
func (c *Channel) sessionOpenID(ctx context.Context, token string) (string, error) {
	if s, ok := ctx.Value(sessionKey{}).(session); ok && s.token == token {
		return s.openID, nil
	}
	return c.followers.SessionOpenID(ctx, token)
}

var (
	errNoToken  = domain.Errorf(domain.Unauthenticated, "请从公众号菜单进入后再操作")
	errSelfOnly = domain.Errorf(domain.Forbidden, "此功能仅限本人操作，请切换回本人后重试")
)

// op is the operation of one route of the channel: its id, path under
// /wechat/v1, Chinese summary and guard.
func (c *Channel) op(api huma.API, a access, method, path, id, summary string) huma.Operation {
	op := huma.Operation{OperationID: "wechat-" + id, Method: method, Path: Prefix + path, Summary: summary,
		Tags: []string{"丹东人社公众号"}, Middlewares: c.guard(api, a)}
	if a != public {
		op.Security = []map[string][]string{{securityScheme: {}}}
	}
	return op
}

// addSecurityScheme describes the session token in the OpenAPI document.
func addSecurityScheme(api huma.API) {
	comp := api.OpenAPI().Components
	if comp.SecuritySchemes == nil {
		comp.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	comp.SecuritySchemes[securityScheme] = &huma.SecurityScheme{Type: "http", Scheme: "bearer",
		Description: "公众号网页会话令牌：网页授权后由 POST /wechat/v1/sessions 签发，有效期2小时"}
}
