package identity

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// BindRealName binds the account to a citizen ID number once the
// provincial e-card platform confirms name is the one held for it (实名认证):
// from then on the account reaches that person's records. Binding again to
// the same person changes nothing. Errors: Invalid on "idNumber" or
// "name"; Rejected when the name does not match; Conflict when the person
// is bound to another account or the account to another person;
// Unavailable or Timeout when the platform is in trouble.
func (s *Service) BindRealName(ctx context.Context, accountID, rawID, name string) (Account, error) {
	id, name, err := parsePerson(rawID, name)
	if err != nil {
		return Account{}, err
	}
	ok, err := s.cfg.RealNames.VerifyName(ctx, id, name)
	if err != nil {
		return Account{}, err
	}
	if !ok {
		return Account{}, domain.Errorf(domain.Rejected, "姓名与身份证号码不一致，请核对后重试")
	}
	sealed, err := privacy.SealID(s.cfg.Sealer, id)
	if err != nil {
		return Account{}, err
	}
	if err := s.cfg.Store.BindPerson(ctx, accountID, privacy.IDIndex(s.cfg.Sealer, id), sealed, domain.MaskName(name), s.now()); err != nil {
		return Account{}, err
	}
	return s.Account(ctx, accountID)
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
