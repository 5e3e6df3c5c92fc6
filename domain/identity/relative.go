package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Relation is how a registered relative is related to the account holder
// (亲属关系), as the holder declares it.
type Relation string

// The relations the family service (亲情服务) accepts.
const (
	Spouse      Relation = "spouse"      // 配偶
	Parent      Relation = "parent"      // 父母
	Child       Relation = "child"       // 子女
	Grandparent Relation = "grandparent" // 祖父母、外祖父母
	Grandchild  Relation = "grandchild"  // 孙子女、外孙子女
	Sibling     Relation = "sibling"     // 兄弟姐妹
)

// Relations lists every relation, for enums in the API.
var Relations = []Relation{Spouse, Parent, Child, Grandparent, Grandchild, Sibling}

var relationLabels = map[Relation]string{Spouse: "配偶", Parent: "父母", Child: "子女",
	Grandparent: "祖父母/外祖父母", Grandchild: "孙子女/外孙子女", Sibling: "兄弟姐妹"}

// Label returns the Chinese word for the relation.
func (r Relation) Label() string {
	if l, ok := relationLabels[r]; ok {
		return l
	}
	return "亲属"
}

// Relative is a person the account holder may act for. A relative is
// registered only after two checks: the provincial e-card platform confirms
// the relative's name and ID number, and the relative consents by reading
// back a code texted to the phone the business core has on record for them
// — not a phone the holder types in.
type Relative struct {
	ID         string // "RL…"; what a request names in X-Act-For
	Person     domain.IDNumber
	MaskedName string
	Relation   Relation
	VerifiedAt time.Time
}

// RelativeRecord is a relative as stored.
type RelativeRecord struct {
	ID           string
	AccountID    string
	PersonIndex  string
	SealedPerson string
	MaskedName   string
	Relation     Relation
	VerifiedAt   time.Time
}

// StartRelative begins registering a relative: it checks the relative's
// real name and texts a consent code to their phone on record, whose masked
// number it returns so the holder knows whom to ask. Errors: Forbidden
// before real-name binding; Invalid on "idNumber", "name" or "relation";
// Conflict when the relative is registered already; Rejected when eight
// are, the name does not match, or the core has no phone for the relative;
// RateLimited as for SendLoginCode.
func (s *Service) StartRelative(ctx context.Context, p Principal, rawID, name string, rel Relation) (CodeSent, error) {
	id, name, err := s.checkRelative(ctx, p, rawID, name, rel)
	if err != nil {
		return CodeSent{}, err
	}
	ok, err := s.cfg.RealNames.VerifyName(ctx, id, name)
	if err != nil {
		return CodeSent{}, err
	}
	if !ok {
		return CodeSent{}, domain.Errorf(domain.Rejected, "亲属的姓名与身份证号码不一致，请核对后重试")
	}
	person, err := s.cfg.People.Person(ctx, id)
	if domain.IsCode(err, domain.NotFound) {
		return CodeSent{}, domain.Errorf(domain.Rejected, "未查询到该亲属的参保信息，请核对身份证号码")
	}
	if err != nil {
		return CodeSent{}, err
	}
	if person.Phone == "" {
		return CodeSent{}, domain.Errorf(domain.Rejected, "该亲属在社保系统中没有登记手机号，请携带其身份证到服务大厅登记后再添加")
	}
	if err := s.sendCode(ctx, s.relativeKey(p, id, name), person.Phone); err != nil {
		return CodeSent{}, err
	}
	return CodeSent{MaskedPhone: person.Phone.Masked(), ExpiresIn: s.cfg.CodeTTL, ResendAfter: s.cfg.ResendAfter}, nil
}

