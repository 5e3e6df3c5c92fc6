package wechat

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// SendTemplate sends a template message (模板消息) — the progress notice of
// an application, say — to a follower. templateID is the id the platform
// assigned when the template was added; data fills its fields by name
// ("first", "keyword1", "remark"…); url is where tapping the message goes
// (empty: nowhere). It returns WeChat's message id.
//
// It is never retried: WeChat may have delivered the message when its
// answer was lost, and a citizen must not get the same notice twice.
// Errors: Invalid for an empty openid or template, Rejected when the
// citizen does not follow the account, NotFound for an openid WeChat does
// not know, Unavailable or Timeout, Internal for an unknown template.
func (c *Client) SendTemplate(ctx context.Context, openID, templateID, url string, data map[string]string) (int64, error) {
	if openID == "" || templateID == "" {
		return 0, domain.Errorf(domain.Invalid, "模板消息缺少接收人或模板")
	}
	msg := &message.TemplateMessage{ToUser: openID, TemplateID: templateID, URL: url,
		Data: make(map[string]*message.TemplateDataItem, len(data))}
	for k, v := range data {
		msg.Data[k] = &message.TemplateDataItem{Value: v}
	}
	var msgID int64
	err := c.call(ctx, "template_send", false, func(ctx context.Context) error {
		id, err := withToken(ctx, c, func() (int64, error) { return c.tmpl.Send(msg) })
		msgID = id
		return err
	})
	return msgID, err
}

// SendSubscribe sends a subscribe message (订阅通知) to a follower who has
// accepted the template in the account's subscribe pop-up; page is where
// tapping it goes. Like SendTemplate it is never retried. Errors: Invalid,
// Rejected when the citizen has not accepted this notice or does not
// follow the account, NotFound, Unavailable, Timeout, Internal.
func (c *Client) SendSubscribe(ctx context.Context, openID, templateID, page string, data map[string]string) error {
	if openID == "" || templateID == "" {
		return domain.Errorf(domain.Invalid, "订阅通知缺少接收人或模板")
	}
	msg := &message.SubscribeMessage{ToUser: openID, TemplateID: templateID, Page: page,
		Data: make(map[string]*message.SubscribeDataItem, len(data))}
	for k, v := range data {
		msg.Data[k] = &message.SubscribeDataItem{Value: v}
	}
	return c.call(ctx, "subscribe_send", false, func(ctx context.Context) error {
		_, err := withToken(ctx, c, func() (struct{}, error) { return struct{}{}, c.sub.Send(msg) })
		return err
	})
}
