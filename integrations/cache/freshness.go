package cache

import (
	"context"
	"sync/atomic"
	"time"
)

// freshnessKey finds the recorder a request's context carries.
type freshnessKey struct{}

// freshness is the recorder WithFreshness installs: the fetch time of the
// oldest answer the request used, and whether any of them was stale. A
// handler may read through several caches, even from several goroutines.
type freshness struct {
	oldest atomic.Int64 // unix nanoseconds; 0 while nothing was read
	stale  atomic.Bool
}

// WithFreshness returns ctx carrying an empty freshness recorder. A channel
// calls it before reading through the cache and FreshnessOf after, to show
// "数据更新于 …" when the business core could not be reached and an older
// answer was served.
func WithFreshness(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshnessKey{}, new(freshness))
}

// FreshnessOf reports when the oldest answer read under ctx was fetched from
// the system of record, and whether any answer was served stale (past its
// time to live, because the system failed). fetchedAt is zero when ctx has
// no recorder or nothing was read through a cache.
func FreshnessOf(ctx context.Context) (fetchedAt time.Time, stale bool) {
	f, _ := ctx.Value(freshnessKey{}).(*freshness)
	if f == nil {
		return time.Time{}, false
	}
	if n := f.oldest.Load(); n != 0 {
		fetchedAt = time.Unix(0, n)
	}
	return fetchedAt, f.stale.Load()
}

// recordFreshness notes one answer in ctx's recorder, if it has one.
func recordFreshness(ctx context.Context, fetched int64, stale bool) {
	f, _ := ctx.Value(freshnessKey{}).(*freshness)
	if f == nil {
		return
	}
	for {
		old := f.oldest.Load()
		if old != 0 && old <= fetched || f.oldest.CompareAndSwap(old, fetched) {
			break
		}
	}
	if stale {
		f.stale.Store(true)
	}
}
