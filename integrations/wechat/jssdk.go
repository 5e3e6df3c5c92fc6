package wechat

import (
	"context"
	"net/url"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
)

// JSConfig is what an H5 page passes to wx.config to use the JS-SDK
// (scanning, choosing images for uploads, sharing). Field names follow
// wx.config.
type JSConfig struct {
	AppID     string `json:"appId"`
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// JSConfig signs pageURL, the full address of the page calling wx.config,
// with the account's jsapi_ticket (fetched once and cached like the access
// token): signature = sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…").
// WeChat signs the URL without its #fragment, so it is cut here. Errors:
// Invalid for a URL that is not absolute http(s), Unavailable, Timeout.
func (c *Client) JSConfig(ctx context.Context, pageURL string) (JSConfig, error) {
	pageURL, _, _ = strings.Cut(pageURL, "#")
	if u, err := url.Parse(pageURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return JSConfig{}, domain.InvalidFields(domain.FieldError{Field: "url", Message: "页面地址应为完整的http或https地址"})
	}
	var out JSConfig
	err := c.call(ctx, "jsapi_config", true, func(ctx context.Context) error {
		cfg, err := c.js.GetConfigContext(ctx, pageURL)
		if err != nil {
			return err
		}
		out = JSConfig{AppID: cfg.AppID, Timestamp: cfg.Timestamp, NonceStr: cfg.NonceStr, Signature: cfg.Signature}
		return nil
	})
	return out, err
}
