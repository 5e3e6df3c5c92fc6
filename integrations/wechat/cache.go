package wechat

import (
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/cache"
)

// TokenCache holds the access_token (接口调用凭据) and the JS-SDK ticket
// between calls, so that they are fetched once per lifetime, not per call.
// It is the SDK's cache interface; nil in New means an in-process cache.
//
// In-process is the right default: the client uses WeChat's stable token
// (/cgi-bin/stable_token), which hands every caller the same token while it
// is valid and does not invalidate it when another replica asks, so each BFF
// replica can fetch its own about every two hours without a shared cache or
// a distributed lock. A shared cache would only save those few fetches.
type TokenCache = cache.Cache

// minTTL is the least time a value stays cached. The SDK caches a stable
// token for its remaining life minus five minutes; in a token's last five
// minutes that is zero or less, and the SDK would fetch on every call. With
// the floor it fetches at most once per minTTL; should the token expire in
// between, the client drops it and fetches afresh (see Client.call).
const minTTL = 30 * time.Second

// flooredCache is a TokenCache that keeps every value at least minTTL.
type flooredCache struct{ cache.Cache }

func (c flooredCache) Set(key string, val any, ttl time.Duration) error {
	return c.Cache.Set(key, val, max(ttl, minTTL))
}

// memoryCache is a TokenCache in process memory. The SDK's own cache.Memory
// reads its map without the lock, which is a data race under concurrent
// requests; this one does not.
type memoryCache struct {
	mu      sync.Mutex
	entries map[string]memoryEntry
}

type memoryEntry struct {
	val     any
	expires time.Time
}

func newMemoryCache() *memoryCache { return &memoryCache{entries: map[string]memoryEntry{}} }

func (m *memoryCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return nil
	}
	if time.Now().After(e.expires) {
		delete(m.entries, key)
		return nil
	}
	return e.val
}

func (m *memoryCache) Set(key string, val any, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = memoryEntry{val: val, expires: time.Now().Add(ttl)}
	return nil
}

func (m *memoryCache) IsExist(key string) bool { return m.Get(key) != nil }

func (m *memoryCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}
