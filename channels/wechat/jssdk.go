package wechat

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/danielgtaylor/huma/v2"
)

// WxJSConfigInput names the page that calls wx.config.
type WxJSConfigInput struct {
	Body struct {
		URL string `json:"url" minLength:"8" maxLength:"1024" doc:"调用 wx.config 的页面完整地址（location.href，#之后的部分会被忽略）"`
	}
}

// WxJSConfigOutput is what the page passes to wx.config.
type WxJSConfigOutput struct {
	Body struct {
		AppID     string `json:"appId"`
		Timestamp int64  `json:"timestamp"`
		NonceStr  string `json:"nonceStr"`
		Signature string `json:"signature"`
	}
}

func (c *Channel) registerJSSDK(api huma.API) {
	huma.Register(api, c.op(api, public, http.MethodPost, "/jssdk/config", "jssdk-config",
		"JS-SDK：为 H5 页面签名 wx.config"), c.jsConfig)
}

// jsConfig signs pages of this site only: the account's ticket must not
// sign pages someone else serves.
func (c *Channel) jsConfig(ctx context.Context, in *WxJSConfigInput) (*WxJSConfigOutput, error) {
	if !c.ownPage(in.Body.URL) {
		return nil, domain.InvalidFields(domain.FieldError{Field: "url", Message: "只能为本站的 H5 页面签名"})
	}
	cfg, err := c.platform.JSConfig(ctx, in.Body.URL)
	if err != nil {
		return nil, err
	}
	out := &WxJSConfigOutput{}
	out.Body.AppID, out.Body.Timestamp, out.Body.NonceStr, out.Body.Signature = cfg.AppID, cfg.Timestamp, cfg.NonceStr, cfg.Signature
	return out, nil
}

// ownPage reports whether raw is a page under this site's /h5/.
func (c *Channel) ownPage(raw string) bool {
	u, err := url.Parse(raw)
	site, _ := url.Parse(c.public)
	return err == nil && site != nil && u.Scheme == site.Scheme && u.Host == site.Host &&
		strings.HasPrefix(u.Path, strings.TrimRight(site.Path, "/")+"/h5/")
}
