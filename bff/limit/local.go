package limit

import (
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/maypok86/otter/v2"
)

// localLimiter keeps GCRA budgets in this instance's memory while Redis is
// down: the same algorithm and limits as redis_rate, so a caller notices no
// change but that, across N instances, a budget may be spent up to N times.
// Each subject's state is its theoretical arrival time (TAT); a subject
// whose budget is full again is forgotten, and at most a bounded number are
// kept (otter evicts the least useful).
type localLimiter struct {
	tats *otter.Cache[string, int64] // key → TAT, unix ns
}

func newLocalLimiter(size int) *localLimiter {
	return &localLimiter{tats: otter.Must(&otter.Options[string, int64]{
		MaximumSize: size,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, int64]) time.Duration {
			return max(time.Duration(e.Value-time.Now().UnixNano()), time.Second)
		}),
	})}
}

func (g *localLimiter) close() { g.tats.StopAllGoroutines() }

// allow spends cost units of key's budget at now, as redis_rate's script
// does (a refusal leaves nothing Remaining, as there).
func (g *localLimiter) allow(key string, lim redis_rate.Limit, cost int, now time.Time) Decision {
	emission := int64(lim.Period) / int64(lim.Rate)
	burstOffset := emission * int64(lim.Burst)
	increment := emission * int64(cost)
	t := now.UnixNano()
	d := Decision{Limit: lim.Burst}
	g.tats.Compute(key, func(tat int64, found bool) (int64, otter.ComputeOp) {
		tat = max(tat, t)
		newTAT := tat + increment
		allowAt := newTAT - burstOffset
		if diff := t - allowAt; diff < 0 {
			d.RetryAfter = time.Duration(-diff)
			d.ResetAfter = time.Duration(tat - t)
			return tat, otter.CancelOp
		}
		d.Allowed = true
		d.Remaining = int((t - allowAt) / emission)
		d.ResetAfter = time.Duration(newTAT - t)
		return newTAT, otter.WriteOp
	})
	return d
}
