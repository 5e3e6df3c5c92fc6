// Package cachetest gives each test its own slice of the real Redis: a
// client and a key prefix no other test uses, with the keys deleted when the
// test ends. Code under test takes the prefix the way production takes
// HRSS_REDIS_PREFIX, so tests run in parallel on one server.
//
// Redis comes from HRSS_TEST_REDIS_ADDR (default 127.0.0.1:6379). When it
// cannot be reached the test fails with a message saying how to start it;
// it never skips silently. Tests that must control time or stop the server
// use Mini instead.
package cachetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// DefaultAddr is the Redis the tests use when HRSS_TEST_REDIS_ADDR is unset.
const DefaultAddr = "127.0.0.1:6379"

const howToStart = "start Redis with `bash .ci/run` (it starts or installs it), or " +
	"`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no`, " +
	"or point HRSS_TEST_REDIS_ADDR at a server"

// Addr is the address of the test Redis.
func Addr() string {
	if a := os.Getenv("HRSS_TEST_REDIS_ADDR"); a != "" {
		return a
	}
	return DefaultAddr
}

// Redis returns a client of the real test Redis and a key prefix of this
// test's own. Every key under the prefix is deleted when the test ends.
func Redis(tb testing.TB) (redis.UniversalClient, string) {
	tb.Helper()
	client := redis.NewClient(&redis.Options{Addr: Addr(), PoolSize: 32})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		tb.Fatalf("Redis is not reachable at %s (%v): %s", Addr(), err, howToStart)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	prefix := "test:" + hex.EncodeToString(b) + ":"
	tb.Cleanup(func() {
		defer client.Close()
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
	})
	return client, prefix
}

// Mini starts an in-process Redis on a loopback port for a test that must
// move time forward or stop and restart the server.
func Mini(tb testing.TB) *miniredis.Miniredis {
	tb.Helper()
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		tb.Fatalf("start miniredis: %v", err)
	}
	tb.Cleanup(m.Close)
	return m
}
