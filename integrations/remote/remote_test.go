package remote_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// fast is a policy whose waits are short enough for unit tests.
var fast = remote.Policy{
	Timeout: 50 * time.Millisecond, Retries: 2, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 100 * time.Millisecond, BreakerProbes: 1,
}

// failing returns an fn that fails with err and counts its calls.
func failing(err error, calls *int) func(context.Context) error {
	return func(context.Context) error { *calls++; return err }
}

func TestCallTranslatesFailuresForCitizens(t *testing.T) {
	refused := dialClosedPort(t)
	tests := []struct {
		name    string
		err     error
		code    domain.Code
		message string
	}{
		{"deadline", context.DeadlineExceeded, domain.Timeout, "社保经办系统响应超时，请稍后再试"},
		{"refused", refused, domain.Unavailable, "社保经办系统暂时无法访问，请稍后再试"},
		{"domain error passes", domain.Errorf(domain.NotFound, "未查询到参保信息"), domain.NotFound, "未查询到参保信息"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := remote.NewCaller("core", "社保经办系统", fast, nil)
			var calls int
			err := c.Call(context.Background(), "query", false, failing(tt.err, &calls))
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tt.code || de.Message != tt.message {
				t.Errorf("got %v; want %s %q", err, tt.code, tt.message)
			}
		})
	}
}

func dialClosedPort(t *testing.T) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = http.Get("http://" + addr)
	if err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
	return err
}

func TestAttemptTimesOutOnItsOwn(t *testing.T) {
	c := remote.NewCaller("core", "社保经办系统", remote.Policy{Timeout: 30 * time.Millisecond}, nil)
	start := time.Now()
	err := c.Call(context.Background(), "query", false, func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	if !domain.IsCode(err, domain.Timeout) {
		t.Errorf("err = %v; want Timeout", err)
	}
	if got := time.Since(start); got > 500*time.Millisecond {
		t.Errorf("call took %v; want about the 30ms timeout", got)
	}
}

func TestRetriesOnlyWhatCouldSucceed(t *testing.T) {
	tests := []struct {
		name       string
		idempotent bool
		err        error
		calls      int
	}{
		{"idempotent unavailable is retried", true, errors.New("connection reset"), 3},
		{"idempotent timeout is retried", true, context.DeadlineExceeded, 3},
		{"non-idempotent is attempted once", false, errors.New("connection reset"), 1},
		{"rejection is final", true, domain.Errorf(domain.Rejected, "不符合条件"), 1},
		{"internal is final", true, domain.Errorf(domain.Internal, "bad answer"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := remote.NewCaller("core", "社保经办系统", remote.Policy{Retries: 2, BackoffBase: time.Millisecond}, nil)
			var calls int
			c.Call(context.Background(), "op", tt.idempotent, failing(tt.err, &calls))
			if calls != tt.calls {
				t.Errorf("fn called %d times; want %d", calls, tt.calls)
			}
		})
	}
}

func TestNoRetryOnceTheCallerHasGone(t *testing.T) {
	c := remote.NewCaller("core", "社保经办系统", fast, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var calls int
	c.Call(ctx, "op", true, func(context.Context) error { calls++; cancel(); return errors.New("reset") })
	if calls != 1 {
		t.Errorf("fn called %d times after the caller cancelled; want 1", calls)
	}
}

func TestBreakerOpensOnlyOnTrouble(t *testing.T) {
	c := remote.NewCaller("core", "社保经办系统", fast, nil)
	var calls int
	for range 5 {
		c.Call(context.Background(), "op", false, failing(domain.Errorf(domain.NotFound, "无此人"), &calls))
	}
	if got := c.BreakerState(); got != "closed" {
		t.Fatalf("breaker %s after NotFound answers; want closed", got)
	}
	for range 3 {
		c.Call(context.Background(), "op", false, failing(errors.New("reset"), &calls))
	}
	if got := c.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after 3 failures; want open", got)
	}
	calls = 0
	err := c.Call(context.Background(), "op", true, failing(nil, &calls))
	if calls != 0 || !domain.IsCode(err, domain.Unavailable) {
		t.Errorf("open breaker: fn called %d times, err %v; want 0 and Unavailable", calls, err)
	}
}

func TestMetricsCountCallsRetriesAndBreaker(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := remote.NewCaller("core", "社保经办系统", fast, reg)
	other := remote.NewCaller("sms", "短信平台", fast, reg) // shares the vectors
	ctx := context.Background()
	var calls int
	c.Call(ctx, "query", true, failing(nil, &calls))
	c.Call(ctx, "query", true, failing(domain.Errorf(domain.NotFound, "无"), &calls))
	c.Call(ctx, "query", true, failing(errors.New("reset"), &calls)) // 3 attempts: opens the breaker
	other.Call(ctx, "send", false, failing(nil, &calls))

	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"hrss_upstream_requests_total", map[string]string{"system": "core", "op": "query", "result": "ok"}, 1},
		{"hrss_upstream_requests_total", map[string]string{"system": "core", "op": "query", "result": "not_found"}, 1},
		{"hrss_upstream_requests_total", map[string]string{"system": "core", "op": "query", "result": "unavailable"}, 1},
		{"hrss_upstream_requests_total", map[string]string{"system": "sms", "op": "send", "result": "ok"}, 1},
		{"hrss_upstream_retries_total", map[string]string{"system": "core", "op": "query"}, 2},
		{"hrss_upstream_request_duration_seconds", map[string]string{"system": "core", "op": "query"}, 3},
		{"hrss_upstream_breaker_state", map[string]string{"system": "core"}, 2},
		{"hrss_upstream_breaker_state", map[string]string{"system": "sms"}, 0},
	}
	for _, tt := range checks {
		if got := metricValue(t, reg, tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v; want %v", tt.name, tt.labels, got, tt.want)
		}
	}
}

// metricValue returns a counter's or gauge's value, or a histogram's sample
// count, for the series with exactly labels.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return 0
}

func TestHTTPStatusError(t *testing.T) {
	tests := []struct {
		status int
		code   domain.Code
	}{
		{404, domain.NotFound}, {400, domain.Rejected}, {409, domain.Rejected}, {422, domain.Rejected},
		{429, domain.Unavailable}, {500, domain.Unavailable}, {502, domain.Unavailable}, {503, domain.Unavailable},
		{504, domain.Timeout}, {401, domain.Internal}, {302, domain.Internal},
	}
	for _, tt := range tests {
		err := remote.HTTPStatusError("短信平台", tt.status, "TEMPLATE_NOT_FOUND secret detail")
		if err.Code != tt.code {
			t.Errorf("status %d: code %s; want %s", tt.status, err.Code, tt.code)
		}
		if !strings.HasPrefix(err.Message, "短信平台") || strings.Contains(err.Message, "secret") {
			t.Errorf("status %d: message %q; want the system's name and no remote detail", tt.status, err.Message)
		}
		if !strings.Contains(err.Error(), "secret detail") {
			t.Errorf("status %d: cause lost: %v", tt.status, err)
		}
	}
}
