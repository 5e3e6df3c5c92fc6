package cache

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the vectors every layered cache of one registry shares; the
// names are fixed because dashboards and the load-test report read them.
type metrics struct {
	lookups       *prometheus.CounterVec // hrss_cache_lookups_total{cache,result}
	stale         *prometheus.CounterVec // hrss_cache_stale_served_total{cache}
	errors        *prometheus.CounterVec // hrss_cache_errors_total{cache,source}
	invalidations prometheus.Counter     // hrss_cache_invalidations_total
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_cache_lookups_total",
			Help: "Reads through a cache by where the answer came from: l1_hit (in-process), l2_hit (Redis) or miss (the system of record was asked).",
		}, []string{"cache", "result"}),
		stale: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_cache_stale_served_total",
			Help: "Answers served past their time to live because the system of record failed (stale-if-error).",
		}, []string{"cache"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_cache_errors_total",
			Help: "Failures around a cache: redis (Redis unreachable or failing), decode (an entry that could not be read), upstream (the system of record failed and no stale answer was at hand).",
		}, []string{"cache", "source"}),
		invalidations: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hrss_cache_invalidations_total",
			Help: "Subjects (a person, a unit) whose cached answers were invalidated after a write.",
		}),
	}
	if reg == nil {
		return m
	}
	m.lookups = register(reg, m.lookups)
	m.stale = register(reg, m.stale)
	m.errors = register(reg, m.errors)
	m.invalidations = register(reg, m.invalidations)
	return m
}

// counters are one cache's counters, resolved once so that the hot path
// only adds.
type counters struct {
	l1Hit, l2Hit, miss, stale  prometheus.Counter
	redisErr, decodeErr, upErr prometheus.Counter
}

func (m *metrics) counters(cache string) counters {
	return counters{
		l1Hit:     m.lookups.WithLabelValues(cache, "l1_hit"),
		l2Hit:     m.lookups.WithLabelValues(cache, "l2_hit"),
		miss:      m.lookups.WithLabelValues(cache, "miss"),
		stale:     m.stale.WithLabelValues(cache),
		redisErr:  m.errors.WithLabelValues(cache, "redis"),
		decodeErr: m.errors.WithLabelValues(cache, "decode"),
		upErr:     m.errors.WithLabelValues(cache, "upstream"),
	}
}

// register registers c on reg, or returns the collector already registered
// under the same name, so that several Shared on one registry count into
// one vector.
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
