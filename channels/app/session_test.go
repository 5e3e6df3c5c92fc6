package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/app"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/payment"
	paysim "github.com/dandong-hrss/hrss/integrations/payment/sim"
)

// TestAppSession plays one citizen's session with the app over HTTP, from
// the first SMS code to acting for a parent.
func TestAppSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.samplePerson(t, "灵活就业", 0, false)
	parent := e.samplePerson(t, "退休", 0, true)
	const phone = "13912340001"

	// SMS login; a second code at once is throttled.
	s := e.login(t, phone)
	if s.account.Verified || s.account.Phone != "139****0001" {
		t.Fatalf("new account %+v; want unverified, phone masked", s.account)
	}
	again := e.do(t, call{method: "POST", path: "/auth/sms-codes", body: map[string]string{"phone": phone}})
	if again.status != 429 || again.header.Get("Retry-After") == "" {
		t.Errorf("second code at once: %d Retry-After %q; want 429 with Retry-After", again.status, again.header.Get("Retry-After"))
	}

	// Before binding, a person's records are out of reach.
	if a := e.do(t, call{method: "GET", path: "/pension/account", token: s.access}); a.status != 403 {
		t.Errorf("pension before real-name binding: %d; want 403", a.status)
	}
	e.bind(t, &s, me)
	if !s.account.Verified || s.account.IDNumber != domain.IDNumber(me.id).Masked() || strings.Contains(string(e.do(t, call{method: "GET", path: "/me", token: s.access}).body), me.id) {
		t.Fatalf("bound account %+v; want verified with the ID masked everywhere", s.account)
	}

	// Refresh rotation: the used refresh token is replaced.
	first := s.refresh
	var tok app.Tokens
	e.must(t, 200, call{method: "POST", path: "/auth/refresh", body: map[string]string{"refreshToken": first}}, &tok)
	if tok.RefreshToken == first || !tok.Account.Verified {
		t.Fatalf("refresh gave %+v; want a new refresh token and the binding", tok.Account)
	}
	s.access, s.refresh = tok.AccessToken, tok.RefreshToken

	eCard(t, e, s, me)
	jobSearch(t, e, s)
	pensionQuery(t, e, s)
	payContributions(t, e, s)
	actForParent(t, e, s, me, parent)

	// Replaying the first refresh token ends the whole sign-in.
	if a := e.do(t, call{method: "POST", path: "/auth/refresh", body: map[string]string{"refreshToken": first}}); a.status != 401 {
		t.Fatalf("replayed refresh token: %d; want 401", a.status)
	}
	if a := e.do(t, call{method: "POST", path: "/auth/refresh", body: map[string]string{"refreshToken": s.refresh}}); a.status != 401 {
		t.Errorf("current refresh token after a replay: %d; want 401 (the family is revoked)", a.status)
	}
}

// eCard signs the card, shows its QR code and has a counter verify it once.
func eCard(t *testing.T, e *env, s session, me person) {
	var card app.CardView
	e.must(t, 200, call{method: "POST", path: "/ecard", token: s.access, body: map[string]string{"name": me.name}}, &card)
	var qr app.QRView
	e.must(t, 200, call{method: "GET", path: "/ecard/qrcode", token: s.access}, &qr)
	img, err := png.Decode(bytes.NewReader(qr.Image))
	if err != nil || img.Bounds().Dx() != 256 || !strings.HasPrefix(qr.Payload, "DDHRSS:EC1:") || qr.RefreshIn < 55 || qr.RefreshIn > 60 {
		t.Fatalf("QR code: payload %q, refresh in %d s, image %v; want a 256px PNG good for 60 s", qr.Payload, qr.RefreshIn, err)
	}
	var next app.QRView
	e.must(t, 200, call{method: "GET", path: "/ecard/qrcode", token: s.access}, &next)
	if next.Payload == qr.Payload {
		t.Error("a fresh QR code repeats the last payload")
	}
	verify := call{method: "POST", path: "/ecard/verify", header: map[string]string{"X-Terminal-Key": terminalKey},
		body: map[string]string{"payload": qr.Payload}}
	var who app.Identity
	a := e.must(t, 200, verify, &who)
	if who.CardID != card.CardID || who.IDNumber != domain.IDNumber(me.id).Masked() || who.Name != domain.MaskName(me.name) || bytes.Contains(a.body, []byte(me.id)) {
		t.Errorf("verified identity %+v; want card %s, masked name and number", who, card.CardID)
	}
	if p := e.do(t, verify).problem(t); p.Status != 422 || !strings.Contains(p.Detail, "已使用") {
		t.Errorf("second verify of one code: %d %q; want 422 saying it was used", p.Status, p.Detail)
	}
	verify.header["X-Terminal-Key"] = "counter-01:guess"
	if a := e.do(t, verify); a.status != 401 {
		t.Errorf("unknown terminal key: %d; want 401", a.status)
	}
}

