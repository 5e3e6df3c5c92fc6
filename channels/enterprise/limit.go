package enterprise

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/gofiber/fiber/v2"
)

// RateLimit returns the channel's rate limiting, for every path under
// Prefix (bff mounts it before the routes): a request with a live session
// is charged to its operator, any other to the client's address, at its
// route's cost (a sign-in or a batch costs more than a page). Signing in
// is charged to the address whatever token the request carries, so holding
// sessions buys no extra SMS codes or password guesses. Finding the
// operator reads the session from Redis; the session rides along in the
// request's context so the handler does not read it again. Clerks make few
// requests, so this channel spends two round trips where the kiosk and the
// app spend one. l may be nil: no limits.
func (ch *Channel) RateLimit(l *limit.Limiter) fiber.Handler {
	return func(fc *fiber.Ctx) error {
		token, ok := strings.CutPrefix(strings.TrimSpace(fc.Get(fiber.HeaderAuthorization)), "Bearer ")
		if ok && token != "" && !signingIn(fc) {
			if s, err := ch.cfg.Accounts.Authenticate(fc.UserContext(), token); err == nil {
				if err := l.Charge(fc, limit.Operator, s.OperatorID); err != nil {
					return err
				}
				fc.SetUserContext(context.WithValue(fc.UserContext(), authenticatedKey{}, authenticated{token: token, session: s}))
				return fc.Next()
			}
		}
		if err := l.Charge(fc, limit.Anonymous, ""); err != nil {
			return err
		}
		return fc.Next()
	}
}

// signingIn reports whether the request signs in: POST /sessions or
// /sessions/sms.
func signingIn(fc *fiber.Ctx) bool {
	path := strings.ToLower(strings.TrimSuffix(fc.Path(), "/"))
	return fc.Method() == fiber.MethodPost && (path == Prefix+"/sessions" || path == Prefix+"/sessions/sms")
}

// authenticated is a session RateLimit has read, and its token.
type authenticated struct {
	token   string
	session account.Session
}

type authenticatedKey struct{}
