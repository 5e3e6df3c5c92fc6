// Package counter is the client of the counter acceptance and dispatch core
// (综合柜员制受理 + 审核调度): Client implements acceptance.Core for the BFF,
// VerifyWebhook checks the events the core pushes back, and StaffClient
// drives the staff workbench (领取, 退领, 抓取, 转派, 终止, 打回, 撤销, 办理)
// for tests, the demo and the load test.
//
// The wire contract (wire.go) is JSON over HTTP. The BFF authenticates with
// a bearer API token, staff with their own bearer tokens. Refusals come back
// as an Envelope whose code is a domain.Code, so a Conflict in the core is a
// Conflict here. Events are posted to the BFF one at a time, in order per
// case, signed with HMAC-SHA256 over "timestamp.body" (SignWebhook), and
// re-posted with backoff until the BFF answers 2xx. The simulator in
// counter/sim speaks the same contract over real HTTP.
package counter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// Name is how citizens see the core named in error messages.
const Name = "业务受理系统"

// maxAnswer bounds what a client reads of any answer; a page of events is
// the largest.
const maxAnswer = 4 << 20

// Config says where the core is and how to authenticate to it.
type Config struct {
	BaseURL string // like "https://counter.example.gov.cn"; no trailing slash
	Token   string // the BFF's API token at the core; never logged
	Policy  remote.Policy
}

// Client is the BFF's port to the core. It is safe for concurrent use.
type Client struct {
	t transport
}

var _ acceptance.Core = (*Client)(nil)

// New returns a Client; its metrics go to reg under system label "counter"
// (nil reg: no metrics).
func New(cfg Config, reg prometheus.Registerer) *Client {
	return &Client{t: newTransport(cfg.BaseURL, cfg.Token, remote.NewCaller("counter", Name, cfg.Policy, reg), false)}
}

// BreakerState reports the core's circuit breaker, for readiness pages.
func (c *Client) BreakerState() string { return c.t.caller.BreakerState() }

// Submit implements acceptance.Core. Unlike most writes to a remote system
// it IS retried on Unavailable and Timeout: the core de-duplicates by
// ApplicationID, so a repeat after a lost answer returns the case the first
// attempt opened. That is why the BFF, not the core, generates the id, and
// commits it before the first attempt. The submission is validated here
// first (Invalid), so a malformed one never reaches the core.
func (c *Client) Submit(ctx context.Context, s acceptance.Submission) (acceptance.Receipt, error) {
	if err := s.Validate(); err != nil {
		return acceptance.Receipt{}, err
	}
	var out Receipt
	err := c.t.call(ctx, "submit", true, http.MethodPost, PathCases, submitToWire(s), &out)
	if err != nil {
		return acceptance.Receipt{}, err
	}
	return receiptFromWire(out), nil
}

// Case implements acceptance.Core; it is retried.
func (c *Client) Case(ctx context.Context, caseNo string) (acceptance.Case, error) {
	if caseNo == "" {
		return acceptance.Case{}, domain.Errorf(domain.NotFound, "请提供办件编号")
	}
	var out Case
	if err := c.t.call(ctx, "case", true, http.MethodGet, PathCase+url.PathEscape(caseNo), nil, &out); err != nil {
		return acceptance.Case{}, err
	}
	return caseFromWire(out), nil
}