// jobSearch filters the board, opens a posting and registers as a seeker.
func jobSearch(t *testing.T, e *env, s session) {
	var page app.JobPage
	e.must(t, 200, call{method: "GET", path: "/jobs?area=210681&industry=agriculture&salaryMin=400000&postedWithin=60&size=5"}, &page)
	if page.Total == 0 || len(page.Items) == 0 || len(page.Items) > 5 || page.HasMore != (page.Total > 5) {
		t.Fatalf("search: %d of %d, hasMore %v; want a first page of Donggang farm jobs", len(page.Items), page.Total, page.HasMore)
	}
	since := time.Now().In(domain.Beijing).AddDate(0, 0, -59).Format("2006-01-02")
	for _, j := range page.Items {
		if j.Area != "210681" || j.AreaText != "东港市" || j.SalaryMax < 400000 || j.PostedOn < since {
			t.Errorf("job %+v does not match the filters", j)
		}
	}
	var job app.JobDetail
	e.must(t, 200, call{method: "GET", path: "/jobs/" + page.Items[0].ID}, &job)
	if job.Description == "" || !strings.Contains(job.ContactPhone, "****") {
		t.Errorf("job detail %+v; want a description and the contact phone masked", job)
	}
	var reg app.SeekerView
	e.must(t, 200, call{method: "PUT", path: "/job-seeker", token: s.access, body: map[string]any{"education": "college",
		"skills": []string{"草莓种植", "叉车证"}, "wantedPost": "草莓种植技术员", "wantedArea": "210681", "wantedSalary": 450000}}, &reg)
	var got app.SeekerView
	e.must(t, 200, call{method: "GET", path: "/job-seeker", token: s.access}, &got)
	if reg.RegistrationNo == "" || got.RegistrationNo != reg.RegistrationNo || got.WantedPost != "草莓种植技术员" {
		t.Errorf("registration %+v, read back %+v", reg, got)
	}
}

// pensionQuery reads the pension account and this year's contributions.
func pensionQuery(t *testing.T, e *env, s session) {
	var acct app.PensionAccount
	e.must(t, 200, call{method: "GET", path: "/pension/account", token: s.access}, &acct)
	if acct.PaidMonths == 0 || len(acct.Years) == 0 || acct.Balance != acct.Years[len(acct.Years)-1].Balance {
		t.Errorf("pension account %+v; want months paid and a yearly statement ending at the balance", acct)
	}
	var cy app.ContributionYear
	e.must(t, 200, call{method: "GET", path: fmt.Sprintf("/pension/contributions?year=%d", acct.Years[len(acct.Years)-1].Year), token: s.access}, &cy)
	if len(cy.Items) == 0 || cy.Items[0].Base == 0 {
		t.Errorf("pension contributions %+v; want the year's months", cy)
	}
}

// payContributions pays the last two unpaid months at the lowest tier; the
// channel's notification arrives twice, and once more by hand, and the
// payment is recorded once.
func payContributions(t *testing.T, e *env, s session) {
	var opts app.PayOptions
	e.must(t, 200, call{method: "GET", path: "/contributions/options", token: s.access}, &opts)
	if len(opts.Tiers) == 0 || len(opts.Unpaid) < 2 {
		t.Fatalf("options %+v; want tiers and unpaid months", opts)
	}
	from, to := opts.Unpaid[len(opts.Unpaid)-2], opts.Unpaid[len(opts.Unpaid)-1]
	tier := opts.Tiers[0]
	place := call{method: "POST", path: "/contributions/orders", token: s.access, header: map[string]string{"Idempotency-Key": "order-key-0001"},
		body: map[string]any{"from": from, "to": to, "tier": tier.Percent}}
	var order app.OrderView
	e.must(t, 201, place, &order)
	if order.Status != "pending" || order.Amount != 2*tier.Monthly || order.PayURL == "" {
		t.Fatalf("order %+v; want pending, two months at %d, with a pay page", order, tier.Monthly)
	}
	var twice app.OrderView
	e.must(t, 201, place, &twice)
	if twice.ID != order.ID {
		t.Errorf("the same Idempotency-Key placed a second order %s; want %s", twice.ID, order.ID)
	}
	place.header["Idempotency-Key"] = "order-key-0002"
	if a := e.do(t, place); a.status != 409 {
		t.Errorf("another order for the same months: %d; want 409", a.status)
	}

	if err := paysim.Pay(context.Background(), e.payURL, order.ID, paysim.OutcomePaid); err != nil {
		t.Fatal(err)
	}
	paid := waitForOrder(t, e, s, order.ID)
	deadline := time.Now().Add(3 * time.Second)
	for e.notices.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := e.notices.Load(); n < 2 {
		t.Fatalf("%d notifications reached the server; want the channel's duplicate too", n)
	}
	postDuplicate(t, e, order.ID, paid.Amount)

	var receipt app.ReceiptView
	e.must(t, 200, call{method: "GET", path: "/contributions/orders/" + order.ID + "/receipt", token: s.access}, &receipt)
	if receipt.ReceiptNo != paid.ReceiptNo || receipt.Amount != order.Amount || receipt.Months != 2 || !strings.Contains(receipt.Payer, "****") {
		t.Errorf("receipt %+v; want %s for %d fen, payer masked", receipt, paid.ReceiptNo, order.Amount)
	}
	var payments int
	if err := e.db.Get(&payments, "SELECT COUNT(*) FROM contribution_payment WHERE order_id = ?", order.ID); err != nil || payments != 1 {
		t.Errorf("%d payments recorded for the order (%v); want exactly 1", payments, err)
	}
}

