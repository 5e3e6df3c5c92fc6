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

// routeCosts are what requests cost against their subject's budget: what
// sends an SMS or checks a password costs more than a query, and filing
// more than reading.
var routeCosts = map[string]int{
	"POST /app/v1/login/*":          10,
	"POST /app/v1/sms/*":            10,
	"POST /ent/v1/login/*":          10,
	"POST /ent/v1/sms/*":            10,
	"POST /wechat/v1/bind/*":        10,
	"POST /kiosk/v1/sessions/*":     3,
	"POST /*":                       2,
	"GET /api/v1/verify/*":          2,
	"GET /verify/*":                 2,
	"GET /kiosk/v1/print/*":         3,
	"POST /kiosk/v1/print/*":        3,
	"GET /api/v1/announcements/*":   1,
	"GET /kiosk/v1/announcements/*": 1,
}

var _ insured.Core = (*cache.CachedCore)(nil)
