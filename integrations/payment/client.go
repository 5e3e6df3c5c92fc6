// Package payment is the client of the bank and tax payment channel
// (银行/税务缴费渠道) through which people in flexible employment and units
// pay social-insurance contributions.
//
// The wire contract is JSON over HTTP, signed in headers (see Sign). The
// bureau creates an order under its own order id, which the channel
// de-duplicates on, sends the citizen to the channel's pay page, and learns
// the outcome from a signed notification posted to the order's notify URL;
// VerifyCallback checks it. The channel repeats a notification until it is
// acknowledged and may deliver one twice, so the bureau records a payment
// by order id, once. The simulator in payment/sim speaks the same contract
// over real HTTP.
package payment

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
	pay "github.com/dandong-hrss/hrss/domain/payment"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// Name is how citizens see the channel named in error messages.
const Name = "缴费渠道"

// maxAnswer bounds what the client reads of any answer.
const maxAnswer = 1 << 20

// Config says where the channel is and how to sign for it.
type Config struct {
	BaseURL string // like "https://pay.example.com.cn"; no trailing slash needed
	AppID   string // the bureau's merchant id (商户号)
	AppKey  string // the merchant key that signs requests and notifications; never logged
	Policy  remote.Policy
}

// Client creates and queries orders at the channel. It is safe for
// concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	caller *remote.Caller
}

var _ pay.Channel = (*Client)(nil)

// New returns a Client; its metrics go to reg under system label "payment"
// (nil reg: no metrics).
func New(cfg Config, reg prometheus.Registerer) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // the monthly deadline brings many payers at once
	return &Client{cfg: cfg, http: &http.Client{Transport: tr}, caller: remote.NewCaller("payment", Name, cfg.Policy, reg)}
}

// BreakerState reports the channel's circuit breaker, for readiness pages.
func (c *Client) BreakerState() string { return c.caller.BreakerState() }

// Create opens an order (see pay.Channel). It is retried: the channel
// de-duplicates on the order id, so a repeat whose first answer was lost
// returns the checkout already opened and the citizen is never charged
// twice for one order.
func (c *Client) Create(ctx context.Context, o pay.Order) (pay.Checkout, error) {
	if err := o.Validate(); err != nil {
		return pay.Checkout{}, err
	}
	body, err := json.Marshal(OrderRequest{OrderID: o.ID, Payer: o.Payer, Amount: int64(o.Amount),
		Description: o.Description, NotifyURL: o.NotifyURL})
	if err != nil {
		return pay.Checkout{}, domain.Wrap(err, domain.Internal, Name+"请求无法生成")
	}
	var out CheckoutResponse
	err = c.caller.Call(ctx, "create_order", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodPost, PathOrders, body, &out)
	})
	if err != nil {
		return pay.Checkout{}, err
	}
	if out.ChannelOrderNo == "" || out.PayURL == "" {
		return pay.Checkout{}, unreadable(fmt.Errorf("order %s: checkout without number or pay URL", o.ID))
	}
	return pay.Checkout{ChannelOrderNo: out.ChannelOrderNo, PayURL: out.PayURL, QRPayload: out.QRPayload}, nil
}

// Query returns an order's state (see pay.Channel); a read, so it is
// retried. The BFF queries when a notification is overdue.
func (c *Client) Query(ctx context.Context, orderID string) (pay.State, error) {
	if orderID == "" {
		return pay.State{}, domain.Errorf(domain.Invalid, "缺少订单号")
	}
	var out OrderResponse
	err := c.caller.Call(ctx, "query_order", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodGet, PathOrder+url.PathEscape(orderID), nil, &out)
	})
	if err != nil {
		return pay.State{}, err
	}
	st, err := fromWire(out.OrderRecord)
	if err != nil {
		return pay.State{}, unreadable(err)
	}
	return st, nil
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

// reasons are the channel's reasons the client translates itself, with a
// message the citizen can act on.
var reasons = map[string]struct {
	code    domain.Code
	message string
}{
	ReasonOrderIDConflict: {domain.Conflict, "该订单号已用于另一笔缴费，请重新下单"},
	ReasonOrderNotFound:   {domain.NotFound, "缴费渠道中未查询到该订单，请重新下单"},
}

// decode reads an answer: a failure becomes the domain error its reason (or
// else its status) means, keeping the channel's code and message as the
// cause for logs.
func decode(status int, answer []byte, out any) error {
	if status < 200 || status > 299 {
		var env Envelope
		json.Unmarshal(answer, &env) // best effort; a proxy may answer in HTML
		if r, ok := reasons[env.Code]; ok {
			return domain.Wrap(fmt.Errorf("%s answered %d %s: %s", Name, status, env.Code, env.Message), r.code, r.message)
		}
		return remote.HTTPStatusError(Name, status, env.Code+" "+env.Message)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return unreadable(err)
	}
	return nil
}

func unreadable(cause error) *domain.Error {
	return domain.Wrap(cause, domain.Internal, Name+"返回了无法识别的结果")
}

// statuses maps the channel's statuses to the domain's.
var statuses = map[string]pay.Status{StatusPending: pay.Pending, StatusPaid: pay.Paid, StatusFailed: pay.Failed}

// fromWire reads an order the channel reported; an error means the
// contract has changed under us.
func fromWire(w OrderRecord) (pay.State, error) {
	st, ok := statuses[w.Status]
	if !ok || w.OrderID == "" {
		return pay.State{}, fmt.Errorf("order %q: status %q", w.OrderID, w.Status)
	}
	s := pay.State{OrderID: w.OrderID, ChannelOrderNo: w.ChannelOrderNo, Amount: domain.Fen(w.Amount),
		Status: st, FailReason: w.FailReason}
	if w.FinishedAt != nil {
		s.At = *w.FinishedAt
	}
	return s, nil
}
