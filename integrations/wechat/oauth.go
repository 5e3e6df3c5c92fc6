package wechat

import (
	"context"
	"net/url"

	"github.com/dandong-hrss/hrss/domain"
)

// AuthorizePath is the web-authorization page (网页授权) on
// open.weixin.qq.com, or on the simulator when BaseURL is set.
const AuthorizePath = "/connect/oauth2/authorize"

// AuthorizeURL returns where to send a follower's browser so that WeChat
// redirects it back to redirectURI with a one-time code and state. The scope
// is snsapi_base: silent, no consent page, openid only — the bureau needs
// nothing else, since identity is proven by binding the openid to a person
// separately. redirectURI must be on the domain filed as the account's web
// authorization domain (网页授权域名).
func (c *Client) AuthorizeURL(redirectURI, state string) string {
	base := realAuthorizeURL
	if c.cfg.BaseURL != RealBaseURL {
		base = c.cfg.BaseURL
	}
	// WeChat checks the parameter order, so the query is built by hand.
	return base + AuthorizePath + "?appid=" + url.QueryEscape(c.cfg.AppID) +
		"&redirect_uri=" + url.QueryEscape(redirectURI) +
		"&response_type=code&scope=snsapi_base&state=" + url.QueryEscape(state) + "#wechat_redirect"
}

// OpenID exchanges the code WeChat appended to the redirect for the
// follower's openid, the account-specific pseudonym the bureau binds to a
// person. A code works once and for five minutes, so the exchange is never
// retried. Errors: Invalid "授权已失效，请重新进入" for an empty, unknown,
// expired or already used code; Unavailable or Timeout when the platform is
// in trouble; Internal when it refuses our credentials.
func (c *Client) OpenID(ctx context.Context, code string) (string, error) {
	if code == "" {
		return "", domain.Errorf(domain.Invalid, "授权已失效，请重新进入")
	}
	var openID string
	err := c.call(ctx, "oauth_code", false, func(ctx context.Context) error {
		res, err := c.oauth.GetUserAccessTokenContext(ctx, code)
		if err != nil {
			return err
		}
		if res.OpenID == "" {
			return domain.Errorf(domain.Internal, Name+"返回了无法识别的结果")
		}
		openID = res.OpenID
		return nil
	})
	return openID, err
}
