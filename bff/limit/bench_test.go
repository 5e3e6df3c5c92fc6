package limit_test

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
)

// BenchmarkLimiterAllow is the limiter's share of the hot path: one
// EVALSHA to the real Redis per request, spread over 1000 kiosks so that no
// budget runs out.
func BenchmarkLimiterAllow(b *testing.B) {
	rdb, prefix := cachetest.Redis(b)
	cfg := testConfig()
	cfg.Device = limit.Limit{Rate: 1 << 30, Burst: 1 << 20, Period: time.Second}
	l, _ := newLimiter(b, cfg, rdb, prefix)
	devices := make([]string, 1000)
	for i := range devices {
		devices[i] = "kiosk-" + strconv.Itoa(i)
	}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16) // many requests in flight, as at peak
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := l.Allow(b.Context(), limit.Device, devices[n.Add(1)%1000], 1)
			if !d.Allowed {
				b.Fatal("refused")
			}
		}
	})
	if l.Degraded() {
		b.Fatal("degraded: the figures are of the in-process fallback")
	}
}

// BenchmarkRedisGet is the baseline: one GET to the same Redis.
func BenchmarkRedisGet(b *testing.B) {
	rdb, prefix := cachetest.Redis(b)
	key := prefix + "baseline"
	if err := rdb.Set(b.Context(), key, "x", time.Minute).Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(16) // many requests in flight, as at peak
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := rdb.Get(b.Context(), key).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
