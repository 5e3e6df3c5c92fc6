package app

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/gofiber/fiber/v2"
)

// RateLimit returns the channel's rate limiting, for every path under
// Prefix (bff mounts it before the routes): a request with a good access
// token is charged to its account, verified here in memory, so the one
// Redis round trip of a query is the budget's; any other is charged to the
// client's address, at its route's cost (a login code costs more than a
// query). The verified claims ride along in the request's context, so the
// handler does not verify the token again. l may be nil: no limits.
func (c *Channel) RateLimit(l *limit.Limiter) fiber.Handler {
	return func(fc *fiber.Ctx) error {
		token, ok := strings.CutPrefix(fc.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok || token == "" {
			if err := l.Charge(fc, limit.Anonymous, ""); err != nil {
				return err
			}
			return fc.Next()
		}
		cl, err := c.cfg.Keys.verify(token, c.cfg.Now())
		if err != nil { // the handler answers 401; the address pays for it
			if err := l.Charge(fc, limit.Anonymous, ""); err != nil {
				return err
			}
			return fc.Next()
		}
		if err := l.Charge(fc, limit.Person, cl.AccountID); err != nil {
			return err
		}
		fc.SetUserContext(context.WithValue(fc.UserContext(), verifiedKey{}, verified{token: token, claims: cl}))
		return fc.Next()
	}
}

// verified is an access token RateLimit has verified, and its claims.
type verified struct {
	token  string
	claims identity.Claims
}

type verifiedKey struct{}
