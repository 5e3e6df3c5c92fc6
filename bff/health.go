package bff

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// livez answers while the process is up; it checks nothing else, so an
// orchestrator restarts the process only when it is truly stuck.
func (m *Main) livez(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// check is one dependency's state in the readiness answer.
type check struct {
	Status    string `json:"status"` // ok | down
	LatencyMs int64  `json:"latencyMs"`
	Error     string `json:"error,omitempty"`
}

type readiness struct {
	Status string           `json:"status"` // ready | unavailable
	Checks map[string]check `json:"checks"`
	// Degraded names what runs in a weaker mode without making the
	// instance unready: the rate limiter on in-process budgets.
	Degraded []string `json:"degraded,omitempty"`
}

// readyz answers 200 when the database and Redis both answer, and 503 naming
// each one that does not, so a load balancer stops sending traffic here
// until they are back.
func (m *Main) readyz(c *fiber.Ctx) error {
	probes := map[string]func(context.Context) error{
		"database": m.DB.Ping,
		"redis":    func(ctx context.Context) error { return m.Redis.Ping(ctx).Err() },
	}
	r := readiness{Status: "ready", Checks: make(map[string]check, len(probes))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, probe := range probes {
		wg.Go(func() {
			ch := runProbe(c.UserContext(), probe)
			mu.Lock()
			r.Checks[name] = ch
			mu.Unlock()
		})
	}
	wg.Wait()
	status := fiber.StatusOK
	for _, ch := range r.Checks {
		if ch.Status != "ok" {
			r.Status, status = "unavailable", fiber.StatusServiceUnavailable
		}
	}
	if m.Limiter != nil && m.Limiter.Degraded() {
		r.Degraded = append(r.Degraded, "ratelimit: Redis unreachable, budgets kept per instance")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(r)
}

func runProbe(ctx context.Context, probe func(context.Context) error) check {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	start := time.Now()
	err := probe(ctx)
	ch := check{Status: "ok", LatencyMs: time.Since(start).Milliseconds()}
	if err != nil {
		ch.Status, ch.Error = "down", err.Error()
	}
	return ch
}
