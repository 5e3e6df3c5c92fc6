package follower

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Principal is who a request comes from and whose data it is about: the
// bound follower, and the Subject they read or act for — themselves, or a
// relative they registered (代办).
type Principal struct {
	OpenID     string
	Person     domain.IDNumber
	PersonRef  string // the audit log's actor
	MaskedName string
	Subject    domain.IDNumber
	SubjectRef string // the audit log's subject; the viewer of applications
	// SubjectName is the subject's masked name: the holder's or the relative's.
	SubjectName string
	// Relative is the relative acted for; nil when acting for oneself.
	Relative *Relative
}

// ActingFor reports whether the request is made for a relative.
func (p Principal) ActingFor() bool { return p.Relative != nil }

// errNotBound refuses what needs a bound follower.
var errNotBound = domain.Errorf(domain.Forbidden, "请先绑定本人社保身份（菜单“我的”→“绑定身份”）")

// Principal resolves a session's openid, and the relative id a request
// says it acts for ("" for none), into the request's principal: one read
// of the binding, and one more when acting for a relative. Errors:
// Forbidden when the follower has not bound, or names a relative they have
// not registered; Unavailable.
func (s *Service) Principal(ctx context.Context, openID, actFor string) (Principal, error) {
	b, err := s.Binding(ctx, openID)
	if domain.IsCode(err, domain.NotFound) {
		return Principal{}, errNotBound
	}
	if err != nil {
		return Principal{}, err
	}
	p := Principal{OpenID: openID, Person: b.Person, PersonRef: b.PersonRef, MaskedName: b.MaskedName,
		Subject: b.Person, SubjectRef: b.PersonRef, SubjectName: b.MaskedName}
	if actFor == "" {
		return p, nil
	}
	rec, err := s.cfg.Store.Relative(ctx, b.PersonRef, actFor)
	if domain.IsCode(err, domain.NotFound) {
		return Principal{}, domain.Errorf(domain.Forbidden, "您未登记该亲属，不能代其办理或查询，请先在“亲情服务”中添加")
	}
	if err != nil {
		return Principal{}, err
	}
	rel, err := s.openRelative(rec)
	if err != nil {
		return Principal{}, err
	}
	p.Subject, p.SubjectRef, p.SubjectName, p.Relative = rel.Person, rel.PersonRef, rel.MaskedName, &rel
	return p, nil
}

// Filing returns the principal as declaration wants an application's
// parties (亲情代办): the subject as applicant and, when acting for a
// relative, the holder as the one acting, with the relation's label.
func (p Principal) Filing() (applicant declaration.Who, actingFor *declaration.Who, relation string) {
	applicant = declaration.Who{Kind: acceptance.Person, IDNumber: p.Subject.Raw(), Name: p.SubjectName}
	if p.Relative == nil {
		return applicant, nil, ""
	}
	holder := &declaration.Who{Kind: acceptance.Person, IDNumber: p.Person.Raw(), Name: p.MaskedName}
	return applicant, holder, p.Relative.Relation.Label()
}

func (s *Service) openRelative(rec RelativeRecord) (Relative, error) {
	id, err := privacy.OpenID(s.cfg.Sealer, rec.SealedPerson)
	if err != nil {
		return Relative{}, err
	}
	return Relative{ID: rec.ID, Person: id, PersonRef: rec.PersonRef, MaskedName: rec.MaskedName,
		Relation: rec.Relation, VerifiedAt: rec.VerifiedAt}, nil
}
