package certification_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

func TestEachMethodCertifies(t *testing.T) {
	e := newEnv(t, newMemStore())
	now := e.clock.Now()
	tests := []struct {
		name     string
		person   domain.IDNumber
		method   certification.Method
		actor    certification.Actor
		evidence func() string
		channel  domain.Channel
	}{
		{"kiosk face", personID(1), certification.KioskFace, certification.Actor{Kind: certification.Self},
			func() string { return e.faces.token(personID(1), true, now) }, domain.Kiosk},
		{"app face", personID(2), certification.AppFace, certification.Actor{Kind: certification.Self},
			func() string { return e.faces.token(personID(2), true, now) }, domain.App},
		{"app face in WeChat", personID(3), certification.AppFace, certification.Actor{Kind: certification.Self, Channel: domain.WeChat},
			func() string { return e.faces.token(personID(3), true, now) }, domain.WeChat},
		{"data match", personID(4), certification.DataMatch, certification.Actor{Kind: certification.System},
			func() string { return "医保结算 丹东市中心医院 2026-01-20" }, domain.Counter},
		{"staff visit", personID(5), certification.StaffVisit, certification.Actor{Kind: certification.Staff, StaffID: "S0123"},
			func() string { return "SM-2026-0001" }, domain.Counter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.out.kinds())
			c, err := e.svc.Certify(context.Background(), tt.person, tt.method, tt.actor, tt.evidence())
			if err != nil {
				t.Fatalf("Certify: %v", err)
			}
			if c.State != certification.Certified || c.Certification == nil {
				t.Fatalf("state: got %s; want certified", c.State)
			}
			got := c.Certification
			if got.Method != tt.method || got.Channel != tt.channel || !got.At.Equal(now) {
				t.Errorf("certification: got %s via %s at %v; want %s via %s at %v", got.Method, got.Channel, got.At, tt.method, tt.channel, now)
			}
			if want := date(2027, time.February, 1); !c.NextDueOn.Equal(want) {
				t.Errorf("next due: got %v; want %v", c.NextDueOn, want)
			}
			if s := e.status(t, tt.person); s.State != certification.Certified || s.ID != c.ID {
				t.Errorf("Status after Certify: got %s of cycle %s; want certified of %s", s.State, s.ID, c.ID)
			}
			notices := e.out.notices[before:]
			if len(notices) != 1 || notices[0].Kind != certification.EventCertified || notices[0].Person != tt.person {
				t.Errorf("forwarded: got %+v; want one certified notice for the pensioner", notices)
			}
		})
	}
}

func TestRelativeCertificationRecordsWhoActed(t *testing.T) {
	e := newEnv(t, newMemStore())
	aud := &auditLog{}
	svc, _ := certification.NewService(certification.Config{Store: e.store, Pensioners: certification.PensionersFunc(
		func(_ context.Context, id domain.IDNumber) (certification.Pensioner, error) { return e.people[id], nil }),
		Faces: e.faces, Forwarder: e.out, Reminders: e.out, Sealer: sealer, Auditor: aud, Rules: testRules(), Now: e.clock.Now})
	pensioner, son := personID(1), personID(100)
	tok := e.faces.token(pensioner, true, e.clock.Now())
	actor := certification.Actor{Kind: certification.Relative, Relative: son, Name: "王小明", Relation: certification.Child}

	c, err := svc.Certify(context.Background(), pensioner, certification.AppFace, actor, tok)
	if err != nil {
		t.Fatalf("Certify: %v", err)
	}
	who := c.Certification.Actor
	if who.Kind != certification.Relative || who.Relation != certification.Child {
		t.Errorf("actor: got %s (%s); want relative (child)", who.Kind, who.Relation)
	}
	if who.Ref != privacy.IDIndex(sealer, son) {
		t.Errorf("actor ref: got %q; want the blind index of the son's ID", who.Ref)
	}
	if opened, _ := privacy.OpenID(sealer, who.Sealed); opened != son {
		t.Errorf("sealed actor opens to %s; want the son", opened)
	}
	if strings.Contains(who.Display, son.Raw()) || !strings.Contains(who.Display, son.Masked()) || !strings.HasPrefix(who.Display, "王") {
		t.Errorf("actor display: got %q; want the masked name and number", who.Display)
	}
	n := e.out.notices
	if len(n) != 1 || n[0].Person != pensioner || n[0].ActingFor != son {
		t.Fatalf("forwarded: got %+v; want one notice for the pensioner acted for by the son", n)
	}
	entries := aud.all()
	if len(entries) != 1 || entries[0].ActorRef != who.Ref || entries[0].SubjectRef != c.PersonRef || entries[0].Outcome != audit.OK {
		t.Errorf("audit: got %+v; want one ok entry by the son about the pensioner", entries)
	}
}

