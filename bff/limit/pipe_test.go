package limit_test

import (
	"net/http"
	"testing"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
)

// pipedApp charges the device named by X-Test-Device in a pipeline of its
// own, as the kiosk guard does with its script, with a GET riding along.
func pipedApp(l *limit.Limiter, rdb redis.UniversalClient, prefix string) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/app/v1/catalog", func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		pipe := rdb.Pipeline()
		other := pipe.Get(ctx, prefix+"absent")
		p := l.Queue(ctx, pipe, c, limit.Device, c.Get("X-Test-Device"))
		_, _ = pipe.Exec(ctx)
		if other.Err() != redis.Nil {
			return fiber.NewError(500, "the other command of the pipeline did not run")
		}
		if err := p.Settle(ctx, c); err != nil {
			return c.SendStatus(http.StatusTooManyRequests)
		}
		return c.SendString("ok")
	})
	return app
}

// A budget spent in a pipeline is the one Allow spends: a subject charged
// both ways gets its burst, not twice it.
func TestQueuedChargesShareTheBudget(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	l, _ := newLimiter(t, testConfig(), rdb, prefix)
	piped, direct := pipedApp(l, rdb, prefix), newApp(l)
	if got := allowedOf(t, 12, "/app/v1/catalog", "kiosk-11", piped, direct); got != 5 {
		t.Errorf("pipelined and direct charges allowed %d of 12; want 5, the one burst", got)
	}
	a := do(t, piped, "GET", "/app/v1/catalog", "kiosk-12")
	if a.status != 200 || a.limit != "5" || a.remaining != "4" {
		t.Errorf("pipelined answer: status %d, RateLimit-Limit %q, -Remaining %q; want 200, 5, 4", a.status, a.limit, a.remaining)
	}
}

// A Redis that has forgotten the script (restarted, failed over) answers
// the pipelined call NOSCRIPT; the charge is then made directly, which
// loads it again.
func TestQueuedChargeSurvivesScriptFlush(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	l, _ := newLimiter(t, testConfig(), rdb, prefix)
	app := pipedApp(l, rdb, prefix)
	if got := allowedOf(t, 2, "/app/v1/catalog", "kiosk-13", app); got != 2 {
		t.Fatalf("allowed %d of 2", got)
	}
	if err := rdb.ScriptFlush(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
	if got := allowedOf(t, 5, "/app/v1/catalog", "kiosk-13", app); got != 3 {
		t.Errorf("after SCRIPT FLUSH: allowed %d of 5; want 3, the rest of the burst", got)
	}
	if l.Degraded() {
		t.Error("NOSCRIPT made the limiter degrade; Redis was up")
	}
}

// A nil Limiter (a channel built without limits) charges nothing.
func TestNilLimiterChargesNothing(t *testing.T) {
	var l *limit.Limiter
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		if err := l.Charge(c, limit.Person, "p"); err != nil {
			return err
		}
		return l.Queue(c.UserContext(), nil, c, limit.Device, "d").Settle(c.UserContext(), c)
	})
	if a := do(t, app, "GET", "/", ""); a.status != 200 || a.limit != "" {
		t.Errorf("status %d, RateLimit-Limit %q; want 200 and no header", a.status, a.limit)
	}
}
