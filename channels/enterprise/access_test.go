package enterprise_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/enterprise"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// An operator sees and changes only its own unit: another unit's route is
// refused, another unit's staff member does not exist for it, and nothing
// is written on its behalf.
func TestAnOperatorSeesOnlyItsOwnUnit(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	tokenA := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	tokenB := w.signIn(t, w.unitB, "13911110002", "browser-bbbb-0001")
	theirs := w.employed(t, w.unitB)[0]
	ours := w.employed(t, w.unitA)[0]

	w.must(t, 200, call{method: "GET", path: unit(w.unitA) + "/staff/" + ours.ID.Raw(), token: tokenA})
	var filedB filedApps
	w.must(t, 201, call{method: "POST", path: unit(w.unitB) + "/applications", token: tokenB, key: "b-1", body: map[string]any{
		"matterCode": "unit.info_change", "situation": "address",
		"form": map[string]any{"contactName": "王经办", "contactPhone": "13911110002", "newAddress": "丹东市振兴区"}}}).decode(t, &filedB)

	for _, c := range []struct {
		name    string
		call    call
		want    int
		noToken bool
	}{
		{"B's staff member read through A's unit", call{method: "GET", path: unit(w.unitA) + "/staff/" + theirs.ID.Raw()}, 404, false},
		{"B's roll with A's token", call{method: "GET", path: unit(w.unitB) + "/staff"}, 403, false},
		{"B's unit with A's token", call{method: "GET", path: unit(w.unitB)}, 403, false},
		{"filing for B with A's token", call{method: "POST", path: unit(w.unitB) + "/applications", key: "a-1", body: map[string]any{
			"matterCode": "unit.info_change", "situation": "address",
			"form": map[string]any{"contactName": "王经办", "contactPhone": "13911110002", "newAddress": "别处"}}}, 403, false},
		{"removing B's staff member through A's unit", call{method: "POST", path: unit(w.unitA) + "/applications", key: "a-2", body: map[string]any{
			"matterCode": "unit.staff_remove", "form": map[string]any{"name": theirs.Name, "idNumber": theirs.ID.Raw(),
				"stopMonth": "2026-03", "stopReason": "separation"}}}, 404, false},
		{"unemployment claim for B's staff member", call{method: "POST", path: unit(w.unitA) + "/unemployment-claims", key: "a-3", body: map[string]any{
			"name": theirs.Name, "idNumber": theirs.ID.Raw(), "phone": "13722220002", "separationDate": "2026-02-28",
			"separationReason": "expired", "contributionMonths": 36}}, 404, false},
		{"B's application through A's unit", call{method: "GET", path: unit(w.unitA) + "/applications/" + filedB.Applications[0].ID}, 404, false},
		{"withdrawing B's application through A's unit", call{method: "POST", path: unit(w.unitA) + "/applications/" + filedB.Applications[0].ID + "/withdraw", body: map[string]any{}}, 404, false},
		{"no token", call{method: "GET", path: unit(w.unitA) + "/staff"}, 401, true},
		{"a made-up token", call{method: "GET", path: unit(w.unitA) + "/staff", token: "forged-token"}, 401, false},
	} {
		if c.call.token == "" && !c.noToken {
			c.call.token = tokenA
		}
		a := w.do(t, c.call)
		if a.status != c.want {
			t.Errorf("%s: got %d %s; want %d", c.name, a.status, a.body, c.want)
		}
		if strings.Contains(string(a.body), theirs.ID.Raw()) || strings.Contains(string(a.body), theirs.Name) {
			t.Errorf("%s: the answer shows B's staff member: %s", c.name, a.body)
		}
	}
	if n := w.count(t, "application"); n != 1 {
		t.Errorf("applications: got %d; want only B's own", n)
	}
	refused := w.audit.find("unit.staff.read", "not_found")
	if len(refused) != 1 || refused[0].ActorKind != audit.UnitOperator || refused[0].SubjectRef == "" ||
		strings.Contains(fmt.Sprint(refused[0]), theirs.ID.Raw()) {
		t.Errorf("audit of the refused read: got %+v; want one entry naming the person by reference only", refused)
	}
	if n := len(w.audit.find("unit.access", "forbidden")); n != 3 {
		t.Errorf("audit of other units' routes: got %d entries; want 3", n)
	}
	var me struct {
		CreditCode string `json:"creditCode"`
	}
	w.must(t, 200, call{method: "GET", path: "/ent/v1/me", token: tokenA}).decode(t, &me)
	if me.CreditCode != w.unitA {
		t.Errorf("me: got unit %s; want %s", me.CreditCode, w.unitA)
	}
}

type filedApps struct {
	Applications []struct {
		ID          string `json:"id"`
		StatusLabel string `json:"statusLabel"`
		ActingFor   string `json:"actingFor"`
		Applicant   string `json:"applicant"`
	} `json:"applications"`
}

