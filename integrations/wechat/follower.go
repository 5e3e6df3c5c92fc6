package wechat

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/silenceper/wechat/v2/officialaccount/user"
)

// Subscribed reports whether openid follows (关注) the account; template
// messages reach only followers. WeChat no longer gives nicknames or
// avatars here, and the client asks for nothing else. Errors: Invalid for an
// empty openid, NotFound for one WeChat does not know, Unavailable, Timeout.
func (c *Client) Subscribed(ctx context.Context, openID string) (bool, error) {
	if openID == "" {
		return false, domain.Errorf(domain.Invalid, "缺少微信用户标识，请从公众号重新进入")
	}
	var subscribed bool
	err := c.call(ctx, "user_info", true, func(ctx context.Context) error {
		info, err := withToken(ctx, c, func() (*user.Info, error) { return c.user.GetUserInfo(openID) })
		if err != nil {
			return err
		}
		subscribed = info.Subscribe == 1
		return nil
	})
	return subscribed, err
}
