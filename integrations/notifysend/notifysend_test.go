package notifysend_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/notifysend"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/sms"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

const phone = "13812345678"

// accepted is the event of the counter core accepting application A1.
func accepted(id string) acceptance.Event {
	return acceptance.Event{ID: id, CaseNo: "C1", Seq: 1, ApplicationID: "A2605120001", Kind: acceptance.EventAccepted,
		Status: acceptance.StatusInProgress, At: time.Date(2026, 5, 12, 9, 30, 0, 0, domain.Beijing)}
}

func progress(t *testing.T, w *world, eventID, openID string) notify.Notice {
	t.Helper()
	n, ok := notify.ForEvent(accepted(eventID), "失业保险金申领", w.recipient(t, phone, openID))
	if !ok {
		t.Fatal("accepted events must notify")
	}
	return n
}

func TestFollowerGetsWeChat(t *testing.T) {
	w := newWorld(t, sqlite(t))
	w.enqueue(t, progress(t, w, "EV1", follower))
	w.deliver(t)
	msgs := w.wechatMessages(t, follower)
	if len(msgs) != 1 {
		t.Fatalf("%d WeChat messages; want 1", len(msgs))
	}
	m := msgs[0]
	if m.TemplateID != "HRSS_TPL_progress_update" || m.URL != linkBase+"/progress/A2605120001" ||
		m.Data["keyword1"] != "失业保险金申领" || m.Data["keyword3"] != "已受理" || m.Data["first"] != "您办理的事项有新进度" {
		t.Errorf("WeChat message %+v; want the progress template, link and Chinese fields with 已受理", m)
	}
	if got := w.texts(t, phone); len(got) != 0 {
		t.Errorf("%d texts to a follower; want 0", len(got))
	}
	if r := w.record(t, "event:EV1"); r.State != notify.StateSent || r.Route != notify.RouteWeChat || r.MessageID == "" {
		t.Errorf("record %s by %s id %q; want sent by WeChat with its msgid", r.State, r.Route, r.MessageID)
	}
}

func TestNonFollowerGetsSMS(t *testing.T) {
	for _, openID := range []string{stranger, ""} {
		t.Run(fmt.Sprintf("openid %q", openID), func(t *testing.T) {
			w := newWorld(t, sqlite(t))
			w.enqueue(t, progress(t, w, "EV1", openID))
			w.deliver(t)
			texts := w.texts(t, phone)
			if len(texts) != 1 {
				t.Fatalf("%d texts; want 1", len(texts))
			}
			want := "【丹东人社】您办理的“失业保险金申领”（办件编号A2605120001）已受理，详情请在丹东智慧人社APP或丹东人社公众号查看。"
			if texts[0].Content != want {
				t.Errorf("text %q; want %q", texts[0].Content, want)
			}
			if got := w.wechatMessages(t, ""); len(got) != 0 {
				t.Errorf("%d WeChat messages; want 0", len(got))
			}
			if r := w.record(t, "event:EV1"); r.Route != notify.RouteSMS || r.MessageID != texts[0].MessageID {
				t.Errorf("record by %s id %q; want SMS %s", r.Route, r.MessageID, texts[0].MessageID)
			}
		})
	}
}

func TestWeChatDownFallsBackToSMS(t *testing.T) {
	w := newWorld(t, sqlite(t))
	if err := simulator.SetFaults(context.Background(), w.wechatURL, simulator.Faults{Down: true}); err != nil {
		t.Fatal(err)
	}
	w.enqueue(t, progress(t, w, "EV1", follower))
	w.deliver(t)
	if texts := w.texts(t, phone); len(texts) != 1 || !strings.Contains(texts[0].Content, "已受理") {
		t.Fatalf("texts %v; want the notice by SMS", texts)
	}
	if r := w.record(t, "event:EV1"); r.State != notify.StateSent || r.Route != notify.RouteSMS {
		t.Errorf("record %s by %s; want sent by SMS", r.State, r.Route)
	}
}

func TestDuplicateEnqueueSendsOnce(t *testing.T) {
	w := newWorld(t, sqlite(t))
	// The webhook and the poll both deliver event EV1.
	for i, want := range []bool{true, false, false} {
		if got := w.enqueue(t, progress(t, w, "EV1", "")); got != want {
			t.Errorf("enqueue #%d added = %v; want %v", i+1, got, want)
		}
		w.deliver(t)
	}
	if texts := w.texts(t, phone); len(texts) != 1 {
		t.Errorf("%d texts; want 1", len(texts))
	}
}

func TestRateLimitDefersTheEleventh(t *testing.T) {
	w := newWorld(t, sqlite(t))
	for i := range 11 {
		w.enqueue(t, progress(t, w, fmt.Sprint("EV", i), ""))
		w.clock.Advance(time.Minute)
	}
	w.deliver(t)
	if got := len(w.texts(t, phone)); got != 10 {
		t.Fatalf("%d texts within the hour; want 10", got)
	}
	eleventh := w.record(t, "event:EV10")
	if want := w.record(t, "event:EV0").SlotAt.Add(time.Hour); eleventh.State != notify.StatePending || !eleventh.NextAttemptAt.Equal(want) {
		t.Errorf("11th: %s due %v; want pending until %v", eleventh.State, eleventh.NextAttemptAt, want)
	}
	w.clock.Advance(48 * time.Minute) // 59 minutes after the first
	w.deliver(t)
	if got := len(w.texts(t, phone)); got != 10 {
		t.Errorf("%d texts 59 minutes after the first; want still 10", got)
	}
	w.clock.Advance(time.Minute)
	w.deliver(t)
	if got := len(w.texts(t, phone)); got != 11 {
		t.Errorf("%d texts an hour after the first; want 11 (deferred, not dropped)", got)
	}
}

