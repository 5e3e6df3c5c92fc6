package follower

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// msgNoMatch answers an ID number the core does not know and a name that
// is not the core's alike, so that binding cannot be used to probe who is
// insured.
const msgNoMatch = "身份证号码或姓名与社保登记信息不一致，请核对后重试"

// SendBindCode starts binding openID by SMS: the person must be known to
// the business core under name, and the code goes to the phone the core
// has on record for them, whose masked number is returned so the follower
// knows where to look. Errors: Invalid on "idNumber" or "name"; Rejected
// when the core does not know the person under that name or has no phone
// for them; RateLimited (an *identity.RetryLater) when a code was asked
// less than a minute ago or ten today; Unavailable or Timeout when the
// core or the SMS platform is in trouble.
func (s *Service) SendBindCode(ctx context.Context, openID, rawID, name string) (identity.CodeSent, error) {
	id, name, err := parsePerson(rawID, name)
	if err != nil {
		return identity.CodeSent{}, err
	}
	p, err := s.onRecord(ctx, id, name)
	if err != nil {
		return identity.CodeSent{}, err
	}
	if p.Phone == "" {
		return identity.CodeSent{}, domain.Errorf(domain.Rejected,
			"社保系统中没有登记您的手机号，请改用电子社保卡认证，或携带身份证到服务大厅登记手机号")
	}
	return s.sendCode(ctx, s.codeKey(purposeBind, openID, id, name), p.Phone)
}

// BindBySMS binds openID to the person whose code, texted by SendBindCode,
// the follower entered; the ID number and name must be those SendBindCode
// was given. Errors: Invalid; Rejected when the code is wrong, void or
// expired; Conflict when the openid is bound to another person.
func (s *Service) BindBySMS(ctx context.Context, openID, rawID, name, code string) (Binding, error) {
	id, name, err := parsePerson(rawID, name)
	if err != nil {
		return Binding{}, err
	}
	if err := s.checkCode(ctx, s.codeKey(purposeBind, openID, id, name), code); err != nil {
		return Binding{}, err
	}
	return s.bind(ctx, openID, id, name, BySMS)
}

// BindByECard binds openID to a person the provincial e-card platform
// vouches for: the name is the one it holds for the ID number, and
// faceToken is the result of a face check of that person that passed.
// Errors: Invalid; Rejected when the name does not match or the face check
// failed, is someone else's, used or expired; NotFound for a token the
// platform never issued; Conflict when the openid is bound to another
// person; Unavailable or Timeout.
func (s *Service) BindByECard(ctx context.Context, openID, rawID, name, faceToken string) (Binding, error) {
	id, name, err := parsePerson(rawID, name)
	if err == nil && faceToken == "" {
		err = domain.InvalidFields(domain.FieldError{Field: "faceToken", Message: "请先完成人脸识别"})
	}
	if err != nil {
		return Binding{}, err
	}
	ok, err := s.cfg.Cards.VerifyName(ctx, id, name)
	if err != nil {
		return Binding{}, err
	}
	if !ok {
		return Binding{}, domain.Errorf(domain.Rejected, "姓名与身份证号码不一致，请核对后重试")
	}
	res, err := s.cfg.Cards.VerifyFace(ctx, faceToken)
	if err != nil {
		return Binding{}, err
	}
	if !res.Passed || res.Person != id {
		return Binding{}, domain.Errorf(domain.Rejected, "人脸识别未通过，请本人重新进行人脸识别")
	}
	return s.bind(ctx, openID, id, name, ByECard)
}

// bind stores the binding the follower just proved.
func (s *Service) bind(ctx context.Context, openID string, id domain.IDNumber, name string, m Method) (Binding, error) {
	sealed, err := privacy.SealID(s.cfg.Sealer, id)
	if err != nil {
		return Binding{}, err
	}
	rec := BindingRecord{OpenID: openID, PersonRef: s.ref(id), SealedPerson: sealed,
		MaskedName: domain.MaskName(name), Method: m, BoundAt: s.now()}
	if err := s.cfg.Store.Bind(ctx, rec); err != nil {
		return Binding{}, err
	}
	return Binding{OpenID: openID, Person: id, PersonRef: rec.PersonRef, MaskedName: rec.MaskedName,
		Method: m, BoundAt: rec.BoundAt}, nil
}

// onRecord returns the core's record of the person, if it is under name.
func (s *Service) onRecord(ctx context.Context, id domain.IDNumber, name string) (insured.Person, error) {
	p, err := s.cfg.People.Person(ctx, id)
	if domain.IsCode(err, domain.NotFound) || err == nil && normalizeName(p.Name) != normalizeName(name) {
		return insured.Person{}, domain.Errorf(domain.Rejected, msgNoMatch)
	}
	return p, err
}

// Binding returns the binding of an openid. Errors: NotFound when the
// follower has not bound; Unavailable.
func (s *Service) Binding(ctx context.Context, openID string) (Binding, error) {
	rec, err := s.cfg.Store.Binding(ctx, openID)
	if err != nil {
		return Binding{}, err
	}
	id, err := privacy.OpenID(s.cfg.Sealer, rec.SealedPerson)
	if err != nil {
		return Binding{}, err
	}
	return Binding{OpenID: rec.OpenID, Person: id, PersonRef: rec.PersonRef, MaskedName: rec.MaskedName,
		Method: rec.Method, BoundAt: rec.BoundAt}, nil
}

// Unbind removes the openid's binding (解绑) with the relatives registered
// through it, and reports whether there was one: unbinding twice is no
// error. Errors: Unavailable.
func (s *Service) Unbind(ctx context.Context, openID string) (bool, error) {
	return s.cfg.Store.Unbind(ctx, openID)
}

// OpenIDOf returns the openid bound to a person (by blind index), for
// notices: ok is false when the person has not bound one. Errors:
// Unavailable.
func (s *Service) OpenIDOf(ctx context.Context, personRef string) (openID string, ok bool, err error) {
	rec, err := s.cfg.Store.BindingOf(ctx, personRef)
	if domain.IsCode(err, domain.NotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return rec.OpenID, true, nil
}

// parsePerson checks an ID number and a name as typed, naming every field
// at fault.
func parsePerson(rawID, name string) (domain.IDNumber, string, error) {
	var fields []domain.FieldError
	id, err := domain.ParseIDNumber(rawID)
	if de, ok := err.(*domain.Error); ok {
		fields = append(fields, de.Fields...)
	}
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		fields = append(fields, domain.FieldError{Field: "name", Message: "请输入姓名"})
	case n > 30:
		fields = append(fields, domain.FieldError{Field: "name", Message: "姓名不能超过30个字"})
	}
	if len(fields) > 0 {
		return "", "", domain.InvalidFields(fields...)
	}
	return id, name, nil
}

// normalizeName drops spaces and writes every form of the middle dot of
// minority names (买买提·艾力) as '·', since phones and the core differ.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case r == '•' || r == '・' || r == '.' || r == '．' || r == '·':
			b.WriteRune('·')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
