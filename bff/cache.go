package bff

import (
	"context"
	"crypto/rand"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/cache"
)

// openCache puts the read-through cache (in-process over Redis) in front of
// the business core, listens for other instances' invalidations, and builds
// the rate limiter. Channels read the core only through m.Core.
func (m *Main) openCache(ctx context.Context) error {
	key := []byte(m.Config.CacheHashKey)
	if len(key) == 0 { // embedded: one instance, and its Redis starts empty
		key = make([]byte, 32)
		rand.Read(key)
	}
	shared := cache.NewShared(m.Redis, m.Config.RedisPrefix, m.Registry)
	if err := shared.Listen(ctx); err != nil {
		m.Logger.Warn("cache invalidations from other instances will not reach this one; in-memory copies live 30 s", "err", err)
	}
	m.closers = append(m.closers, shared.Close)
	cached, err := cache.NewCachedCore(shared, m.clients.core, cache.CoreConfig{HashKey: key})
	if err != nil {
		return err
	}
	m.Core, m.cachedCore = cached, cached

	lcfg := m.Config.Limits
	lcfg.HashKey = key
	lcfg.Costs = routeCosts
	lim, err := limit.New(lcfg, m.Redis, m.Config.RedisPrefix, m.Registry)
	if err != nil {
		return err
	}
	m.Limiter = lim
	m.closers = append(m.closers, func() error { lim.Close(); return nil })
	return nil
}

// routeCosts are what requests cost against their subject's budget (a
// query costs 1): what sends an SMS costs most, then what checks a password
// or a code, then prints and filings; the few costly routes are listed,
// every other POST, PUT or PATCH costs 2. The most specific template wins.
// The highest cost must fit in the smallest burst (limit.New checks).
var routeCosts = map[string]int{
	// SMS codes: money and a citizen's phone.
	"POST /app/v1/auth/sms-codes":          10,
	"POST /app/v1/relatives/verifications": 10,
	"POST /wechat/v1/binding/code":         10,
	"POST /wechat/v1/relatives/code":       10,
	// Passwords and codes checked: guessing.
	"POST /app/v1/auth/login":   5,
	"POST /app/v1/me/real-name": 5,
	"POST /ent/v1/sessions":     5,
	"POST /ent/v1/sessions/sms": 5,
	"POST /wechat/v1/binding":   5,
	"POST /wechat/v1/sessions":  3,
	// A card read asks the business core and opens a session.
	"POST /kiosk/v1/sessions/*": 3,
	// A batch validates and files hundreds of rows.
	"POST /ent/v1/units/*/batches/*": 10,
	// Prints render a PDF.
	"GET /kiosk/v1/print/*":                             3,
	"POST /kiosk/v1/print/*":                            3,
	"GET /ent/v1/units/*/staff/*/employment-notice.pdf": 3,
	// Everything else that writes.
	"POST /*":  2,
	"PUT /*":   2,
	"PATCH /*": 2,
	// Verifying a printed document by its serial reads the database.
	"GET /api/v1/verify/*": 2,
	"GET /verify/*":        2,
}

var _ insured.Core = (*cache.CachedCore)(nil)
