package cache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/prometheus/client_golang/prometheus"
)

var sharedPolicy = cache.Policy{TTL: time.Minute, L1TTL: 10 * time.Second, RefusalTTL: time.Minute, MaxStale: time.Hour}

func TestSharedReadWithoutGroup(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	s := cache.NewShared(rdb, prefix, prometheus.NewRegistry())
	t.Cleanup(func() { s.Close() })
	catalog := cache.NewLayered[[]string](s, "catalog", sharedPolicy)
	var fetches atomic.Int64
	fetch := func(context.Context) ([]string, error) {
		fetches.Add(1)
		return []string{"养老保险参保登记", "失业保险金申领"}, nil
	}
	for range 3 {
		got, err := catalog.Get(t.Context(), cache.Key{}, fetch)
		if err != nil || len(got) != 2 {
			t.Fatalf("Get = %v, %v", got, err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("fetched %d times; want 1", n)
	}
	if n := rdb.Exists(t.Context(), prefix+"catalog:0").Val(); n != 1 {
		t.Errorf("key %scatalog:0 exists %d; want 1", prefix, n)
	}
}

func TestFetchPanicIsInternal(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	s := cache.NewShared(rdb, prefix, nil)
	t.Cleanup(func() { s.Close() })
	l := cache.NewLayered[int](s, "panicky", sharedPolicy)
	_, err := l.Get(t.Context(), cache.Key{Group: "g"}, func(context.Context) (int, error) { panic("defect") })
	if !domain.IsCode(err, domain.Internal) {
		t.Errorf("Get with a panicking fetch: %v; want Internal", err)
	}
}

func TestCallerGivingUpDoesNotFailOthers(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	s := cache.NewShared(rdb, prefix, nil)
	t.Cleanup(func() { s.Close() })
	l := cache.NewLayered[int](s, "slow", sharedPolicy)
	release := make(chan struct{})
	fetch := func(ctx context.Context) (int, error) {
		select {
		case <-release:
			return 42, ctx.Err()
		case <-time.After(2 * time.Second):
			return 0, domain.Errorf(domain.Timeout, "too slow")
		}
	}
	impatient, cancel := context.WithCancel(t.Context())
	first := make(chan error, 1)
	go func() {
		_, err := l.Get(impatient, cache.Key{Group: "g"}, fetch)
		first <- err
	}()
	second := make(chan int, 1)
	go func() {
		time.Sleep(10 * time.Millisecond) // joins the first caller's fetch
		v, _ := l.Get(t.Context(), cache.Key{Group: "g"}, fetch)
		second <- v
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-first; !domain.IsCode(err, domain.Timeout) {
		t.Errorf("the caller that gave up got %v; want Timeout", err)
	}
	close(release)
	if v := <-second; v != 42 {
		t.Errorf("the caller that waited got %d; want 42", v)
	}
}
