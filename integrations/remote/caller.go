package remote

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// Caller runs every call a client makes to one external system under that
// system's Policy. It is safe for concurrent use; make one per system and
// share it across requests, so the breaker sees the whole traffic.
type Caller struct {
	system, name string
	policy       Policy
	breaker      *gobreaker.CircuitBreaker[any]
	metrics      *metrics
}

// NewCaller returns a Caller for system, a short label used in metrics
// ("core", "sms"), whose Chinese display name ("社保经办系统") appears in the
// messages citizens see. Metrics are registered on reg; nil means none. Many
// Callers may share one registry.
func NewCaller(system, name string, p Policy, reg prometheus.Registerer) *Caller {
	c := &Caller{system: system, name: name, policy: p.withDefaults(), metrics: newMetrics(reg)}
	c.breaker = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{
		Name:          system,
		MaxRequests:   c.policy.BreakerProbes,
		Timeout:       c.policy.BreakerOpenFor,
		ReadyToTrip:   func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= c.policy.BreakerFailures },
		IsSuccessful:  func(err error) bool { return !isFailure(err) },
		IsExcluded:    func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(_ string, _, to gobreaker.State) { c.setBreakerGauge(to) },
	})
	c.setBreakerGauge(gobreaker.StateClosed)
	return c
}

// BreakerState returns "closed", "half-open" or "open", for health pages.
func (c *Caller) BreakerState() string { return c.breaker.State().String() }

// Call runs fn under the policy and returns nil or a *domain.Error.
//
// Each attempt gets its own timeout. A failed attempt is retried only when
// idempotent is true, the failure is Unavailable or Timeout, the breaker is
// not open and ctx is still live: a non-idempotent call (sending an SMS,
// submitting a payment) is attempted once, because a lost answer does not
// mean the remote did nothing. op labels the metrics ("send", "query_person").
//
// fn should return a *domain.Error for answers it understood (NotFound,
// Rejected, or Internal for a reply it cannot parse); any other error is
// taken as a transport failure: Timeout for deadlines, Unavailable otherwise.
// Only Unavailable, Timeout and Internal count against the breaker; a
// NotFound or Rejected answer means the remote is working, and a call the
// caller cancelled says nothing about it.
func (c *Caller) Call(ctx context.Context, op string, idempotent bool, fn func(ctx context.Context) error) error {
	start := time.Now()
	err := c.attempts(ctx, op, idempotent, fn)
	result := "ok"
	if err != nil {
		result = string(err.Code)
	}
	c.metrics.requests.WithLabelValues(c.system, op, result).Inc()
	c.metrics.duration.WithLabelValues(c.system, op).Observe(time.Since(start).Seconds())
	if err == nil {
		return nil // a typed nil *domain.Error must not become a non-nil error
	}
	return err
}

func (c *Caller) attempts(ctx context.Context, op string, idempotent bool, fn func(ctx context.Context) error) *domain.Error {
	if err := ctx.Err(); err != nil {
		return c.translate(err) // the citizen has gone; don't bother the remote
	}
	retries := 0
	if idempotent {
		retries = c.policy.Retries
	}
	for attempt := 0; ; attempt++ {
		err := c.attempt(ctx, fn)
		if err == nil || attempt >= retries || !c.retryable(ctx, err) {
			return err
		}
		if !sleep(ctx, c.backoff(attempt)) {
			return err
		}
		c.metrics.retries.WithLabelValues(c.system, op).Inc()
	}
}

// attempt runs fn once through the breaker with its own timeout.
func (c *Caller) attempt(ctx context.Context, fn func(ctx context.Context) error) *domain.Error {
	_, err := c.breaker.Execute(func() (any, error) {
		actx, cancel := context.WithTimeout(ctx, c.policy.Timeout)
		defer cancel()
		if err := c.translate(fn(actx)); err != nil {
			return nil, err // a typed nil would count as a failure
		}
		return nil, nil
	})
	if err == nil {
		return nil
	}
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return domain.Wrap(err, domain.Unavailable, c.name+"暂时无法访问，请稍后再试")
	}
	return err.(*domain.Error) // translate returns nothing else
}

// retryable reports whether another attempt could help: the remote may have
// recovered, the caller still waits, and the breaker lets calls through.
func (c *Caller) retryable(ctx context.Context, err *domain.Error) bool {
	if ctx.Err() != nil || c.breaker.State() == gobreaker.StateOpen {
		return false
	}
	return err.Code == domain.Unavailable || err.Code == domain.Timeout
}

// backoff returns the full-jitter wait before attempt+1: uniform in
// [0, min(max, base·2^attempt)], so that many clients retrying at once
// spread out instead of striking the recovering system together.
func (c *Caller) backoff(attempt int) time.Duration {
	ceiling := c.policy.BackoffMax
	if attempt < 30 {
		ceiling = min(ceiling, c.policy.BackoffBase<<attempt)
	}
	return rand.N(ceiling + 1)
}

// sleep waits d unless ctx ends first; it reports whether it waited in full.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *Caller) setBreakerGauge(s gobreaker.State) {
	c.metrics.breaker.WithLabelValues(c.system).Set(float64(s))
}

// isFailure reports whether err says the remote is in trouble.
func isFailure(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.Unavailable, domain.Timeout, domain.Internal:
		return true
	}
	return false
}
