package followerdb

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
)

// Sessions keeps H5 sessions in Redis: one key per session, named by the
// hash of its token and holding the openid, expiring with the session.
// Any BFF instance serves any session; a Redis dump opens none.
type Sessions struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ follower.Sessions = (*Sessions)(nil)

// NewSessions returns the Redis side of follower; every key starts with
// prefix (HRSS_REDIS_PREFIX).
func NewSessions(rdb redis.UniversalClient, prefix string) *Sessions {
	return &Sessions{rdb: rdb, prefix: prefix}
}

func (s *Sessions) key(tokenHash string) string { return s.prefix + "wx:sess:" + tokenHash }

// Open implements follower.Sessions.
func (s *Sessions) Open(ctx context.Context, tokenHash, openID string, ttl time.Duration) error {
	return redisDown(s.rdb.Set(ctx, s.key(tokenHash), openID, ttl).Err())
}

// Lookup implements follower.Sessions.
func (s *Sessions) Lookup(ctx context.Context, tokenHash string) (string, error) {
	openID, err := s.rdb.Get(ctx, s.key(tokenHash)).Result()
	if errors.Is(err, redis.Nil) {
		return "", domain.Errorf(domain.NotFound, "会话不存在或已过期")
	}
	return openID, redisDown(err)
}

// Close implements follower.Sessions.
func (s *Sessions) Close(ctx context.Context, tokenHash string) error {
	return redisDown(s.rdb.Del(ctx, s.key(tokenHash)).Err())
}

// redisDown turns a Redis failure into Unavailable.
func redisDown(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(err, domain.Timeout, "登录服务响应超时，请稍后再试")
	}
	return domain.Wrap(err, domain.Unavailable, "登录服务暂时不可用，请稍后再试")
}
