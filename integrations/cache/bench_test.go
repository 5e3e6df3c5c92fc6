package cache_test

import (
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
)

// BenchmarkCachedOverviewL1Hit is the hot path of the peak: a person's
// overview already in this instance's memory, read with a freshness
// recorder as a channel reads it. It makes no call to Redis.
func BenchmarkCachedOverviewL1Hit(b *testing.B) {
	rdb, prefix := cachetest.Redis(b)
	in := newInstance(b, rdb, prefix, nil, &fakeCore{overview: fixedOverview}, nil)
	ctx := cache.WithFreshness(b.Context())
	if _, err := in.core.Overview(ctx, someID); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := in.core.Overview(ctx, someID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCachedOverviewL2Hit is a read this instance does not hold but
// Redis does: one MGET and a decode.
func BenchmarkCachedOverviewL2Hit(b *testing.B) {
	rdb, prefix := cachetest.Redis(b)
	core := &fakeCore{overview: fixedOverview}
	warm := newInstance(b, rdb, prefix, nil, core, nil)
	if _, err := warm.core.Overview(b.Context(), someID); err != nil {
		b.Fatal(err)
	}
	in := newInstance(b, rdb, prefix, nil, core, func(p *cache.CorePolicies) { p.Overview.L1TTL = time.Nanosecond })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := in.core.Overview(b.Context(), someID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlind(b *testing.B) {
	bl, err := cache.NewBlinder(hashKey)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = bl.Blind("p", someID.Raw())
	}
}
