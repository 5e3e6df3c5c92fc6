package cache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/redis/go-redis/v9"
)

// Invalidation works by marks rather than by deleting keys. A write through
// the BFF (an approved change, a completed application, a payment) calls
// Invalidate with the group of the person or unit it touched; every answer
// of that group fetched before the mark is from then on treated as absent,
// in memory (L1) on every instance and in Redis (L2). A mark covers what a
// list of keys to delete could not: the forty-odd year pages of a history,
// and an answer whose fetch began before the write and ended after it (its
// fetch time is when it began). The mark is a key in the group's Redis hash
// slot, read with the entry in one MGET, and a pub/sub message that every
// instance's Listen turns into a local mark. Answers are compared with marks
// by wall clock, so instances must keep their clocks in step (NTP).

// channel is the pub/sub channel of invalidations.
func (s *Shared) channel() string { return s.prefix + "cache:invalidate" }

// markKey is the Redis key of a group's mark: same hash tag, same slot.
func (s *Shared) markKey(group string) string { return s.prefix + "cache:mark:{" + group + "}" }

// Invalidate marks every cached answer of group fetched until now as gone,
// here at once and on the other instances as soon as the pub/sub message
// arrives. It fails only when Redis does; the local mark is set even then.
func (s *Shared) Invalidate(ctx context.Context, group string) error {
	return s.InvalidateAsOf(ctx, group, s.now())
}

// InvalidateAsOf is Invalidate for a change made at a known time (a case
// the counter core completed at ev.At): answers of group fetched after at
// stay. Told of the same change again (a webhook's event polled once more),
// it therefore drops nothing fetched since; a mark is never moved back, in
// memory or in Redis. at later than now counts as now.
func (s *Shared) InvalidateAsOf(ctx context.Context, group string, at time.Time) error {
	if group == "" {
		return errors.New("cache: invalidate needs a group")
	}
	t := min(at.UnixNano(), s.now().UnixNano())
	s.mark(group, t)
	s.metrics.invalidations.Inc()
	stamp := strconv.FormatInt(t, 10)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		raiseMark.Eval(ctx, p, []string{s.markKey(group)}, stamp, time.Duration(s.maxL2.Load()).Milliseconds())
		p.Publish(ctx, s.channel(), stamp+" "+group)
		return nil
	})
	if err != nil {
		s.metrics.errors.WithLabelValues("invalidate", "redis").Inc()
		return fmt.Errorf("cache: publish invalidation: %w", err)
	}
	return nil
}

// raiseMark sets a group's mark unless it holds a later one already.
// KEYS: mark. ARGV: time (unix ns), expiry ms.
var raiseMark = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`)

// mark records locally that group was invalidated at t (unix ns).
func (s *Shared) mark(group string, t int64) {
	s.marks.Compute(group, func(old int64, found bool) (int64, otter.ComputeOp) {
		if found && old >= t {
			return old, otter.CancelOp
		}
		return t, otter.WriteOp
	})
}

// invalidated reports whether an answer of group fetched at t is marked gone.
func (s *Shared) invalidated(group string, t int64) bool {
	if group == "" {
		return false
	}
	m, ok := s.marks.GetIfPresent(group)
	return ok && t < m
}

// Listen subscribes to the invalidations the other instances publish and
// applies them until Close. It returns once the subscription is confirmed,
// or with an error when Redis cannot be reached; without it, an instance
// learns of another's writes only through Redis, once its in-memory copies
// expire (Policy.L1TTL). go-redis resubscribes after a lost connection;
// messages sent meanwhile are lost, which again costs at most L1TTL.
func (s *Shared) Listen(ctx context.Context) error {
	sub := s.rdb.Subscribe(ctx, s.channel())
	if _, err := sub.Receive(ctx); err != nil {
		sub.Close()
		return fmt.Errorf("cache: subscribe to invalidations: %w", err)
	}
	s.mu.Lock()
	if s.sub != nil {
		s.mu.Unlock()
		sub.Close()
		return errors.New("cache: Listen called twice")
	}
	s.sub = sub
	s.mu.Unlock()
	ch := sub.Channel()
	go func() {
		for msg := range ch {
			s.apply(msg.Payload)
		}
	}()
	return nil
}

// apply handles one message "<unix ns> <group>".
func (s *Shared) apply(payload string) {
	stamp, group, ok := strings.Cut(payload, " ")
	t, err := strconv.ParseInt(stamp, 10, 64)
	if !ok || err != nil || group == "" {
		return
	}
	s.mark(group, t)
}
