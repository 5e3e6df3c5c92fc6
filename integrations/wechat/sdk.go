package wechat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// The SDK keeps two process-wide settings: the URI modifier applied to every
// URL it calls (util.SetURIModifier) and the http.Client it calls with
// (util.DefaultHTTPClient). Neither can be set per client, so this file owns
// both for the whole process:
//
//   - once, at the first New, it installs a modifier that rewrites
//     https://api.weixin.qq.com to the claimed base URL, and an http.Client
//     whose transport bounds every request by the claimed timeout, reads the
//     whole answer, and turns a non-200 status into a typed error;
//   - every Client claims the base URL it was configured with. Clients with
//     the same base URL share the claim; a Client with a different one is
//     refused until the others are closed. A process therefore talks to one
//     WeChat (the real one in production, one simulator in a test) at a time.
//     With no live client, calls go to an unresolvable host and fail: a
//     closed client never falls through to the real platform.
//
// Nothing else in the process may call util.SetURIModifier or replace
// util.DefaultHTTPClient.

// RealBaseURL is where the SDK's requests go when Config.BaseURL is empty.
const RealBaseURL = "https://api.weixin.qq.com"

// realAuthorizeURL is WeChat's web-authorization page, which the citizen's
// browser (not this client) visits.
const realAuthorizeURL = "https://open.weixin.qq.com"

// maxAnswer bounds what the transport reads of any answer.
const maxAnswer = 1 << 20

// fallbackTimeout bounds a request that outlives every claim (an abandoned
// call finishing after its Client closed).
const fallbackTimeout = 10 * time.Second

// claim is the process-wide routing of SDK requests.
type claim struct {
	base    string // like "http://127.0.0.1:1234", no trailing slash
	timeout time.Duration
}

var endpoint struct {
	install sync.Once
	current atomic.Pointer[claim] // read by the modifier and the transport

	mu       sync.Mutex
	base     string
	timeouts map[time.Duration]int // per-attempt timeouts of the live clients
}

// claimEndpoint routes the SDK to base for a new client whose attempts may
// last timeout; release undoes it.
func claimEndpoint(base string, timeout time.Duration) error {
	endpoint.install.Do(installSDKHooks)
	endpoint.mu.Lock()
	defer endpoint.mu.Unlock()
	if len(endpoint.timeouts) > 0 && endpoint.base != base {
		return fmt.Errorf("wechat: this process already sends WeChat API calls to %s; "+
			"close those clients before pointing one at %s", endpoint.base, base)
	}
	if endpoint.timeouts == nil {
		endpoint.timeouts = map[time.Duration]int{}
	}
	endpoint.base = base
	endpoint.timeouts[timeout]++
	publishClaim()
	return nil
}

func releaseEndpoint(timeout time.Duration) {
	endpoint.mu.Lock()
	defer endpoint.mu.Unlock()
	if endpoint.timeouts[timeout]--; endpoint.timeouts[timeout] <= 0 {
		delete(endpoint.timeouts, timeout)
	}
	publishClaim()
	if len(endpoint.timeouts) == 0 {
		// Connections dialled but never used would hold up the remote's
		// graceful shutdown (a simulator's, in tests) for seconds.
		util.DefaultHTTPClient.CloseIdleConnections()
	}
}

// publishClaim makes the transport use the longest timeout of the live
// clients, so that no client's attempt is cut short by another's policy;
// called with endpoint.mu held.
func publishClaim() {
	if len(endpoint.timeouts) == 0 {
		endpoint.current.Store(nil)
		return
	}
	var longest time.Duration
	for t := range endpoint.timeouts {
		longest = max(longest, t)
	}
	endpoint.current.Store(&claim{base: endpoint.base, timeout: longest})
}

func installSDKHooks() {
	util.SetURIModifier(rewriteURI)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // progress notices go out in bursts to one host
	util.DefaultHTTPClient = &http.Client{Transport: sdkTransport{next: tr}}
}

// closedBase is where calls go when no client holds a claim: a closed
// client must fail, not fall through to the real platform (from a test,
// say).
const closedBase = "http://wechat-client-closed.invalid"

// rewriteURI sends the SDK's API calls to the claimed base URL.
func rewriteURI(uri string) string {
	base := closedBase
	if c := endpoint.current.Load(); c != nil {
		base = c.base
	}
	if rest, ok := strings.CutPrefix(uri, RealBaseURL); ok && base != RealBaseURL {
		return base + rest
	}
	return uri
}

// sdkTransport is the transport of the SDK's http.Client. The SDK calls
// most APIs without a context, so this is where the timeout is enforced.
type sdkTransport struct{ next http.RoundTripper }

func (t sdkTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	timeout := fallbackTimeout
	if c := endpoint.current.Load(); c != nil {
		timeout = c.timeout
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	defer cancel()
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, err // cut off mid-answer, or the timeout struck
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{Status: resp.StatusCode, Body: string(bytes.TrimSpace(body[:min(len(body), 256)]))}
	}
	if len(body) > maxAnswer {
		return nil, errors.New("wechat: answer larger than 1 MiB")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// pooled connections.
func (t sdkTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// statusError is an answer with a status other than 200 (WeChat itself
// always answers 200; a proxy or gateway in between may not).
type statusError struct {
	Status int
	Body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("wechat answered HTTP %d: %s", e.Status, e.Body)
}

// secretRE finds credentials the SDK puts in URLs and error strings.
var secretRE = regexp.MustCompile(`([?&])(secret|access_token|code|refresh_token|ticket)=[^&\s,"]+`)

// redact removes the app secret, tokens and OAuth codes from a transport
// error before it reaches a log: the SDK's errors carry the full URL. A
// *url.Error keeps its type, so timeouts are still recognised.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u := ue.URL
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return &url.Error{Op: ue.Op, URL: u, Err: ue.Err}
	}
	if msg := err.Error(); secretRE.MatchString(msg) {
		return errors.New(secretRE.ReplaceAllString(msg, "$1$2=***"))
	}
	return err
}

// run calls a blocking SDK method and returns its result, or ctx's error as
// soon as ctx ends. The SDK takes no context for most APIs: an abandoned
// call keeps running in its goroutine until the transport's timeout ends it,
// and its result is dropped. For a send this means the message may still go
// out after the caller was told Timeout, as with any lost answer.
func run[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
