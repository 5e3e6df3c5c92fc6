package wechat

import (
	"context"
	"net/http"

	"github.com/dandong-hrss/hrss/domain/catalog"
	wx "github.com/dandong-hrss/hrss/integrations/wechat"
)

// Platform is what the channel asks of the WeChat official-account
// platform; *wechat.Client (integrations/wechat) implements it.
type Platform interface {
	// AuthorizeURL is where to send a follower's browser for silent web
	// authorization (snsapi_base) back to redirectURI with a code and state.
	AuthorizeURL(redirectURI, state string) string
	// OpenID exchanges an authorization code for the follower's openid.
	// Errors: Invalid for an unknown, expired or used code; Unavailable,
	// Timeout; Internal.
	OpenID(ctx context.Context, code string) (string, error)
	// JSConfig signs pageURL for wx.config. Errors: Invalid, Unavailable,
	// Timeout.
	JSConfig(ctx context.Context, pageURL string) (wx.JSConfig, error)
	// MessageServer is the handler of the account's server URL: signature
	// check, safe-mode decryption, h's reply encrypted back.
	MessageServer(h wx.Handler) http.Handler
}

// MenuSetter replaces the account's custom menu; *wechat.Client
// implements it.
type MenuSetter interface {
	SetMenu(ctx context.Context, m wx.Menu) error
}

// Catalog is what the channel reads of the matter catalog (事项库);
// *catalog.Service implements it.
type Catalog interface {
	List(f catalog.Filter) []catalog.Summary
	Matter(code string) (catalog.Matter, error)
	Form(code, situation string) (catalog.Form, error)
}
