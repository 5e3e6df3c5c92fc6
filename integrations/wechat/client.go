// Package wechat is the client of the WeChat official-account platform
// (微信公众平台) behind the bureau's account 丹东人社公众号: web authorization
// of followers (OAuth2 snsapi_base → openid), their follow state, template
// and subscribe messages for progress notices, the custom menu, JS-SDK
// signatures for the H5 pages, and the callback through which WeChat pushes
// followers' messages and events to the bureau.
//
// It wraps github.com/silenceper/wechat/v2's officialaccount package (never
// the SDK's root package, whose init turns on debug logging of raw
// messages). Each call runs under a remote.Caller — breaker, metrics, and
// translation of WeChat's errcodes into domain errors. The SDK's
// process-wide settings are owned by this package: see sdk.go. Its blocking
// calls mostly take no context: a call the caller abandons is bounded by the
// transport's timeout instead (see run).
//
// The simulator in wechat/sim speaks the same endpoints over real HTTP.
package wechat

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	"github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/js"
	"github.com/silenceper/wechat/v2/officialaccount/menu"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/officialaccount/oauth"
	"github.com/silenceper/wechat/v2/officialaccount/user"
)

// Name is how citizens see the platform named in error messages.
const Name = "微信公众平台"

// Config is the account's credentials from the platform's developer settings
// (开发设置) and where to reach the platform.
type Config struct {
	AppID          string // 开发者ID, like "wx5d1a0c0e8f2b3a47"
	AppSecret      string // 开发者密码; never logged
	Token          string // 令牌 of the server configuration, signs callbacks
	EncodingAESKey string // 消息加解密密钥 (43 characters), for safe-mode callbacks
	// BaseURL replaces https://api.weixin.qq.com, for the simulator; empty
	// means the real platform. One per process: see sdk.go.
	BaseURL string
	Policy  remote.Policy
}

// Client talks to the platform for one official account. It is safe for
// concurrent use; make one per process and Close it on shutdown.
type Client struct {
	cfg     Config
	policy  remote.Policy
	caller  *remote.Caller
	cache   TokenCache
	oa      *officialaccount.OfficialAccount
	oauth   *oauth.Oauth
	user    *user.User
	tmpl    *message.Template
	sub     *message.Subscribe
	menu    *menu.Menu
	js      *js.Js
	tokenID string // the SDK's cache key of the stable token

	closeOnce sync.Once
}

// New returns a Client for cfg. cache keeps the access token and JS-SDK
// ticket between calls; nil keeps them in process memory, which suits the
// stable token (see TokenCache). Metrics go to reg under system label
// "wechat" (nil reg: none). New fails when cfg lacks credentials or when
// another live Client in the process points at a different BaseURL.
func New(cfg Config, cache TokenCache, reg prometheus.Registerer) (*Client, error) {
	if cfg.AppID == "" || cfg.AppSecret == "" || cfg.Token == "" {
		return nil, fmt.Errorf("wechat: app id, app secret and token are required")
	}
	if k := cfg.EncodingAESKey; k != "" {
		if b, err := base64.StdEncoding.DecodeString(k + "="); len(k) != 43 || err != nil || len(b) != 32 {
			return nil, fmt.Errorf("wechat: EncodingAESKey must be the 43 characters the platform shows")
		}
	}
	base, err := normalizeBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base
	if cache == nil {
		cache = newMemoryCache()
	}
	c := &Client{
		cfg:     cfg,
		policy:  withTimeout(cfg.Policy),
		cache:   flooredCache{cache},
		tokenID: fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyOfficialAccountPrefix, cfg.AppID),
	}
	if err := claimEndpoint(base, c.policy.Timeout); err != nil {
		return nil, err
	}
	c.caller = remote.NewCaller("wechat", Name, c.policy, reg)
	c.oa = officialaccount.NewOfficialAccount(&config.Config{
		AppID: cfg.AppID, AppSecret: cfg.AppSecret, Token: cfg.Token,
		EncodingAESKey: cfg.EncodingAESKey, Cache: c.cache, UseStableAK: true,
	})
	// The SDK creates these lazily without a lock; create them once here so
	// that concurrent requests never race on them.
	c.oauth, c.user, c.tmpl = c.oa.GetOauth(), c.oa.GetUser(), c.oa.GetTemplate()
	c.sub, c.menu, c.js = c.oa.GetSubscribe(), c.oa.GetMenu(), c.oa.GetJs()
	return c, nil
}

// withTimeout fills in the default timeout, which the transport must know.
func withTimeout(p remote.Policy) remote.Policy {
	if p.Timeout <= 0 {
		p.Timeout = remote.DefaultPolicy().Timeout
	}
	return p
}

func normalizeBase(base string) (string, error) {
	if base == "" {
		return RealBaseURL, nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("wechat: base URL %q is not an absolute http(s) URL", base)
	}
	return strings.TrimRight(base, "/"), nil
}

// Close releases the client's claim on the SDK's process-wide endpoint; a
// client with another BaseURL may be made afterwards. Calls after Close
// work while another client holds the same claim, and fail as Unavailable
// otherwise.
func (c *Client) Close() error {
	c.closeOnce.Do(func() { releaseEndpoint(c.policy.Timeout) })
	return nil
}

// BreakerState reports the platform's circuit breaker, for readiness pages.
func (c *Client) BreakerState() string { return c.caller.BreakerState() }

// call runs fn under the Caller. If WeChat says the cached access token is
// stale (revoked, or expired inside the cache's floor), it is dropped and fn
// runs once more with a fresh one: WeChat refused the first request, so even
// a send is safe to repeat.
func (c *Client) call(ctx context.Context, op string, idempotent bool, fn func(ctx context.Context) error) error {
	return c.caller.Call(ctx, op, idempotent, func(ctx context.Context) error {
		err := fn(ctx)
		if staleToken(err) && ctx.Err() == nil {
			c.cache.Delete(c.tokenID)
			err = fn(ctx)
		}
		return translate(err)
	})
}

// withToken runs a blocking SDK method that needs the access token, after
// making sure one is cached, fetching it under ctx if not (the SDK's own
// fetch inside the method would ignore ctx).
func withToken[T any](ctx context.Context, c *Client, fn func() (T, error)) (T, error) {
	if _, err := c.oa.GetAccessTokenContext(ctx); err != nil {
		var zero T
		return zero, err
	}
	return run(ctx, fn)
}
