package bff_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
	"github.com/gofiber/fiber/v2"
)

// startMain starts a server on a free port with the given environment and
// closes it when the test ends (unless the test closed it already).
func startMain(t *testing.T, environ map[string]string, mount func(*fiber.App)) *bff.Main {
	t.Helper()
	cfg := bff.NewConfig("test")
	base := map[string]string{"HRSS_ADDR": "127.0.0.1:0", "HRSS_DATA_DIR": t.TempDir(), "HRSS_SHUTDOWN_GRACE": "5s"}
	for k, v := range environ {
		base[k] = v
	}
	if err := cfg.Parse(nil, func(k string) string { return base[k] }); err != nil {
		t.Fatal(err)
	}
	m := bff.NewMain(cfg, io.Discard)
	m.Mount = mount
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

type readiness struct {
	Status string
	Checks map[string]struct{ Status, Error string }
}

func getReady(t *testing.T, m *bff.Main) (int, readiness) {
	t.Helper()
	resp, err := http.Get(m.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r readiness
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, r
}

func TestEmbeddedDefaultIsReadyAndKeepsData(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HRSS_DATA_DIR": dir}
	m := startMain(t, env, nil)
	if code, r := getReady(t, m); code != 200 || r.Status != "ready" {
		t.Fatalf("readyz: got %d %+v; want 200 ready", code, r)
	}
	if resp, err := http.Get(m.URL() + "/api/v1/announcements?category=policy"); err != nil || resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Errorf("announcements on a fresh start: %v %v; want 200 with an ETag", resp, err)
	}
	if m.DB.Dialect != "sqlite" || m.EmbeddedRedis() == nil {
		t.Fatalf("embedded default should run on SQLite and in-process Redis, got %s", m.DB.Dialect)
	}
	ctx := context.Background()
	if _, err := m.DB.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_ref, channel, action) VALUES (?, 'system', 't', 'kiosk', 'first-run')`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m2 := startMain(t, env, nil)
	var n int
	if err := m2.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'first-run'`); err != nil || n != 1 {
		t.Errorf("second start sees %d rows of the first (%v); want 1", n, err)
	}
}

func TestProductionModeOnMariaDBAndRedis(t *testing.T) {
	dsn := storetest.MySQLDSN(t)
	m := startMain(t, map[string]string{"HRSS_MYSQL_DSN": dsn, "HRSS_REDIS_ADDRS": cachetest.Addr(),
		"HRSS_DATA_KEYS": "t1:00112233445566778899aabbccddeeff", "HRSS_DATA_ACTIVE_KEY": "t1",
		"HRSS_DATA_INDEX_KEY": "ffeeddccbbaa99887766554433221100", "HRSS_CACHE_HASH_KEY": "test-cache-hash-key-0001",
		"HRSS_APP_JWT_KEYS": "t1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "HRSS_APP_JWT_ACTIVE_KEY": "t1"}, nil)
	if code, r := getReady(t, m); code != 200 {
		t.Fatalf("readyz: got %d %+v; want 200", code, r)
	}
	var tables []string
	if err := m.DB.SelectContext(context.Background(), &tables, `SHOW TABLES`); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(tables, ","), "audit_log") {
		t.Errorf("schema not in MariaDB: tables %v", tables)
	}
	if resp, err := http.Get(m.URL() + "/openapi.json"); err != nil || resp.StatusCode != 200 {
		t.Errorf("/openapi.json: %v %v; want 200", resp, err)
	}
	resp, err := http.Get(m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"hrss_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1",
		"go_sql_open_connections{db_name=\"mysql\"}", "hrss_redis_pool_connections", "go_goroutines", "hrss_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// With Redis stopped, /readyz is 503 naming Redis while /livez stays 200;
// with it back, /readyz recovers without a restart. The Redis here is one
// the test can stop: an in-process server reached over TCP like a real one.
func TestReadinessFollowsRedis(t *testing.T) {
	redis := cachetest.Mini(t)
	m := startMain(t, map[string]string{"HRSS_REDIS_ADDRS": redis.Addr()}, nil)
	if code, _ := getReady(t, m); code != 200 {
		t.Fatalf("readyz before: got %d; want 200", code)
	}
	redis.Close()
	code, r := getReady(t, m)
	if code != 503 || r.Checks["redis"].Status != "down" || r.Checks["database"].Status != "ok" {
		t.Errorf("readyz with Redis stopped: got %d %+v; want 503 naming redis", code, r)
	}
	if resp, err := http.Get(m.URL() + "/livez"); err != nil || resp.StatusCode != 200 {
		t.Errorf("livez with Redis stopped: got %v %v; want 200", resp.StatusCode, err)
	}
	if err := redis.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if code, _ := getReady(t, m); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("readyz did not recover after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Shutdown lets a request that is being served finish, refuses new
// connections, and reports success.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	m := startMain(t, nil, func(app *fiber.App) {
		app.Get("/slow", func(c *fiber.Ctx) error {
			close(started)
			time.Sleep(700 * time.Millisecond)
			return c.SendString("done")
		})
	})
	url := m.URL()
	var wg sync.WaitGroup
	var status int
	var body string
	var reqErr error
	wg.Go(func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			reqErr = err
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		status, body = resp.StatusCode, string(b)
	})
	<-started
	closeErr := m.Close()
	wg.Wait()
	if reqErr != nil || status != 200 || body != "done" {
		t.Errorf("in-flight request: got %d %q %v; want 200 done", status, body, reqErr)
	}
	if closeErr != nil {
		t.Errorf("Close: %v; want nil", closeErr)
	}
	client := http.Client{Timeout: time.Second}
	if _, err := client.Get(url + "/livez"); err == nil {
		t.Error("server still accepts requests after shutdown")
	}
}
