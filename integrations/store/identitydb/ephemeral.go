package identitydb

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
)

// Ephemeral keeps verification codes and refresh-token families in Redis.
// Every check-and-change is one Lua script, so two devices racing on one
// code or one refresh token cannot both win. Keys of one code or one
// family share a hash tag ({…}), so the scripts also run on Redis Cluster.
// Keys hold blind indexes and hashes only, never a phone, code or token.
type Ephemeral struct {
	rdb    redis.UniversalClient
	prefix string
}

var (
	_ identity.Codes    = (*Ephemeral)(nil)
	_ identity.Sessions = (*Ephemeral)(nil)
)

// NewEphemeral returns the Redis side of identity; every key starts with
// prefix (HRSS_REDIS_PREFIX).
func NewEphemeral(rdb redis.UniversalClient, prefix string) *Ephemeral {
	return &Ephemeral{rdb: rdb, prefix: prefix}
}

func (e *Ephemeral) codeKeys(key, day string) []string {
	base := e.prefix + "idn:code:{" + key + "}"
	return []string{base, base + ":wait", base + ":day:" + day}
}

// issueScript stores a code unless the resend throttle or the daily cap
// says wait; it returns the wait in milliseconds, 0 when stored.
var issueScript = redis.NewScript(`
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return wait end
local n = tonumber(redis.call('GET', KEYS[3]) or '0')
if n >= tonumber(ARGV[4]) then return tonumber(ARGV[5]) end
redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 't', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], 1, 'PX', ARGV[3])
return 0`)

// Issue implements identity.Codes.
func (e *Ephemeral) Issue(ctx context.Context, c identity.CodeIssue) (time.Duration, error) {
	dayLeft := max(c.DayLeft, time.Millisecond)
	ms, err := issueScript.Run(ctx, e.rdb, e.codeKeys(c.Key, c.Day), c.Hash, c.TTL.Milliseconds(),
		c.Throttle.Milliseconds(), c.DailyMax, dayLeft.Milliseconds()).Int64()
	if err != nil {
		return 0, unavailable(err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// checkScript compares a hash with the stored code: {0} no code, {1} a
// match (consumed), {2, left} a mismatch with the tries left (0: voided).
var checkScript = redis.NewScript(`
local h = redis.call('HGET', KEYS[1], 'h')
if not h then return {0, 0} end
if h == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1, 0}
end
local left = tonumber(ARGV[2]) - redis.call('HINCRBY', KEYS[1], 't', 1)
if left <= 0 then
  redis.call('DEL', KEYS[1])
  left = 0
end
return {2, left}`)

// Check implements identity.Codes.
func (e *Ephemeral) Check(ctx context.Context, key, hash string, maxTries int) (identity.CodeCheck, error) {
	res, err := checkScript.Run(ctx, e.rdb, e.codeKeys(key, "")[:1], hash, maxTries).Int64Slice()
	if err != nil {
		return identity.CodeCheck{}, unavailable(err)
	}
	switch res[0] {
	case 0:
		return identity.CodeCheck{Missing: true}, nil
	case 1:
		return identity.CodeCheck{Match: true}, nil
	}
	return identity.CodeCheck{Left: int(res[1])}, nil
}

// Discard implements identity.Codes.
func (e *Ephemeral) Discard(ctx context.Context, key string) error {
	keys := e.codeKeys(key, "")
	return unavailable(e.rdb.Del(ctx, keys[0], keys[1]).Err())
}

func (e *Ephemeral) familyKey(id string) string { return e.prefix + "idn:fam:{" + id + "}" }

func (e *Ephemeral) tokenKey(familyID, hash string) string {
	return e.prefix + "idn:rt:{" + familyID + "}:" + hash
}

// Start implements identity.Sessions.
func (e *Ephemeral) Start(ctx context.Context, f identity.Family, tokenHash string, ttl time.Duration) error {
	_, err := e.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		fam := e.familyKey(f.ID)
		p.HSet(ctx, fam, "acct", f.AccountID, "at", f.StartedAt.UnixMilli())
		p.PExpire(ctx, fam, ttl)
		tok := e.tokenKey(f.ID, tokenHash)
		p.HSet(ctx, tok, "u", 0)
		p.PExpire(ctx, tok, ttl)
		return nil
	})
	return unavailable(err)
}

// rotateScript redeems a refresh token: {1} unknown, {3} family ended,
// {2} used before (the family is ended now), {0, account, startedAt}
// rotated. The family is checked before the used mark, so a replay after
// logout reads as ended, and a replay while live ends the family.
var rotateScript = redis.NewScript(`
local used = redis.call('HGET', KEYS[2], 'u')
if not used then return {1} end
if redis.call('EXISTS', KEYS[1]) == 0 then return {3} end
if used == '1' then
  redis.call('DEL', KEYS[1])
  return {2}
end
redis.call('HSET', KEYS[2], 'u', 1)
redis.call('HSET', KEYS[3], 'u', 0)
redis.call('PEXPIRE', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'acct', 'at')
return {0, f[1], f[2]}`)

// Rotate implements identity.Sessions.
func (e *Ephemeral) Rotate(ctx context.Context, familyID, tokenHash, nextHash string, ttl time.Duration) (identity.Family, identity.Rotation, error) {
	keys := []string{e.familyKey(familyID), e.tokenKey(familyID, tokenHash), e.tokenKey(familyID, nextHash)}
	res, err := rotateScript.Run(ctx, e.rdb, keys, ttl.Milliseconds()).Slice()
	if err != nil {
		return identity.Family{}, identity.Unknown, unavailable(err)
	}
	switch code, _ := res[0].(int64); code {
	case 1:
		return identity.Family{}, identity.Unknown, nil
	case 2:
		return identity.Family{}, identity.Replayed, nil
	case 3:
		return identity.Family{}, identity.Revoked, nil
	}
	acct, _ := res[1].(string)
	at, _ := res[2].(string)
	ms, _ := strconv.ParseInt(at, 10, 64)
	return identity.Family{ID: familyID, AccountID: acct, StartedAt: time.UnixMilli(ms).In(domain.Beijing)}, identity.Rotated, nil
}

// Revoke implements identity.Sessions.
func (e *Ephemeral) Revoke(ctx context.Context, familyID string) error {
	return unavailable(e.rdb.Del(ctx, e.familyKey(familyID)).Err())
}

// unavailable translates a Redis failure.
func unavailable(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return domain.Wrap(err, domain.Timeout, "登录服务响应超时，请稍后再试")
	}
	return domain.Wrap(err, domain.Unavailable, "登录服务暂时不可用，请稍后再试")
}
