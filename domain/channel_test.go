package domain

import "testing"

func TestParseChannel(t *testing.T) {
	tests := []struct {
		in   string
		want Channel
	}{
		{"kiosk", Kiosk},
		{"app", App},
		{"wechat", WeChat},
		{"WeChat", WeChat},
		{" enterprise ", Enterprise},
		{"COUNTER", Counter},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseChannel(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q, nil", got, err, tt.want)
			}
		})
	}
}

func TestParseChannelRejects(t *testing.T) {
	for _, in := range []string{"", "web", "miniapp", "自助一体机"} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseChannel(in)
			if got != "" {
				t.Errorf("got %q; want empty", got)
			}
			checkFieldError(t, err, "channel", "不支持的办理渠道")
		})
	}
}

func TestChannelLabel(t *testing.T) {
	tests := []struct {
		c    Channel
		want string
	}{
		{Kiosk, "自助一体机"},
		{App, "智慧人社APP"},
		{WeChat, "人社公众号"},
		{Enterprise, "企业网上申报"},
		{Counter, "服务大厅窗口"},
		{"fax", "未知渠道"},
	}
	for _, tt := range tests {
		t.Run(string(tt.c), func(t *testing.T) {
			if got := tt.c.Label(); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestChannelsAllParse(t *testing.T) {
	if len(Channels) != len(channelLabels) {
		t.Errorf("got %d channels; want %d, one per label", len(Channels), len(channelLabels))
	}
	for _, c := range Channels {
		if got, err := ParseChannel(string(c)); err != nil || got != c {
			t.Errorf("ParseChannel(%q): got %q, %v; want %q, nil", c, got, err, c)
		}
	}
}
