package account

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// NewOperator is an operator to add to a unit.
type NewOperator struct {
	Name     string
	Phone    string // the mobile number SMS codes go to
	Role     Role
	Password string // the first password; the administrator hands it over
}

// AddOperator adds an operator to the administrator's unit. Errors:
// Forbidden unless by is an administrator; Invalid naming each field at
// fault; Conflict when the unit has an operator of that name; Unavailable.
func (s *Service) AddOperator(ctx context.Context, by Session, n NewOperator) (OperatorView, error) {
	if err := requireAdmin(by); err != nil {
		return OperatorView{}, err
	}
	op, err := s.build(by.UnitRef, by.UnitCode, n)
	if err != nil {
		return OperatorView{}, err
	}
	if err := s.cfg.Store.CreateOperator(ctx, op); err != nil {
		if domain.IsCode(err, domain.Conflict) {
			return OperatorView{}, domain.Wrap(err, domain.Conflict, "本单位已有同名经办人账号")
		}
		return OperatorView{}, err
	}
	return s.view(ctx, op)
}

// Seed adds an operator to a unit unless it has one of that name, for the
// embedded default's demo accounts and for the bureau's own provisioning of
// a unit's first administrator. It reports whether it created one.
// Errors: Invalid; Unavailable.
func (s *Service) Seed(ctx context.Context, unit domain.CreditCode, n NewOperator) (bool, error) {
	ref := privacy.UnitIndex(s.cfg.Sealer, unit)
	_, err := s.cfg.Store.OperatorByName(ctx, ref, strings.TrimSpace(n.Name))
	if err == nil || !domain.IsCode(err, domain.NotFound) {
		return false, err
	}
	op, err := s.build(ref, unit, n)
	if err != nil {
		return false, err
	}
	if err := s.cfg.Store.CreateOperator(ctx, op); err != nil {
		if domain.IsCode(err, domain.Conflict) {
			return false, nil // another instance seeded it first
		}
		return false, err
	}
	return true, nil
}

// build checks n and makes the operator to store.
func (s *Service) build(unitRef string, unit domain.CreditCode, n NewOperator) (Operator, error) {
	var fields []domain.FieldError
	name := strings.TrimSpace(n.Name)
	if l := utf8.RuneCountInString(name); l < 2 || l > 30 {
		fields = append(fields, domain.FieldError{Field: "name", Message: "经办人姓名应为2至30个字"})
	}
	phone, err := domain.ParsePhone(n.Phone)
	if err != nil {
		fields = append(fields, domain.FieldError{Field: "phone", Message: "手机号码格式不正确，请输入11位手机号"})
	}
	if !n.Role.Valid() {
		fields = append(fields, domain.FieldError{Field: "role", Message: "请选择单位管理员或经办员"})
	}
	if msg := passwordFault(n.Password); msg != "" {
		fields = append(fields, domain.FieldError{Field: "password", Message: msg})
	}
	if fields != nil {
		return Operator{}, domain.InvalidFields(fields...)
	}
	hash, err := s.cfg.Hasher.Hash(n.Password)
	if err != nil {
		return Operator{}, err
	}
	sealedUnit, err := s.cfg.Sealer.Seal(string(unit))
	if err != nil {
		return Operator{}, err
	}
	sealedPhone, err := privacy.SealPhone(s.cfg.Sealer, phone)
	if err != nil {
		return Operator{}, err
	}
	now := s.now()
	return Operator{ID: newOperatorID(now), UnitRef: unitRef, SealedUnit: sealedUnit, Name: name, SealedPhone: sealedPhone,
		Role: n.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}, nil
}

// passwordFault says what is wrong with a new password, "" if nothing:
// 8 to 64 characters with both letters and digits.
func passwordFault(p string) string {
	if n := utf8.RuneCountInString(p); n < 8 || n > 64 {
		return "密码应为8至64位"
	}
	var letter, digit bool
	for _, r := range p {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return "密码应同时包含字母和数字"
	}
	return ""
}

