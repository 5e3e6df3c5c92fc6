package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

type rectJSON struct {
	ID, State, StateName, Office, Result string
	Overdue, Appealed, Unfounded         bool
	Steps                                []struct{ Action, By, Note, To string }
}

// rectIDs lists the ids the rectification list answers for query.
func rectIDs(t testing.TB, e *env, query string) []string {
	t.Helper()
	var l struct{ Items []rectJSON }
	e.do(t, "GET", "/admin/v1/rectifications"+query, operatorToken, nil).want(t, 200).decode(t, &l)
	var ids []string
	for _, r := range l.Items {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestRectificationThroughTheAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnvOn(t, db)
		id := e.rate(t, "A1", "pension.certification", "养老保险科", "赵六", rating.Dissatisfied)
		other := e.rate(t, "A2", "pension.certification", "工伤保险科", "钱七", rating.VeryDissatisfied)
		if got := rectIDs(t, e, "?office="+"养老保险科"); len(got) != 1 || got[0] != id {
			t.Fatalf("open rectifications of 养老保险科: got %v; want [%s]", got, id)
		}

		raw := idNumber("21060219850315002")
		path := "/admin/v1/rectifications/" + id + "/steps"
		var r rectJSON
		e.do(t, "POST", path, operatorToken, map[string]string{"action": "call_back",
			"note": "已电话回访申请人（身份证" + raw + "，手机13812345678），反映等候时间长"}).want(t, 200).decode(t, &r)
		step := r.Steps[0]
		if r.State != "called_back" || step.By != "王芳（s2001）" {
			t.Errorf("after call-back: got state %s by %q; want called_back by 王芳（s2001）", r.State, step.By)
		}
		if strings.Contains(step.Note, raw) || strings.Contains(step.Note, "13812345678") {
			t.Errorf("the step's note holds raw personal data: %q", step.Note)
		}
		p := e.do(t, "POST", path, operatorToken, map[string]string{"action": "close", "note": "直接办结"}).want(t, 409).problem(t)
		if !strings.Contains(p.Detail, "已回访") {
			t.Errorf("a step out of order: got %q; want it to name the current state", p.Detail)
		}
		for _, s := range []struct{ action, note string }{{"verify", "核实属实"}, {"fix", "增开窗口"}, {"close", "已整改并告知申请人"}} {
			e.do(t, "POST", path, adminToken, map[string]string{"action": s.action, "note": s.note}).want(t, 200).decode(t, &r)
		}
		if r.State != "closed" || r.Result != "已整改并告知申请人" || len(r.Steps) != 4 || r.Steps[3].By != "李明（s1001）" {
			t.Errorf("closed: got %+v; want closed with the result and four steps, the last by 李明（s1001）", r)
		}
		if got := rectIDs(t, e, ""); len(got) != 1 || got[0] != other {
			t.Errorf("open after closing: got %v; want only [%s]", got, other)
		}
		if got := rectIDs(t, e, "?state=all"); len(got) != 2 {
			t.Errorf("all: got %v; want both", got)
		}

		rows := e.auditRows(t, 5)
		var by []string
		for _, row := range rows {
			if strings.Contains(string(row.Detail)+row.SubjectRef+row.ActorRef, raw) {
				t.Errorf("an audit entry holds the raw ID number: %+v", row)
			}
			if row.Action == "rating.rectify" {
				by = append(by, row.ActorRef+":"+row.Outcome)
			}
		}
		if got := strings.Join(by, ","); got != "s2001:ok,s2001:conflict,s1001:ok,s1001:ok,s1001:ok" {
			t.Errorf("audited steps: got %s; want the operator's two attempts then the admin's three steps", got)
		}
	})
}

func TestOverdueRectifications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.rate(t, "A1", "pension.certification", "养老保险科", "赵六", rating.Dissatisfied)
	if got := rectIDs(t, e, "?state=overdue"); len(got) != 0 {
		t.Fatalf("overdue on the day it opened: got %v; want none", got)
	}
	e.clock.Add(8 * 24 * time.Hour) // past five working days
	if got := rectIDs(t, e, "?state=overdue&office="+"养老保险科"); len(got) != 1 || got[0] != id {
		t.Fatalf("overdue after eight days: got %v; want [%s]", got, id)
	}
	var r rectJSON
	e.do(t, "GET", "/admin/v1/rectifications/"+id, operatorToken, nil).want(t, 200).decode(t, &r)
	if !r.Overdue || r.StateName != "待回访" {
		t.Errorf("detail: got %+v; want overdue, 待回访", r)
	}
	e.do(t, "GET", "/admin/v1/rectifications/nope", operatorToken, nil).want(t, 404)
}

