package domain

import "strings"

// Channel is the self-service channel an application or query came through.
// It is recorded on every application so progress notices go back the same
// way and the monitoring can count load per channel.
type Channel string

// The channels. Counter is the service-hall window (服务大厅窗口), where
// staff enter an application on a citizen's behalf.
const (
	Kiosk      Channel = "kiosk"      // 自助查询一体机 in the service hall
	App        Channel = "app"        // 丹东智慧人社APP
	WeChat     Channel = "wechat"     // 丹东人社公众号
	Enterprise Channel = "enterprise" // 企业网上申报, employer clerks
	Counter    Channel = "counter"    // 服务大厅窗口
)

// Channels lists every channel, for tables that must cover them all.
var Channels = []Channel{Kiosk, App, WeChat, Enterprise, Counter}

var channelLabels = map[Channel]string{
	Kiosk:      "自助一体机",
	App:        "智慧人社APP",
	WeChat:     "人社公众号",
	Enterprise: "企业网上申报",
	Counter:    "服务大厅窗口",
}

// ParseChannel reads a channel name as stored or sent ("kiosk", "WeChat"),
// ignoring case and surrounding spaces. An unknown name is an Invalid *Error
// on "channel".
func ParseChannel(s string) (Channel, error) {
	c := Channel(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := channelLabels[c]; !ok {
		return "", InvalidFields(FieldError{Field: "channel", Message: "不支持的办理渠道"})
	}
	return c, nil
}

// Label returns the channel's Chinese name as citizens know it, for progress
// pages and notices ("您通过人社公众号提交的申请…"); "未知渠道" for an
// unknown value.
func (c Channel) Label() string {
	if l, ok := channelLabels[c]; ok {
		return l
	}
	return "未知渠道"
}
