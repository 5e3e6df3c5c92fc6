package cache

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/maypok86/otter/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Policy says how long one kind of answer is kept, and where.
type Policy struct {
	// TTL is how long an answer is fresh, give or take 10% so that answers
	// fetched together do not expire together (one of the city's 2.45
	// million people is rarely asked about twice in a minute, but a
	// restart or a breaker closing refills many keys at once).
	TTL time.Duration
	// L1TTL is how long an instance keeps an answer in its own memory, give
	// or take 10%, never past TTL. Short, because another instance's write
	// reaches L1 only by pub/sub.
	L1TTL time.Duration
	// L1Size bounds the answers kept in memory (count of entries).
	L1Size int
	// RefusalTTL is how long a refusal — NotFound ("no such person") or
	// Rejected ("not in flexible employment") — is remembered, so that a
	// mistyped ID number retried at a kiosk does not reach the core each
	// time; zero: not remembered. Keep it short: a refusal is never served
	// stale.
	RefusalTTL time.Duration
	// MaxStale is the oldest (since its fetch) an answer may be and still be
	// served when the system of record fails or its breaker is open
	// (stale-if-error); zero: never served stale. Redis keeps each answer
	// for the longer of TTL and MaxStale.
	MaxStale time.Duration
}

// Key names one answer: Group is the subject it is about (a blinded person
// or unit, or a shared name like "catalog") and is what Invalidate drops; N
// tells apart the pages of one kind of answer about one subject (a year, a
// page number), zero when there is one. Group becomes a Redis hash tag, so a
// subject's answers and its mark share a slot in a cluster.
type Key struct {
	Group string
	N     int
}

// Layered is a read-through cache of one kind of answer: an in-process L1
// (otter, W-TinyLFU, bounded) over Redis L2, with concurrent misses for one
// key made into one fetch (singleflight), short-lived not-found entries,
// stale-if-error, fetch times reported through WithFreshness, and
// invalidation by group across instances. Values read from it are shared
// between callers and must not be modified.
type Layered[V any] struct {
	s      *Shared
	name   string
	policy Policy
	l1     *otter.Cache[Key, *entry[V]]
	flight singleflight.Group
	codec  codec[V]
	count  counters
}

// NewLayered returns the cache of one kind of answer. name appears in Redis
// keys and as the metrics' cache label ("core:overview"); each Layered of a
// process needs its own.
func NewLayered[V any](s *Shared, name string, p Policy) *Layered[V] {
	if p.L1TTL <= 0 || p.L1TTL > p.TTL {
		p.L1TTL = min(p.TTL, 30*time.Second)
	}
	if p.L1Size <= 0 {
		p.L1Size = 10_000
	}
	l := &Layered[V]{s: s, name: name, policy: p, codec: newCodec[V](), count: s.metrics.counters(name)}
	l.l1 = otter.Must(&otter.Options[Key, *entry[V]]{
		MaximumSize: p.L1Size,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[Key, *entry[V]]) time.Duration {
			return e.Value.l1For
		}),
		Clock: s.clock,
	})
	s.onClose(func() { l.l1.StopAllGoroutines() })
	atLeast(&s.maxL1, jitterMax(p.L1TTL))
	atLeast(&s.maxL2, jitterMax(max(p.TTL, p.MaxStale)))
	return l
}

// Get returns the answer for k: from memory, else from Redis, else from
// fetch, which asks the system of record. fetch runs once for all callers
// that miss on k at the same time, without their cancellation (a caller
// that gives up gets a Timeout, the others still get the answer). When
// fetch fails with Unavailable, Timeout or Internal and an answer younger
// than MaxStale is at hand, that answer is returned, marked stale in the
// context's freshness. A NotFound or Rejected answer is returned as such,
// and remembered for RefusalTTL. Redis failing makes the cache slower, never
// the answer wrong.
func (l *Layered[V]) Get(ctx context.Context, k Key, fetch func(context.Context) (V, error)) (V, error) {
	if v, ok, err := l.Peek(ctx, k); ok {
		return v, err
	}
	return l.Load(ctx, k, fetch)
}

// Peek returns the answer for k if this instance holds it in memory (ok),
// making no call to Redis. Callers on a hot path use Peek and then Load, so
// that the closure for fetch is only built on a miss.
func (l *Layered[V]) Peek(ctx context.Context, k Key) (v V, ok bool, err error) {
	e, found := l.l1.GetIfPresent(k)
	if !found || l.s.invalidated(k.Group, e.fetched) {
		return v, false, nil
	}
	l.count.l1Hit.Inc()
	if e.stale {
		l.count.stale.Inc()
	}
	v, err = e.answer(ctx)
	return v, true, err
}

// Load is Get without the look into memory: Redis, then fetch.
func (l *Layered[V]) Load(ctx context.Context, k Key, fetch func(context.Context) (V, error)) (V, error) {
	rkey := l.redisKey(k)
	loadCtx := context.WithoutCancel(ctx)
	ch := l.flight.DoChan(rkey, func() (_ any, err error) {
		// singleflight re-raises a panic on a goroutine of its own, where no
		// recover of the web server reaches it: turn it into an error here.
		defer func() {
			if r := recover(); r != nil {
				err = &domain.Error{Code: domain.Internal, Err: fmt.Errorf("cache %s: fetch panicked: %v", l.name, r)}
			}
		}()
		return l.load(loadCtx, k, rkey, fetch)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero V
			return zero, r.Err
		}
		return r.Val.(*entry[V]).answer(ctx)
	case <-ctx.Done():
		var zero V
		return zero, domain.Wrap(ctx.Err(), domain.Timeout, "查询超时，请稍后再试")
	}
}

