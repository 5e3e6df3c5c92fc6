package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
)

// HeaderRequestID carries the request id in and out.
const HeaderRequestID = "X-Request-ID"

type ctxKey int

const requestIDKey ctxKey = 0

// Locals keys.
const (
	localRequestID = "hrss.requestID"
	localObserved  = "hrss.observed"
)

// RequestID takes the caller's X-Request-ID when it is safe to log (at most
// 64 letters, digits, '-', '_' or '.'), generates one otherwise, echoes it on
// the answer and puts it on the handler's context, so every log line of the
// request carries it.
func RequestID() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ensureRequestID(c)
		return c.Next()
	}
}

// RequestIDOf returns the id of the request c serves.
func RequestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// RequestIDFromContext returns the request id a context carries, or "".
func RequestIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// ContextWithRequestID returns ctx carrying id, for work started on behalf
// of a request outside its handler.
func ContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

func ensureRequestID(c *fiber.Ctx) string {
	if id := RequestIDOf(c); id != "" {
		return id
	}
	id := c.Get(HeaderRequestID)
	if !safeID(id) {
		id = newRequestID()
	}
	c.Locals(localRequestID, id)
	c.Set(HeaderRequestID, id)
	c.SetUserContext(ContextWithRequestID(c.UserContext(), id))
	return id
}

func safeID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

// Ids are a random per-process prefix and a counter: unique across
// instances, cheap to make, and they sort by arrival within an instance.
var (
	idPrefix  = randomPrefix()
	idCounter atomic.Uint64
)

func randomPrefix() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:]) + "-"
}

func newRequestID() string {
	return idPrefix + strconv.FormatUint(idCounter.Add(1), 36)
}