// waitForOrder polls the order until the notification has been recorded.
func waitForOrder(t *testing.T, e *env, s session, id string) app.OrderView {
	t.Helper()
	var o app.OrderView
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		o = app.OrderView{}
		e.must(t, 200, call{method: "GET", path: "/contributions/orders/" + id, token: s.access}, &o)
		if o.Status == "paid" {
			if o.ReceiptNo == "" || o.PayURL != "" {
				t.Errorf("paid order %+v; want a receipt number and no pay page", o)
			}
			return o
		}
	}
	t.Fatalf("order %s still %s after 3 s", id, o.Status)
	return o
}

// postDuplicate posts a correctly signed copy of the order's paid
// notification, as a channel that repeats itself would.
func postDuplicate(t *testing.T, e *env, orderID string, amount int64) {
	t.Helper()
	at := time.Now()
	body, _ := json.Marshal(payment.Notification{NotifyID: "NT-replayed", OrderRecord: payment.OrderRecord{
		OrderID: orderID, ChannelOrderNo: "PY-other", Amount: amount, Status: payment.StatusPaid, FinishedAt: &at}})
	req, _ := http.NewRequest("POST", e.url+app.NotifyPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	payment.SignHeader(req.Header, paysim.DefaultAppID, paysim.DefaultAppKey, body, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("duplicate notification: %d; want 200 so the channel stops repeating it", resp.StatusCode)
	}
	forged := bytes.Replace(body, []byte("NT-replayed"), []byte("NT-forged"), 1)
	req, _ = http.NewRequest("POST", e.url+app.NotifyPath, bytes.NewReader(forged))
	payment.SignHeader(req.Header, paysim.DefaultAppID, "guessed-key", forged, time.Now())
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("forged notification: %v %v; want 401", resp.StatusCode, err)
	}
}

// actForParent registers a retired parent and reads their pension for
// them; the audit log says so.
func actForParent(t *testing.T, e *env, s session, me, parent person) {
	relID := e.addRelative(t, s, parent, "parent")
	var rels app.Relatives
	e.must(t, 200, call{method: "GET", path: "/relatives", token: s.access}, &rels)
	if len(rels.Items) != 1 || rels.Items[0].IDNumber != domain.IDNumber(parent.id).Masked() || rels.Items[0].RelationText != "父母" {
		t.Fatalf("relatives %+v; want the parent, masked", rels)
	}
	var benefit app.PensionBenefit
	e.must(t, 200, call{method: "GET", path: "/pension/benefit", token: s.access, actFor: relID}, &benefit)
	if benefit.Monthly <= 0 || len(benefit.Components) == 0 {
		t.Errorf("parent's pension %+v; want the retiree's monthly pension", benefit)
	}
	if a := e.do(t, call{method: "GET", path: "/pension/benefit", token: s.access}); a.status != 404 {
		t.Errorf("own pension benefit of a person still paying in: %d; want 404", a.status)
	}
	var found bool
	for _, en := range e.audits.all() {
		if en.Action == "app.pension.benefit.read" && en.Detail["actingFor"] == relID {
			found = en.ActorRef != en.SubjectRef && en.Detail["relation"] == "parent" && en.Outcome == "ok"
		}
	}
	if !found {
		t.Error("no audit entry records reading the pension as acting for the parent")
	}
}
