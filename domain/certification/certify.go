package certification

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// The messages of a face check that does not certify.
const (
	msgFaceFailed   = "人脸识别未通过，请在光线充足处正对镜头重试，或由工作人员上门认证"
	msgFaceMismatch = "人脸识别结果与认证人员不符，请为待遇领取人本人进行人脸识别"
)

// maxEvidence bounds the evidence reference kept with a certification.
const maxEvidence = 128

// Certify certifies the pensioner's current cycle by method, carried out by
// actor, resting on evidence: the face-check result token for KioskFace and
// AppFace (redeemed with the FaceVerifier, which must say the pensioner
// passed), the matched record for DataMatch, the visit record number for
// StaffVisit.
//
// It is idempotent per cycle: once a cycle is certified, certifying again
// returns the first certification and redeems no token. Certifying a
// suspended cycle resumes the benefit; the cycle's BackPay lists the months
// to pay back. A cycle whose time has passed but which no sweep has moved
// on yet is certified as it stands: a suspension the counter core has not
// heard of is not made only to be undone.
//
// Errors: Invalid for a malformed request (naming the field); Rejected
// when the person is not a pensioner or the face check failed or was of
// someone else; the FaceVerifier's Rejected or NotFound for a used,
// expired or unknown token; Conflict when concurrent changes kept it from
// completing; the core's and the Store's Unavailable.
func (s *Service) Certify(ctx context.Context, person domain.IDNumber, method Method, actor Actor, evidence string) (Cycle, error) {
	id, err := parsePerson(person)
	if err != nil {
		return Cycle{}, err
	}
	if r, err := domain.ParseIDNumber(actor.Relative.Raw()); err == nil {
		actor.Relative = r
	}
	if err := validate(id, method, actor, evidence); err != nil {
		return Cycle{}, err
	}
	channel := actor.Channel
	if channel == "" {
		channel = method.channel()
	}
	now := s.now()
	c, err := s.certify(ctx, id, method, actor, channel, evidence, now)
	s.record(ctx, "certification.certify", privacy.IDIndex(s.sealer, id), c, &actor, channel, err)
	return s.view(c), err
}

func (s *Service) certify(ctx context.Context, id domain.IDNumber, method Method, actor Actor, channel domain.Channel, evidence string, now time.Time) (Cycle, error) {
	c, err := s.current(ctx, id, now, false, nil)
	if err != nil || c.State.Done() {
		return c, err
	}
	if method.face() {
		if err := s.checkFace(ctx, id, evidence); err != nil {
			return c, err
		}
	}
	who, err := s.actorRecord(actor)
	if err != nil {
		return c, err
	}
	cert := Certification{At: now, Method: method, Channel: channel, Actor: who, Evidence: clip(domain.MaskText(evidence), maxEvidence)}
	for range maxRaces {
		next, kind := c.certify(cert, s.rules.nextOpen(Cycle{Certification: &cert}))
		ok, err := s.store.Update(ctx, next, []Event{s.event(next, kind, now)})
		if err != nil {
			return c, err
		}
		if ok {
			next.Version++
			s.forwardNow(ctx, next.ID, now, nil)
			return next, nil
		}
		if c, err = s.current(ctx, id, now, false, nil); err != nil || c.State.Done() {
			return c, err
		}
	}
	return c, domain.Errorf(domain.Conflict, msgBusy)
}

// checkFace redeems the face-check token and checks the pensioner passed.
// The certification is dated when the token is redeemed, not at the
// result's At: the platform answers a token only within its short validity,
// and one clock for every method keeps the cycle dates consistent.
func (s *Service) checkFace(ctx context.Context, id domain.IDNumber, token string) error {
	res, err := s.faces.VerifyFace(ctx, token)
	if err != nil {
		return err
	}
	if res.Person.Raw() != id.Raw() {
		return domain.Errorf(domain.Rejected, msgFaceMismatch)
	}
	if !res.Passed {
		return domain.Errorf(domain.Rejected, msgFaceFailed)
	}
	return nil
}

// actorRecord is actor as stored: a relative sealed and masked.
func (s *Service) actorRecord(a Actor) (ActorRecord, error) {
	switch a.Kind {
	case Relative:
		sealed, err := privacy.SealID(s.sealer, a.Relative)
		if err != nil {
			return ActorRecord{}, err
		}
		return ActorRecord{Kind: Relative, Ref: privacy.IDIndex(s.sealer, a.Relative), Sealed: sealed,
			Display: display(a.Name, a.Relative), Relation: a.Relation}, nil
	case Staff:
		return ActorRecord{Kind: Staff, Ref: a.StaffID}, nil
	}
	return ActorRecord{Kind: a.Kind}, nil
}

// validate checks that method, actor and evidence go together. Errors:
// Invalid, naming each field at fault.
func validate(person domain.IDNumber, method Method, a Actor, evidence string) error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	switch method {
	case KioskFace, AppFace:
		if a.Kind != Self && a.Kind != Relative {
			add("actor.kind", "刷脸认证应由本人或亲属办理")
		}
		if evidence == "" {
			add("evidence", "请先完成人脸识别")
		}
	case DataMatch:
		if a.Kind != System {
			add("actor.kind", "数据比对认证由系统办理")
		}
		if evidence == "" {
			add("evidence", "请注明比对数据的来源")
		}
	case StaffVisit:
		if a.Kind != Staff {
			add("actor.kind", "上门认证应由工作人员办理")
		}
		if evidence == "" {
			add("evidence", "请填写上门认证记录编号")
		}
	default:
		add("method", "不支持的认证方式")
	}
	if len(evidence) > 4*maxEvidence {
		add("evidence", "认证凭据过长")
	}
	if a.Channel != "" {
		if _, err := domain.ParseChannel(string(a.Channel)); err != nil {
			add("actor.channel", "不支持的办理渠道")
		}
	}
	fields = append(fields, validateActor(person, a)...)
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// validateActor checks what the actor's kind needs.
func validateActor(person domain.IDNumber, a Actor) []domain.FieldError {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	switch a.Kind {
	case Relative:
		if _, err := domain.ParseIDNumber(a.Relative.Raw()); err != nil {
			add("actor.relative", "请核对代为认证亲属的身份证号码")
		} else if a.Relative.Raw() == person.Raw() {
			add("actor.relative", "本人认证无需选择亲属代办")
		}
		if _, ok := relationLabels[a.Relation]; !ok {
			add("actor.relation", "请选择与待遇领取人的关系")
		}
	case Staff:
		if !isToken(a.StaffID, 32) {
			add("actor.staffId", "请填写工作人员工号")
		}
	case Self, System:
	default:
		add("actor.kind", "认证办理人类型不正确")
	}
	return fields
}

// isToken accepts 1–max letters, digits, '-' and '_'.
func isToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, c := range []byte(s) {
		if !(c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
