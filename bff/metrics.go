package bff

import (
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// registerMetrics adds the process-wide collectors: Go runtime, process,
// database pool and Redis pool. HTTP and upstream metrics register
// themselves where they are measured.
func (m *Main) registerMetrics() {
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(m.DB.DB.DB, string(m.DB.Dialect)),
		newRedisPoolCollector(m.Redis),
		newAuditCollector(m.Audit),
	)
}

// auditCollector reports the audit recorder's counts: a drop means an
// audit entry was lost and must be looked into.
type auditCollector struct {
	rec                  *audit.Recorder
	entries, blocked     *prometheus.Desc
	failedFlush, pending *prometheus.Desc
}

func newAuditCollector(rec *audit.Recorder) *auditCollector {
	return &auditCollector{
		rec:         rec,
		entries:     prometheus.NewDesc("hrss_audit_entries_total", "Audit entries by fate: recorded, written, dropped, rejected.", []string{"fate"}, nil),
		blocked:     prometheus.NewDesc("hrss_audit_blocked_total", "Record calls that waited for room in a full buffer.", nil, nil),
		failedFlush: prometheus.NewDesc("hrss_audit_failed_flushes_total", "Batches the database refused; they were retried.", nil, nil),
		pending:     prometheus.NewDesc("hrss_audit_pending", "Entries waiting to be written.", nil, nil),
	}
}

func (c *auditCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.entries, c.blocked, c.failedFlush, c.pending} {
		ch <- d
	}
}

func (c *auditCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.rec.Stats()
	for fate, n := range map[string]uint64{"recorded": s.Recorded, "written": s.Written, "dropped": s.Dropped, "rejected": s.Rejected} {
		ch <- prometheus.MustNewConstMetric(c.entries, prometheus.CounterValue, float64(n), fate)
	}
	ch <- prometheus.MustNewConstMetric(c.blocked, prometheus.CounterValue, float64(s.Blocked))
	ch <- prometheus.MustNewConstMetric(c.failedFlush, prometheus.CounterValue, float64(s.FailedFlushes))
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(s.Pending))
}

func (m *Main) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
}

// redisPoolCollector reports go-redis's connection pool statistics.
type redisPoolCollector struct {
	client                                      redis.UniversalClient
	hits, misses, timeouts, total, idle, stales *prometheus.Desc
}

func newRedisPoolCollector(client redis.UniversalClient) *redisPoolCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("hrss_redis_pool_"+name, help, nil, nil)
	}
	return &redisPoolCollector{
		client:   client,
		hits:     d("hits_total", "Times a free connection was found in the pool."),
		misses:   d("misses_total", "Times no free connection was in the pool."),
		timeouts: d("timeouts_total", "Times waiting for a connection timed out."),
		total:    d("connections", "Connections in the pool."),
		idle:     d("idle_connections", "Idle connections in the pool."),
		stales:   d("stale_connections_total", "Stale connections removed from the pool."),
	}
}

func (c *redisPoolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.hits, c.misses, c.timeouts, c.total, c.idle, c.stales} {
		ch <- d
	}
}

func (c *redisPoolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.client.PoolStats()
	ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(c.misses, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(c.timeouts, prometheus.CounterValue, float64(s.Timeouts))
	ch <- prometheus.MustNewConstMetric(c.total, prometheus.GaugeValue, float64(s.TotalConns))
	ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.IdleConns))
	ch <- prometheus.MustNewConstMetric(c.stales, prometheus.CounterValue, float64(s.StaleConns))
}
