// Package remote is the call discipline every client of an external system
// follows: a timeout per attempt, retries with full-jitter backoff for
// idempotent calls only, a circuit breaker (熔断) per system, translation of
// every failure into a *domain.Error a citizen can act on, and Prometheus
// metrics under fixed names that dashboards and the load test read.
//
// The legacy systems behind the bureau are slow and sometimes down; a
// citizen at a kiosk must get a clear "try again later" in seconds, never a
// spinning screen, and a struggling system must not be hammered by retries.
package remote

import "time"

// Policy is how a Caller treats one external system.
type Policy struct {
	Timeout                 time.Duration // per attempt
	Retries                 int           // extra attempts for idempotent calls only
	BackoffBase, BackoffMax time.Duration // full-jitter exponential backoff between attempts
	BreakerFailures         uint32        // consecutive failures that open the breaker
	BreakerOpenFor          time.Duration // open → half-open after this
	BreakerProbes           uint32        // requests allowed while half-open; this many successes close it
}

// DefaultPolicy suits a system that answers in well under a second when
// healthy: 3s per attempt, 2 retries backing off 50ms..1s, and a breaker that
// opens after 5 consecutive failures, for 10s, probing with 1 request.
func DefaultPolicy() Policy {
	return Policy{
		Timeout:         3 * time.Second,
		Retries:         2,
		BackoffBase:     50 * time.Millisecond,
		BackoffMax:      time.Second,
		BreakerFailures: 5,
		BreakerOpenFor:  10 * time.Second,
		BreakerProbes:   1,
	}
}

// withDefaults fills the zero fields that would make a Caller useless (no
// timeout, a breaker that opens on nothing) from DefaultPolicy. Retries of 0
// is a valid choice and stays.
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.Timeout <= 0 {
		p.Timeout = d.Timeout
	}
	if p.Retries < 0 {
		p.Retries = 0
	}
	if p.BackoffBase <= 0 {
		p.BackoffBase = d.BackoffBase
	}
	if p.BackoffMax < p.BackoffBase {
		p.BackoffMax = max(d.BackoffMax, p.BackoffBase)
	}
	if p.BreakerFailures == 0 {
		p.BreakerFailures = d.BreakerFailures
	}
	if p.BreakerOpenFor <= 0 {
		p.BreakerOpenFor = d.BreakerOpenFor
	}
	if p.BreakerProbes == 0 {
		p.BreakerProbes = d.BreakerProbes
	}
	return p
}
