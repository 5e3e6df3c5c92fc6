package province

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// maxAnswer bounds what a client reads of any answer.
const maxAnswer = 1 << 20

// Config says where one platform is and how to sign for it. The two
// platforms are separate systems with separate credentials, even when one
// simulator serves both.
type Config struct {
	BaseURL string // like "https://hrss.ln.gov.cn"; no trailing slash needed
	AppID   string // the bureau's application id at the platform
	AppKey  string // the shared secret that signs requests and callbacks; never logged
	Policy  remote.Policy
}

// conn is the signed JSON call both clients make, under one Caller per
// platform so that one platform's outage does not open the other's breaker.
type conn struct {
	cfg    Config
	name   string
	http   *http.Client
	caller *remote.Caller
}

func newConn(cfg Config, system, name string, reg prometheus.Registerer) *conn {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // kiosks and phones scan and verify at peak together
	return &conn{cfg: cfg, name: name, http: &http.Client{Transport: tr}, caller: remote.NewCaller(system, name, cfg.Policy, reg)}
}

// call sends in (nil: no body) as one signed request under the policy and
// decodes a successful answer into out. op labels the metrics; idempotent
// says whether the Caller may retry it.
func (c *conn) call(ctx context.Context, op string, idempotent bool, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return domain.Wrap(err, domain.Internal, c.name+"请求无法生成")
		}
	}
	return c.caller.Call(ctx, op, idempotent, func(ctx context.Context) error {
		return c.do(ctx, method, path, body, out)
	})
}

// do makes one signed request. Transport errors are returned as they are,
// for remote.Caller to classify.
func (c *conn) do(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return domain.Wrap(err, domain.Internal, c.name+"地址配置有误")
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
	return c.decode(resp.StatusCode, answer, out)
}

// decode reads an answer: a failure becomes the domain error its reason (or
// else its status) means, keeping the platform's code and message as the
// cause for logs.
func (c *conn) decode(status int, answer []byte, out any) error {
	if status < 200 || status > 299 {
		var env Envelope
		json.Unmarshal(answer, &env) // best effort; a proxy may answer in HTML
		if r, ok := reasons[env.Code]; ok {
			return domain.Wrap(fmt.Errorf("%s answered %d %s: %s", c.name, status, env.Code, env.Message), r.code, r.message)
		}
		return remote.HTTPStatusError(c.name, status, env.Code+" "+env.Message)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return c.unreadable(err)
	}
	return nil
}

// unreadable is the error for an answer the client cannot make sense of.
func (c *conn) unreadable(cause error) *domain.Error {
	return domain.Wrap(cause, domain.Internal, c.name+"返回了无法识别的结果")
}

// verify checks that a callback comes from the platform for this app.
func (c *conn) verify(h http.Header, body []byte) error {
	if h.Get(HeaderAppID) != c.cfg.AppID {
		return ErrBadSignature
	}
	return VerifyHeader(h, c.cfg.AppKey, body, time.Now())
}
