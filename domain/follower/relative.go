package follower

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// StartRelative begins registering a relative of the bound follower (亲情
// 服务): it checks the relative's real name with the e-card platform and
// texts a consent code to the phone the business core has on record for
// the relative — not a phone the holder types — whose masked number it
// returns so the holder knows whom to ask. Errors: Forbidden when acting
// for someone; Invalid on "idNumber", "name" or "relation"; Conflict when
// the relative is registered already; Rejected when eight are, the name
// does not match, or the core has no phone for the relative; RateLimited;
// Unavailable or Timeout.
func (s *Service) StartRelative(ctx context.Context, p Principal, rawID, name string, rel identity.Relation) (identity.CodeSent, error) {
	id, name, err := s.checkRelative(ctx, p, rawID, name, rel)
	if err != nil {
		return identity.CodeSent{}, err
	}
	ok, err := s.cfg.Cards.VerifyName(ctx, id, name)
	if err != nil {
		return identity.CodeSent{}, err
	}
	if !ok {
		return identity.CodeSent{}, domain.Errorf(domain.Rejected, "亲属的姓名与身份证号码不一致，请核对后重试")
	}
	person, err := s.cfg.People.Person(ctx, id)
	if domain.IsCode(err, domain.NotFound) {
		return identity.CodeSent{}, domain.Errorf(domain.Rejected, "未查询到该亲属的参保信息，请核对身份证号码")
	}
	if err != nil {
		return identity.CodeSent{}, err
	}
	if person.Phone == "" {
		return identity.CodeSent{}, domain.Errorf(domain.Rejected, "该亲属在社保系统中没有登记手机号，请携带其身份证到服务大厅登记后再添加")
	}
	return s.sendCode(ctx, s.codeKey(purposeRelative, p.OpenID, id, name), person.Phone)
}

// ConfirmRelative registers the relative whose consent code the holder
// entered; the ID number, name and relation must be those StartRelative
// was given. Errors: as for StartRelative, and Rejected when the code is
// wrong, void or expired.
func (s *Service) ConfirmRelative(ctx context.Context, p Principal, rawID, name string, rel identity.Relation, code string) (Relative, error) {
	id, name, err := s.checkRelative(ctx, p, rawID, name, rel)
	if err != nil {
		return Relative{}, err
	}
	if err := s.checkCode(ctx, s.codeKey(purposeRelative, p.OpenID, id, name), code); err != nil {
		return Relative{}, err
	}
	sealed, err := privacy.SealID(s.cfg.Sealer, id)
	if err != nil {
		return Relative{}, err
	}
	now := s.now()
	rec := RelativeRecord{ID: newID("RL", now), HolderRef: p.PersonRef, PersonRef: s.ref(id), SealedPerson: sealed,
		MaskedName: domain.MaskName(name), Relation: rel, VerifiedAt: now}
	if err := s.cfg.Store.AddRelative(ctx, rec, s.cfg.MaxRelatives); err != nil {
		return Relative{}, err
	}
	return Relative{ID: rec.ID, Person: id, PersonRef: rec.PersonRef, MaskedName: rec.MaskedName, Relation: rel, VerifiedAt: now}, nil
}

// checkRelative checks what needs no remote call: the holder acts for
// themselves, the fields are sound, the relative is someone else, not yet
// registered, and there is room for one more.
func (s *Service) checkRelative(ctx context.Context, p Principal, rawID, name string, rel identity.Relation) (domain.IDNumber, string, error) {
	if p.ActingFor() {
		return "", "", domain.Errorf(domain.Forbidden, "代亲属办理时不能管理亲属，请切换回本人")
	}
	id, name, err := parsePerson(rawID, name)
	if err == nil && rel.Label() == "亲属" {
		err = domain.InvalidFields(domain.FieldError{Field: "relation", Message: "请选择与亲属的关系"})
	}
	if err != nil {
		return "", "", err
	}
	if id == p.Person {
		return "", "", domain.InvalidFields(domain.FieldError{Field: "idNumber", Message: "不能添加本人为亲属"})
	}
	existing, err := s.cfg.Store.Relatives(ctx, p.PersonRef)
	if err != nil {
		return "", "", err
	}
	ref := s.ref(id)
	for _, r := range existing {
		if r.PersonRef == ref {
			return "", "", domain.Errorf(domain.Conflict, "您已添加过该亲属")
		}
	}
	if len(existing) >= s.cfg.MaxRelatives {
		return "", "", domain.Errorf(domain.Rejected, "最多可添加%d位亲属，请先删除不再代办的亲属", s.cfg.MaxRelatives)
	}
	return id, name, nil
}

// Relatives lists the relatives the holder may act for, oldest first.
// Errors: Unavailable.
func (s *Service) Relatives(ctx context.Context, p Principal) ([]Relative, error) {
	recs, err := s.cfg.Store.Relatives(ctx, p.PersonRef)
	if err != nil {
		return nil, err
	}
	out := make([]Relative, 0, len(recs))
	for _, rec := range recs {
		r, err := s.openRelative(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RemoveRelative stops the holder acting for a relative. Errors: NotFound
// when the holder has no such relative; Unavailable.
func (s *Service) RemoveRelative(ctx context.Context, p Principal, id string) error {
	return s.cfg.Store.RemoveRelative(ctx, p.PersonRef, id)
}
