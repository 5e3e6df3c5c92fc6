package admin_test

import (
	"context"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// The bureau opens a unit's first administrator for online declaration:
// the unit can then sign in with the password handed over; asking again
// opens nothing twice; a clerk of the hall may not; a bad credit code is
// refused naming it.
func TestOpenUnitOperator(t *testing.T) {
	e := newEnv(t)
	const code = "91210600MA0Y8KQ12X"
	body := map[string]string{"name": "王会计", "phone": "13904150001", "password": "Open2026ab"}
	var out struct {
		Created bool
		Notice  string
	}
	e.do(t, "POST", "/admin/v1/units/"+code+"/operators", adminToken, body).want(t, 201).decode(t, &out)
	if !out.Created || out.Notice == "" {
		t.Errorf("first opening: %+v; want created, with a notice", out)
	}
	res, err := e.accounts.Login(context.Background(), account.Credentials{CreditCode: code, Name: "王会计",
		Password: "Open2026ab", DeviceID: "browser-0001-test"})
	if err != nil || res.Challenge == nil {
		t.Errorf("sign-in with the handed-over password: %+v, %v; want the new device's SMS challenge", res, err)
	}

	e.do(t, "POST", "/admin/v1/units/"+code+"/operators", adminToken, body).want(t, 200).decode(t, &out)
	if out.Created {
		t.Error("asked again, it opened a second account")
	}
	e.do(t, "POST", "/admin/v1/units/"+code+"/operators", operatorToken, body).want(t, 403)
	p := e.do(t, "POST", "/admin/v1/units/912106OOMA0Y8KQ12I/operators", adminToken, body).want(t, 400).problem(t)
	if p.Code != domain.Invalid || len(p.Errors) == 0 || p.Errors[0].Field != "creditCode" {
		t.Errorf("a malformed credit code: %+v; want invalid naming it", p)
	}
	weak := map[string]string{"name": "李出纳", "phone": "13904150002", "password": "short"}
	if p := e.do(t, "POST", "/admin/v1/units/"+code+"/operators", adminToken, weak).problem(t); p.Code != domain.Invalid || len(p.Errors) == 0 {
		t.Errorf("a weak password: %+v; want invalid naming the field", p)
	}
}
