package remote

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the vectors every Caller on one registry shares; the names are
// fixed because dashboards, alerts and the load-test report read them.
type metrics struct {
	requests *prometheus.CounterVec   // hrss_upstream_requests_total{system,op,result}
	duration *prometheus.HistogramVec // hrss_upstream_request_duration_seconds{system,op}
	retries  *prometheus.CounterVec   // hrss_upstream_retries_total{system,op}
	breaker  *prometheus.GaugeVec     // hrss_upstream_breaker_state{system}
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_upstream_requests_total",
			Help: "Calls to external systems by outcome: ok or the domain error code, after retries.",
		}, []string{"system", "op", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hrss_upstream_request_duration_seconds",
			Help:    "Time a call to an external system took, retries and backoff included.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"system", "op"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_upstream_retries_total",
			Help: "Extra attempts made on idempotent calls to external systems.",
		}, []string{"system", "op"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hrss_upstream_breaker_state",
			Help: "Circuit breaker per external system: 0 closed, 1 half-open, 2 open.",
		}, []string{"system"}),
	}
	if reg == nil {
		return m
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.retries = register(reg, m.retries)
	m.breaker = register(reg, m.breaker)
	return m
}

// register registers c on reg, or returns the collector already registered
// under the same name so that every Caller counts into one vector.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	if err != nil {
		panic(err) // a different collector under our fixed name is a wiring defect
	}
	return c
}
