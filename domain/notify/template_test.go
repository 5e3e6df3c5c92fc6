package notify_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/notify"
)

var at = time.Date(2026, 5, 12, 9, 30, 0, 0, domain.Beijing)

// application are the params of a notice about one application.
func application(status string) notify.Params {
	return notify.Params{Matter: "城乡居民养老保险待遇申领", ApplicationID: "A2605120001", Status: status,
		Link: "/progress/A2605120001", At: at}
}

func TestRenderEveryKindInChinese(t *testing.T) {
	cert := notify.Params{Name: "张*", Year: "2026", Deadline: "2026年12月31日"}
	transfer := notify.Params{Insurance: "企业职工基本养老保险", From: "沈阳市", To: "丹东市", Status: "转入地已接收", At: at}
	tests := []struct {
		kind     notify.Kind
		p        notify.Params
		sms      string
		status   string // the status words both routes must carry
		wechat   string // a keyword the WeChat message must carry
		smsParam string
	}{
		{notify.KindProgress, application("已受理"), notify.SMSTemplateProgress, "已受理", "A2605120001", "applicationId"},
		{notify.KindMaterialsNeeded, application(""), notify.SMSTemplateProgress, "需补齐材料", "城乡居民养老保险待遇申领", "matter"},
		{notify.KindCompleted, application(""), notify.SMSTemplateProgress, "已办结", "2026年5月12日 09:30", "matter"},
		{notify.KindRejected, application(""), notify.SMSTemplateProgress, "未通过", "A2605120001", "matter"},
		{notify.KindRatingReminder, application(""), notify.SMSTemplateProgress, "已办结，欢迎您对本次服务作出评价", "A2605120001", "matter"},
		{notify.KindPaymentReceived, func() notify.Params { p := application(""); p.Amount = 123456; return p }(),
			notify.SMSTemplateProgress, "缴费已到账，金额1,234.56元", "A2605120001", "matter"},
		{notify.KindCertReminder, cert, notify.SMSTemplateCertReminder, "", "2026年12月31日", "deadline"},
		{notify.KindTransferStatus, transfer, notify.SMSTemplateTransferStatus, "转入地已接收", "沈阳市转入丹东市", "insurance"},
	}
	if len(tests) != len(notify.Kinds) {
		t.Fatalf("%d kinds tested; want all %d", len(tests), len(notify.Kinds))
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			m, err := notify.Render(tt.kind, tt.p, "https://hrss.dandong.gov.cn/h5/")
			if err != nil {
				t.Fatal(err)
			}
			if m.SMS.Template != tt.sms || m.SMS.Params[tt.smsParam] == "" {
				t.Errorf("SMS = %s %v; want template %s with %s", m.SMS.Template, m.SMS.Params, tt.sms, tt.smsParam)
			}
			if tt.status != "" && m.SMS.Params["status"] != tt.status {
				t.Errorf("SMS status = %q; want %q", m.SMS.Params["status"], tt.status)
			}
			values := slices.Collect(maps.Values(m.WeChat.Data))
			if !slices.Contains(values, tt.wechat) || (tt.status != "" && !slices.Contains(values, tt.status)) {
				t.Errorf("WeChat data %v; want %q and status %q", m.WeChat.Data, tt.wechat, tt.status)
			}
			if !hasHan(m.WeChat.Data[notify.FieldFirst]) || !hasHan(m.WeChat.Data[notify.FieldRemark]) {
				t.Errorf("WeChat heading %q, remark %q; want Chinese", m.WeChat.Data[notify.FieldFirst], m.WeChat.Data[notify.FieldRemark])
			}
			if m.WeChat.Kind != tt.kind {
				t.Errorf("WeChat kind = %s; want %s", m.WeChat.Kind, tt.kind)
			}
		})
	}
}

func TestRenderLinkAndNote(t *testing.T) {
	p := application("需补齐材料")
	p.Note = "请补充提供户口簿首页复印件"
	m, err := notify.Render(notify.KindMaterialsNeeded, p, "https://hrss.dandong.gov.cn/h5/")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://hrss.dandong.gov.cn/h5/progress/A2605120001"; m.WeChat.URL != want {
		t.Errorf("URL = %q; want %q", m.WeChat.URL, want)
	}
	if r := m.WeChat.Data[notify.FieldRemark]; !strings.HasPrefix(r, "说明：请补充提供户口簿首页复印件\n") {
		t.Errorf("remark = %q; want staff's note first", r)
	}
	p.Matter = strings.Repeat("长", 50)
	m, _ = notify.Render(notify.KindProgress, p, "")
	if got := []rune(m.SMS.Params["matter"]); len(got) != 35 || got[34] != '…' {
		t.Errorf("SMS matter %q has %d characters; want 35 ending in …", string(got), len(got))
	}
	if m.WeChat.URL != "" {
		t.Errorf("URL without a link base = %q; want none", m.WeChat.URL)
	}
}

func TestRenderNamesMissingParams(t *testing.T) {
	tests := []struct {
		kind notify.Kind
		p    notify.Params
		want []string
	}{
		{notify.KindProgress, notify.Params{}, []string{"params.matter", "params.applicationId", "params.status"}},
		{notify.KindCompleted, notify.Params{Matter: "x", ApplicationID: "A1", Link: "progress"}, []string{"params.link"}},
		{notify.KindCertReminder, notify.Params{Name: "张*"}, []string{"params.year", "params.deadline"}},
		{notify.KindTransferStatus, notify.Params{Insurance: "x", From: "y", To: "z"}, []string{"params.status"}},
		{"sms_marketing", application("x"), []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			_, err := notify.Render(tt.kind, tt.p, "")
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid {
				t.Fatalf("err = %v; want Invalid", err)
			}
			var got []string
			for _, f := range de.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestForEvent(t *testing.T) {
	to := notify.Recipient{PersonRef: "p1"}
	for _, k := range acceptance.EventKinds {
		ev := acceptance.Event{ID: "EV-" + string(k), ApplicationID: "A1", Kind: k, Comment: "说明", At: at}
		n, ok := notify.ForEvent(ev, "失业保险金申领", to)
		staffOnly := k == acceptance.EventClaimed || k == acceptance.EventReleased || k == acceptance.EventGrabbed ||
			k == acceptance.EventTransferred || k == acceptance.EventStepCompleted || k == acceptance.EventSentBack ||
			k == acceptance.EventRevoked
		if ok == staffOnly {
			t.Errorf("%s: notifies = %v; want %v", k, ok, !staffOnly)
			continue
		}
		if !ok {
			continue
		}
		if n.DedupKey != "event:EV-"+string(k) || n.Params.Status != k.Label() || n.Params.Link != "/progress/A1" {
			t.Errorf("%s: notice %+v; want key event:EV-%s, status %s, link /progress/A1", k, n, k, k.Label())
		}
		if _, err := notify.Render(n.Kind, n.Params, ""); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if n, _ := notify.ForEvent(acceptance.Event{ID: "E", Kind: acceptance.EventReturnedForMaterials}, "x", to); n.Kind != notify.KindMaterialsNeeded {
		t.Errorf("returned for materials gives %s; want %s", n.Kind, notify.KindMaterialsNeeded)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
