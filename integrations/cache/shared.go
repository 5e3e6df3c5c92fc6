package cache

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Shared is what the layered caches of one process have in common: the Redis
// that holds the second layer (L2), the key prefix, the invalidation marks
// and the pub/sub subscription that spreads them to every instance, and the
// metrics. Make one per process with NewShared, a Layered per kind of answer
// with NewLayered, call Listen once, and Close on shutdown.
type Shared struct {
	rdb     redis.UniversalClient
	prefix  string
	now     func() time.Time
	clock   otter.Clock // nil: otter's own
	metrics *metrics

	marks *otter.Cache[string, int64] // group → invalidated at, unix ns
	maxL1 atomic.Int64                // longest in-memory life of any entry, ns
	maxL2 atomic.Int64                // longest Redis life of any entry, ns

	// redisDownUntil is when to try Redis again after it failed, unix ns:
	// while Redis is down, reads skip it instead of each waiting for a
	// dial or read timeout.
	redisDownUntil atomic.Int64

	mu      sync.Mutex
	sub     *redis.PubSub
	closers []func()
}

// Option adjusts a Shared.
type Option func(*Shared)

// WithClock makes the caches read time from now instead of time.Now, so that
// a test can move past a time to live without sleeping. Redis's own expiry
// still runs on Redis's clock.
func WithClock(now func() time.Time) Option {
	return func(s *Shared) {
		s.now = now
		s.clock = otterClock{now}
	}
}

// redisRetryAfter is how long L2 is skipped after Redis failed.
const redisRetryAfter = time.Second

// NewShared returns the shared part of the caches over rdb. Every key it
// writes starts with prefix (HRSS_REDIS_PREFIX); the metrics go to reg (nil:
// none).
func NewShared(rdb redis.UniversalClient, prefix string, reg prometheus.Registerer, opts ...Option) *Shared {
	s := &Shared{rdb: rdb, prefix: prefix, now: time.Now, metrics: newMetrics(reg)}
	for _, o := range opts {
		o(s)
	}
	s.maxL1.Store(int64(time.Minute))
	s.maxL2.Store(int64(time.Hour))
	s.marks = otter.Must(&otter.Options[string, int64]{
		MaximumSize: 200_000,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(otter.Entry[string, int64]) time.Duration {
			return 2 * time.Duration(s.maxL1.Load())
		}),
		Clock: s.clock,
	})
	s.onClose(func() { s.marks.StopAllGoroutines() })
	return s
}

// Close stops listening for invalidations and stops the caches' background
// maintenance. It does not close the Redis client, which others share.
func (s *Shared) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.sub != nil {
		err = s.sub.Close()
		s.sub = nil
	}
	for _, f := range s.closers {
		f()
	}
	s.closers = nil
	return err
}

func (s *Shared) onClose(f func()) {
	s.mu.Lock()
	s.closers = append(s.closers, f)
	s.mu.Unlock()
}

// atLeast raises v to d.
func atLeast(v *atomic.Int64, d time.Duration) {
	for {
		old := v.Load()
		if int64(d) <= old || v.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// redisUsable reports whether L2 should be tried now.
func (s *Shared) redisUsable(now int64) bool { return now >= s.redisDownUntil.Load() }

// redisFailed notes that Redis failed at now.
func (s *Shared) redisFailed(now int64) {
	s.redisDownUntil.Store(now + int64(redisRetryAfter))
}

// otterClock is an otter.Clock over a test's clock, without periodic
// clean-up: expired entries go when next read.
type otterClock struct{ now func() time.Time }

func (c otterClock) NowNano() int64                      { return c.now().UnixNano() }
func (c otterClock) Tick(time.Duration) <-chan time.Time { return nil }
