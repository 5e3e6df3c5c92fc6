package kiosk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
)

// field returns the value labelled label, failing when there is none.
func field(t *testing.T, fields []kiosk.Field, label string) string {
	t.Helper()
	for _, f := range fields {
		if f.Label == label {
			return f.Value
		}
	}
	t.Fatalf("no field %q in %v", label, fields)
	return ""
}

var (
	moneyShape = regexp.MustCompile(`^￥-?\d{1,3}(,\d{3})*\.\d{2}$`)
	dateShape  = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$`)
	monthShape = regexp.MustCompile(`^\d{4}年\d{1,2}月$`)
)

func yuan(f domain.Fen) string { return "￥" + f.Yuan() }

// A kiosk in the 元宝区 hall serves four citizens one after another, each
// reading the screens of their situation, then the last takes the card.
func TestScriptedKioskSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	ctx := context.Background()
	var bodies []string
	get := func(target string, v any) {
		t.Helper()
		r := k.do(http.MethodGet, target, nil)
		bodies = append(bodies, string(r.body))
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: got %d %s; want 200", target, r.status, r.body)
		}
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatal(err)
		}
	}

	// 在职: the session, the overview and a year of pension contributions.
	s, p := k.openPerson("在职")
	pid := id(t, p)
	if s.Greeting != "您好，"+p.Name || s.Hall != "元宝区社保服务大厅" || s.IdleSeconds != 120 ||
		s.ExpiresAt != "2025-06-18T10:10:00+08:00" || field(t, s.Summary, "身份证号") != pid.Masked() ||
		field(t, s.Summary, "人员状态") != "在职" {
		t.Errorf("session: got %+v", s)
	}
	var ov kiosk.OverviewView
	get("/kiosk/v1/person/overview", &ov)
	o, err := core.Overview(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Rows) != len(o.Coverages) || ov.Title != "参保信息" || !strings.HasPrefix(field(t, ov.Summary, "累计缴费月数"), strconv.Itoa(o.PaidMonths)+"个月") {
		t.Fatalf("overview: got %+v; want %d coverages", ov, len(o.Coverages))
	}
	for i, c := range o.Coverages {
		row := ov.Rows[i]
		if row.Insurance != c.Type.Label() || row.Status != "参保缴费" || row.Base != yuan(c.Base) ||
			!monthShape.MatchString(row.Since) || row.Until != "—" || row.Unit != c.UnitName {
			t.Errorf("coverage %d: got %+v; want %s paying at %s", i, row, c.Type.Label(), yuan(c.Base))
		}
	}
	var cv kiosk.ContributionsView
	get("/kiosk/v1/person/contributions?type=pension&year=2024", &cv)
	cy, err := core.Contributions(ctx, pid, 2024)
	if err != nil {
		t.Fatal(err)
	}
	var dec insured.ContributionRecord
	var pensionMonths int
	for _, r := range cy.Records {
		if r.Type == insured.PensionInsurance {
			pensionMonths++
			dec = r
		}
	}
	if cv.Insurance != "养老保险" || cv.Paging.Total != pensionMonths || cv.Paging.Pages != 2 || len(cv.Rows) != kiosk.PageSize ||
		cv.Paging.Label != "第1/2页 共12条" || cv.Rows[0].Month != "2024年12月" || cv.Rows[0].Personal != yuan(dec.Personal) ||
		cv.Rows[0].Base != yuan(dec.Base) || cv.Rows[0].State != "已缴费" || field(t, cv.Summary, "已缴月数") != "12个月（1年）" {
		t.Errorf("pension contributions 2024: got %+v; want 12 months, December first at %s", cv, yuan(dec.Personal))
	}
	get("/kiosk/v1/person/contributions?type=pension&year=2024&page=2", &cv)
	if len(cv.Rows) != 4 || cv.Rows[3].Month != "2024年1月" || cv.Paging.HasNext || !cv.Paging.HasPrev {
		t.Errorf("page 2: got %+v; want January last of 4 rows", cv)
	}
	employedToken := k.session

	// 退休: a new card replaces the session; pension account, benefit, payments.
	_, p = k.openPerson("退休")
	pid = id(t, p)
	old := *k
	old.session = employedToken
	if pr := problem(t, old.do(http.MethodGet, "/kiosk/v1/person/overview", nil), 401, domain.Unauthenticated); pr.Detail != "读卡会话已结束，请重新插卡" {
		t.Errorf("the replaced session: got %q", pr.Detail)
	}
	var acc kiosk.PensionAccountView
	get("/kiosk/v1/pension/account", &acc)
	a, _ := core.PensionAccount(ctx, pid)
	if field(t, acc.Summary, "个人账户累计储存额") != yuan(a.Balance) || acc.Paging.Total != len(a.Years) ||
		acc.Rows[0].Year != strconv.Itoa(a.Years[len(a.Years)-1].Year)+"年" || !moneyShape.MatchString(acc.Rows[0].Balance) {
		t.Errorf("account: got %+v; want balance %s and the latest year first", acc, yuan(a.Balance))
	}
	var ben kiosk.PensionBenefitView
	get("/kiosk/v1/pension/benefit", &ben)
	b, _ := core.PensionBenefit(ctx, pid)
	if field(t, ben.Summary, "月养老金") != yuan(b.Monthly) || field(t, ben.Summary, "退休日期") != domain.FormatDateCN(b.RetiredOn) ||
		!dateShape.MatchString(field(t, ben.Summary, "退休日期")) || len(ben.Rows) != len(b.Components) || ben.Rows[0].Item != "基础养老金" {
		t.Errorf("benefit: got %+v; want %s a month", ben, yuan(b.Monthly))
	}
	var pay kiosk.PensionPaymentsView
	get("/kiosk/v1/pension/payments", &pay)
	ps, _ := core.PensionPayments(ctx, pid, 2025)
	last := ps[len(ps)-1]
	if pay.Year != 2025 || len(pay.Rows) != len(ps) || pay.Rows[0].Amount != yuan(last.Amount) || pay.Rows[0].PaidOn != domain.FormatDateCN(last.PaidOn) ||
		len(pay.Years) != 10 || pay.Years[0].Label != "2025年" {
		t.Errorf("payments: got %+v; want %d months of 2025, latest first", pay, len(ps))
	}

	// 工伤: injuries and the benefits paid for them.
	_, p = k.openPerson("工伤")
	pid = id(t, p)
	var wi kiosk.WorkInjuryView
	get("/kiosk/v1/work-injury/records", &wi)
	injuries, _ := core.WorkInjuries(ctx, pid)
	if len(wi.Injuries) != len(injuries) || len(injuries) == 0 {
		t.Fatalf("work injuries: got %+v; want %d", wi, len(injuries))
	}
	in := injuries[0]
	card := wi.Injuries[0]
	if field(t, card.Fields, "受伤日期") != domain.FormatDateCN(in.InjuredOn) || field(t, card.Fields, "认定书编号") != in.DecisionNo ||
		!strings.HasSuffix(field(t, card.Fields, "伤残等级"), "伤残等级") && !strings.HasSuffix(field(t, card.Fields, "伤残等级"), "级伤残") {
		t.Errorf("injury card: got %+v", card)
	}
	var wp kiosk.PaymentsView
	get("/kiosk/v1/work-injury/payments", &wp)
	benefits := 0
	for _, in := range injuries {
		benefits += len(in.Benefits)
	}
	if wp.Paging.Total != benefits || field(t, wp.Summary, "发放笔数") != strconv.Itoa(benefits)+"笔" {
		t.Errorf("injury payments: got %+v; want %d", wp.Paging, benefits)
	}

	// 失业: the claim and the benefit paid under it.
	_, p = k.openPerson("失业")
	pid = id(t, p)
	var uv kiosk.UnemploymentView
	get("/kiosk/v1/unemployment/claims", &uv)
	claims, _ := core.UnemploymentClaims(ctx, pid)
	if len(uv.Claims) != len(claims) || len(claims) == 0 {
		t.Fatalf("claims: got %+v; want %d", uv, len(claims))
	}
	cl := claims[len(claims)-1]
	if field(t, uv.Claims[0].Fields, "月失业保险金") != yuan(cl.Monthly) || field(t, uv.Claims[0].Fields, "领取状态") != cl.Status.Label() ||
		!strings.HasPrefix(field(t, uv.Claims[0].Fields, "应领月数"), strconv.Itoa(cl.EntitledMonths)+"个月") {
		t.Errorf("claim: got %+v; want %s a month", uv.Claims[0], yuan(cl.Monthly))
	}
	var up kiosk.PaymentsView
	get("/kiosk/v1/unemployment/payments", &up)
	if up.Paging.Total != cl.PaidMonths && len(claims) == 1 {
		t.Errorf("unemployment payments: got %d; want %d", up.Paging.Total, cl.PaidMonths)
	}
	var uc kiosk.ContributionsView
	get("/kiosk/v1/person/contributions?type=unemployment", &uc)
	if uc.Insurance != "失业保险" || uc.Year == 0 || len(uc.Years) == 0 {
		t.Errorf("unemployment contributions: got year %d %q; want the latest year with records", uc.Year, uc.Insurance)
	}

	// Take the card: the session ends, and the next read is refused.
	if r := k.do(http.MethodDelete, "/kiosk/v1/session", nil); r.status != http.StatusNoContent {
		t.Fatalf("take card: got %d %s; want 204", r.status, r.body)
	}
	if pr := problem(t, k.do(http.MethodGet, "/kiosk/v1/person/overview", nil), 401, domain.Unauthenticated); pr.Detail != "读卡会话已结束，请重新插卡" {
		t.Errorf("after take card: got %q", pr.Detail)
	}

	for _, body := range append(bodies, e.logs.String()) {
		for _, sp := range people {
			if strings.Contains(body, sp.ID) {
				t.Fatalf("a raw ID number was answered or logged: %s", body)
			}
		}
	}
	checkAudited(t, e, people["在职"], "insured.overview.read", "insured.contributions.read", "kiosk.session.open")
}

// checkAudited fails unless the person's audit trail holds each action,
// done by the person at the kiosk.
func checkAudited(t *testing.T, e *env, p sim.SamplePerson, actions ...string) {
	t.Helper()
	ctx := context.Background()
	if err := e.audit.Close(ctx); err != nil {
		t.Fatal(err)
	}
	entries, err := auditdb.New(e.db).ForSubject(ctx, privacy.IDIndex(e.sealer, id(t, p)), 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]audit.Entry{}
	for _, en := range entries {
		seen[en.Action] = en
	}
	for _, a := range actions {
		en, ok := seen[a]
		if !ok {
			t.Errorf("audit: no %s in %d entries", a, len(entries))
			continue
		}
		if en.ActorKind != audit.Person || en.ActorRef != en.SubjectRef || en.Channel != domain.Kiosk ||
			en.Detail["device"] != "kiosk-yb-001" || en.Outcome != audit.OK {
			t.Errorf("audit %s: got %+v; want the person at kiosk-yb-001, ok", a, en)
		}
	}
	if _, ok := seen["kiosk.card.verify"]; !ok {
		t.Errorf("audit: the card check is not recorded")
	}
}
