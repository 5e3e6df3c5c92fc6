// Package sms is the client of the bureau's SMS platform (短信平台), through
// which citizens receive verification codes, progress notices on their
// applications, pension-certification reminders and transfer updates.
//
// The wire contract is JSON over HTTP, signed in headers (see Sign). A
// message is sent by template id and parameters, never as free text, because
// Chinese carriers only deliver text filed in an approved template. Delivery
// is reported later by receipts the platform posts to the bureau's callback
// URL; ReceiptHandler checks their signature. The simulator in sms/sim
// speaks the same contract over real HTTP.
package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// Name is how citizens see the platform named in error messages.
const Name = "短信平台"

// maxAnswer bounds what the client reads of any answer.
const maxAnswer = 1 << 20

// Config says where the platform is and how to sign for it.
type Config struct {
	BaseURL string // like "https://sms.example.gov.cn"; no trailing slash needed
	AppID   string // the bureau's application id at the platform
	AppKey  string // the shared secret that signs requests and receipts; never logged
	Policy  remote.Policy
}

// Client sends messages through the platform. It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	caller *remote.Caller
}

// New returns a Client; its metrics go to reg under system label "sms"
// (nil reg: no metrics).
func New(cfg Config, reg prometheus.Registerer) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // peak load sends many codes at once to one host
	return &Client{
		cfg:    cfg,
		http:   &http.Client{Transport: tr},
		caller: remote.NewCaller("sms", Name, cfg.Policy, reg),
	}
}

// BreakerState reports the platform's circuit breaker, for readiness pages.
func (c *Client) BreakerState() string { return c.caller.BreakerState() }

// Send texts the template with params to phone and returns the platform's
// message id, to match the later Receipt. It is never retried: the platform
// may have sent the text even when its answer was lost, and a citizen must not
// get the same code twice. Errors: Invalid for an empty phone or template,
// Rejected for an unknown template, missing parameter or a number the
// platform refuses, Unavailable or Timeout when the platform is in trouble,
// Internal when it refuses our signature.
func (c *Client) Send(ctx context.Context, phone domain.Phone, template string, params map[string]string) (string, error) {
	if phone == "" || template == "" {
		return "", domain.Errorf(domain.Invalid, "短信发送缺少手机号或模板")
	}
	body, err := json.Marshal(SendRequest{Phone: phone.Raw(), TemplateID: template, Params: params})
	if err != nil {
		return "", domain.Wrap(err, domain.Internal, Name+"请求无法生成")
	}
	var out SendResponse
	err = c.caller.Call(ctx, "send", false, func(ctx context.Context) error {
		return c.do(ctx, http.MethodPost, PathMessages, body, &out)
	})
	if err != nil {
		return "", err
	}
	return out.MessageID, nil
}

// Status returns the delivery state of a sent message; it is idempotent and
// retried. Errors: NotFound for an unknown id, Unavailable, Timeout.
func (c *Client) Status(ctx context.Context, messageID string) (Receipt, error) {
	var out StatusResponse
	err := c.caller.Call(ctx, "status", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodGet, PathMessage+url.PathEscape(messageID), nil, &out)
	})
	if err != nil {
		return Receipt{}, err
	}
	return out.Receipt, nil
}

// RegisterCallback tells the platform where to post receipts (the BFF's
// ReceiptHandler). It replaces any earlier URL and is safe to repeat, so the
// BFF calls it at start-up.
func (c *Client) RegisterCallback(ctx context.Context, callbackURL string) error {
	body, err := json.Marshal(CallbackRequest{URL: callbackURL})
	if err != nil {
		return domain.Wrap(err, domain.Internal, Name+"请求无法生成")
	}
	return c.caller.Call(ctx, "register_callback", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodPut, PathCallback, body, &Envelope{})
	})
}

// do makes one signed request and decodes a successful answer into out.
// Transport errors are returned as they are, for remote.Caller to classify.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return domain.Wrap(err, domain.Internal, Name+"地址配置有误")
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	SignHeader(req.Header, c.cfg.AppID, c.cfg.AppKey, body, time.Now())
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err // cut off mid-answer: a transport failure
	}
	return decode(resp.StatusCode, answer, out)
}

// decode reads an answer: a non-2xx status becomes the domain error the
// status means, keeping the platform's code and message as the cause.
func decode(status int, answer []byte, out any) error {
	if status < 200 || status > 299 {
		var env Envelope
		json.Unmarshal(answer, &env) // best effort; a proxy may answer in HTML
		return remote.HTTPStatusError(Name, status, fmt.Sprintf("%s %s", env.Code, env.Message))
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return domain.Wrap(err, domain.Internal, Name+"返回了无法识别的结果")
	}
	return nil
}
