package accountdb

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// Ephemeral keeps sessions, pending SMS codes and failure counts in Redis
// under one key prefix. Every key has a TTL, so nothing outlives its use;
// keys are single-slot, so it works on a cluster as on one node. Session
// keys hold the hash of the token, never the token.
type Ephemeral struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ account.Ephemeral = (*Ephemeral)(nil)

// NewEphemeral returns the store over rdb; prefix (HRSS_REDIS_PREFIX, or a
// test's own) starts every key.
func NewEphemeral(rdb redis.UniversalClient, prefix string) *Ephemeral {
	return &Ephemeral{rdb: rdb, prefix: prefix + "ent:"}
}

// opSessionsTTL bounds the per-operator index of sessions; a session is
// refreshed within it or has expired anyway.
const opSessionsTTL = 24 * time.Hour

func (e *Ephemeral) sessionKey(hash string) string  { return e.prefix + "sess:" + hash }
func (e *Ephemeral) opSessionsKey(op string) string { return e.prefix + "opsess:" + op }
func (e *Ephemeral) pendingKey(id string) string    { return e.prefix + "code:" + id }
func (e *Ephemeral) failKey(op string) string       { return e.prefix + "fail:" + op }
func (e *Ephemeral) slotKey(op string) string       { return e.prefix + "gap:" + op }

// unavailable translates a Redis failure.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(err, domain.Unavailable, "登录服务暂时不可用，请稍后再试")
}

// PutSession implements account.Ephemeral.
func (e *Ephemeral) PutSession(ctx context.Context, hash string, s account.Session, ttl time.Duration) error {
	b, err := json.Marshal(s)
	if err != nil {
		return domain.Wrap(err, domain.Internal, "登录状态无法保存")
	}
	_, err = e.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, e.sessionKey(hash), b, ttl)
		p.SAdd(ctx, e.opSessionsKey(s.OperatorID), hash)
		p.Expire(ctx, e.opSessionsKey(s.OperatorID), opSessionsTTL)
		return nil
	})
	return unavailable(err)
}

// Session implements account.Ephemeral: GETEX reads and slides in one step.
func (e *Ephemeral) Session(ctx context.Context, hash string, ttl time.Duration) (account.Session, error) {
	b, err := e.rdb.GetEx(ctx, e.sessionKey(hash), ttl).Bytes()
	if errors.Is(err, redis.Nil) {
		return account.Session{}, domain.Errorf(domain.NotFound, "登录已过期")
	}
	if err != nil {
		return account.Session{}, unavailable(err)
	}
	var s account.Session
	if err := json.Unmarshal(b, &s); err != nil {
		return account.Session{}, domain.Errorf(domain.NotFound, "登录已过期") // a foreign shape: sign in again
	}
	return s, nil
}

// DeleteSession implements account.Ephemeral.
func (e *Ephemeral) DeleteSession(ctx context.Context, hash string) error {
	return unavailable(e.rdb.Del(ctx, e.sessionKey(hash)).Err())
}

// DeleteSessionsOf implements account.Ephemeral.
func (e *Ephemeral) DeleteSessionsOf(ctx context.Context, operatorID string) error {
	hashes, err := e.rdb.SMembers(ctx, e.opSessionsKey(operatorID)).Result()
	if err != nil {
		return unavailable(err)
	}
	_, err = e.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, h := range hashes {
			p.Del(ctx, e.sessionKey(h)) // one key per command: sessions live in different cluster slots
		}
		p.Del(ctx, e.opSessionsKey(operatorID))
		return nil
	})
	return unavailable(err)
}

// PutPending implements account.Ephemeral.
func (e *Ephemeral) PutPending(ctx context.Context, id string, p account.Pending, ttl time.Duration) error {
	_, err := e.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.HSet(ctx, e.pendingKey(id), "op", p.OperatorID, "dev", p.DeviceHash, "code", p.CodeHash, "tries", p.Tries)
		pipe.Expire(ctx, e.pendingKey(id), ttl)
		return nil
	})
	return unavailable(err)
}

// Pending implements account.Ephemeral.
func (e *Ephemeral) Pending(ctx context.Context, id string) (account.Pending, error) {
	m, err := e.rdb.HGetAll(ctx, e.pendingKey(id)).Result()
	if err != nil {
		return account.Pending{}, unavailable(err)
	}
	if m["op"] == "" {
		return account.Pending{}, domain.Errorf(domain.NotFound, "验证码已失效")
	}
	tries, _ := strconv.Atoi(m["tries"])
	return account.Pending{OperatorID: m["op"], DeviceHash: m["dev"], CodeHash: m["code"], Tries: tries}, nil
}

// missScript counts a wrong code only on a challenge that still exists, so
// that a late guess cannot recreate an expired one without a TTL.
var missScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HINCRBY', KEYS[1], 'tries', 1)`)

// MissPending implements account.Ephemeral.
func (e *Ephemeral) MissPending(ctx context.Context, id string) (int, error) {
	n, err := missScript.Run(ctx, e.rdb, []string{e.pendingKey(id)}).Int()
	if err != nil {
		return 0, unavailable(err)
	}
	if n < 0 {
		return 0, domain.Errorf(domain.NotFound, "验证码已失效")
	}
	return n, nil
}

// DeletePending implements account.Ephemeral.
func (e *Ephemeral) DeletePending(ctx context.Context, id string) error {
	return unavailable(e.rdb.Del(ctx, e.pendingKey(id)).Err())
}

// AddFailure implements account.Ephemeral: INCR and a fresh window in one
// transaction.
func (e *Ephemeral) AddFailure(ctx context.Context, operatorID string, window time.Duration) (int, error) {
	var incr *redis.IntCmd
	_, err := e.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, e.failKey(operatorID))
		p.Expire(ctx, e.failKey(operatorID), window)
		return nil
	})
	if err != nil {
		return 0, unavailable(err)
	}
	return int(incr.Val()), nil
}

// Failures implements account.Ephemeral.
func (e *Ephemeral) Failures(ctx context.Context, operatorID string) (int, error) {
	n, err := e.rdb.Get(ctx, e.failKey(operatorID)).Int()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, unavailable(err)
}

// ClearFailures implements account.Ephemeral.
func (e *Ephemeral) ClearFailures(ctx context.Context, operatorID string) error {
	return unavailable(e.rdb.Del(ctx, e.failKey(operatorID)).Err())
}

// ClaimCodeSlot implements account.Ephemeral with SET NX EX.
func (e *Ephemeral) ClaimCodeSlot(ctx context.Context, operatorID string, every time.Duration) (bool, error) {
	ok, err := e.rdb.SetNX(ctx, e.slotKey(operatorID), 1, every).Result()
	return ok, unavailable(err)
}
