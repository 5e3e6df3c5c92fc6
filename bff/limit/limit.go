// Package limit is the BFF's rate limiting (限流): a Fiber middleware that
// lets each caller spend a budget of cost units — per kiosk device, per
// signed-in person, per unit operator, per client address for anonymous
// routes — with a login or an SMS send costing more than a query. Budgets
// are GCRA (generic cell rate algorithm) in Redis through go-redis/redis_rate,
// so they hold across every instance behind the load balancer at the price
// of one Redis round trip per request.
//
// Every answer carries RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset (the IETF httpapi draft); a refusal is 429 problem+json
// with Retry-After. When Redis fails, the Limiter does not fail open (no
// limits for anyone) or closed (no service for anyone): it switches to the
// same budgets kept in this instance's memory, counts that in
// hrss_ratelimit_fallback_total, reports Degraded for /readyz, and probes
// Redis until it answers again.
package limit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Kind is who a budget belongs to.
type Kind uint8

// The kinds of subject. The channel's authentication middleware names the
// subject with SetSubject; a request it does not name is Anonymous.
const (
	Anonymous Kind = iota // a client address (IPv6 by its /64), for routes before sign-in
	Device                // a self-service kiosk (自助查询一体机): citizens one after another
	Person                // a signed-in citizen (app, WeChat, a kiosk card session)
	Operator              // a unit's clerk (单位经办人) on the enterprise channel
	numKinds
)

// String is the kind's name in keys and metrics.
func (k Kind) String() string {
	switch k {
	case Device:
		return "device"
	case Person:
		return "person"
	case Operator:
		return "operator"
	}
	return "ip"
}

// Limit is one budget: Rate cost units per Period, of which up to Burst may
// be spent at once.
type Limit struct {
	Rate   int
	Burst  int
	Period time.Duration
}

// Config holds the budgets and costs; the bff turns it into flags.
type Config struct {
	Anonymous, Device, Person, Operator Limit

	// Costs maps a route to what one request of it costs: "POST
	// /app/v1/auth/sms" → 10. A route is an optional method and a path
	// template whose ":name", "{name}" or "*" segments match any one
	// segment, and whose final "*" matches the rest. The most specific
	// template wins; a request no template matches costs DefaultCost.
	Costs       map[string]int
	DefaultCost int

	// HashKey keys the hash that stands for device ids, person ids and
	// addresses in Redis keys (at least 16 bytes; may be the cache's).
	HashKey []byte

	// ProbeEvery is how often Redis is tried while the Limiter is degraded.
	ProbeEvery time.Duration
	// FallbackSubjects bounds the budgets kept in memory while degraded.
	FallbackSubjects int
}

// DefaultConfig returns budgets for the bureau's channels: a kiosk serves
// one citizen after another and may query briskly; a clerk works through
// lists; an address may hide a whole office behind NAT. Costs are the
// bff's to fill in, route by route: 5 for a login, 10 for an SMS send.
func DefaultConfig() Config {
	return Config{
		Anonymous:        Limit{Rate: 60, Burst: 30, Period: time.Minute},
		Device:           Limit{Rate: 240, Burst: 60, Period: time.Minute},
		Person:           Limit{Rate: 120, Burst: 40, Period: time.Minute},
		Operator:         Limit{Rate: 600, Burst: 120, Period: time.Minute},
		DefaultCost:      1,
		ProbeEvery:       time.Second,
		FallbackSubjects: 100_000,
	}
}

// Limiter decides whether a request may proceed. It is safe for concurrent
// use; Close stops its probe of Redis.
type Limiter struct {
	rdb    redis.UniversalClient
	redis  *redis_rate.Limiter
	script *redis.Script // redis_rate's own, for Queue
	prefix string
	blind  *cache.Blinder
	limits [numKinds]redis_rate.Limit
	costs  costTable
	local  *localLimiter
	probe  time.Duration
	m      *metrics

	degraded atomic.Bool
	closing  chan struct{}
	closed   sync.Once
}