// statJSON is one row of the statistics.
type statJSON struct {
	Key, Label                                string
	VerySatisfied, Satisfied, FairlySatisfied int
	Dissatisfied, VeryDissatisfied            int
	Total, Good, Bad, Unfounded               int
	SatisfactionRate, BadRate                 float64
}

func TestRatingStatistics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.rate(t, "A1", "pension.certification", "养老保险科", "赵六", rating.VerySatisfied)
	e.rate(t, "A2", "pension.certification", "养老保险科", "赵六", rating.Satisfied)
	e.rate(t, "A3", "unit.staff_add", "养老保险科", "孙八", rating.VeryDissatisfied)
	e.rate(t, "A4", "unit.staff_add", "工伤保险科", "钱七", rating.FairlySatisfied)
	unfounded := e.rate(t, "A5", "unit.staff_add", "工伤保险科", "钱七", rating.Dissatisfied)

	// An appeal finds the last bad rating unfounded: it leaves the figures.
	path := "/admin/v1/rectifications/" + unfounded + "/steps"
	e.do(t, "POST", path, operatorToken, map[string]string{"action": "appeal", "note": "申请人所述与监控录像不符"}).want(t, 200)
	var r rectJSON
	e.do(t, "POST", path, adminToken, map[string]string{"action": "unfounded", "note": "经复核差评不实"}).want(t, 200).decode(t, &r)
	if r.State != "closed" || !r.Unfounded || !r.Appealed {
		t.Fatalf("after review: got %+v; want closed as unfounded", r)
	}

	var byOffice struct {
		ByName string
		Items  []statJSON
		Total  statJSON
	}
	e.do(t, "GET", "/admin/v1/ratings/stats?by=office&from=2026-05-01&to=2026-05-31", operatorToken, nil).want(t, 200).decode(t, &byOffice)
	want := []statJSON{
		{Key: "养老保险科", Label: "养老保险科", VerySatisfied: 1, Satisfied: 1, VeryDissatisfied: 1, Total: 3, Good: 2, Bad: 1, SatisfactionRate: 0.6667, BadRate: 0.3333},
		{Key: "工伤保险科", Label: "工伤保险科", FairlySatisfied: 1, Total: 1, Good: 1, Unfounded: 1, SatisfactionRate: 1},
	}
	if byOffice.ByName != "科室" || len(byOffice.Items) != 2 {
		t.Fatalf("by office: got %+v; want two offices", byOffice)
	}
	for i := range want {
		if byOffice.Items[i] != want[i] {
			t.Errorf("office %d: got %+v; want %+v", i, byOffice.Items[i], want[i])
		}
	}
	total := statJSON{Key: "total", Label: "合计", VerySatisfied: 1, Satisfied: 1, FairlySatisfied: 1, VeryDissatisfied: 1,
		Total: 4, Good: 3, Bad: 1, Unfounded: 1, SatisfactionRate: 0.75, BadRate: 0.25}
	if byOffice.Total != total {
		t.Errorf("total: got %+v; want %+v", byOffice.Total, total)
	}

	var byChannel struct{ Items []statJSON }
	e.do(t, "GET", "/admin/v1/ratings/stats?by=channel&from=2026-05-13&to=2026-05-13&stage=accepted", operatorToken, nil).want(t, 200).decode(t, &byChannel)
	if len(byChannel.Items) != 1 || byChannel.Items[0].Label != "人社公众号" || byChannel.Items[0].Total != 4 {
		t.Errorf("by channel: got %+v; want the four counted ratings under 人社公众号", byChannel.Items)
	}
	var elsewhen struct{ Items []statJSON }
	e.do(t, "GET", "/admin/v1/ratings/stats?by=day&from=2026-04-01&to=2026-04-30", operatorToken, nil).want(t, 200).decode(t, &elsewhen)
	if len(elsewhen.Items) != 0 {
		t.Errorf("another month: got %+v; want nothing", elsewhen.Items)
	}
}

func TestRatingStatisticsQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct{ name, query, field string }{
		{"backwards", "by=day&from=2026-05-13&to=2026-05-01", "from"},
		{"over a year", "by=day&from=2025-01-01&to=2026-05-01", "to"},
		{"no dimension", "from=2026-05-01&to=2026-05-02", "by"},
		{"unknown dimension", "by=window&from=2026-05-01&to=2026-05-02", "by"},
		{"not a date", "by=day&from=2026-5-1&to=2026-05-02", "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.do(t, "GET", "/admin/v1/ratings/stats?"+tt.query, operatorToken, nil).want(t, 400).problem(t)
			if !hasField(p, tt.field) {
				t.Errorf("got %+v; want a fault on %s", p.Errors, tt.field)
			}
		})
	}
}