// Every kind's SMS fills a template the gateway has on file, completely.
func TestEveryKindTextsInChinese(t *testing.T) {
	w := newWorld(t, sqlite(t))
	app := notify.Params{Matter: "企业职工基本养老保险关系转移", ApplicationID: "A2605120009",
		Link: "/progress/A2605120009", Amount: 35000}
	progress := app
	progress.Status = "审批通过"
	params := map[notify.Kind]notify.Params{
		notify.KindProgress:       progress,
		notify.KindCertReminder:   {Name: "王*", Year: "2026", Deadline: "2026年12月31日"},
		notify.KindTransferStatus: {Insurance: "企业职工基本养老保险", From: "沈阳市", To: "丹东市", Status: "转入地已接收"},
	}
	for i, k := range notify.Kinds {
		p, ok := params[k]
		if !ok {
			p = app
		}
		n := notify.Notice{DedupKey: fmt.Sprint("kind:", k), Kind: k, Params: p, To: w.recipient(t, phone, "")}
		n.To.PersonRef += fmt.Sprint(i) // stay clear of the rate limit
		w.enqueue(t, n)
	}
	w.deliver(t)
	texts := w.texts(t, phone)
	if len(texts) != len(notify.Kinds) {
		t.Fatalf("%d texts; want %d, one per kind", len(texts), len(notify.Kinds))
	}
	wants := []string{"）审批通过，", "）需补齐材料，", "）已办结，详情", "）未通过，", "）已办结，欢迎您对本次服务作出评价，",
		"王*您好，您2026年度养老保险待遇资格认证尚未完成", "沈阳市转入丹东市）转入地已接收", "）缴费已到账，金额350.00元，"}
	all := ""
	for _, m := range texts {
		if strings.Contains(m.Content, "${") || !strings.HasPrefix(m.Content, "【丹东人社】") {
			t.Errorf("text %q; want a filled template with the sign", m.Content)
		}
		all += m.Content + "\n"
	}
	for _, want := range wants {
		if !strings.Contains(all, want) {
			t.Errorf("texts lack %q:\n%s", want, all)
		}
	}
}

func TestSMSTemplateIDsAreTheFiledOnes(t *testing.T) {
	pairs := [][2]string{
		{notify.SMSTemplateProgress, sms.TemplateProgress},
		{notify.SMSTemplateCertReminder, sms.TemplateCertReminder},
		{notify.SMSTemplateTransferStatus, sms.TemplateTransferStatus},
	}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("notify uses template %s; the gateway files %s", p[0], p[1])
		}
	}
	if got := len(notifysend.DefaultTemplates()); got != len(notify.Kinds) {
		t.Errorf("%d default WeChat templates; want one per kind (%d)", got, len(notify.Kinds))
	}
}

// A platform that answers "busy" did not take the text: try again later.
// One that hangs up may have: never text again, ask staff.
func TestSMSPlatformTrouble(t *testing.T) {
	tests := []struct {
		name   string
		faults simulator.Faults
		want   notify.State
		texts  int // after the platform recovers and time passes
	}{
		{"busy is retried", simulator.Faults{ErrorRate: 1}, notify.StatePending, 1},
		{"hang-up goes to review", simulator.Faults{Down: true}, notify.StateReview, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, sqlite(t))
			ctx := context.Background()
			simulator.SetFaults(ctx, w.smsURL, tt.faults)
			w.enqueue(t, progress(t, w, "EV1", ""))
			w.deliver(t)
			if r := w.record(t, "event:EV1"); r.State != tt.want || r.InFlight != "" {
				t.Fatalf("after the failure: %s, in flight %q (%s); want %s", r.State, r.InFlight, r.LastError, tt.want)
			}
			simulator.SetFaults(ctx, w.smsURL, simulator.Faults{})
			w.clock.Advance(2 * time.Hour)
			w.deliver(t)
			if got := len(w.texts(t, phone)); got != tt.texts {
				t.Errorf("%d texts after recovery; want %d", got, tt.texts)
			}
		})
	}
}

// The notify tables hold the phone sealed only, on both databases.
func TestRawPhoneNeverStored(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"mysql", storetest.MySQL}} {
		t.Run(d.name, func(t *testing.T) {
			w := newWorld(t, d.open(t))
			n := progress(t, w, "EV1", "")
			n.Params.Note = "如有疑问请回电" + phone
			w.enqueue(t, n)
			w.deliver(t)
			if len(w.texts(t, phone)) != 1 {
				t.Fatal("the notice was not texted")
			}
			for _, table := range []string{"notice", "notice_person"} {
				if cell := cellHolding(t, w.db, table, phone); cell != "" {
					t.Errorf("%s holds the raw phone in %s", table, cell)
				}
			}
			r := w.record(t, "event:EV1")
			if opened, err := w.sealer.Open(r.To.PhoneSealed); err != nil || opened != phone {
				t.Errorf("phone_sealed opens to %q, %v; want the phone", domain.Phone(opened), err)
			}
		})
	}
}

// cellHolding returns "column" of the first cell of table containing s.
func cellHolding(t *testing.T, db *store.DB, table, s string) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		cells := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cells {
			if strings.Contains(c.String, s) {
				return cols[i]
			}
		}
	}
	return ""
}