// New returns a Limiter keeping budgets in rdb under prefix
// (HRSS_REDIS_PREFIX; redis_rate adds its own "rate:" in front), with
// metrics on reg (nil: none).
func New(cfg Config, rdb redis.UniversalClient, prefix string, reg prometheus.Registerer) (*Limiter, error) {
	def := DefaultConfig()
	if cfg.DefaultCost <= 0 {
		cfg.DefaultCost = def.DefaultCost
	}
	if cfg.ProbeEvery <= 0 {
		cfg.ProbeEvery = def.ProbeEvery
	}
	if cfg.FallbackSubjects <= 0 {
		cfg.FallbackSubjects = def.FallbackSubjects
	}
	costs, err := compileCosts(cfg.Costs, cfg.DefaultCost)
	if err != nil {
		return nil, err
	}
	blind, err := cache.NewBlinder(cfg.HashKey)
	if err != nil {
		return nil, err
	}
	script, err := learnScript()
	if err != nil {
		return nil, err
	}
	l := &Limiter{rdb: rdb, redis: redis_rate.NewLimiter(rdb), script: script, prefix: prefix, blind: blind, costs: costs,
		local: newLocalLimiter(cfg.FallbackSubjects), probe: cfg.ProbeEvery, m: newMetrics(reg),
		closing: make(chan struct{})}
	for kind, lim := range map[Kind]Limit{Anonymous: cfg.Anonymous, Device: cfg.Device, Person: cfg.Person, Operator: cfg.Operator} {
		if lim.Rate <= 0 || lim.Burst <= 0 || lim.Period <= 0 {
			return nil, fmt.Errorf("limit: the %s budget needs a positive rate, burst and period, got %+v", kind, lim)
		}
		if most := costs.most(); most > lim.Burst {
			return nil, fmt.Errorf("limit: a route costs %d, more than the %s burst %d: it could never pass", most, kind, lim.Burst)
		}
		l.limits[kind] = redis_rate.Limit{Rate: lim.Rate, Burst: lim.Burst, Period: lim.Period}
	}
	return l, nil
}

// Close stops probing Redis.
func (l *Limiter) Close() {
	l.closed.Do(func() {
		close(l.closing)
		l.local.close()
	})
}

// Degraded reports whether budgets are kept in this instance's memory
// because Redis failed: limits then hold per instance, not across them.
func (l *Limiter) Degraded() bool { return l.degraded.Load() }

// Decision is what the Limiter decided about one request.
type Decision struct {
	Allowed    bool
	Limit      int           // the burst: most units that may be spent at once
	Remaining  int           // units left now
	RetryAfter time.Duration // when refused: how long until the cost fits
	ResetAfter time.Duration // how long until the budget is full again
}

// Allow spends cost units of the budget of (kind, id), in Redis or, while
// Redis fails, in memory. It always decides.
func (l *Limiter) Allow(ctx context.Context, kind Kind, id string, cost int) Decision {
	if kind >= numKinds {
		kind = Anonymous
	}
	lim := l.limits[kind]
	key := l.key(kind, id)
	if !l.degraded.Load() {
		res, err := l.redis.AllowN(ctx, key, lim, cost)
		if err == nil {
			return decisionOf(res)
		}
		if ctx.Err() == nil { // not the request giving up: Redis failing
			l.degrade()
		}
	}
	l.m.fallback.Inc()
	return l.local.allow(key, lim, cost, time.Now())
}

// key is the subject's budget in Redis (redis_rate adds "rate:" in front):
// a keyed hash stands for the id, which may be an ID number.
func (l *Limiter) key(kind Kind, id string) string {
	return l.prefix + "rl:" + l.blind.Blind(kind.String(), id)
}

func decisionOf(r *redis_rate.Result) Decision {
	return Decision{Allowed: r.Allowed > 0, Limit: r.Limit.Burst, Remaining: r.Remaining,
		RetryAfter: max(r.RetryAfter, 0), ResetAfter: max(r.ResetAfter, 0)}
}

// degrade switches to in-memory budgets and starts probing Redis.
func (l *Limiter) degrade() {
	if !l.degraded.CompareAndSwap(false, true) {
		return
	}
	l.m.degraded.Set(1)
	go l.probeUntilBack()
}

// probeUntilBack pings Redis every ProbeEvery until it answers, then
// switches back to budgets in Redis.
func (l *Limiter) probeUntilBack() {
	t := time.NewTicker(l.probe)
	defer t.Stop()
	for {
		select {
		case <-l.closing:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), l.probe)
		err := l.rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			l.degraded.Store(false)
			l.m.degraded.Set(0)
			return
		}
	}
}