// ConfirmRelative registers the relative whose consent code the holder
// entered; the ID number and name must be those StartRelative was given.
// Errors: as for StartRelative, and Rejected when the code is wrong, void
// or expired.
func (s *Service) ConfirmRelative(ctx context.Context, p Principal, rawID, name string, rel Relation, code string) (Relative, error) {
	id, name, err := s.checkRelative(ctx, p, rawID, name, rel)
	if err != nil {
		return Relative{}, err
	}
	if err := s.checkCode(ctx, s.relativeKey(p, id, name), code); err != nil {
		return Relative{}, err
	}
	sealed, err := privacy.SealID(s.cfg.Sealer, id)
	if err != nil {
		return Relative{}, err
	}
	now := s.now()
	rec := RelativeRecord{ID: newID("RL", now), AccountID: p.AccountID, PersonIndex: privacy.IDIndex(s.cfg.Sealer, id),
		SealedPerson: sealed, MaskedName: domain.MaskName(name), Relation: rel, VerifiedAt: now}
	if err := s.cfg.Store.AddRelative(ctx, rec, s.cfg.MaxRelatives); err != nil {
		return Relative{}, err
	}
	return Relative{ID: rec.ID, Person: id, MaskedName: rec.MaskedName, Relation: rel, VerifiedAt: now}, nil
}

// checkRelative checks what needs no remote call: the holder is bound, the
// fields are sound, the relative is someone else, not yet registered, and
// there is room for one more.
func (s *Service) checkRelative(ctx context.Context, p Principal, rawID, name string, rel Relation) (domain.IDNumber, string, error) {
	if err := p.RequirePerson(); err != nil {
		return "", "", err
	}
	id, name, err := parsePerson(rawID, name)
	if err == nil && relationLabels[rel] == "" {
		err = domain.InvalidFields(domain.FieldError{Field: "relation", Message: "请选择与亲属的关系"})
	}
	if err != nil {
		return "", "", err
	}
	if id == p.Person {
		return "", "", domain.InvalidFields(domain.FieldError{Field: "idNumber", Message: "不能添加本人为亲属"})
	}
	existing, err := s.cfg.Store.Relatives(ctx, p.AccountID)
	if err != nil {
		return "", "", err
	}
	index := privacy.IDIndex(s.cfg.Sealer, id)
	for _, r := range existing {
		if r.PersonIndex == index {
			return "", "", domain.Errorf(domain.Conflict, "您已添加过该亲属")
		}
	}
	if len(existing) >= s.cfg.MaxRelatives {
		return "", "", domain.Errorf(domain.Rejected, "最多可添加%d位亲属，请先删除不再代办的亲属", s.cfg.MaxRelatives)
	}
	return id, name, nil
}

// relativeKey is the code key of one holder registering one relative under
// one name, so that a code confirms nothing else.
func (s *Service) relativeKey(p Principal, id domain.IDNumber, name string) string {
	sum := sha256.Sum256([]byte(name))
	return purposeRelative + p.AccountID + ":" + privacy.IDIndex(s.cfg.Sealer, id) + ":" + hex.EncodeToString(sum[:8])
}

// Relatives lists the relatives the holder may act for, oldest first.
func (s *Service) Relatives(ctx context.Context, p Principal) ([]Relative, error) {
	recs, err := s.cfg.Store.Relatives(ctx, p.AccountID)
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

// RemoveRelative stops the holder acting for a relative. NotFound when the
// holder has no such relative.
func (s *Service) RemoveRelative(ctx context.Context, p Principal, id string) error {
	return s.cfg.Store.RemoveRelative(ctx, p.AccountID, id)
}

func (s *Service) openRelative(rec RelativeRecord) (Relative, error) {
	id, err := privacy.OpenID(s.cfg.Sealer, rec.SealedPerson)
	if err != nil {
		return Relative{}, err
	}
	return Relative{ID: rec.ID, Person: id, MaskedName: rec.MaskedName, Relation: rec.Relation, VerifiedAt: rec.VerifiedAt}, nil
}

// MaxRelatives is how many relatives one account may register.
func (s *Service) MaxRelatives() int { return s.cfg.MaxRelatives }
