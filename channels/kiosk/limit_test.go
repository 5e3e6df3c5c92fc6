package kiosk_test

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the client's trips to Redis: one per command, one per
// pipeline.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// limitedInfra is an infra whose instances charge each kiosk a budget of 8
// units a minute (bursts of 8), a card read costing 3, counting Redis trips.
func limitedInfra(t *testing.T) (*infra, *roundTrips) {
	rdb, prefix := cachetest.Redis(t)
	trips := &roundTrips{}
	rdb.AddHook(trips)
	in := newInfra(t, rdb)
	in.prefix = prefix
	cfg := limit.DefaultConfig()
	cfg.Device = limit.Limit{Rate: 8, Burst: 8, Period: time.Minute}
	cfg.Costs = map[string]int{"POST /kiosk/v1/sessions/*": 3}
	cfg.HashKey = []byte("kiosk-test-hash-key-0123456789")
	l, err := limit.New(cfg, rdb, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	in.limiter = l
	return in, trips
}

// A kiosk has one budget across every instance; when it runs out, the
// kiosk is told to wait, in Chinese, with Retry-After; another kiosk is not
// affected.
func TestDeviceRateBudget(t *testing.T) {
	t.Parallel()
	in, _ := limitedInfra(t)
	a, b := newEnv(t, in), newEnv(t, in)
	k := a.kiosk(t, "kiosk-yb-001")
	k.openPerson("在职") // 3 of 8
	for i := range 5 {
		k.env = []*env{a, b}[i%2] // the load balancer alternates
		r := k.do(http.MethodGet, "/kiosk/v1/person/overview", nil)
		if r.status != http.StatusOK {
			t.Fatalf("query %d: got %d %s; want 200", i+1, r.status, r.body)
		}
		if got, want := r.header.Get("RateLimit-Remaining"), strconv.Itoa(4-i); got != want || r.header.Get("RateLimit-Limit") != "8" {
			t.Errorf("query %d: RateLimit-Limit %q, -Remaining %q; want 8, %s", i+1, r.header.Get("RateLimit-Limit"), got, want)
		}
	}
	r := k.do(http.MethodGet, "/kiosk/v1/person/overview", nil)
	p := problem(t, r, http.StatusTooManyRequests, domain.RateLimited)
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q; want 1–60 seconds", r.header.Get("Retry-After"))
	}
	if p.Detail == "" {
		t.Error("the refusal says nothing the citizen can act on")
	}
	other := b.kiosk(t, "kiosk-yb-002")
	other.openPerson("退休")
	if r := other.do(http.MethodGet, "/kiosk/v1/person/overview", nil); r.status != http.StatusOK {
		t.Errorf("another kiosk: got %d %s; want 200, its own budget", r.status, r.body)
	}
}

// The hot path makes one trip to Redis: signature, nonce, session and the
// rate budget together (the data comes from the core here, uncached).
func TestGuardIsOneRedisRoundTrip(t *testing.T) {
	t.Parallel()
	in, trips := limitedInfra(t)
	e := newEnv(t, in)
	k := e.kiosk(t, "kiosk-yb-002")
	k.openPerson("在职")
	before := trips.n.Load()
	if r := k.do(http.MethodGet, "/kiosk/v1/person/overview", nil); r.status != http.StatusOK {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	if got := trips.n.Load() - before; got != 1 {
		t.Errorf("an overview made %d Redis round trips; want 1", got)
	}
}
