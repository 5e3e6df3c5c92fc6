package identity

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Claims are what a channel's access token carries: enough to serve a
// request with no look-up. The bound ID number travels sealed, so the
// token, readable by anyone who holds it, shows no personal data.
type Claims struct {
	AccountID    string
	FamilyID     string
	SealedPerson string // "" before real-name binding
}

// ClaimsOf returns the claims of a session's access token.
func (s *Service) ClaimsOf(sess Session) (Claims, error) {
	sealed, err := privacy.SealID(s.cfg.Sealer, sess.Account.Person)
	if err != nil {
		return Claims{}, err
	}
	return Claims{AccountID: sess.Account.ID, FamilyID: sess.FamilyID, SealedPerson: sealed}, nil
}

// Principal is who a request comes from and whose data it is about.
// Subject is the signed-in person, or the relative they act for (代办).
type Principal struct {
	AccountID string
	FamilyID  string
	Person    domain.IDNumber // the signed-in person; "" before real-name binding
	PersonRef string          // Person's blind index, the audit log's actor
	Subject   domain.IDNumber
	// SubjectRef is Subject's blind index, the audit log's subject.
	SubjectRef string
	// Relative is the relative acted for; nil when acting for oneself.
	Relative *Relative
}

// ActingFor reports whether the request is made for a relative.
func (p Principal) ActingFor() bool { return p.Relative != nil }

// RequirePerson refuses a principal not yet bound to an ID number.
// Error: Forbidden.
func (p Principal) RequirePerson() error {
	if p.Person == "" {
		return domain.Errorf(domain.Forbidden, "请先完成实名认证")
	}
	return nil
}

// Principal resolves an access token's claims, and the relative id a
// request says it acts for ("" for none), into the request's principal.
// Acting for a relative costs one database read; otherwise nothing but
// opening the sealed number. Errors: Unauthenticated for claims that do not
// open; Forbidden when acting for someone before real-name binding, or for
// anyone the holder has not registered as a relative.
func (s *Service) Principal(ctx context.Context, c Claims, actFor string) (Principal, error) {
	person, err := privacy.OpenID(s.cfg.Sealer, c.SealedPerson)
	if err != nil {
		return Principal{}, domain.Wrap(err, domain.Unauthenticated, "登录已失效，请重新登录")
	}
	p := Principal{AccountID: c.AccountID, FamilyID: c.FamilyID, Person: person, Subject: person}
	if person != "" {
		p.PersonRef = privacy.IDIndex(s.cfg.Sealer, person)
		p.SubjectRef = p.PersonRef
	}
	if actFor == "" {
		return p, nil
	}
	if err := p.RequirePerson(); err != nil {
		return Principal{}, err
	}
	rec, err := s.cfg.Store.Relative(ctx, c.AccountID, actFor)
	if domain.IsCode(err, domain.NotFound) {
		return Principal{}, domain.Errorf(domain.Forbidden, "您未登记该亲属，不能代其办理，请先在亲情服务中添加")
	}
	if err != nil {
		return Principal{}, err
	}
	rel, err := s.openRelative(rec)
	if err != nil {
		return Principal{}, err
	}
	p.Subject, p.SubjectRef, p.Relative = rel.Person, rec.PersonIndex, &rel
	return p, nil
}

// Filing returns the principal as declaration wants an application's
// parties (亲情代办): the subject as applicant and, when acting for a
// relative, the holder as the one acting with the relation's label.
// holderName is the holder's name as the channel shows it (masked is fine).
func (p Principal) Filing(holderName string) (applicant declaration.Who, actingFor *declaration.Who, relation string) {
	applicant = declaration.Who{Kind: acceptance.Person, IDNumber: p.Subject.Raw()}
	if p.Relative == nil {
		applicant.Name = holderName
		return applicant, nil, ""
	}
	applicant.Name = p.Relative.MaskedName
	return applicant, &declaration.Who{Kind: acceptance.Person, IDNumber: p.Person.Raw(), Name: holderName}, p.Relative.Relation.Label()
}

// Ref is the blind index of an ID number, by which the audit log names a
// person identified some other way (a scanned e-card).
func (s *Service) Ref(id domain.IDNumber) string { return privacy.IDIndex(s.cfg.Sealer, id) }
