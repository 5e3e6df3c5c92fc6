package notifysend

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// WeChatConfig says which of the account's message templates carry which
// kind of notice.
type WeChatConfig struct {
	// Templates maps each kind to the template id the platform assigned when
	// the template was added to the account (模板ID); a kind missing here is
	// sent by SMS. DefaultTemplates suits the simulator.
	Templates map[notify.Kind]string
	// Subscribe sends subscribe messages (订阅通知) instead of template
	// messages, for accounts whose templates were moved to the subscribe
	// scheme with the same fields.
	Subscribe bool
}

// DefaultTemplates are template ids for the simulator, which accepts any;
// production configures the ids the platform assigned.
func DefaultTemplates() map[notify.Kind]string {
	out := make(map[notify.Kind]string, len(notify.Kinds))
	for _, k := range notify.Kinds {
		out[k] = "HRSS_TPL_" + string(k)
	}
	return out
}

// WeChat sends notices to followers of the account and tells who follows.
type WeChat struct {
	client *wechat.Client
	cfg    WeChatConfig
}

var (
	_ notify.WeChatSender = (*WeChat)(nil)
	_ notify.Follower     = (*WeChat)(nil)
)

// NewWeChat returns the WeChat sender over client.
func NewWeChat(client *wechat.Client, cfg WeChatConfig) *WeChat {
	return &WeChat{client: client, cfg: cfg}
}

// SendWeChat implements notify.WeChatSender.
func (a *WeChat) SendWeChat(ctx context.Context, openID string, m notify.WeChatMessage) (string, error) {
	tpl := a.cfg.Templates[m.Kind]
	if tpl == "" {
		return "", unknownKind()
	}
	if a.cfg.Subscribe {
		return "", settled(a.client.SendSubscribe(ctx, openID, tpl, m.URL, m.Data))
	}
	id, err := a.client.SendTemplate(ctx, openID, tpl, m.URL, m.Data)
	if err != nil {
		return "", settled(err)
	}
	return strconv.FormatInt(id, 10), nil
}

// Subscribed implements notify.Follower. An openid WeChat does not know
// (NotFound) follows nothing.
func (a *WeChat) Subscribed(ctx context.Context, openID string) (bool, error) {
	ok, err := a.client.Subscribed(ctx, openID)
	if domain.IsCode(err, domain.NotFound) {
		return false, nil
	}
	return ok, err
}
