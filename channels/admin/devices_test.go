package admin_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain/device"
)

type deviceJSON struct {
	ID, Hall, Location, Status, StatusName string
}

func TestDeviceRegistry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := map[string]string{"id": "kiosk-yb-009", "hall": "元宝区社保服务大厅", "location": "二楼东侧"}
	var made struct {
		Device deviceJSON
		Secret string
		Notice string
	}
	answer := e.do(t, "POST", "/admin/v1/devices", adminToken, reg).want(t, 201)
	answer.decode(t, &made)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(made.Secret) || made.Device.Status != "active" || made.Notice == "" {
		t.Fatalf("registered: got %+v; want an active device, a 64-hex secret and the show-once notice", made)
	}
	if got := answer.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control of the secret: got %q; want no-store", got)
	}

	list := e.do(t, "GET", "/admin/v1/devices", adminToken, nil).want(t, 200)
	if strings.Contains(string(list.body), made.Secret) || strings.Contains(string(list.body), `"secret"`) {
		t.Errorf("the list shows the secret: %s", list.body)
	}
	p := e.do(t, "POST", "/admin/v1/devices", adminToken, reg).want(t, 409).problem(t)
	if !hasField(p, "id") {
		t.Errorf("second registration: got %+v; want a fault on id", p)
	}

	var d deviceJSON
	e.do(t, "POST", "/admin/v1/devices/kiosk-yb-009/disable", adminToken, nil).want(t, 200).decode(t, &d)
	if d.Status != "disabled" || d.StatusName != "停用" || e.board.status("kiosk-yb-009") != device.Disabled {
		t.Errorf("disabled: got %+v, board %q; want disabled everywhere", d, e.board.status("kiosk-yb-009"))
	}
	if got := listedStatus(t, e, "kiosk-yb-009"); got != "disabled" {
		t.Errorf("listed after disabling: got %q; want disabled", got)
	}
	e.do(t, "POST", "/admin/v1/devices/kiosk-yb-009/enable", adminToken, nil).want(t, 200).decode(t, &d)
	if d.Status != "active" || e.board.status("kiosk-yb-009") != device.Active {
		t.Errorf("enabled: got %+v; want active", d)
	}
	e.do(t, "POST", "/admin/v1/devices/kiosk-none-1/disable", adminToken, nil).want(t, 404)

	rows := e.auditRows(t, 5)
	actions := []string{}
	for _, r := range rows {
		if strings.Contains(string(r.Detail), made.Secret) {
			t.Errorf("an audit entry holds the secret: %+v", r)
		}
		actions = append(actions, r.Action+":"+r.Outcome)
	}
	want := "device.register:ok,device.register:conflict,device.disable:ok,device.enable:ok,device.disable:not_found"
	if got := strings.Join(actions, ","); got != want {
		t.Errorf("audited: got %s; want %s", got, want)
	}
	if strings.Contains(e.logs.String(), made.Secret) {
		t.Error("the secret is in the log")
	}
}

func TestRegisterDeviceNamesFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.do(t, "POST", "/admin/v1/devices", adminToken, map[string]string{"id": "Kiosk 1", "hall": "", "location": "一楼", "secret": "short"}).want(t, 400).problem(t)
	for _, f := range []string{"id", "hall", "secret"} {
		if !hasField(p, f) {
			t.Errorf("got %+v; want a fault on %s", p.Errors, f)
		}
	}
}

func listedStatus(t testing.TB, e *env, id string) string {
	t.Helper()
	var l struct{ Items []deviceJSON }
	e.do(t, "GET", "/admin/v1/devices", adminToken, nil).want(t, 200).decode(t, &l)
	for _, d := range l.Items {
		if d.ID == id {
			return d.Status
		}
	}
	return ""
}
