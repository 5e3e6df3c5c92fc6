package cache_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/redis/go-redis/v9"
)

func TestConcurrentMissesMakeOneCall(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	release := make(chan struct{})
	core := &fakeCore{overview: func(ctx context.Context, id domain.IDNumber) (insured.InsuranceOverview, error) {
		<-release
		return overviewOf(id), nil
	}}
	in := newInstance(t, rdb, prefix, nil, core, nil)

	const callers = 100
	var started, done sync.WaitGroup
	started.Add(callers)
	errs := make(chan error, callers)
	for range callers {
		done.Go(func() {
			started.Done()
			got, err := in.core.Overview(t.Context(), someID)
			if err == nil && !reflect.DeepEqual(got, overviewOf(someID)) {
				err = errors.New("a caller got another answer")
			}
			errs <- err
		})
	}
	started.Wait()
	eventually(t, "the first call reaching the core", func() bool { return core.calls.Load() == 1 })
	time.Sleep(20 * time.Millisecond) // the other callers queue behind it
	close(release)
	done.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := core.calls.Load(); got != 1 {
		t.Errorf("core called %d times for %d concurrent misses; want 1", got, callers)
	}
}

func TestStaleAnswerWhenCoreIsDown(t *testing.T) {
	f := newCoreFixture(t)
	rdb, prefix := cachetest.Redis(t)
	c := newClock()
	in := newInstance(t, rdb, prefix, c, f.client, nil)
	id := f.id(t, "在职")

	fetchedAt := c.Now()
	want, err := in.core.Overview(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	f.sim.Injector().SetFaults(downFaults)
	c.Advance(15 * time.Minute) // past the overview's 10 min ±10%, and out of memory

	ctx := cache.WithFreshness(t.Context())
	got, err := in.core.Overview(ctx, id)
	if err != nil {
		t.Fatalf("Overview with the core down: %v; want the last answer", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stale answer = %+v; want %+v", got, want)
	}
	at, stale := cache.FreshnessOf(ctx)
	if !stale || !at.Equal(fetchedAt) {
		t.Errorf("FreshnessOf = %v, stale %v; want %v, stale true", at, stale, fetchedAt)
	}

	c.Advance(24 * time.Hour) // now older than MaxStale
	in2 := newInstance(t, rdb, prefix, c, f.client, nil)
	if _, err := in2.core.Overview(t.Context(), id); !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("Overview older than MaxStale with the core down: %v; want Unavailable", err)
	}
}

// A citizen who just filed (their data invalidated) and then finds the
// core down sees their last answer, dated, rather than an error.
func TestStaleAnswerAfterInvalidationWhenCoreIsDown(t *testing.T) {
	f := newCoreFixture(t)
	rdb, prefix := cachetest.Redis(t)
	c := newClock()
	in := newInstance(t, rdb, prefix, c, f.client, nil)
	id := f.id(t, "在职")
	want, err := in.core.Overview(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := in.core.Invalidate(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	f.sim.Injector().SetFaults(downFaults)
	ctx := cache.WithFreshness(t.Context())
	got, err := in.core.Overview(ctx, id)
	if err != nil {
		t.Fatalf("Overview after an invalidation with the core down: %v; want the last answer", err)
	}
	if _, stale := cache.FreshnessOf(ctx); !stale || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, stale %v; want the last answer, marked stale", got, stale)
	}
}

// Told twice of one completed case (posted, then polled), the cache drops
// a person's answers once: what was fetched after the change stays, on this
// instance and on a new one reading the mark from Redis.
func TestRepeatedInvalidationKeepsNewerAnswers(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	c := newClock()
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, prefix, c, core, nil)
	ctx := t.Context()
	changed := c.Now()
	c.Advance(time.Second)
	if err := in.core.InvalidateAsOf(ctx, someID, changed); err != nil {
		t.Fatal(err)
	}
	if _, err := in.core.Overview(ctx, someID); err != nil { // fetched after the change
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := in.core.InvalidateAsOf(ctx, someID, changed); err != nil { // the same news again
		t.Fatal(err)
	}
	in.core.Overview(ctx, someID)
	if got := core.calls.Load(); got != 1 {
		t.Errorf("the repeat made the core be asked again: %d calls; want 1", got)
	}
	// An older mark does not replace a newer one in Redis.
	if err := in.core.Invalidate(ctx, someID); err != nil {
		t.Fatal(err)
	}
	if err := in.core.InvalidateAsOf(ctx, someID, changed); err != nil {
		t.Fatal(err)
	}
	fresh := newInstance(t, rdb, prefix, c, core, nil)
	fresh.core.Overview(ctx, someID)
	if got := core.calls.Load(); got != 2 {
		t.Errorf("after a later invalidation a new instance was served the older answer (%d calls; want 2)", got)
	}
}

func TestFreshAnswerSaysWhenFetched(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	c := newClock()
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, prefix, c, core, nil)
	first := c.Now()
	if _, err := in.core.Overview(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Second)
	ctx := cache.WithFreshness(t.Context())
	if _, err := in.core.Overview(ctx, someID); err != nil {
		t.Fatal(err)
	}
	if at, stale := cache.FreshnessOf(ctx); !at.Equal(first) || stale {
		t.Errorf("FreshnessOf = %v, stale %v; want %v, stale false", at, stale, first)
	}
}

func TestUnknownPersonIsRememberedBriefly(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	c := newClock()
	core := &fakeCore{person: func(context.Context, domain.IDNumber) (insured.Person, error) {
		return insured.Person{}, domain.Errorf(domain.NotFound, "社保系统中没有该人员的参保信息")
	}}
	in := newInstance(t, rdb, prefix, c, core, nil)
	other := newInstance(t, rdb, prefix, c, core, nil) // reads Redis, not memory

	for i, read := range []*instance{in, in, other} {
		_, err := read.core.Person(t.Context(), someID)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.NotFound || de.Message != "社保系统中没有该人员的参保信息" {
			t.Fatalf("read %d: %v; want NotFound with the core's message", i, err)
		}
	}
	if got := core.calls.Load(); got != 1 {
		t.Errorf("core called %d times within the not-found TTL; want 1", got)
	}
	c.Advance(2 * time.Minute)
	if _, err := in.core.Person(t.Context(), someID); !domain.IsCode(err, domain.NotFound) {
		t.Fatal(err)
	}
	if got := core.calls.Load(); got != 2 {
		t.Errorf("core called %d times after the not-found TTL; want 2", got)
	}
}

func TestInvalidationReachesOtherInstance(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	core := &fakeCore{overview: fixedOverview}
	a := newInstance(t, rdb, prefix, nil, core, nil)
	b := newInstance(t, rdb, prefix, nil, core, nil)
	for _, in := range []*instance{a, b} {
		if err := in.shared.Listen(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range []*instance{a, b, b} { // a fetches, b reads Redis, then memory
		if _, err := in.core.Overview(t.Context(), someID); err != nil {
			t.Fatal(err)
		}
	}
	if got := core.calls.Load(); got != 1 {
		t.Fatalf("core called %d times before the write; want 1", got)
	}
	if err := a.core.Invalidate(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "instance b dropping its copy", func() bool {
		if _, err := b.core.Overview(t.Context(), someID); err != nil {
			t.Fatal(err)
		}
		return core.calls.Load() == 2
	})
	if _, err := a.core.Overview(t.Context(), someID); err != nil { // b's new answer, from Redis
		t.Fatal(err)
	}
	if got := core.calls.Load(); got != 2 {
		t.Errorf("core called %d times after the write; want 2 (a reads what b fetched)", got)
	}
}

func TestChangeBaseTierInvalidatesThePerson(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	tier := 60
	core := &fakeCore{}
	core.baseTiers = func(context.Context, domain.IDNumber) (insured.BaseTierOptions, error) {
		return insured.BaseTierOptions{Year: 2025, Current: tier}, nil
	}
	core.changeBaseTier = func(_ context.Context, _ domain.IDNumber, percent int) (insured.BaseTierOptions, error) {
		tier = percent
		return insured.BaseTierOptions{Year: 2025, Current: tier}, nil
	}
	in := newInstance(t, rdb, prefix, nil, core, nil)
	if _, err := in.core.BaseTiers(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	if _, err := in.core.ChangeBaseTier(t.Context(), someID, 100); err != nil {
		t.Fatal(err)
	}
	got, err := in.core.BaseTiers(t.Context(), someID)
	if err != nil || got.Current != 100 {
		t.Errorf("BaseTiers after the change = %d, %v; want 100", got.Current, err)
	}
}

func TestMemoryHitSendsNothingToRedis(t *testing.T) {
	_, prefix := cachetest.Redis(t)
	rdb := redis.NewClient(&redis.Options{Addr: cachetest.Addr()})
	t.Cleanup(func() { rdb.Close() })
	var sent commandCounter
	rdb.AddHook(&sent)
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, prefix, nil, core, nil)
	if _, err := in.core.Overview(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	if sent.n.Load() == 0 {
		t.Fatal("a miss sent no command to Redis; the hook counts nothing")
	}
	sent.n.Store(0)
	for range 10 {
		if _, err := in.core.Overview(t.Context(), someID); err != nil {
			t.Fatal(err)
		}
	}
	if got := sent.n.Load(); got != 0 {
		t.Errorf("10 memory hits sent %d commands to Redis; want 0", got)
	}
	if got := in.lookups(t, "core:overview", "l1_hit"); got != 10 {
		t.Errorf("l1_hit = %v; want 10", got)
	}
}

func TestTimeToLiveJitter(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, prefix, nil, core, func(p *cache.CorePolicies) {
		p.Overview.TTL, p.Overview.MaxStale = time.Hour, 0
	})
	for i := range 200 {
		id := domain.IDNumber(string(someID[:14]) + string(rune('A'+i/26)) + string(rune('a'+i%26)) + "00")
		if _, err := in.core.Overview(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := rdb.Keys(t.Context(), prefix+"core:overview:*").Result()
	if err != nil || len(keys) != 200 {
		t.Fatalf("%d overview keys in Redis (%v); want 200", len(keys), err)
	}
	lo, hi := time.Duration(1<<62), time.Duration(0)
	for _, k := range keys {
		ttl := rdb.PTTL(t.Context(), k).Val()
		lo, hi = min(lo, ttl), max(hi, ttl)
	}
	if lo < 54*time.Minute-time.Minute || hi > 66*time.Minute {
		t.Errorf("TTLs range %v–%v; want within 1h ±10%%", lo, hi)
	}
	if hi-lo < 6*time.Minute {
		t.Errorf("TTLs range %v–%v; want them spread over most of ±10%%", lo, hi)
	}
}

func TestKeysHoldNoIDNumber(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, prefix, nil, core, nil)
	if _, err := in.core.Overview(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	if err := in.core.Invalidate(t.Context(), someID); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(t.Context(), prefix+"*").Result()
	if err != nil || len(keys) < 2 {
		t.Fatalf("keys %v, %v; want the entry and the mark", keys, err)
	}
	for _, k := range keys {
		for _, part := range []string{someID.Raw(), someID.Raw()[:10], someID.Raw()[8:]} {
			if strings.Contains(k, part) {
				t.Errorf("key %q holds part of the ID number", k)
			}
		}
	}
}

func TestRedisDownCostsSpeedNotAnswers(t *testing.T) {
	m := cachetest.Mini(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	core := &fakeCore{overview: fixedOverview}
	in := newInstance(t, rdb, "hrss:", nil, core, func(p *cache.CorePolicies) { p.Overview.L1TTL = time.Nanosecond })
	m.Close()
	for range 3 {
		got, err := in.core.Overview(t.Context(), someID)
		if err != nil || !reflect.DeepEqual(got, overviewOf(someID)) {
			t.Fatalf("Overview with Redis down = %v; want the core's answer", err)
		}
	}
	if got := counterValue(t, in.reg, "hrss_cache_errors_total", map[string]string{"cache": "core:overview", "source": "redis"}); got < 1 {
		t.Errorf("redis errors counted %v; want at least 1", got)
	}
}
