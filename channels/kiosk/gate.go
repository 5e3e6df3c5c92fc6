package kiosk

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/redis/go-redis/v9"
)

// keys names what the channel keeps in Redis. Every key of one device
// carries the device id as a hash tag, {kiosk-yb-001}, so that in a Redis
// Cluster they share a slot and one script can read and write them all
// (the prefix must therefore contain no '{').
type keys struct{ prefix string }

func (k keys) device(id string) string       { return k.prefix + "kiosk:{" + id + "}" }
func (k keys) status(id string) string       { return k.device(id) + ":status" }
func (k keys) nonce(id, nonce string) string { return k.device(id) + ":nonce:" + nonce }
func (k keys) session(id string) string      { return k.device(id) + ":session" }

// checkScript is the one Redis round trip of every signed request, run
// after the signature itself has been checked in memory. Atomically it:
// refuses a disabled device (the status published on disable wins over the
// caller's cached one, and is read on every request, so a disable takes
// effect at once on every instance); refuses a reused nonce, remembering
// this one; and, when the route needs a card session, loads the device's
// session if its token matches, ends it past the hard limit (checked
// against the time it opened, so the holder is told why), and otherwise
// slides its idle expiry. A refused request changes nothing but the nonce,
// so a replay cannot keep a session alive.
//
// KEYS: status, nonce, session. ARGV: nonce TTL ms, cached status, session
// token ("" when the route needs none), now ms, idle ms.
// Returns {verdict} or {"ok", session body}.
var checkScript = redis.NewScript(`
local status = redis.call('GET', KEYS[1]) or ARGV[2]
if status == 'disabled' then return {'disabled'} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return {'replay'} end
if ARGV[3] == '' then return {'ok'} end
local s = redis.call('HMGET', KEYS[3], 'sid', 'hard', 'body')
if not s[1] or s[1] ~= ARGV[3] then return {'none'} end
if tonumber(s[2]) <= tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[3])
  return {'expired'}
end
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return {'ok', s[3]}
`)

// closeScript ends the device's session only if it is still the one named,
// so a late "take card" from an old session cannot end a new card's.
var closeScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'sid') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// verdict is what checkScript decided.
type verdict string

const (
	passed   verdict = "ok"
	disabled verdict = "disabled"
	replayed verdict = "replay"
	noSess   verdict = "none"
	expired  verdict = "expired"
)

// gate runs the Redis side of the checks.
type gate struct {
	rdb  redis.UniversalClient
	keys keys
}

// check runs checkScript, in one pipeline with whatever charge queues for
// the device (the rate limiter's call: one round trip for both; nil: none);
// body is the session's stored form when the verdict is passed and a
// session token was given.
func (g *gate) check(ctx context.Context, dev device.Credentials, nonce, token string, now time.Time, charge func(pipe redis.Pipeliner, device string)) (verdict, string, error) {
	keys := []string{g.keys.status(dev.ID), g.keys.nonce(dev.ID, nonce), g.keys.session(dev.ID)}
	args := []any{(2 * MaxClockSkew).Milliseconds(), string(dev.Status), token, now.UnixMilli(), IdleTimeout.Milliseconds()}
	pipe := g.rdb.Pipeline()
	cmd := checkScript.EvalSha(ctx, pipe, keys, args...)
	if charge != nil {
		charge(pipe, dev.ID)
	}
	_, _ = pipe.Exec(ctx) // each command's own error is read below
	if err := cmd.Err(); errors.Is(err, redis.ErrNoScript) || redis.HasErrorPrefix(err, "NOSCRIPT") {
		cmd = checkScript.Run(ctx, g.rdb, keys, args...) // Redis restarted: load it again
	}
	res, err := cmd.StringSlice()
	if err == nil && len(res) == 0 {
		err = errors.New("kiosk check: empty reply")
	}
	if err != nil {
		return "", "", redisDown(err)
	}
	if len(res) == 2 {
		return verdict(res[0]), res[1], nil
	}
	return verdict(res[0]), "", nil
}

// StatusBoard publishes device status changes in Redis, where every
// instance's signature check reads them with each request. It implements
// device.StatusBoard; bff hands it to device.NewService.
type StatusBoard struct {
	rdb  redis.UniversalClient
	keys keys
}

var _ device.StatusBoard = (*StatusBoard)(nil)

// NewStatusBoard returns the board on rdb under prefix, which must be the
// Prefix the Channel is given.
func NewStatusBoard(rdb redis.UniversalClient, prefix string) *StatusBoard {
	return &StatusBoard{rdb: rdb, keys: keys{prefix}}
}

// Publish records the device's status, without expiry: it must outlive
// every cached copy. Disabling also ends the device's card session.
// Errors: Unavailable.
func (b *StatusBoard) Publish(ctx context.Context, id string, s device.Status) error {
	_, err := b.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, b.keys.status(id), string(s), 0)
		if s == device.Disabled {
			p.Del(ctx, b.keys.session(id))
		}
		return nil
	})
	return redisDown(err)
}

// redisDown is what a kiosk user sees when Redis fails.
func redisDown(err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(err, domain.Unavailable, "系统繁忙，请稍后再试")
}

// formatMillis writes a time as Unix milliseconds, as the session stores it.
func formatMillis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