// Events implements acceptance.Core; it is retried. limit is at most
// MaxEventPage; 0 means 100.
func (c *Client) Events(ctx context.Context, after string, limit int) ([]acceptance.Event, string, error) {
	limit = min(limit, MaxEventPage)
	q := url.Values{}
	if after != "" {
		q.Set("after", after)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := PathEvents
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var page EventPage
	if err := c.t.call(ctx, "events", true, http.MethodGet, path, nil, &page); err != nil {
		return nil, after, err
	}
	out := make([]acceptance.Event, 0, len(page.Events))
	for _, e := range page.Events {
		out = append(out, eventFromWire(e))
	}
	return out, page.Next, nil
}

// SupplyMaterials implements acceptance.Core; it is retried, since the core
// takes a repeat of the same supply as done.
func (c *Client) SupplyMaterials(ctx context.Context, caseNo string, materials []acceptance.Material) error {
	if len(materials) == 0 {
		return domain.InvalidFields(domain.FieldError{Field: "materials", Message: "请上传需补齐的材料"})
	}
	body := MaterialsRequest{Materials: materialsToWire(materials)}
	return c.t.call(ctx, "supply_materials", true, http.MethodPost, PathCase+url.PathEscape(caseNo)+SuffixMaterials, body, &Case{})
}

// Withdraw implements acceptance.Core; it is retried, since withdrawing a
// withdrawn case succeeds.
func (c *Client) Withdraw(ctx context.Context, caseNo, reason string) error {
	body := WithdrawRequest{Reason: reason}
	return c.t.call(ctx, "withdraw", true, http.MethodPost, PathCase+url.PathEscape(caseNo)+SuffixWithdraw, body, &Case{})
}

// RegisterWebhook tells the core where to post events (the BFF's webhook
// receiver). It replaces any earlier URL and is safe to repeat, so the BFF
// calls it at start-up; events the core recorded while it had no URL are
// not pushed and must be read with Events. Errors: Invalid for a URL that
// is not absolute http(s).
func (c *Client) RegisterWebhook(ctx context.Context, webhookURL string) error {
	return c.t.call(ctx, "register_webhook", true, http.MethodPut, PathWebhook, WebhookRequest{URL: webhookURL}, &WebhookRequest{})
}

// transport makes authenticated JSON calls to the core under a Caller.
type transport struct {
	baseURL, token string
	http           *http.Client
	caller         *remote.Caller
	staff          bool // a staff client shows Forbidden/Unauthenticated as they are
}

func newTransport(baseURL, token string, caller *remote.Caller, staff bool) transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // peak load submits many applications to one host
	return transport{baseURL: baseURL, token: token, http: &http.Client{Transport: tr}, caller: caller, staff: staff}
}

// call marshals in (nil: no body), runs one call under the policy and
// decodes the answer into out.
func (t transport) call(ctx context.Context, op string, idempotent bool, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return domain.Wrap(err, domain.Internal, Name+"请求无法生成")
		}
	}
	return t.caller.Call(ctx, op, idempotent, func(ctx context.Context) error {
		return t.do(ctx, method, path, body, out)
	})
}

// do makes one request. Transport errors are returned as they are, for
// remote.Caller to classify.
func (t transport) do(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, t.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return domain.Wrap(err, domain.Internal, Name+"地址配置有误")
	}
	req.Header.Set("Authorization", "Bearer "+t.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := t.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err // cut off mid-answer: a transport failure
	}
	return t.decode(resp.StatusCode, answer, out)
}

// decode reads an answer. A refusal whose envelope carries a domain code the
// caller can act on keeps that code and the core's Chinese message; anything
// else becomes the error its HTTP status means.
func (t transport) decode(status int, answer []byte, out any) error {
	if status >= 200 && status <= 299 {
		if err := json.Unmarshal(answer, out); err != nil {
			return domain.Wrap(err, domain.Internal, Name+"返回了无法识别的结果")
		}
		return nil
	}
	var env Envelope
	json.Unmarshal(answer, &env) // best effort; a proxy may answer in HTML
	cause := fmt.Errorf("%s answered %d: %s %s", Name, status, env.Code, env.Message)
	if code := domain.Code(env.Code); env.Message != "" && t.understood(code) {
		return &domain.Error{Code: code, Message: env.Message, Fields: env.Fields, Err: cause}
	}
	return remote.HTTPStatusError(Name, status, env.Code+" "+env.Message)
}

// understood reports whether a refusal with code is an answer the caller
// can act on, rather than a sign of trouble or misconfiguration.
func (t transport) understood(code domain.Code) bool {
	switch code {
	case domain.Invalid, domain.NotFound, domain.Conflict, domain.Rejected:
		return true
	case domain.Unauthenticated, domain.Forbidden:
		return t.staff // for the BFF they mean a wrong API token: Internal
	}
	return false
}
