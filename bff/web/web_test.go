package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// testApp is the middleware stack as bff wires it, with routes that fail in
// each way a handler can.
type testApp struct {
	app     *fiber.App
	logs    *bytes.Buffer
	metrics *prometheus.Registry
}

const rawID = "210602199001011234"

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	logs := &bytes.Buffer{}
	logger := slog.New(web.LogHandler(slog.NewJSONHandler(logs, nil)))
	reg := prometheus.NewRegistry()
	app := fiber.New(fiber.Config{BodyLimit: 1024, ErrorHandler: web.HandleError(logger), DisableStartupMessage: true})
	app.Use(web.RequestID(), web.Observe(logger, web.NewMetrics(reg)), web.Recover(logger), web.Deadline(time.Second))
	app.Get("/ok", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	app.Get("/panic", func(c *fiber.Ctx) error { panic("boom " + rawID) })
	app.Get("/persons/:id", func(c *fiber.Ctx) error {
		return domain.Errorf(domain.NotFound, "未查询到该人员的参保信息")
	})
	app.Get("/defect", func(c *fiber.Ctx) error {
		return errors.New("dial tcp 10.1.2.3:3306: secret internals for " + rawID)
	})
	app.Post("/echo", func(c *fiber.Ctx) error {
		var in struct {
			Name string `json:"name"`
			Age  int    `json:"age"`
		}
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
		return c.JSON(in)
	})
	app.Get("/deadline", func(c *fiber.Ctx) error {
		if _, ok := c.UserContext().Deadline(); !ok {
			return errors.New("no deadline on the handler context")
		}
		return c.SendStatus(http.StatusNoContent)
	})
	return &testApp{app: app, logs: logs, metrics: reg}
}

func (a *testApp) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := a.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

func decodeProblem(t *testing.T, resp *http.Response, body []byte) web.Problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != web.ProblemContentType {
		t.Fatalf("content type: got %q; want %q (body %s)", ct, web.ProblemContentType, body)
	}
	var p web.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body %s: %v", body, err)
	}
	if p.Status != resp.StatusCode {
		t.Errorf("problem status %d differs from HTTP status %d", p.Status, resp.StatusCode)
	}
	if p.RequestID == "" || p.RequestID != resp.Header.Get(web.HeaderRequestID) {
		t.Errorf("problem request id %q; header %q; want equal and non-empty", p.RequestID, resp.Header.Get(web.HeaderRequestID))
	}
	return p
}

func TestProblemAnswers(t *testing.T) {
	a := newTestApp(t)
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantCode   domain.Code
		wantText   string // in title or detail
	}{
		{"unknown route", httptest.NewRequest("GET", "/no/such/route", nil), 404, domain.NotFound, "接口不存在"},
		{"wrong method", httptest.NewRequest("DELETE", "/ok", nil), 405, domain.NotFound, "不支持此请求方法"},
		{"panic", httptest.NewRequest("GET", "/panic", nil), 500, domain.Internal, "系统内部错误"},
		{"domain error", httptest.NewRequest("GET", "/persons/"+rawID, nil), 404, domain.NotFound, "未查询到该人员"},
		{"unknown error", httptest.NewRequest("GET", "/defect", nil), 500, domain.Internal, "系统内部错误"},
		{"malformed JSON", jsonReq(`{"name": "张三",`), 400, domain.Invalid, "不是有效的 JSON"},
		{"syntax error", jsonReq(`{"name" "张三"}`), 400, domain.Invalid, "不是有效的 JSON"},
		{"empty body", jsonReq(``), 400, domain.Invalid, "不能为空"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := a.do(t, tt.req)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d; want %d (body %s)", resp.StatusCode, tt.wantStatus, body)
			}
			p := decodeProblem(t, resp, body)
			if p.Code != tt.wantCode {
				t.Errorf("code: got %q; want %q", p.Code, tt.wantCode)
			}
			if !strings.Contains(p.Title+p.Detail, tt.wantText) {
				t.Errorf("title %q detail %q; want one to contain %q", p.Title, p.Detail, tt.wantText)
			}
			if bytes.Contains(body, []byte(rawID)) || bytes.Contains(body, []byte("10.1.2.3")) {
				t.Errorf("answer leaks internals or personal data: %s", body)
			}
		})
	}
}

func TestFieldErrorsNamed(t *testing.T) {
	a := newTestApp(t)
	tests := []struct{ body, field, msg string }{
		{`{"name":"张三","age":"三十"}`, "age", "数据类型不正确，应为数字"},
		{`{"name":"张三","idNumber":"x"}`, "idNumber", "不支持此字段"},
	}
	for _, tt := range tests {
		resp, body := a.do(t, jsonReq(tt.body))
		p := decodeProblem(t, resp, body)
		if resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Message != tt.msg {
			t.Errorf("%s: got %d %+v; want 400 with field %q %q", tt.body, resp.StatusCode, p.Errors, tt.field, tt.msg)
		}
	}
}

