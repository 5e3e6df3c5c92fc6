package admin_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain/notify"
)

// toReview queues a notice for person and leaves it as a dispatcher that
// lost track of an SMS does: under review.
func (e *env) toReview(t testing.TB, key, person, phone string) int64 {
	t.Helper()
	ctx := context.Background()
	sealed, err := e.sealer.Seal(phone)
	must(t, err)
	_, err = e.notify.Enqueue(ctx, notify.Notice{DedupKey: key, Kind: notify.KindProgress,
		To:     notify.Recipient{PersonRef: person, PhoneSealed: sealed, Channel: "wechat"},
		Params: notify.Params{Matter: "养老保险待遇资格认证", ApplicationID: "A1", Status: "已受理", Link: "/progress/A1"}})
	must(t, err)
	claimed, err := e.notices.Claim(ctx, e.clock.Now().Add(time.Second), 10, time.Minute)
	must(t, err)
	if len(claimed) != 1 {
		t.Fatalf("claimed %d notices; want 1", len(claimed))
	}
	n := claimed[0]
	must(t, e.notices.Settle(ctx, n.ID, n.Lease, notify.Settlement{State: notify.StateReview, Route: notify.RouteSMS,
		LastError: "发送中断，结果未知", At: e.clock.Now()}))
	return n.ID
}

func TestNoticeReview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.toReview(t, "event:e1", "person-ref-1", "13812345678")

	var l struct {
		Items []struct {
			ID                                 int64
			KindName, Phone, Matter, RouteName string
		}
	}
	list := e.do(t, "GET", "/admin/v1/notices/reviews", operatorToken, nil).want(t, 200)
	list.decode(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("got %d notices under review; want 1", len(l.Items))
	}
	it := l.Items[0]
	if it.ID != id || it.Phone != "138****5678" || it.KindName != "办件进度" || it.RouteName != "短信" {
		t.Errorf("got %+v; want notice %d to 138****5678, 办件进度 by 短信", it, id)
	}
	if strings.Contains(string(list.body), "13812345678") {
		t.Errorf("the list shows the raw phone: %s", list.body)
	}

	path := "/admin/v1/notices/" + strconv.FormatInt(id, 10) + "/resolve"
	e.do(t, "POST", path, operatorToken, map[string]any{}).want(t, 400) // delivered must be said
	var res struct{ State string }
	e.do(t, "POST", path, operatorToken, map[string]bool{"delivered": true}).want(t, 200).decode(t, &res)
	if res.State != "sent" {
		t.Errorf("resolved: got %q; want sent", res.State)
	}
	rec, err := e.notify.Find(context.Background(), "event:e1")
	if err != nil || rec.State != notify.StateSent {
		t.Errorf("the outbox: got %q, %v; want sent", rec.State, err)
	}
	e.do(t, "POST", path, operatorToken, map[string]bool{"delivered": false}).want(t, 404)

	rows := e.auditRows(t, 3)
	got := []string{}
	for _, r := range rows {
		got = append(got, r.Action+":"+r.Outcome+":"+r.SubjectRef)
	}
	want := "notify.review.read:ok:person-ref-1,notify.review.resolve:ok:,notify.review.resolve:not_found:"
	if strings.Join(got, ",") != want {
		t.Errorf("audited: got %v; want %s", got, want)
	}
}

func TestNoticeResentWhenNotDelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.toReview(t, "event:e2", "person-ref-2", "13912345678")
	var res struct{ State, StateName string }
	e.do(t, "POST", "/admin/v1/notices/"+strconv.FormatInt(id, 10)+"/resolve", operatorToken,
		map[string]bool{"delivered": false}).want(t, 200).decode(t, &res)
	rec, err := e.notify.Find(context.Background(), "event:e2")
	if res.State != "pending" || err != nil || rec.State != notify.StatePending {
		t.Errorf("got answer %+v, outbox %q %v; want the notice pending again", res, rec.State, err)
	}
}
