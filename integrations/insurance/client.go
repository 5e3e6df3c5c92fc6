// Package insurance is the client of the social-insurance business core
// (社保经办系统, the legacy 金保 system) and the wire contract it speaks: SOAP
// 1.1 over HTTP, one endpoint, the operation named by the SOAPAction header,
// faults as soap:Fault with a Chinese fault string and a detail error code.
//
// wire.go, soap.go and values.go are the contract, shared with the
// simulator in ./sim; convert.go maps answers into the domain's read model
// (domain/insured); this file is the Client, which implements insured.Core
// and runs every call under remote.Caller's timeouts, retries and breaker.
package insurance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is how to reach the core.
type Config struct {
	BaseURL string        // scheme and host of the core, e.g. http://10.1.2.3:8080; ServicePath is appended
	Policy  remote.Policy // timeouts, retries and breaker; zero fields take remote.DefaultPolicy's
}

// systemName is the core as citizens know it, in error messages; the short
// label names it in metrics.
const (
	systemName  = "社保经办系统"
	systemLabel = "core"
)

// Client calls the business core. It is safe for concurrent use; make one
// and share it, so that its connection pool and breaker see all traffic.
type Client struct {
	endpoint *url.URL
	http     *http.Client
	caller   *remote.Caller
}

// New returns a Client for the core at cfg.BaseURL, with metrics on reg (nil
// for none). It panics on a BaseURL that does not parse, a wiring defect.
func New(cfg Config, reg prometheus.Registerer) *Client {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/") + ServicePath)
	if err != nil || u.Host == "" {
		panic("insurance: bad base URL " + cfg.BaseURL)
	}
	return &Client{
		endpoint: u,
		http: &http.Client{Transport: newTransport(), CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a SOAP endpoint that redirects is misconfigured
		}},
		caller: remote.NewCaller(systemLabel, systemName, cfg.Policy, reg),
	}
}

// newTransport is a keep-alive pool sized for the BFF's peak of 1000
// requests a second. With the core answering in 50–200 ms, Little's law puts
// 50–200 requests in flight; 256 idle connections keep them all warm through
// a burst instead of re-dialling, and 512 connections at most keep a slow
// core from being buried under new ones (a request waiting for a connection
// still ends at its attempt's timeout). The core speaks plain HTTP/1.1 on
// the bureau's network: no proxy, no compression.
func newTransport() *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		MaxConnsPerHost:     512,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// BreakerState returns "closed", "half-open" or "open", for the health page.
func (c *Client) BreakerState() string { return c.caller.BreakerState() }

// Close drops the idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// opInfo is what the client precomputes per operation, so that a call
// builds no strings.
type opInfo struct {
	action   []string // the SOAPAction header value
	response string   // the response element's local name
	label    string   // the metrics label: query_person
}

var opInfos = func() map[string]opInfo {
	m := make(map[string]opInfo, len(Operations))
	for _, op := range Operations {
		m[op] = opInfo{action: []string{SOAPAction(op)}, response: op + "Response", label: snake(op)}
	}
	return m
}()

// snake turns QueryPerson into query_person.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if 'A' <= r && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// call runs op under the policy and decodes its answer into v. Every
// operation of the core is safe to repeat — reads, and ChangeBaseTier sets
// an absolute value — so every call may be retried.
func (c *Client) call(ctx context.Context, op string, req Request, v any) error {
	info := opInfos[op]
	return c.caller.Call(ctx, info.label, true, func(ctx context.Context) error {
		return c.roundTrip(ctx, op, &info, &req, v)
	})
}

var xmlContentType = []string{"text/xml; charset=utf-8"}

// maxResponse bounds an answer; the largest, a year of a big unit's
// assessments or a forty-year account statement, is tens of kilobytes.
const maxResponse = 8 << 20

// roundTrip makes one attempt.
func (c *Client) roundTrip(ctx context.Context, op string, info *opInfo, req *Request, v any) error {
	body := newRequestBody(op, req)
	hr := (&http.Request{
		Method: http.MethodPost, URL: c.endpoint, Host: c.endpoint.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": xmlContentType, "Soapaction": info.action},
		Body:          body,
		ContentLength: int64(body.Len()),
	}).WithContext(ctx)
	resp, err := c.http.Do(hr)
	if err != nil {
		return err // remote.Caller tells timeouts from refusals
	}
	defer resp.Body.Close()
	buf := responseBuffers.Get().(*bytes.Buffer)
	defer releaseResponseBuffer(buf)
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponse)); err != nil {
		return err
	}
	return decodeAnswer(resp.StatusCode, buf.Bytes(), info.response, v)
}

// decodeAnswer reads an answer: the response on 200, a soap:Fault on 500,
// and anything else as the HTTP status it is.
func decodeAnswer(status int, data []byte, want string, v any) error {
	if status != http.StatusOK && status != http.StatusInternalServerError {
		return remote.HTTPStatusError(systemName, status, snippet(data))
	}
	err := DecodeBody(data, want, v)
	var f *Fault
	switch {
	case errors.As(err, &f):
		return faultError(f)
	case status != http.StatusOK:
		return remote.HTTPStatusError(systemName, status, snippet(data))
	case err != nil:
		return domain.Wrap(err, domain.Internal, msgBadAnswer)
	}
	return nil
}

// snippet is the start of an unexpected answer, masked, for the log.
func snippet(data []byte) string {
	return domain.MaskText(string(data[:min(len(data), 200)]))
}

// requestBody is a request envelope in a pooled buffer. The transport may
// still read a body after Do returns (on some errors it writes in another
// goroutine), so the buffer goes back to the pool when the transport closes
// the body, not when the call returns. The small wrapper itself is never
// reused, so a second Close is harmless.
type requestBody struct {
	bytes.Reader
	buf    *[]byte
	closed atomic.Bool
}

var envelopeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func newRequestBody(op string, req *Request) *requestBody {
	buf := envelopeBuffers.Get().(*[]byte)
	*buf = AppendRequest((*buf)[:0], op, req)
	b := &requestBody{buf: buf}
	b.Reset(*buf)
	return b
}

// Close returns the buffer to the pool, once.
func (b *requestBody) Close() error {
	if b.closed.CompareAndSwap(false, true) {
		envelopeBuffers.Put(b.buf)
	}
	return nil
}

var responseBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 4096)) }}

func releaseResponseBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // let an unusually large answer's buffer go
	}
	b.Reset()
	responseBuffers.Put(b)
}
