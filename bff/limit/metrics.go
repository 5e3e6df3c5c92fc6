package limit

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the limiter's metrics, resolved per kind once so that the hot
// path only adds.
type metrics struct {
	allowed, limited [numKinds]prometheus.Counter
	fallback         prometheus.Counter // hrss_ratelimit_fallback_total
	degraded         prometheus.Gauge   // hrss_ratelimit_degraded
}

func newMetrics(reg prometheus.Registerer) *metrics {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hrss_ratelimit_requests_total",
		Help: "Requests charged to a budget, by kind of subject (ip, device, person, operator) and result (allowed, limited).",
	}, []string{"kind", "result"})
	fallback := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hrss_ratelimit_fallback_total",
		Help: "Requests decided by the in-process limiter because Redis failed: limits then hold per instance.",
	})
	degraded := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "hrss_ratelimit_degraded",
		Help: "1 while rate limits are kept in this instance's memory because Redis failed, else 0.",
	})
	if reg != nil {
		requests = register(reg, requests)
		fallback = register(reg, fallback)
		degraded = register(reg, degraded)
	}
	m := &metrics{fallback: fallback, degraded: degraded}
	for k := range numKinds {
		m.allowed[k] = requests.WithLabelValues(k.String(), "allowed")
		m.limited[k] = requests.WithLabelValues(k.String(), "limited")
	}
	return m
}

// register registers c on reg, or returns the collector already registered
// under the same name.
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
