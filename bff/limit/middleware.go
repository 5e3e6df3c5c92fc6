package limit

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/gofiber/fiber/v2"
)

// localSubject is the Locals key of the request's subject.
const localSubject = "hrss.limit.subject"

// subject is who a request is charged to.
type subject struct {
	kind Kind
	id   string
}

// SetSubject names who the request is charged to: the channel's
// authentication middleware calls it once it knows the kiosk device, the
// person or the operator (their stable id: a device id, an account or ID
// number, an operator account). The id is hashed before it reaches Redis.
// The limit middleware must run after the authentication that calls this.
func SetSubject(c *fiber.Ctx, kind Kind, id string) {
	c.Locals(localSubject, subject{kind: kind, id: id})
}

// subjectOf returns the request's subject: what SetSubject named, else the
// client address (c.IP, so the bff's ProxyHeader setting decides whether
// X-Forwarded-For is believed). IPv6 clients are charged by their /64, the
// block one subscriber is usually given.
func subjectOf(c *fiber.Ctx) (Kind, string) {
	if s, ok := c.Locals(localSubject).(subject); ok && s.id != "" {
		return s.kind, s.id
	}
	ip := c.IP()
	if strings.IndexByte(ip, ':') >= 0 {
		if a, err := netip.ParseAddr(ip); err == nil && a.Is6() && !a.Is4In6() {
			if p, err := a.Prefix(64); err == nil {
				return Anonymous, p.String()
			}
		}
	}
	return Anonymous, ip
}

// Handler is the middleware: it charges the request to its subject at the
// cost of its route, sets the RateLimit-* headers, and refuses with 429
// when the budget does not cover it.
func (l *Limiter) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := l.Check(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// Check does what Handler does without calling the next handler, for use
// inside another middleware (a huma operation's, through humafiber.Unwrap).
// The error is RateLimited with a Retry-After for web.HandleError.
func (l *Limiter) Check(c *fiber.Ctx) error {
	kind, id := subjectOf(c)
	return l.settle(c, kind, l.Allow(c.UserContext(), kind, id, l.costs.of(c.Method(), c.Path())))
}

// settle answers a decision: the RateLimit-* headers, the metrics, and the
// refusal when it refused.
func (l *Limiter) settle(c *fiber.Ctx, kind Kind, d Decision) error {
	setHeaders(c, d)
	if d.Allowed {
		l.m.allowed[kind].Inc()
		return nil
	}
	l.m.limited[kind].Inc()
	return refusal(d.RetryAfter)
}

// Cost returns what a request of method and path costs.
func (l *Limiter) Cost(method, path string) int { return l.costs.of(method, path) }

// The headers of draft-ietf-httpapi-ratelimit-headers.
var (
	headerLimit     = []byte("RateLimit-Limit")
	headerRemaining = []byte("RateLimit-Remaining")
	headerReset     = []byte("RateLimit-Reset")
)

// setHeaders writes the RateLimit-* headers without allocating.
func setHeaders(c *fiber.Ctx, d Decision) {
	h := &c.Response().Header
	var buf [20]byte
	h.SetBytesKV(headerLimit, strconv.AppendInt(buf[:0], int64(d.Limit), 10))
	h.SetBytesKV(headerRemaining, strconv.AppendInt(buf[:0], int64(max(d.Remaining, 0)), 10))
	h.SetBytesKV(headerReset, strconv.AppendInt(buf[:0], int64(secondsUp(d.ResetAfter)), 10))
}

// secondsUp rounds d up to whole seconds.
func secondsUp(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// limitedError is a refusal: RateLimited for the problem+json answer, and
// the Retry-After web.HandleError sets.
type limitedError struct {
	err   *domain.Error
	after int // seconds
}

func refusal(retryAfter time.Duration) error {
	after := max(secondsUp(retryAfter), 1)
	return &limitedError{
		err:   domain.Errorf(domain.RateLimited, "操作过于频繁，请%d秒后再试", after),
		after: after,
	}
}

func (e *limitedError) Error() string { return e.err.Error() }

// Unwrap gives the domain error to errors.As.
func (e *limitedError) Unwrap() error { return e.err }

// RetryAfter is the Retry-After header value, in seconds.
func (e *limitedError) RetryAfter() string { return strconv.Itoa(e.after) }
