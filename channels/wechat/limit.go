package wechat

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/gofiber/fiber/v2"
)

// RateLimit returns the channel's rate limiting, for every path under
// /wechat/v1 but the message callback (bff mounts it before the routes): a
// request with a live session is charged to its follower, any other to
// the client's address, at its route's cost (an SMS code costs more than a
// query); signing in (OAuth, opening a session) is charged to the address
// whatever token it carries. Finding the follower reads the session from Redis; the openid
// rides along in the request's context so the guard does not read it
// again. The callback comes from WeChat's servers, a few addresses
// speaking for every follower, and is checked by its signature instead.
// l may be nil: no limits.
func (c *Channel) RateLimit(l *limit.Limiter) fiber.Handler {
	return func(fc *fiber.Ctx) error {
		path := strings.ToLower(strings.TrimSuffix(fc.Path(), "/"))
		if path == CallbackPath { // routing ignores case and a trailing slash
			return fc.Next()
		}
		token, ok := strings.CutPrefix(fc.Get(fiber.HeaderAuthorization), "Bearer ")
		if ok && token != "" && !strings.HasPrefix(path, Prefix+"/oauth/") && !(path == Prefix+"/sessions" && fc.Method() == fiber.MethodPost) {
			if openID, err := c.followers.SessionOpenID(fc.UserContext(), token); err == nil {
				if err := l.Charge(fc, limit.Person, "wechat:"+openID); err != nil {
					return err
				}
				fc.SetUserContext(context.WithValue(fc.UserContext(), sessionKey{}, session{token: token, openID: openID}))
				return fc.Next()
			}
		}
		if err := l.Charge(fc, limit.Anonymous, ""); err != nil {
			return err
		}
		return fc.Next()
	}
}

// session is a session RateLimit has read: its token and follower.
type session struct{ token, openID string }

type sessionKey struct{}
