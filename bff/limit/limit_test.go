package limit_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

var hashKey = []byte("0123456789abcdef-test-key")

// testConfig has small budgets so that a test runs them out in a few
// requests, a costly login, and a fast probe.
func testConfig() limit.Config {
	cfg := limit.DefaultConfig()
	small := limit.Limit{Rate: 5, Burst: 5, Period: time.Minute}
	cfg.Anonymous, cfg.Device, cfg.Person, cfg.Operator = small, small, small, small
	cfg.Costs = map[string]int{"POST /app/v1/login": 3, "/app/v1/persons/:id/*": 2}
	cfg.HashKey = hashKey
	cfg.ProbeEvery = 10 * time.Millisecond
	return cfg
}

// newLimiter returns a Limiter on rdb and the registry of its metrics.
func newLimiter(tb testing.TB, cfg limit.Config, rdb redis.UniversalClient, prefix string) (*limit.Limiter, *prometheus.Registry) {
	tb.Helper()
	reg := prometheus.NewRegistry()
	l, err := limit.New(cfg, rdb, prefix, reg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(l.Close)
	return l, reg
}

// newApp is one BFF instance: the error handling as bff wires it, an
// authentication stand-in naming the device from a header, the limiter,
// and routes.
func newApp(l *limit.Limiter) *fiber.App {
	logger := slog.New(slog.DiscardHandler)
	app := fiber.New(fiber.Config{ErrorHandler: web.HandleError(logger), DisableStartupMessage: true})
	app.Use(func(c *fiber.Ctx) error {
		if dev := c.Get("X-Test-Device"); dev != "" {
			limit.SetSubject(c, limit.Device, dev)
		}
		return c.Next()
	}, l.Handler())
	ok := func(c *fiber.Ctx) error { return c.SendString("ok") }
	app.Get("/app/v1/catalog", ok)
	app.Post("/app/v1/login", ok)
	app.Get("/app/v1/persons/:id/overview", ok)
	return app
}

type answer struct {
	status                  int
	limit, remaining, reset string
	retryAfter, contentType string
	body                    []byte
}

func do(tb testing.TB, app *fiber.App, method, path, device string) answer {
	tb.Helper()
	req := httptest.NewRequest(method, path, nil)
	if device != "" {
		req.Header.Set("X-Test-Device", device)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, limit: resp.Header.Get("RateLimit-Limit"),
		remaining: resp.Header.Get("RateLimit-Remaining"), reset: resp.Header.Get("RateLimit-Reset"),
		retryAfter: resp.Header.Get("Retry-After"), contentType: resp.Header.Get("Content-Type"), body: body}
}

// allowedOf counts the 200s among n requests to path, alternating apps.
func allowedOf(tb testing.TB, n int, path, device string, apps ...*fiber.App) int {
	tb.Helper()
	allowed := 0
	for i := range n {
		switch a := do(tb, apps[i%len(apps)], "GET", path, device); a.status {
		case http.StatusOK:
			allowed++
		case http.StatusTooManyRequests:
		default:
			tb.Fatalf("request %d: status %d", i, a.status)
		}
	}
	return allowed
}

func TestBudgetHoldsAcrossInstances(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	a, _ := newLimiter(t, testConfig(), rdb, prefix)
	b, _ := newLimiter(t, testConfig(), rdb, prefix)
	if got := allowedOf(t, 12, "/app/v1/catalog", "", newApp(a), newApp(b)); got != 5 {
		t.Errorf("two instances allowed %d of 12 requests from one address; want 5, the burst, in all", got)
	}
}

func TestSubjectsHaveTheirOwnBudgets(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	l, _ := newLimiter(t, testConfig(), rdb, prefix)
	app := newApp(l)
	for _, dev := range []string{"kiosk-01", "kiosk-02", ""} {
		if got := allowedOf(t, 7, "/app/v1/catalog", dev, app); got != 5 {
			t.Errorf("subject %q allowed %d of 7; want 5 (its own burst)", dev, got)
		}
	}
}

func TestRouteCost(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	l, _ := newLimiter(t, testConfig(), rdb, prefix)
	app := newApp(l)
	steps := []struct {
		method, path  string
		wantStatus    int
		wantRemaining string
	}{
		{"POST", "/app/v1/login", 200, "2"},               // costs 3 of 5
		{"GET", "/app/v1/catalog", 200, "1"},              // costs 1
		{"POST", "/app/v1/login", 429, "0"},               // 3 do not fit in 1
		{"GET", "/app/v1/persons/abc/overview", 429, "0"}, // costs 2 by its template
		{"GET", "/app/v1/catalog", 200, "0"},              // 1 fits
	}
	for i, s := range steps {
		a := do(t, app, s.method, s.path, "kiosk-07")
		if a.status != s.wantStatus || a.remaining != s.wantRemaining {
			t.Errorf("step %d %s %s: status %d, remaining %q; want %d, %q", i, s.method, s.path, a.status, a.remaining, s.wantStatus, s.wantRemaining)
		}
	}
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/app/v1/login", 3}, {"GET", "/app/v1/login", 1}, {"GET", "/app/v1/persons/x/overview", 2},
		{"GET", "/app/v1/persons/x", 2}, {"GET", "/app/v1/persons", 1}, {"GET", "/app/v1/persons/x/pension/2024", 2}, {"GET", "/", 1},
	} {
		if got := l.Cost(tt.method, tt.path); got != tt.want {
			t.Errorf("Cost(%s %s) = %d; want %d", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestAnswersCarryHeadersAndRefusalIsProblem(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	l, _ := newLimiter(t, testConfig(), rdb, prefix)
	app := newApp(l)
	var last answer
	for i := range 6 {
		last = do(t, app, "GET", "/app/v1/catalog", "kiosk-09")
		if last.limit != "5" || last.remaining == "" || last.reset == "" {
			t.Errorf("answer %d: RateLimit-Limit %q, -Remaining %q, -Reset %q; want all, limit 5", i, last.limit, last.remaining, last.reset)
		}
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("6th request: status %d; want 429", last.status)
	}
	if s, err := strconv.Atoi(last.retryAfter); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q; want 1–60 seconds", last.retryAfter)
	}
	if last.contentType != web.ProblemContentType {
		t.Errorf("Content-Type %q; want %s", last.contentType, web.ProblemContentType)
	}
	var p web.Problem
	if err := json.Unmarshal(last.body, &p); err != nil || p.Code != "rate_limited" || p.Status != 429 || p.Detail == "" {
		t.Errorf("body %s; want a rate_limited problem with a Chinese detail", last.body)
	}
}

func TestRedisDownFallsBackPerInstance(t *testing.T) {
	m := cachetest.Mini(t)
	client := func() redis.UniversalClient {
		rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
		t.Cleanup(func() { rdb.Close() })
		return rdb
	}
	a, reg := newLimiter(t, testConfig(), client(), "hrss:")
	b, _ := newLimiter(t, testConfig(), client(), "hrss:")
	appA, appB := newApp(a), newApp(b)
	if got := allowedOf(t, 4, "/app/v1/catalog", "kiosk-03", appA, appB); got != 4 || a.Degraded() {
		t.Fatalf("with Redis up: allowed %d of 4, degraded %v; want 4, false", got, a.Degraded())
	}

	m.Close()
	if got := allowedOf(t, 14, "/app/v1/catalog", "kiosk-04", appA, appB); got != 10 {
		t.Errorf("with Redis down two instances allowed %d of 14; want 10, each its own burst of 5", got)
	}
	if !a.Degraded() || !b.Degraded() {
		t.Errorf("Degraded() = %v, %v with Redis down; want true", a.Degraded(), b.Degraded())
	}
	if got := gauge(t, reg, "hrss_ratelimit_degraded"); got != 1 {
		t.Errorf("hrss_ratelimit_degraded = %v; want 1", got)
	}
	fallbacks := counter(t, reg, "hrss_ratelimit_fallback_total")
	if fallbacks != 7 {
		t.Errorf("hrss_ratelimit_fallback_total = %v; want 7, every request of instance a", fallbacks)
	}

	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for a.Degraded() {
		if time.Now().After(deadline) {
			t.Fatal("still degraded 2s after Redis came back")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := allowedOf(t, 2, "/app/v1/catalog", "kiosk-05", appA); got != 2 {
		t.Errorf("after Redis came back: allowed %d of 2", got)
	}
	if got := counter(t, reg, "hrss_ratelimit_fallback_total"); got != fallbacks {
		t.Errorf("fallback count went from %v to %v after Redis came back; want no change", fallbacks, got)
	}
}

func TestNewRefusesImpossibleConfig(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	tests := map[string]func(*limit.Config){
		"cost above burst": func(c *limit.Config) { c.Costs = map[string]int{"POST /login": 6} },
		"zero cost":        func(c *limit.Config) { c.Costs = map[string]int{"POST /login": 0} },
		"relative path":    func(c *limit.Config) { c.Costs = map[string]int{"POST login": 2} },
		"no rate":          func(c *limit.Config) { c.Person.Rate = 0 },
		"short hash key":   func(c *limit.Config) { c.HashKey = []byte("short") },
	}
	for name, spoil := range tests {
		cfg := testConfig()
		spoil(&cfg)
		if _, err := limit.New(cfg, rdb, prefix, nil); err == nil {
			t.Errorf("%s: New accepted it; want an error", name)
		}
	}
}

func counter(tb testing.TB, g prometheus.Gatherer, name string) float64 {
	tb.Helper()
	mfs, err := g.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

func gauge(tb testing.TB, g prometheus.Gatherer, name string) float64 {
	tb.Helper()
	mfs, err := g.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	return 0
}
