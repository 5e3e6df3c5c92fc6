package app

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/gofiber/fiber/v2"
)

// RateLimit returns the channel's rate limiting, for every path under
// Prefix (bff mounts it before the routes):
//
//   - signing in (an SMS code, a login, a refresh) is charged to the
//     client's address whatever token the request carries, so holding
//     sessions buys no extra SMS;
//   - a counter or partner terminal verifying an e-card is charged to the
//     terminal, once its key checks out (many sit behind one address);
//   - the payment channel's notification is not charged: it is verified by
//     its signature, and a few addresses carry every citizen's payment;
//   - any other request with a good access token is charged to its account,
//     the token verified here in memory, so the one Redis round trip of a
//     query is the budget's; the claims ride along in the request's
//     context and the handler does not verify the token again;
//   - anything else is charged to the client's address.
//
// Each at its route's cost (a login code costs more than a query). l may be
// nil: no limits.
func (c *Channel) RateLimit(l *limit.Limiter) fiber.Handler {
	return func(fc *fiber.Ctx) error {
		path := strings.TrimSuffix(fc.Path(), "/")
		switch {
		case strings.EqualFold(path, NotifyPath):
			return fc.Next()
		case strings.HasPrefix(strings.ToLower(path), signInPrefix):
			return next(fc, l.Charge(fc, limit.Anonymous, ""))
		case strings.EqualFold(path, verifyPath):
			if id, err := c.terminal(fc.Get(headerTerminalKey)); err == nil {
				return next(fc, l.Charge(fc, limit.Device, "terminal:"+id))
			}
			return next(fc, l.Charge(fc, limit.Anonymous, ""))
		}
		token, ok := strings.CutPrefix(fc.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok || token == "" {
			return next(fc, l.Charge(fc, limit.Anonymous, ""))
		}
		cl, err := c.cfg.Keys.verify(token, c.cfg.Now())
		if err != nil { // the handler answers 401; the address pays for it
			return next(fc, l.Charge(fc, limit.Anonymous, ""))
		}
		if err := l.Charge(fc, limit.Person, cl.AccountID); err != nil {
			return err
		}
		fc.SetUserContext(context.WithValue(fc.UserContext(), verifiedKey{}, verified{token: token, claims: cl}))
		return fc.Next()
	}
}

// The routes RateLimit treats apart, lower case.
const (
	signInPrefix      = Prefix + "/auth/"
	verifyPath        = Prefix + "/ecard/verify"
	headerTerminalKey = "X-Terminal-Key"
)

// next goes on unless the charge was refused.
func next(fc *fiber.Ctx, refused error) error {
	if refused != nil {
		return refused
	}
	return fc.Next()
}

// verified is an access token RateLimit has verified, and its claims.
type verified struct {
	token  string
	claims identity.Claims
}

type verifiedKey struct{}
