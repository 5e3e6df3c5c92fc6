package kiosk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
)

// unitCard is what a clerk enters and inserts for a unit session.
func unitCard(t *testing.T, clerk sim.SamplePerson, code string) kiosk.UnitCardRead {
	return kiosk.UnitCardRead{CreditCode: code, CardRead: card(t, clerk)}
}

// openUnit opens a unit session with the clerk's card for the clerk's unit.
func (k *kioskClient) openUnit(t *testing.T, clerk sim.SamplePerson) kiosk.SessionView {
	t.Helper()
	r := k.do(http.MethodPost, "/kiosk/v1/sessions/unit", unitCard(t, clerk, clerk.UnitCode))
	if r.status != http.StatusCreated {
		t.Fatalf("open unit session: got %d %s; want 201", r.status, r.body)
	}
	var v kiosk.SessionView
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	k.session = v.SessionID
	return v
}

// A unit clerk reads the unit's information, rates, roll with declared
// wages, assessments and payments.
func TestUnitSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-zx-001")
	clerk := people["在职"]
	code := domain.CreditCode(clerk.UnitCode)
	ctx := context.Background()
	s := k.openUnit(t, clerk)
	u, err := core.Unit(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != kiosk.UnitSession || s.Title != "单位查询" || field(t, s.Summary, "单位名称") != u.Name ||
		field(t, s.Summary, "经办人") != clerk.Name {
		t.Errorf("unit session: got %+v", s)
	}
	var uv kiosk.UnitView
	k.get("/kiosk/v1/unit", &uv)
	if field(t, uv.Summary, "统一社会信用代码") != string(code) || field(t, uv.Summary, "参保人数") != strconv.Itoa(u.InsuredCount)+"人" ||
		field(t, uv.Summary, "参保状态") != u.Status.Label() {
		t.Errorf("unit: got %+v", uv)
	}
	var rv kiosk.UnitRatesView
	k.get("/kiosk/v1/unit/rates", &rv)
	rates, _ := core.UnitRates(ctx, code)
	if len(rv.Rows) != len(rates.Rates) || rv.Rows[0].Insurance != "养老保险" || rv.Rows[0].UnitRate != rates.Rates[0].Unit.String() {
		t.Errorf("rates: got %+v; want %+v", rv.Rows, rates.Rates)
	}
	var sv kiosk.StaffView
	k.get("/kiosk/v1/unit/wages", &sv)
	staff, _ := core.UnitStaff(ctx, code, 1, kiosk.PageSize)
	if sv.Paging.Total != staff.Total || len(sv.Rows) != len(staff.Staff) || sv.Rows[0].IDNumber != staff.Staff[0].ID.Masked() ||
		sv.Rows[0].Name != domain.MaskName(staff.Staff[0].Name) {
		t.Errorf("roll: got %+v; want %d people, masked", sv, staff.Total)
	}
	var av kiosk.AssessmentsView
	k.get("/kiosk/v1/unit/assessments?year=2024", &av)
	as, _ := core.UnitAssessments(ctx, code, 2024)
	if av.Paging.Total != len(as) || len(as) == 0 || av.Rows[0].Month != "2024年12月" || av.Rows[0].Total != yuan(as[len(as)-1].Total) {
		t.Errorf("assessments: got %+v; want %d, December first", av, len(as))
	}
	var pv kiosk.UnitPaymentsView
	k.get("/kiosk/v1/unit/payments?year=2024", &pv)
	ps, _ := core.UnitPayments(ctx, code, 2024)
	if pv.Paging.Total != len(ps) || field(t, pv.Summary, "缴费笔数") != strconv.Itoa(len(ps))+"笔" {
		t.Errorf("payments: got %+v; want %d", pv, len(ps))
	}
	if r := k.do(http.MethodGet, "/kiosk/v1/unit/payments?year=2031", nil); r.status != 400 {
		t.Errorf("a future year: got %d; want 400", r.status)
	} else if p := problem(t, r, 400, domain.Invalid); len(p.Errors) != 1 || p.Errors[0].Field != "year" || p.Errors[0].Message != "不能晚于今年（2025年）" {
		t.Errorf("a future year: got %+v", p.Errors)
	}
}

// What the kiosk sends to open a session is checked field by field, and
// against the business core.
func TestOpeningRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	employed, retired := people["在职"], people["退休"]
	wrongName := card(t, employed)
	wrongName.Name = "王小二"
	badID := card(t, employed)
	badID.IDNumber = employed.ID[:17] + "0"
	if badID.IDNumber == employed.ID {
		badID.IDNumber = employed.ID[:17] + "1"
	}
	noSerial := card(t, employed)
	noSerial.CardSerial = "卡号"
	unknown := card(t, employed)
	unknown.IDNumber = "11010519491231002X" // valid, but not a person the core knows
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   domain.Code
		detail string
		fields map[string]string
	}{
		{"name does not match", "/kiosk/v1/sessions/person", wrongName, 422, domain.Rejected,
			"卡片上的姓名与社保登记信息不一致，无法核验身份，请到人工窗口办理", nil},
		{"ID number check digit", "/kiosk/v1/sessions/person", badID, 400, domain.Invalid, "",
			map[string]string{"idNumber": "身份证号码校验位不正确，请核对后重新输入"}},
		{"card serial and kind", "/kiosk/v1/sessions/person", map[string]string{"cardKind": "bank", "idNumber": employed.ID, "name": "张三", "cardSerial": "卡号"},
			400, domain.Invalid, "", map[string]string{"cardKind": "只能是以下之一：id_card, ssc", "cardSerial": "格式不正确"}},
		{"missing fields", "/kiosk/v1/sessions/person", map[string]string{"cardKind": "ssc"}, 400, domain.Invalid, "",
			map[string]string{"idNumber": "此项为必填项", "name": "此项为必填项", "cardSerial": "此项为必填项"}},
		{"unknown person", "/kiosk/v1/sessions/person", unknown, 404, domain.NotFound, "未查询到该人员的参保信息", nil},
		{"bad credit code", "/kiosk/v1/sessions/unit", unitCard(t, employed, "91210600-MA0QC0XX"), 400, domain.Invalid, "",
			map[string]string{"creditCode": "统一社会信用代码应为18位"}},
		{"clerk of another unit", "/kiosk/v1/sessions/unit", unitCard(t, retired, employed.UnitCode), 403, domain.Forbidden,
			"您不是该单位在职参保人员，不能查询该单位信息；请由单位经办人持本人卡片办理", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem(t, k.do(http.MethodPost, tt.path, tt.body), tt.status, tt.code)
			if tt.detail != "" && p.Detail != tt.detail {
				t.Errorf("detail: got %q; want %q", p.Detail, tt.detail)
			}
			got := map[string]string{}
			for _, f := range p.Errors {
				got[f.Field] = f.Message
			}
			for f, msg := range tt.fields {
				if got[f] != msg {
					t.Errorf("field %s: got %q; want %q (all %v)", f, got[f], msg, got)
				}
			}
		})
	}
	if r := k.do(http.MethodGet, "/kiosk/v1/session", nil); r.status != 401 {
		t.Errorf("no session was opened by the refusals: got %d %s", r.status, r.body)
	}
}
