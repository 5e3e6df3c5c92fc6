package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/danielgtaylor/huma/v2"
)

type applyInput struct {
	Body struct {
		Name     string `json:"name" minLength:"2" maxLength:"20" doc:"申请人姓名"`
		Tier     int    `json:"tier" minimum:"60" maximum:"300" doc:"缴费基数档次（%）"`
		Channel  string `json:"channel" enum:"kiosk,app" doc:"渠道"`
		Date     string `json:"date" format:"date" doc:"日期"`
		Optional string `json:"optional,omitempty" doc:"可选"`
	}
}

type applyOutput struct {
	Body struct {
		OK bool `json:"ok"`
	}
}

func newAPIApp(t *testing.T) *testApp {
	t.Helper()
	a := newTestApp(t)
	api := web.NewAPI(a.app, "测试", "1.0")
	huma.Register(api, huma.Operation{OperationID: "apply", Method: "POST", Path: "/v1/apply", Summary: "提交申请"},
		func(ctx context.Context, in *applyInput) (*applyOutput, error) {
			switch in.Body.Name {
			case "重复":
				return nil, domain.Errorf(domain.Conflict, "该申请已提交，请勿重复提交")
			case "故障":
				return nil, errors.New("db exploded at 10.0.0.9")
			}
			out := &applyOutput{}
			out.Body.OK = true
			return out, nil
		})
	return a
}

func apiReq(body string) *http.Request {
	req := httptest.NewRequest("POST", "/v1/apply", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestAPIValidationSpeaksChinese(t *testing.T) {
	a := newAPIApp(t)
	resp, body := a.do(t, apiReq(`{"name":"张","tier":20,"channel":"fax","date":"29/11/2026","extra":1}`))
	if resp.StatusCode != 400 {
		t.Fatalf("status: got %d; want 400 (%s)", resp.StatusCode, body)
	}
	p := decodeProblem(t, resp, body)
	want := map[string]string{
		"name":    "不能少于 2 个字符",
		"tier":    "不能小于 60",
		"channel": "只能是以下之一：kiosk, app",
		"date":    "日期格式应为 年-月-日，如 2026-11-29",
		"extra":   "不支持此字段",
	}
	got := map[string]string{}
	for _, f := range p.Errors {
		got[f.Field] = f.Message
	}
	for field, msg := range want {
		if got[field] != msg {
			t.Errorf("field %s: got %q; want %q (all: %v)", field, got[field], msg, got)
		}
	}
	if p.Code != domain.Invalid || p.Detail == "" {
		t.Errorf("got code %q detail %q; want invalid with a detail", p.Code, p.Detail)
	}
}

func TestAPIRequiredFieldIsNamed(t *testing.T) {
	a := newAPIApp(t)
	resp, body := a.do(t, apiReq(`{"tier":100,"channel":"app","date":"2026-11-29"}`))
	p := decodeProblem(t, resp, body)
	if resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "name" || p.Errors[0].Message != "此项为必填项" {
		t.Errorf("got %d %+v; want 400 naming name as required", resp.StatusCode, p.Errors)
	}
}

func TestAPIHandlerErrors(t *testing.T) {
	a := newAPIApp(t)
	ok := `{"name":"%s","tier":100,"channel":"app","date":"2026-11-29"}`
	resp, body := a.do(t, apiReq(strings.Replace(ok, "%s", "张三", 1)))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Fatalf("valid request: got %d %s", resp.StatusCode, body)
	}
	resp, body = a.do(t, apiReq(strings.Replace(ok, "%s", "重复", 1)))
	if p := decodeProblem(t, resp, body); resp.StatusCode != 409 || p.Detail != "该申请已提交，请勿重复提交" || p.Instance != "/v1/apply" {
		t.Errorf("domain error: got %d %+v; want 409 with its message", resp.StatusCode, p)
	}
	resp, body = a.do(t, apiReq(strings.Replace(ok, "%s", "故障", 1)))
	if p := decodeProblem(t, resp, body); resp.StatusCode != 500 || strings.Contains(string(body), "10.0.0.9") {
		t.Errorf("defect: got %d %+v; want 500 without internals", resp.StatusCode, p)
	}
	if !strings.Contains(a.logs.String(), "db exploded") {
		t.Errorf("the defect's cause should be in the log:\n%s", a.logs.String())
	}
	resp, body = a.do(t, apiReq(`{"name": `))
	if p := decodeProblem(t, resp, body); resp.StatusCode != 400 || p.Code != domain.Invalid {
		t.Errorf("malformed JSON: got %d %+v; want 400 invalid", resp.StatusCode, p)
	}
}

func TestOpenAPIDocument(t *testing.T) {
	a := newAPIApp(t)
	resp, body := a.do(t, httptest.NewRequest("GET", "/openapi.json", nil))
	if resp.StatusCode != 200 {
		t.Fatalf("got %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]struct{ Summary string }
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Paths["/v1/apply"]["post"].Summary != "提交申请" {
		t.Errorf("got openapi %q, apply summary %q; want 3.1.0 and 提交申请", doc.OpenAPI, doc.Paths["/v1/apply"]["post"].Summary)
	}
}

type pageInput struct {
	Page int `query:"page" minimum:"1" doc:"页码"`
}

func TestAPIQueryParseErrorsSpeakChinese(t *testing.T) {
	a := newTestApp(t)
	api := web.NewAPI(a.app, "测试", "1.0")
	huma.Register(api, huma.Operation{OperationID: "list", Method: "GET", Path: "/v1/list"},
		func(ctx context.Context, in *pageInput) (*applyOutput, error) { return &applyOutput{}, nil })
	resp, body := a.do(t, httptest.NewRequest("GET", "/v1/list?page=abc", nil))
	p := decodeProblem(t, resp, body)
	if resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "page" || p.Errors[0].Message != "应为整数" {
		t.Errorf("got %d %+v; want 400 naming page: 应为整数", resp.StatusCode, p.Errors)
	}
}

type keyedInput struct {
	Key string `header:"Idempotency-Key" required:"true" doc:"幂等键"`
}

func TestAPIHeaderAndRetryAfter(t *testing.T) {
	a := newTestApp(t)
	api := web.NewAPI(a.app, "测试", "1.0")
	huma.Register(api, huma.Operation{OperationID: "keyed", Method: "POST", Path: "/v1/keyed"},
		func(ctx context.Context, in *keyedInput) (*applyOutput, error) {
			return nil, limited{}
		})
	resp, body := a.do(t, httptest.NewRequest("POST", "/v1/keyed", nil))
	if p := decodeProblem(t, resp, body); resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Message != "缺少必需的请求头" {
		t.Errorf("missing header: got %d %+v; want 400 缺少必需的请求头", resp.StatusCode, p.Errors)
	}
	req := httptest.NewRequest("POST", "/v1/keyed", nil)
	req.Header.Set("Idempotency-Key", "k1")
	resp, body = a.do(t, req)
	if decodeProblem(t, resp, body); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "30" {
		t.Errorf("rate limited: got %d Retry-After %q; want 429 and 30", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// limited is a rate-limit refusal that knows when to try again.
type limited struct{}

func (limited) Error() string      { return "rate_limited" }
func (limited) RetryAfter() string { return "30" }
func (limited) Unwrap() error {
	return domain.Errorf(domain.RateLimited, "操作过于频繁，请30秒后再试")
}
