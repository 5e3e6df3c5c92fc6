package kiosk_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// call is one request of a refusal table and what it must be answered.
type call struct {
	name, method, target string
	body                 any
	key                  string
	status               int
	code                 domain.Code
	detail               string // "" when any
	field, message       string // a field error that must be among the errors; "" when none
}

func (c call) check(t *testing.T, k *kioskClient) {
	t.Helper()
	req := k.request(c.method, c.target, c.body)
	if c.key != "" {
		req.Header.Set(kiosk.HeaderIdempotencyKey, c.key)
	}
	p := problem(t, k.env.send(t, req), c.status, c.code)
	if c.detail != "" && p.Detail != c.detail {
		t.Errorf("detail: got %q; want %q", p.Detail, c.detail)
	}
	if c.field != "" && !slices.ContainsFunc(p.Errors, func(f domain.FieldError) bool { return f.Field == c.field && f.Message == c.message }) {
		t.Errorf("errors: got %+v; want %s: %s", p.Errors, c.field, c.message)
	}
}

// flexibleOnCatalogTier is a flexible worker whose tier in force is one
// the catalog's form offers, so that asking for it again is the refusal
// under test and not an unknown tier.
func flexibleOnCatalogTier(t *testing.T) (sim.SamplePerson, int) {
	t.Helper()
	for _, p := range coreSim.Sample(100) {
		if p.Status != "灵活就业" {
			continue
		}
		o, err := core.BaseTiers(context.Background(), id(t, p))
		if err == nil && slices.Contains([]int{60, 80, 100, 150, 200, 250, 300}, o.Current) {
			return p, o.Current
		}
	}
	t.Fatal("no flexible worker on a catalog tier among the samples")
	return sim.SamplePerson{}, 0
}

// What the new screens refuse, each in words the holder can act on.
func TestServiceRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-zx-001")
	face := map[string]string{"faceToken": "not-a-token"}

	k.openPerson("在职")
	for _, c := range []call{
		{name: "certify without a key", method: "POST", target: "/kiosk/v1/pension/certification", body: face, status: 400, code: domain.Invalid,
			detail: "请求缺少幂等键，请返回上一步重新提交", field: kiosk.HeaderIdempotencyKey, message: "此项为必填项"},
		{name: "a key too short", method: "POST", target: "/kiosk/v1/pension/base-tier", body: map[string]int{"percent": 100}, key: "k1",
			status: 400, code: domain.Invalid, field: kiosk.HeaderIdempotencyKey, message: "不能少于 8 个字符"},
		{name: "an employee's certification", method: "GET", target: "/kiosk/v1/pension/certification", status: 422, code: domain.Rejected,
			detail: "您目前不是养老保险待遇领取人员，无需进行待遇资格认证；如有疑问，请到社保经办大厅窗口咨询"},
		{name: "an employee's benefit slip", method: "POST", target: "/kiosk/v1/prints/benefit-slip", status: 404, code: domain.NotFound,
			detail: "您目前没有领取养老待遇，没有待遇信息单可打印"},
		{name: "an employee's receipt of certification", method: "POST", target: "/kiosk/v1/prints/certification-receipt", status: 422, code: domain.Rejected},
		{name: "an employee's base tier", method: "POST", target: "/kiosk/v1/pension/base-tier", body: map[string]int{"percent": 100},
			key: "tier-of-employee", status: 422, code: domain.Rejected},
		{name: "a unit slip in a person session", method: "POST", target: "/kiosk/v1/prints/assessment-slip?month=2024-12", status: 403, code: domain.Forbidden},
		{name: "someone else's application", method: "GET", target: "/kiosk/v1/applications/AP20250618100000AABCDEFGH", status: 404, code: domain.NotFound},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, k) })
	}

	flex, current := flexibleOnCatalogTier(t)
	k.openSample(flex)
	for _, c := range []call{
		{name: "a tier not offered", method: "POST", target: "/kiosk/v1/pension/base-tier", body: map[string]int{"percent": 75},
			key: "tier-not-offered", status: 400, code: domain.Invalid, field: "percent", message: "请从可选的缴费档次中选择"},
		{name: "the tier in force", method: "POST", target: "/kiosk/v1/pension/base-tier", body: map[string]int{"percent": current},
			key: "tier-in-force-1", status: 422, code: domain.Rejected, detail: "您当前已是缴费基数" + strconv.Itoa(current) + "%，无需变更"},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, k) })
	}

	k.openUnit(t, enterpriseClerk(t))
	for _, c := range []call{
		{name: "a month to come", method: "POST", target: "/kiosk/v1/unit/assessment-applications", key: "assess-future",
			body:   map[string]any{"assessMonth": "2025-07", "staffCount": 10, "totalWage": 5000000},
			status: 400, code: domain.Invalid, field: "assessMonth", message: "核定月份不能晚于本月"},
		{name: "a slip without a month", method: "POST", target: "/kiosk/v1/prints/assessment-slip", status: 400, code: domain.Invalid,
			field: "month", message: "请选择要打印的费款所属期"},
		{name: "a slip of a month not assessed", method: "POST", target: "/kiosk/v1/prints/assessment-slip?month=1990-01", status: 404,
			code: domain.NotFound, detail: "1990年1月没有核定记录，请先办理月申报核定"},
		{name: "a person's print in a unit session", method: "POST", target: "/kiosk/v1/prints/personal-statement", status: 403, code: domain.Forbidden},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, k) })
	}
}

