package privacy

import (
	"github.com/dandong-hrss/hrss/domain"
)

// msgUnreadable is what a citizen sees when a stored value cannot be read
// back as what it should be; nothing they typed is wrong.
const msgUnreadable = "暂时无法读取您的个人资料，请稍后再试或到服务大厅窗口咨询"

// SealID seals a citizen ID number for storage; "" stays "".
func SealID(s Sealer, id domain.IDNumber) (string, error) { return s.Seal(id.Raw()) }

// OpenID opens a sealed ID number and checks it has the shape of one (17
// digits and a digit or X), so a phone or a value from the wrong column is
// caught here rather than sent to the business core. It does not re-run the
// full GB 11643 check: what was stored must stay readable even if the rules
// at the edge grow stricter. Error: Internal, naming no data.
func OpenID(s Sealer, sealed string) (domain.IDNumber, error) {
	raw, err := s.Open(sealed)
	if err != nil || raw == "" {
		return "", err
	}
	if !idShaped(raw) {
		return "", domain.Errorf(domain.Internal, msgUnreadable)
	}
	return domain.IDNumber(raw), nil
}

// SealPhone seals a mobile number for storage; "" stays "".
func SealPhone(s Sealer, p domain.Phone) (string, error) { return s.Seal(p.Raw()) }

// OpenPhone opens a sealed mobile number and checks it still is one.
// Error: Internal, naming no data.
func OpenPhone(s Sealer, sealed string) (domain.Phone, error) {
	raw, err := s.Open(sealed)
	if err != nil || raw == "" {
		return "", err
	}
	p, err := domain.ParsePhone(raw)
	if err != nil {
		return "", domain.Errorf(domain.Internal, msgUnreadable)
	}
	return p, nil
}

// IDIndex is the blind index of an ID number: the column stores look people
// up by, and the subject or actor reference of the audit log.
func IDIndex(s Sealer, id domain.IDNumber) string { return s.BlindIndex(KindIDNumber, id.Raw()) }

// PhoneIndex is the blind index of a mobile number.
func PhoneIndex(s Sealer, p domain.Phone) string { return s.BlindIndex(KindPhone, p.Raw()) }

// UnitIndex is the blind index of a unit's credit code, the audit log's
// subject reference for a unit, so one look-up column serves both.
func UnitIndex(s Sealer, c domain.CreditCode) string {
	return s.BlindIndex(KindCreditCode, string(c))
}

// idShaped reports whether s is 17 digits and a digit or X.
func idShaped(s string) bool {
	if len(s) != 18 || !digits(s[:17]) {
		return false
	}
	return digits(s[17:]) || s[17] == 'X'
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