func TestEveryCodeHasItsStatus(t *testing.T) {
	want := map[domain.Code]int{
		domain.Invalid: 400, domain.Unauthenticated: 401, domain.Forbidden: 403, domain.NotFound: 404,
		domain.Conflict: 409, domain.Rejected: 422, domain.TooLarge: 413, domain.RateLimited: 429,
		domain.Unavailable: 503, domain.Timeout: 504, domain.Internal: 500,
	}
	for _, code := range domain.Codes {
		p, _ := web.ProblemOf(&domain.Error{Code: code, Message: "m"})
		if p.Status != want[code] || web.Status(code) != want[code] {
			t.Errorf("%s: got %d; want %d", code, p.Status, want[code])
		}
		if p.Detail != "m" || p.Title == "" {
			t.Errorf("%s: title %q detail %q; want a title and the message as detail", code, p.Title, p.Detail)
		}
	}
}

func TestRequestID(t *testing.T) {
	a := newTestApp(t)
	tests := []struct {
		name, in string
		keep     bool
	}{
		{"kept", "kiosk-0012.abc_9", true},
		{"generated when absent", "", false},
		{"replaced when unsafe", "x\n{\"forged\":1}", false},
		{"replaced when too long", strings.Repeat("a", 65), false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/ok", nil)
			if tt.in != "" {
				req.Header.Set(web.HeaderRequestID, tt.in)
			}
			resp, _ := a.do(t, req)
			got := resp.Header.Get(web.HeaderRequestID)
			if tt.keep && got != tt.in {
				t.Errorf("got %q; want %q echoed", got, tt.in)
			}
			if !tt.keep && (got == "" || got == tt.in || seen[got]) {
				t.Errorf("got %q; want a fresh generated id", got)
			}
			seen[got] = true
		})
	}
}

func TestAccessLogAndMetrics(t *testing.T) {
	a := newTestApp(t)
	req := httptest.NewRequest("GET", "/persons/"+rawID+"?phone=13812345678", nil)
	req.Header.Set(web.HeaderRequestID, "req-42")
	a.do(t, req)
	a.do(t, httptest.NewRequest("GET", "/panic", nil))
	a.do(t, httptest.NewRequest("GET", "/nowhere/"+rawID, nil))

	logs := a.logs.String()
	if strings.Contains(logs, rawID) || strings.Contains(logs, "13812345678") {
		t.Errorf("log holds a raw ID number or phone:\n%s", logs)
	}
	var access map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line not JSON: %s", line)
		}
		if rec["msg"] == "request" && rec["request_id"] == "req-42" {
			access = rec
		}
	}
	if access == nil {
		t.Fatalf("no access-log line with the request id:\n%s", logs)
	}
	for k, want := range map[string]any{"method": "GET", "route": "/persons/:id", "status": float64(404)} {
		if access[k] != want {
			t.Errorf("access log %s: got %v; want %v", k, access[k], want)
		}
	}
	if !strings.Contains(logs, `"stack"`) || !strings.Contains(logs, "2106**********1234") {
		t.Errorf("panic log should carry the stack and the masked value:\n%s", logs)
	}
	for _, c := range []struct {
		route, status string
	}{{"/persons/:id", "404"}, {"/panic", "500"}, {"unmatched", "404"}} {
		if n := counterValue(t, a.metrics, c.route, c.status); n != 1 {
			t.Errorf("requests{route=%q,status=%s}: got %v; want 1", c.route, c.status, n)
		}
	}
}

func TestHandlersGetADeadline(t *testing.T) {
	a := newTestApp(t)
	if resp, body := a.do(t, httptest.NewRequest("GET", "/deadline", nil)); resp.StatusCode != 204 {
		t.Errorf("got %d %s; want 204", resp.StatusCode, body)
	}
}

// counterValue reads hrss_http_requests_total for one route and status.
func counterValue(t *testing.T, reg *prometheus.Registry, route, status string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "hrss_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["route"] == route && labels["status"] == status {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func jsonReq(body string) *http.Request {
	req := httptest.NewRequest("POST", "/echo", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// A body over the limit is refused by the server before any handler runs;
// it needs a real connection, since app.Test refuses it on the client side.
func TestOversizedBody(t *testing.T) {
	a := newTestApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.app.Listener(ln)
	t.Cleanup(func() { a.app.Shutdown() })
	body := `{"name":"` + strings.Repeat("长", 1000) + `"}`
	resp, err := http.Post("http://"+ln.Addr().String()+"/echo", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 {
		t.Fatalf("status: got %d; want 413 (body %s)", resp.StatusCode, got)
	}
	p := decodeProblem(t, resp, got)
	if p.Code != domain.TooLarge || !strings.Contains(p.Title, "超过大小上限") {
		t.Errorf("got %+v; want too_large with a Chinese title", p)
	}
	if !strings.Contains(a.logs.String(), "request refused") {
		t.Errorf("a refused request should be logged once:\n%s", a.logs.String())
	}
}