func TestLockOutAfterFiveWrongPasswords(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	for i := 1; i <= 5; i++ {
		a, _ := w.login(t, w.unitA, "Wrong-pass-1", "browser-aaaa-0001")
		want := 401
		if i == 5 {
			want = 429
		}
		if a.status != want {
			t.Fatalf("wrong password %d: got %d %s; want %d", i, a.status, a.body, want)
		}
	}
	a, _ := w.login(t, w.unitA, w.password, "browser-aaaa-0001")
	var p problem
	a.decode(t, &p)
	if a.status != 429 || !strings.Contains(p.Detail, "15分钟") {
		t.Errorf("right password while locked: got %d %q; want 429 saying 15 minutes", a.status, p.Detail)
	}
	if b, _ := w.login(t, w.unitB, w.password, "browser-bbbb-0001"); b.status != 200 {
		t.Errorf("another unit's operator: got %d; want it unaffected", b.status)
	}
}

func TestNewDeviceNeedsTheSMSCodeThenIsTrusted(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	_, first := w.login(t, w.unitA, w.password, "browser-aaaa-0001")
	if !first.SMSRequired || first.Session != nil || first.Challenge.Phone != "139****0001" {
		t.Fatalf("first login on a device: got %+v; want an SMS challenge to 139****0001 and no session", first)
	}
	w.must(t, 401, call{method: "POST", path: "/ent/v1/sessions/sms", device: "browser-aaaa-0001",
		body: map[string]string{"challenge": first.Challenge.ID, "code": "99999x"}})
	code := w.lastCode(t, w.phoneA)
	w.must(t, 401, call{method: "POST", path: "/ent/v1/sessions/sms", device: "browser-other-01",
		body: map[string]string{"challenge": first.Challenge.ID, "code": code}})
	w.must(t, 200, call{method: "POST", path: "/ent/v1/sessions/sms", device: "browser-aaaa-0001",
		body: map[string]string{"challenge": first.Challenge.ID, "code": code}})
	_, second := w.login(t, w.unitA, w.password, "browser-aaaa-0001")
	if second.SMSRequired || second.Session == nil || second.Session.Token == "" {
		t.Errorf("second login on the trusted device: got %+v; want a session at once", second)
	}
	// A third device needs a code too; the next one may go a minute after the last.
	a, _ := w.login(t, w.unitA, w.password, "browser-cccc-0003")
	var p problem
	a.decode(t, &p)
	if a.status != 429 || !strings.Contains(p.Detail, "验证码已发送") {
		t.Errorf("login on a third device within the minute: got %d %q; want 429 asking to wait for the code", a.status, p.Detail)
	}
	w.must(t, 400, call{method: "POST", path: "/ent/v1/sessions", body: map[string]string{"creditCode": w.unitA, "name": "管理员", "password": w.password}})
	w.must(t, 204, call{method: "DELETE", path: "/ent/v1/sessions/current", token: second.Session.Token})
	w.must(t, 401, call{method: "GET", path: "/ent/v1/me", token: second.Session.Token})
}

// The embedded default's demo operators sign in with the documented password.
func TestDemoAccounts(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	demo, err := enterprise.SeedDemo(ctx, w.accounts, []string{w.unitA, w.unitA})
	if err != nil || len(demo) != 4 || demo[0].Role != "admin" || demo[1].Role != "clerk" {
		t.Fatalf("seed: got %+v, %v; want an admin and a clerk per unit", demo, err)
	}
	a := w.must(t, 200, call{method: "POST", path: "/ent/v1/sessions", device: "browser-demo-001",
		body: map[string]string{"creditCode": w.unitA, "name": enterprise.DemoClerk, "password": enterprise.DemoPassword}})
	var la loginAnswer
	a.decode(t, &la)
	if !la.SMSRequired || w.lastCode(t, demo[1].Phone) == "" {
		t.Errorf("demo clerk: got %+v; want an SMS code sent to %s", la, demo[1].Phone)
	}
}

func TestOnlyTheAdministratorManagesOperators(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	admin := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	u := unit(w.unitA)
	var clerk struct {
		ID    string `json:"id"`
		Phone string `json:"phone"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/operators", token: admin, body: map[string]string{
		"name": "经办员甲", "phone": "13911110009", "role": "clerk", "password": "Clerk2026x"}}).decode(t, &clerk)
	if clerk.Phone != "139****0009" {
		t.Errorf("operator phone: got %q; want masked", clerk.Phone)
	}
	a := w.do(t, call{method: "POST", path: "/ent/v1/sessions", device: "browser-clerk-01",
		body: map[string]string{"creditCode": w.unitA, "name": "经办员甲", "password": "Clerk2026x"}})
	var la loginAnswer
	a.decode(t, &la)
	var s struct {
		Token string `json:"token"`
	}
	w.must(t, 200, call{method: "POST", path: "/ent/v1/sessions/sms", device: "browser-clerk-01",
		body: map[string]string{"challenge": la.Challenge.ID, "code": w.lastCode(t, "13911110009")}}).decode(t, &s)
	w.must(t, 403, call{method: "GET", path: u + "/operators", token: s.Token})
	w.must(t, 403, call{method: "POST", path: u + "/operators", token: s.Token, body: map[string]string{
		"name": "经办员乙", "phone": "13911110008", "role": "admin", "password": "Clerk2026x"}})
	w.must(t, 200, call{method: "GET", path: u + "/staff", token: s.Token}) // clerks do the unit's business
	w.must(t, 200, call{method: "PATCH", path: u + "/operators/" + clerk.ID, token: admin, body: map[string]any{"disabled": true}})
	w.must(t, 401, call{method: "GET", path: u + "/staff", token: s.Token}) // disabling ends its sessions
}
