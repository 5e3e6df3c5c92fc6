package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/app"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
)

func TestWorkInjuryServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var injured person
	for _, s := range e.core.Sample(100) {
		if s.WorkInjury {
			name, _ := e.core.RealName(s.ID)
			injured = person{id: s.ID, name: name}
			break
		}
	}
	if injured.id == "" {
		t.Fatal("no work-injured person in the sample")
	}
	s := e.login(t, "13900000007")
	e.bind(t, &s, injured)
	var assessed app.InjuryAssessments
	e.must(t, 200, call{method: "GET", path: "/work-injury/assessments", token: s.access}, &assessed)
	if len(assessed.Items) == 0 || assessed.Items[0].DecisionNo == "" || assessed.Items[0].GradeText == "" {
		t.Fatalf("assessments %+v; want the recognised injury with its grade", assessed)
	}
	var paid app.InjuryPayments
	e.must(t, 200, call{method: "GET", path: "/work-injury/payments", token: s.access}, &paid)
	for i := 1; i < len(paid.Items); i++ {
		if paid.Items[i].Month > paid.Items[i-1].Month {
			t.Fatalf("payments not newest first: %s after %s", paid.Items[i].Month, paid.Items[i-1].Month)
		}
	}
	if len(paid.Items) == 0 || paid.Items[0].Amount <= 0 || paid.Items[0].KindText == "" {
		t.Errorf("payments %+v; want what the fund paid", paid.Items)
	}
	var cy app.ContributionYear
	e.must(t, 200, call{method: "GET", path: "/work-injury/contributions?year=2020", token: s.access}, &cy)
	for _, it := range cy.Items {
		if it.Personal != 0 {
			t.Errorf("work-injury month %s with a personal share %d; the unit alone pays it", it.Month, it.Personal)
		}
	}
}

func TestFaceCertificationWaitsForTheCertifier(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.samplePerson(t, "退休", 0, false)
	s := e.login(t, "13900000008")
	e.bind(t, &s, me)
	a := e.do(t, call{method: "POST", path: "/pension/certifications", token: s.access, body: map[string]string{"faceToken": "FC123"}})
	if p := a.problem(t); p.Status != 503 || p.Detail == "" {
		t.Errorf("certification with no certifier wired: %d %q; want 503 pointing to the hall", p.Status, p.Detail)
	}
}

func TestRegisteringARelative(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.samplePerson(t, "在职", 0, false)
	mother := e.samplePerson(t, "退休", 1, true)
	s := e.login(t, "13900000009")
	start := func(fields map[string]string) answer {
		return e.do(t, call{method: "POST", path: "/relatives/verifications", token: s.access, body: fields})
	}
	rel := map[string]string{"idNumber": mother.id, "name": mother.name, "relation": "parent"}
	if a := start(rel); a.status != 403 {
		t.Errorf("before real-name binding: %d; want 403", a.status)
	}
	e.bind(t, &s, me)
	if p := start(map[string]string{"idNumber": me.id, "name": me.name, "relation": "parent"}).problem(t); p.Status != 400 || p.Errors[0].Field != "idNumber" {
		t.Errorf("oneself as a relative: %d %+v; want 400 on idNumber", p.Status, p.Errors)
	}
	if p := start(map[string]string{"idNumber": mother.id, "name": "冒名顶替", "relation": "parent"}).problem(t); p.Status != 422 {
		t.Errorf("a wrong name: %d %q; want 422", p.Status, p.Detail)
	}
	var sent app.CodeSent
	start(rel).decode(t, &sent)
	if sent.Phone != mother.phone[:3]+"****"+mother.phone[7:] {
		t.Errorf("consent code went to %q; want the mother's phone on record, masked", sent.Phone)
	}
	confirm := map[string]string{"idNumber": mother.id, "name": mother.name, "relation": "parent", "code": "000000"}
	if e.lastCode(t, mother.phone) == "000000" {
		confirm["code"] = "111111"
	}
	if a := e.do(t, call{method: "POST", path: "/relatives", token: s.access, body: confirm}); a.status != 422 {
		t.Errorf("a wrong consent code: %d; want 422", a.status)
	}
	confirm["code"] = e.lastCode(t, mother.phone)
	var added app.RelativeView
	e.must(t, 201, call{method: "POST", path: "/relatives", token: s.access, body: confirm}, &added)
	e.must(t, 200, call{method: "GET", path: "/pension/account", token: s.access, actFor: added.ID}, nil)
	e.must(t, 200, call{method: "DELETE", path: "/relatives/" + added.ID, token: s.access}, nil)
	if a := e.do(t, call{method: "GET", path: "/pension/account", token: s.access, actFor: added.ID}); a.status != 403 {
		t.Errorf("acting for a removed relative: %d; want 403", a.status)
	}
}

// The certification service is what the channel's Certifier port names.
var _ app.Certifier = (*certification.Service)(nil)

// certifier records what the channel asks of the certification service.
type certifier struct {
	person domain.IDNumber
	actor  certification.Actor
	token  string
}

func (c *certifier) Certify(_ context.Context, person domain.IDNumber, m certification.Method, a certification.Actor, evidence string) (certification.Cycle, error) {
	if m != certification.AppFace {
		return certification.Cycle{}, domain.Errorf(domain.Invalid, "wrong method %s", m)
	}
	c.person, c.actor, c.token = person, a, evidence
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, domain.Beijing)
	return certification.Cycle{ID: "CY1", Year: 2026, State: certification.Certified, NextDueOn: at.AddDate(1, 0, 0),
		Certification: &certification.Certification{At: at, Method: m}}, nil
}

// A child certifies a retired parent by the parent's face check; the
// certification records the child as acting, related as the parent's child.
func TestFaceCertificationForAParent(t *testing.T) {
	t.Parallel()
	cert := &certifier{}
	e := newEnv(t, func(c *app.Config) { c.Certifier = cert })
	me := e.samplePerson(t, "在职", 1, false)
	parent := e.samplePerson(t, "退休", 2, true)
	s := e.login(t, "13900000010")
	e.bind(t, &s, me)
	relID := e.addRelative(t, s, parent, "parent")
	var got app.CertificationView
	e.must(t, 201, call{method: "POST", path: "/pension/certifications", token: s.access, actFor: relID,
		body: map[string]string{"faceToken": "FC0123"}}, &got)
	if got.State != "certified" || got.NextDueOn != "2027-06-01" || got.CertifiedAt == nil {
		t.Errorf("answer %+v; want certified, next due 2027-06-01", got)
	}
	if cert.person != domain.IDNumber(parent.id) || cert.token != "FC0123" {
		t.Errorf("certified %s with %q; want the parent with the face token", cert.person, cert.token)
	}
	a := cert.actor
	if a.Kind != certification.Relative || a.Relative != domain.IDNumber(me.id) || a.Relation != certification.Child || a.Channel != domain.App {
		t.Errorf("actor %+v; want the signed-in child, related as the parent's child, through the app", a)
	}
}
