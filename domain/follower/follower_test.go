package follower_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// sessions is an in-memory session store that counts look-ups.
type sessions struct {
	m       map[string]string
	lookups int
}

func (s *sessions) Open(_ context.Context, h, openID string, _ time.Duration) error {
	s.m[h] = openID
	return nil
}

func (s *sessions) Lookup(_ context.Context, h string) (string, error) {
	s.lookups++
	if id, ok := s.m[h]; ok {
		return id, nil
	}
	return "", domain.Errorf(domain.NotFound, "none")
}

func (s *sessions) Close(_ context.Context, h string) error {
	delete(s.m, h)
	return nil
}

// unused satisfies the ports a test does not reach.
type unused struct {
	follower.Store
	identity.Codes
}

func (unused) Send(context.Context, domain.Phone, string, map[string]string) (string, error) {
	panic("no texts in this test")
}
func (unused) Person(context.Context, domain.IDNumber) (insured.Person, error) { panic("no core") }
func (unused) VerifyName(context.Context, domain.IDNumber, string) (bool, error) {
	panic("no e-card platform")
}
func (unused) VerifyFace(context.Context, string) (ecard.FaceResult, error) {
	panic("no e-card platform")
}

// sealer seals in the clear; enough for what these tests look at.
type sealer struct{}

func (sealer) Seal(s string) (string, error)              { return "sealed:" + s, nil }
func (sealer) Open(s string) (string, error)              { return strings.TrimPrefix(s, "sealed:"), nil }
func (sealer) BlindIndex(k privacy.Kind, v string) string { return string(k) + ":" + v }

func newService(s *sessions) *follower.Service {
	u := unused{}
	return follower.NewService(follower.Config{Store: u, Sessions: s, Codes: u, Texter: u, People: u, Cards: u, Sealer: sealer{}})
}

func TestSessionTokens(t *testing.T) {
	s := &sessions{m: map[string]string{}}
	svc, ctx := newService(s), context.Background()
	sess, err := svc.OpenSession(ctx, "oFollower1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(keys(s.m), ","), sess.Token) {
		t.Errorf("the store keeps the token itself; want only its hash")
	}
	if got, err := svc.SessionOpenID(ctx, sess.Token); err != nil || got != "oFollower1" {
		t.Errorf("SessionOpenID = %q, %v; want oFollower1", got, err)
	}
	before := s.lookups
	for _, bad := range []string{"", "oFollower1", "Bearer x", strings.Repeat("wxs_", 40)} {
		if _, err := svc.SessionOpenID(ctx, bad); !domain.IsCode(err, domain.Unauthenticated) {
			t.Errorf("token %q: %v; want Unauthenticated", bad, err)
		}
	}
	if s.lookups != before {
		t.Errorf("malformed tokens reached the store %d times; want none", s.lookups-before)
	}
	svc.CloseSession(ctx, sess.Token)
	if _, err := svc.SessionOpenID(ctx, sess.Token); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("after CloseSession: %v; want Unauthenticated", err)
	}
}

func TestFilingActsForTheRelative(t *testing.T) {
	self := follower.Principal{Person: "210602198001011234", PersonRef: "a", MaskedName: "张*",
		Subject: "210602198001011234", SubjectRef: "a", SubjectName: "张*"}
	app, acting, rel := self.Filing()
	if app.IDNumber != self.Person.Raw() || app.Kind != acceptance.Person || acting != nil || rel != "" {
		t.Errorf("for oneself: %+v, %+v, %q; want the holder as applicant, no one acting", app, acting, rel)
	}
	r := &follower.Relative{ID: "RL1", Person: "210602195001011230", MaskedName: "李*", Relation: identity.Parent}
	forMother := self
	forMother.Subject, forMother.SubjectRef, forMother.SubjectName, forMother.Relative = r.Person, "b", r.MaskedName, r
	app, acting, rel = forMother.Filing()
	if app.IDNumber != r.Person.Raw() || acting == nil || acting.IDNumber != self.Person.Raw() || rel != "父母" {
		t.Errorf("for a parent: %+v, %+v, %q; want the parent as applicant and the holder acting, as 父母", app, acting, rel)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