func TestCertifyingTwiceReturnsTheFirst(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	first := e.selfFace(t, person)

	e.clock.Set(e.clock.Now().Add(3 * 24 * time.Hour))
	tok := e.faces.token(person, true, e.clock.Now())
	again, err := e.svc.Certify(context.Background(), person, certification.KioskFace, certification.Actor{Kind: certification.Self}, tok)
	if err != nil {
		t.Fatalf("second Certify: %v", err)
	}
	if again.ID != first.ID || again.Certification.Method != certification.AppFace || !again.Certification.At.Equal(first.Certification.At) {
		t.Errorf("second Certify: got %s at %v; want the first, app_face at %v", again.Certification.Method, again.Certification.At, first.Certification.At)
	}
	if e.faces.redeemed != 1 {
		t.Errorf("face tokens redeemed: got %d; want 1 (the second is not spent)", e.faces.redeemed)
	}
	if k := e.out.kinds(); len(k) != 1 {
		t.Errorf("forwarded: got %v; want one certification", k)
	}
}

func TestNonPensionerIsRefused(t *testing.T) {
	e := newEnv(t, newMemStore())
	for _, tt := range []struct {
		name   string
		person domain.IDNumber
	}{{"insured, not retired", personID(9)}, {"unknown to the core", personID(50)}} {
		t.Run(tt.name, func(t *testing.T) {
			_, errStatus := e.svc.Status(context.Background(), tt.person)
			_, errCertify := e.svc.Certify(context.Background(), tt.person, certification.StaffVisit,
				certification.Actor{Kind: certification.Staff, StaffID: "S1"}, "SM-1")
			for name, err := range map[string]error{"Status": errStatus, "Certify": errCertify} {
				if domain.ErrorCode(err) != domain.Rejected {
					t.Fatalf("%s: got %v; want Rejected", name, err)
				}
				if msg := err.Error(); !strings.Contains(msg, "不是养老保险待遇领取人员") || strings.Contains(msg, tt.person.Raw()[6:14]) {
					t.Errorf("%s message: got %q; want the Chinese reason and no ID number", name, msg)
				}
			}
		})
	}
	if k := e.out.kinds(); len(k) != 0 {
		t.Errorf("forwarded: got %v; want nothing", k)
	}
}

func TestFailedFaceCheckDoesNotCertify(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	used := e.faces.token(person, true, e.clock.Now())
	e.faces.VerifyFace(context.Background(), used)
	tests := []struct {
		name  string
		token string
		msg   string
	}{
		{"face not matched", e.faces.token(person, false, e.clock.Now()), "人脸识别未通过"},
		{"someone else's face", e.faces.token(personID(2), true, e.clock.Now()), "与认证人员不符"},
		{"token already used", used, "已失效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Certify(context.Background(), person, certification.AppFace, certification.Actor{Kind: certification.Self}, tt.token)
			if domain.ErrorCode(err) != domain.Rejected || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Certify: got %v; want Rejected saying %q", err, tt.msg)
			}
			if c := e.status(t, person); c.State != certification.Due || c.Certification != nil {
				t.Errorf("after a failed face check: got %s; want still due", c.State)
			}
		})
	}
	if k := e.out.kinds(); len(k) != 0 {
		t.Errorf("forwarded: got %v; want nothing", k)
	}
}

func TestMalformedRequestsAreInvalid(t *testing.T) {
	e := newEnv(t, newMemStore())
	p := personID(1)
	tests := []struct {
		name     string
		method   certification.Method
		actor    certification.Actor
		evidence string
		field    string
	}{
		{"face without token", certification.AppFace, certification.Actor{Kind: certification.Self}, "", "evidence"},
		{"face by staff", certification.KioskFace, certification.Actor{Kind: certification.Staff, StaffID: "S1"}, "tok", "actor.kind"},
		{"data match by the person", certification.DataMatch, certification.Actor{Kind: certification.Self}, "医保", "actor.kind"},
		{"visit without staff number", certification.StaffVisit, certification.Actor{Kind: certification.Staff}, "SM-1", "actor.staffId"},
		{"relative without relation", certification.AppFace, certification.Actor{Kind: certification.Relative, Relative: personID(100)}, "tok", "actor.relation"},
		{"relative is the pensioner", certification.AppFace, certification.Actor{Kind: certification.Relative, Relative: p, Relation: certification.Spouse}, "tok", "actor.relative"},
		{"relative's number wrong", certification.AppFace, certification.Actor{Kind: certification.Relative, Relative: wrongCheckDigit(personID(100)), Relation: certification.Spouse}, "tok", "actor.relative"},
		{"the core's record", certification.Recorded, certification.Actor{Kind: certification.System}, "x", "method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Certify(context.Background(), p, tt.method, tt.actor, tt.evidence)
			de, ok := err.(*domain.Error)
			if !ok || de.Code != domain.Invalid {
				t.Fatalf("got %v; want Invalid", err)
			}
			if !slices.ContainsFunc(de.Fields, func(f domain.FieldError) bool { return f.Field == tt.field }) {
				t.Errorf("fields: got %+v; want one on %s", de.Fields, tt.field)
			}
		})
	}
}

// auditLog collects audit entries.
type auditLog struct {
	entries []audit.Entry
}

func (a *auditLog) Record(_ context.Context, e audit.Entry) { a.entries = append(a.entries, e) }
func (a *auditLog) all() []audit.Entry                      { return a.entries }

// wrongCheckDigit returns id with a check digit that fails GB 11643.
func wrongCheckDigit(id domain.IDNumber) domain.IDNumber {
	last := byte('0')
	if id.Raw()[17] == '0' {
		last = '1'
	}
	return domain.IDNumber(id.Raw()[:17] + string(last))
}
