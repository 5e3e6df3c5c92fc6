// Package cache connects to Redis — a real node, sentinel group or cluster in
// production, an in-process miniredis in the embedded default — and holds the
// read-through caches that sit in front of slow systems. Redis holds only
// what can be lost: losing it costs speed, never data.
package cache

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// RedisOptions selects and sizes the Redis deployment.
type RedisOptions struct {
	Addrs    []string // one → single node; several → cluster; with Master → sentinels
	Master   string
	Username string
	Password string
	DB       int
	PoolSize int
}

// OpenRedis connects through go-redis's UniversalClient, which picks single
// node, sentinel or cluster from the options, and checks the connection.
func OpenRedis(ctx context.Context, o RedisOptions) (redis.UniversalClient, error) {
	client := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:        o.Addrs,
		MasterName:   o.Master,
		Username:     o.Username,
		Password:     o.Password,
		DB:           o.DB,
		PoolSize:     o.PoolSize,
		MinIdleConns: o.PoolSize / 8,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  time.Second,
		WriteTimeout: time.Second,
		PoolTimeout:  2 * time.Second,
	})
	pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connect to Redis %v: %w", o.Addrs, err)
	}
	return client, nil
}

// Embedded is an in-process Redis on a loopback port, for the embedded
// default: the server reaches it over TCP with the same client code as in
// production.
type Embedded struct {
	*miniredis.Miniredis
}

// StartEmbedded starts an in-process Redis on a free loopback port.
func StartEmbedded() (*Embedded, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start in-process Redis: %w", err)
	}
	return &Embedded{Miniredis: m}, nil
}

// LogTo sends go-redis's own messages (failed dials, pool trouble) to
// logger at warning level instead of the standard library's logger. The
// setting is process-wide in go-redis; the last call wins.
func LogTo(logger *slog.Logger) { redis.SetLogger(redisLogger{logger}) }

type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
