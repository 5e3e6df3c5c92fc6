package limit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
)

// Charge names the request's subject and charges it at its route's cost:
// what a channel's authentication calls once it knows who asks. An empty
// id charges the client address. The error is the 429 refusal, for
// web.HandleError or huma.WriteErr; the RateLimit-* headers are set either
// way. A nil Limiter charges nothing (a channel built without limits, as in
// its own tests).
func (l *Limiter) Charge(c *fiber.Ctx, kind Kind, id string) error {
	if l == nil {
		return nil
	}
	if id != "" {
		SetSubject(c, kind, id)
	}
	return l.Check(c)
}

// Queue puts the charge of the request to (kind, id) into pipe, for a
// channel whose authentication already makes a Redis round trip (the kiosk
// guard's script): the budget is then spent in that same round trip. After
// pipe.Exec, Settle decides. A nil Limiter queues nothing and its Pending
// settles as allowed.
//
// The budget is the very one Allow spends: the call queued is redis_rate's
// own script with redis_rate's key and arguments (learnt from the library
// when the Limiter is built, see learnScript), so pipelined and direct
// charges of one subject add up.
func (l *Limiter) Queue(ctx context.Context, pipe redis.Pipeliner, c *fiber.Ctx, kind Kind, id string) *Pending {
	if l == nil {
		return nil
	}
	if kind >= numKinds || id == "" {
		kind, id = subjectOf(c)
	}
	p := &Pending{l: l, kind: kind, id: id, cost: l.costs.of(c.Method(), c.Path())}
	if !l.degraded.Load() {
		lim := l.limits[kind]
		p.cmd = l.script.EvalSha(ctx, pipe, []string{rateKeyPrefix + l.key(kind, id)},
			lim.Burst, lim.Rate, lim.Period.Seconds(), p.cost)
	}
	return p
}

// Pending is a charge queued in a pipeline, decided by Settle.
type Pending struct {
	l    *Limiter
	kind Kind
	id   string
	cost int
	cmd  *redis.Cmd // nil while degraded: decided in memory
}

// Settle decides the queued charge once its pipeline has run: it sets the
// RateLimit-* headers and returns the 429 refusal, as Check does. When the
// pipelined call failed (Redis gone, or the script not yet loaded there) it
// charges the budget directly, which loads the script or falls back to
// memory. A nil Pending is allowed.
func (p *Pending) Settle(ctx context.Context, c *fiber.Ctx) error {
	if p == nil {
		return nil
	}
	d, err := p.decision()
	if err != nil {
		d = p.l.Allow(ctx, p.kind, p.id, p.cost)
	}
	return p.l.settle(c, p.kind, d)
}

func (p *Pending) decision() (Decision, error) {
	if p.cmd == nil {
		return Decision{}, errors.New("limit: not queued")
	}
	v, err := p.cmd.Slice()
	if err != nil {
		return Decision{}, err
	}
	return parseResult(v, p.l.limits[p.kind])
}

// parseResult reads the reply of redis_rate's script as redis_rate does:
// {allowed, remaining, retry_after, reset_after}, the last two seconds as
// text.
func parseResult(v []any, lim redis_rate.Limit) (Decision, error) {
	if len(v) != 4 {
		return Decision{}, fmt.Errorf("limit: unexpected reply %v", v)
	}
	allowed, ok1 := v[0].(int64)
	remaining, ok2 := v[1].(int64)
	retry, err1 := secondsOf(v[2])
	reset, err2 := secondsOf(v[3])
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return Decision{}, fmt.Errorf("limit: unexpected reply %v", v)
	}
	return decisionOf(&redis_rate.Result{Limit: lim, Allowed: int(allowed), Remaining: int(remaining),
		RetryAfter: retry, ResetAfter: reset}), nil
}

func secondsOf(v any) (time.Duration, error) {
	s, ok := v.(string)
	if !ok {
		return 0, errors.New("not text")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if f == -1 {
		return -1, nil
	}
	return time.Duration(f * float64(time.Second)), nil
}

// rateKeyPrefix is what redis_rate puts before every key.
const rateKeyPrefix = "rate:"

// learnScript asks redis_rate for the script and arguments it sends, by
// handing it a stand-in for Redis that records the call and answers
// nothing. The Limiter queues that same script in pipelines (Queue), so
// the library stays the one source of the algorithm.
func learnScript() (*redis.Script, error) {
	var rec recorder
	lim := redis_rate.Limit{Rate: 2, Burst: 3, Period: 5 * time.Second}
	_, _ = redis_rate.NewLimiter(&rec).AllowN(context.Background(), "k", lim, 7)
	want := []any{3, 2, 5.0, 7} // burst, rate, period in seconds, cost: as Queue sends them
	if rec.src == "" || len(rec.keys) != 1 || rec.keys[0] != rateKeyPrefix+"k" || fmt.Sprint(rec.args) != fmt.Sprint(want) {
		return nil, fmt.Errorf("limit: redis_rate no longer calls its script as this package expects (keys %v, args %v)", rec.keys, rec.args)
	}
	return redis.NewScript(rec.src), nil
}

// recorder is the stand-in: every EVALSHA answers NOSCRIPT, so the library
// sends the script itself with EVAL, which is recorded and answered with an
// error.
type recorder struct {
	redis.Cmdable
	src  string
	keys []string
	args []any
}

func (r *recorder) EvalSha(ctx context.Context, _ string, _ []string, _ ...any) *redis.Cmd {
	cmd := redis.NewCmd(ctx)
	cmd.SetErr(redis.ErrNoScript)
	return cmd
}

func (r *recorder) Eval(ctx context.Context, src string, keys []string, args ...any) *redis.Cmd {
	r.src, r.keys, r.args = src, keys, args
	cmd := redis.NewCmd(ctx)
	cmd.SetErr(errors.New("recorded"))
	return cmd
}