// openSample inserts the card of p.
func (k *kioskClient) openSample(p sim.SamplePerson) {
	k.t.Helper()
	var v kiosk.SessionView
	decode(k.t, k.do(http.MethodPost, "/kiosk/v1/sessions/person", card(k.t, p)), 201, &v)
	k.session = v.SessionID
}

// While the counter core is down an application waits in the outbox, and
// the clerk can withdraw it there: it is never forwarded, and a second
// withdrawal is refused.
func TestWithdrawWhileTheCounterIsDown(t *testing.T) {
	t.Parallel()
	in := newInfra(t, nil)
	e := newEnv(t, in)
	k := e.kiosk(t, "kiosk-za-001")
	k.openUnit(t, enterpriseClerk(t))
	ctx := context.Background()
	if err := simulator.SetFaults(ctx, in.counterURL, simulator.Faults{Down: true}); err != nil {
		t.Fatal(err)
	}
	var filed kiosk.ApplicationView
	decode(t, k.post("/kiosk/v1/unit/assessment-applications",
		map[string]any{"assessMonth": "2025-06", "staffCount": 12, "totalWage": 6000000}, "assess-down-01"), 201, &filed)
	if filed.Status != "submitted" || !filed.CanWithdraw {
		t.Fatalf("filed while the core is down: got %+v; want submitted, withdrawable", filed)
	}
	var v kiosk.ApplicationView
	deadline := time.Now().Add(3 * time.Second)
	for {
		r := k.post("/kiosk/v1/applications/"+filed.ID+"/withdraw", map[string]string{"reason": "人数填错"}, "")
		if r.status == http.StatusConflict && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond) // the dispatcher holds it for a moment
			continue
		}
		decode(t, r, 200, &v)
		break
	}
	if v.Status != "withdrawn" || v.CanWithdraw || !v.Final {
		t.Errorf("withdrawn: got %+v", v)
	}
	problem(t, k.post("/kiosk/v1/applications/"+filed.ID+"/withdraw", map[string]string{}, ""), 409, domain.Conflict)
	if err := simulator.SetFaults(ctx, in.counterURL, simulator.Faults{}); err != nil {
		t.Fatal(err)
	}
}

// The announcements need no card: tabs, search and paging of six, and a
// notice instead of an empty screen.
func TestAnnouncements(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-dg-001")
	var all kiosk.AnnouncementsView
	k.get("/kiosk/v1/announcements", &all)
	if len(all.Rows) != kiosk.AnnouncementPageSize || all.Paging.Total <= kiosk.AnnouncementPageSize || len(all.Tabs) != 5 ||
		!all.Tabs[0].Active || all.Tabs[0].Label != "全部" || all.Tabs[4].Label != "特殊人群政策" {
		t.Fatalf("all: got %d rows of %d, tabs %+v; want a full page of 6 and 5 tabs", len(all.Rows), all.Paging.Total, all.Tabs)
	}
	var last kiosk.AnnouncementsView
	k.get("/kiosk/v1/announcements?page=99", &last)
	if last.Paging.Page != all.Paging.Pages || len(last.Rows) == 0 {
		t.Errorf("page 99: got page %d with %d rows; want the last page %d", last.Paging.Page, len(last.Rows), all.Paging.Pages)
	}
	var found kiosk.AnnouncementsView
	k.get("/kiosk/v1/announcements?category=policy&q=%E5%85%BB%E8%80%81", &found) // 养老
	if len(found.Rows) == 0 || !found.Tabs[1].Active {
		t.Fatalf("policy 养老: got %+v", found)
	}
	for _, r := range found.Rows {
		if r.Category != "社保政策" || !dateShape.MatchString(r.Date) {
			t.Errorf("row: got %+v; want 社保政策 with a Chinese date", r)
		}
	}
	var detail kiosk.AnnouncementView
	k.get("/kiosk/v1/announcements/"+found.Rows[0].ID, &detail)
	if detail.Title != found.Rows[0].Title || len(detail.Paragraphs) == 0 || field(t, detail.Summary, "发布日期") != found.Rows[0].Date {
		t.Errorf("detail: got %+v", detail)
	}
	var none kiosk.AnnouncementsView
	k.get("/kiosk/v1/announcements?q=%E7%81%AB%E6%98%9F", &none) // 火星
	if len(none.Rows) != 0 || none.Notice != "没有找到包含“火星”的公告，请换个关键词试试" {
		t.Errorf("no hits: got %+v", none)
	}
	problem(t, k.do(http.MethodGet, "/kiosk/v1/announcements?category=sports", nil), 400, domain.Invalid)
	problem(t, k.do(http.MethodGet, "/kiosk/v1/announcements/no-such-notice", nil), 404, domain.NotFound)
}
