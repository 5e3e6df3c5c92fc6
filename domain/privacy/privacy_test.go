package privacy_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// fakeSealer encodes instead of encrypting: enough to test the helpers'
// own rules. The real cipher is tested in integrations/smcrypto.
type fakeSealer struct{}

func (fakeSealer) Seal(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	return "t1:" + base64.RawURLEncoding.EncodeToString([]byte(p)), nil
}

func (fakeSealer) Open(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "t1:"))
	if err != nil {
		return "", domain.Wrap(err, domain.Internal, "无法读取")
	}
	return string(b), nil
}

func (fakeSealer) BlindIndex(k privacy.Kind, v string) string {
	if v == "" {
		return ""
	}
	return string(k) + "/" + v
}

const (
	testID    = domain.IDNumber("21060219900101104X")
	testPhone = domain.Phone("13812345678")
)

func TestIDAndPhoneRoundTrip(t *testing.T) {
	var s fakeSealer
	sealedID, err := privacy.SealID(s, testID)
	if err != nil {
		t.Fatal(err)
	}
	id, err := privacy.OpenID(s, sealedID)
	if err != nil || id != testID {
		t.Errorf("OpenID: got %q, %v; want %q", id.Raw(), err, testID.Raw())
	}
	sealedPhone, err := privacy.SealPhone(s, testPhone)
	if err != nil {
		t.Fatal(err)
	}
	p, err := privacy.OpenPhone(s, sealedPhone)
	if err != nil || p != testPhone {
		t.Errorf("OpenPhone: got %q, %v; want %q", p.Raw(), err, testPhone.Raw())
	}
}

func TestEmptyStaysEmpty(t *testing.T) {
	var s fakeSealer
	if id, err := privacy.OpenID(s, ""); id != "" || err != nil {
		t.Errorf("OpenID(\"\"): got %q, %v; want \"\", nil", id, err)
	}
	if p, err := privacy.OpenPhone(s, ""); p != "" || err != nil {
		t.Errorf("OpenPhone(\"\"): got %q, %v; want \"\", nil", p, err)
	}
}

// A value from the wrong column must not come back as an ID number or a
// phone, and the error must not carry what was opened.
func TestWrongColumnIsInternalAndNamesNoData(t *testing.T) {
	var s fakeSealer
	sealedPhone, _ := privacy.SealPhone(s, testPhone)
	sealedID, _ := privacy.SealID(s, testID)
	_, errID := privacy.OpenID(s, sealedPhone)
	_, errPhone := privacy.OpenPhone(s, sealedID)
	for name, err := range map[string]error{"phone opened as ID": errID, "ID opened as phone": errPhone} {
		if domain.ErrorCode(err) != domain.Internal {
			t.Errorf("%s: got %v; want an Internal error", name, err)
			continue
		}
		for _, part := range []string{"2106", "104X", "138", "5678"} {
			if msg := err.Error(); strings.Contains(msg, part) {
				t.Errorf("%s: error %q carries the data", name, msg)
			}
		}
	}
}

func TestIndexesUseTheirKind(t *testing.T) {
	var s fakeSealer
	tests := []struct {
		got, want string
	}{
		{privacy.IDIndex(s, testID), "id_number/" + testID.Raw()},
		{privacy.PhoneIndex(s, testPhone), "phone/" + testPhone.Raw()},
		{privacy.UnitIndex(s, domain.CreditCode("91210600MA0XXXXX1A")), "credit_code/91210600MA0XXXXX1A"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
}

func TestKeyID(t *testing.T) {
	tests := []struct{ sealed, want string }{
		{"k2026a:AAAA", "k2026a"},
		{"no-colon", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := privacy.KeyID(tt.sealed); got != tt.want {
			t.Errorf("KeyID(%q): got %q; want %q", tt.sealed, got, tt.want)
		}
	}
}