// load answers one miss: Redis, else the system of record, else a stale
// answer.
func (l *Layered[V]) load(ctx context.Context, k Key, rkey string, fetch func(context.Context) (V, error)) (*entry[V], error) {
	start := l.s.now().UnixNano()
	old, outdated := l.fromRedis(ctx, k, rkey, start)
	if old != nil && !outdated && start < old.freshUntil {
		l.count.l2Hit.Inc()
		l.keep(k, old, start)
		return old, nil
	}
	l.count.miss.Inc()
	v, err := fetch(ctx)
	switch {
	case err == nil:
		e := &entry[V]{val: v, fetched: start, freshUntil: start + int64(jitter(l.policy.TTL))}
		l.store(ctx, k, rkey, e)
		return e, nil
	case refused(err) && l.policy.RefusalTTL > 0:
		e := &entry[V]{refusal: refusal(err), fetched: start, freshUntil: start + int64(jitter(l.policy.RefusalTTL))}
		l.store(ctx, k, rkey, e)
		return e, nil
	case upstreamFailed(err) && old != nil && old.refusal == nil && l.s.now().UnixNano()-old.fetched <= int64(l.policy.MaxStale):
		l.count.stale.Inc()
		e := *old
		e.stale = true
		l.keep(k, &e, l.s.now().UnixNano())
		return &e, nil
	case upstreamFailed(err):
		l.count.upErr.Inc()
	}
	return nil, err
}

// fromRedis returns the entry Redis holds for k, fresh or not, and whether
// a mark invalidated it (then it is no answer, but still the last one the
// system of record gave, to serve stale, dated, while it is down); nil when
// there is none or Redis failed.
func (l *Layered[V]) fromRedis(ctx context.Context, k Key, rkey string, now int64) (*entry[V], bool) {
	if !l.s.redisUsable(now) {
		return nil, false
	}
	var raw, mark any
	if k.Group == "" {
		s, err := l.s.rdb.Get(ctx, rkey).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			l.redisFailed(now)
			return nil, false
		}
		raw = s
	} else {
		vals, err := l.s.rdb.MGet(ctx, rkey, l.s.markKey(k.Group)).Result()
		if err != nil {
			l.redisFailed(now)
			return nil, false
		}
		raw, mark = vals[0], vals[1]
	}
	s, _ := raw.(string)
	if s == "" {
		return nil, false
	}
	e, err := l.codec.decode([]byte(s))
	if err != nil {
		l.count.decodeErr.Inc()
		return nil, false
	}
	if m, _ := mark.(string); m != "" {
		if t, err := strconv.ParseInt(m, 10, 64); err == nil {
			l.s.mark(k.Group, t) // an instance that missed the message learns of it here
		}
	}
	return e, l.s.invalidated(k.Group, e.fetched)
}

// store writes a fresh answer to Redis and to memory.
func (l *Layered[V]) store(ctx context.Context, k Key, rkey string, e *entry[V]) {
	now := l.s.now().UnixNano()
	l.keep(k, e, now)
	if !l.s.redisUsable(now) {
		return
	}
	b, err := l.codec.encode(e)
	if err != nil {
		l.count.decodeErr.Inc()
		return
	}
	until := e.freshUntil
	if e.refusal == nil {
		until = max(until, e.fetched+int64(l.policy.MaxStale))
	}
	if err := l.s.rdb.Set(ctx, rkey, b, time.Duration(until-now)).Err(); err != nil {
		l.redisFailed(now)
	}
}

// keep puts e in memory for L1TTL ±10%, never past its freshness; a stale
// answer stays for L1TTL too, so that while the system of record is down it
// is asked at most that often per key and instance.
func (l *Layered[V]) keep(k Key, e *entry[V], now int64) {
	d := jitter(l.policy.L1TTL)
	if !e.stale {
		d = min(d, time.Duration(e.freshUntil-now))
	}
	if d <= 0 {
		return
	}
	e.l1For = d
	l.l1.Set(k, e)
}

func (l *Layered[V]) redisFailed(now int64) {
	l.count.redisErr.Inc()
	l.s.redisFailed(now)
}

// redisKey is prefix + name + ":{" + group + "}" [+ ":" + N].
func (l *Layered[V]) redisKey(k Key) string {
	b := make([]byte, 0, len(l.s.prefix)+len(l.name)+len(k.Group)+16)
	b = append(b, l.s.prefix...)
	b = append(b, l.name...)
	if k.Group != "" {
		b = append(b, ":{"...)
		b = append(b, k.Group...)
		b = append(b, '}')
	}
	if k.N != 0 || k.Group == "" {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(k.N), 10)
	}
	return string(b)
}

// upstreamFailed reports whether err says the system of record could not
// answer, as opposed to answering no.
func upstreamFailed(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.Unavailable, domain.Timeout, domain.Internal:
		return true
	}
	return false
}

// refused reports whether err is the system of record answering no.
func refused(err error) bool {
	code := domain.ErrorCode(err)
	return code == domain.NotFound || code == domain.Rejected
}

// refusal keeps what of a refusal may be shown again: code and message,
// not the cause.
func refusal(err error) *domain.Error {
	var de *domain.Error
	errors.As(err, &de)
	return &domain.Error{Code: de.Code, Message: de.Message}
}

// jitter returns d give or take up to 10%.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// jitterMax is the longest jitter(d) can be.
func jitterMax(d time.Duration) time.Duration { return d + d/10 + 1 }