// Operators lists the unit's operators. Errors: Forbidden unless by is an
// administrator; Unavailable.
func (s *Service) Operators(ctx context.Context, by Session) ([]OperatorView, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	ops, err := s.cfg.Store.Operators(ctx, by.UnitRef)
	if err != nil {
		return nil, err
	}
	out := make([]OperatorView, 0, len(ops))
	for _, op := range ops {
		v, err := s.view(ctx, op)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SetDisabled disables an operator of the administrator's unit, ending its
// sessions, or enables it again. Errors: Forbidden unless by is an
// administrator, or for the administrator's own account; NotFound for an
// operator of another unit; Unavailable.
func (s *Service) SetDisabled(ctx context.Context, by Session, id string, disabled bool) (OperatorView, error) {
	op, err := s.managed(ctx, by, id)
	if err != nil {
		return OperatorView{}, err
	}
	if op.ID == by.OperatorID {
		return OperatorView{}, domain.Errorf(domain.Forbidden, "不能停用本人账号")
	}
	op.Disabled, op.UpdatedAt = disabled, s.now()
	if err := s.cfg.Store.UpdateOperator(ctx, op); err != nil {
		return OperatorView{}, err
	}
	if disabled {
		if err := s.cfg.Ephemeral.DeleteSessionsOf(ctx, op.ID); err != nil {
			return OperatorView{}, err
		}
	}
	return s.view(ctx, op)
}

// ResetPassword sets a new password for an operator of the administrator's
// unit: the lock-out is lifted, every session ends and every device must
// pass an SMS code again. Errors: as SetDisabled, and Invalid for a weak
// password.
func (s *Service) ResetPassword(ctx context.Context, by Session, id, password string) (OperatorView, error) {
	op, err := s.managed(ctx, by, id)
	if err != nil {
		return OperatorView{}, err
	}
	if err := s.setPassword(ctx, &op, password); err != nil {
		return OperatorView{}, err
	}
	if err := s.cfg.Store.ForgetDevices(ctx, op.ID); err != nil {
		return OperatorView{}, err
	}
	return s.view(ctx, op)
}

// Unlock lifts the lock-out of an operator of the administrator's unit.
// Errors: as SetDisabled, except that administrators may unlock themselves.
func (s *Service) Unlock(ctx context.Context, by Session, id string) (OperatorView, error) {
	op, err := s.managed(ctx, by, id)
	if err != nil {
		return OperatorView{}, err
	}
	if err := s.cfg.Ephemeral.ClearFailures(ctx, op.ID); err != nil {
		return OperatorView{}, err
	}
	return s.view(ctx, op)
}

// ChangePassword changes the signed-in operator's own password, given the
// current one; every session of the operator ends, this one included.
// Errors: Unauthenticated for a wrong current password; Invalid for a weak
// new one; Unavailable.
func (s *Service) ChangePassword(ctx context.Context, by Session, current, password string) error {
	op, err := s.cfg.Store.Operator(ctx, by.OperatorID)
	if err != nil {
		return err
	}
	ok, err := s.cfg.Hasher.Verify(op.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.Unauthenticated, "当前密码不正确")
	}
	return s.setPassword(ctx, &op, password)
}

func (s *Service) setPassword(ctx context.Context, op *Operator, password string) error {
	if msg := passwordFault(password); msg != "" {
		return domain.InvalidFields(domain.FieldError{Field: "password", Message: msg})
	}
	hash, err := s.cfg.Hasher.Hash(password)
	if err != nil {
		return err
	}
	op.PasswordHash, op.UpdatedAt = hash, s.now()
	if err := s.cfg.Store.UpdateOperator(ctx, *op); err != nil {
		return err
	}
	if err := s.cfg.Ephemeral.ClearFailures(ctx, op.ID); err != nil {
		return err
	}
	return s.cfg.Ephemeral.DeleteSessionsOf(ctx, op.ID)
}

// Contact returns the signed-in operator's name and phone, which the unit's
// filings carry as the contact (经办人).
func (s *Service) Contact(ctx context.Context, by Session) (string, domain.Phone, error) {
	op, err := s.cfg.Store.Operator(ctx, by.OperatorID)
	if err != nil {
		return "", "", err
	}
	phone, err := privacy.OpenPhone(s.cfg.Sealer, op.SealedPhone)
	return op.Name, phone, err
}

// managed returns an operator the administrator by may manage.
func (s *Service) managed(ctx context.Context, by Session, id string) (Operator, error) {
	if err := requireAdmin(by); err != nil {
		return Operator{}, err
	}
	op, err := s.cfg.Store.Operator(ctx, id)
	if err == nil && op.UnitRef != by.UnitRef {
		err = domain.Errorf(domain.NotFound, "未找到该经办人账号")
	}
	return op, err
}

func (s *Service) view(ctx context.Context, op Operator) (OperatorView, error) {
	phone, err := privacy.OpenPhone(s.cfg.Sealer, op.SealedPhone)
	if err != nil {
		return OperatorView{}, err
	}
	n, err := s.cfg.Ephemeral.Failures(ctx, op.ID)
	if err != nil {
		return OperatorView{}, err
	}
	return OperatorView{ID: op.ID, Name: op.Name, Role: op.Role, Phone: phone.Masked(), Disabled: op.Disabled,
		Locked: n >= MaxFailures, CreatedAt: op.CreatedAt}, nil
}

func requireAdmin(by Session) error {
	if !by.IsAdmin() {
		return domain.Errorf(domain.Forbidden, "仅单位管理员可以管理经办人账号")
	}
	return nil
}
