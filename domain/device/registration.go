package device

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Registration is what an administrator enters to register a kiosk.
type Registration struct {
	ID       string
	Hall     string
	Location string
	// Secret is the signing key to install on the kiosk; empty asks the
	// service to generate one, which Register returns once.
	Secret string
}

// The limits of a registration, which are also the columns' widths.
const (
	MaxIDLen        = 32
	MaxHallLen      = 64  // characters
	MaxLocationLen  = 128 // characters
	MinSecretLen    = 32
	MaxSecretLen    = 128
	generatedSecret = 32 // random bytes, 64 hex characters
)

// The administrator-facing messages of a registration.
const (
	msgIDFormat     = "设备编号应为3到32位小写字母、数字或连字符，以字母或数字开头，如 kiosk-yb-001"
	msgHallEmpty    = "请填写设备所在的服务大厅"
	msgHallLong     = "服务大厅名称不能超过64个字"
	msgLocEmpty     = "请填写设备在大厅中的位置"
	msgLocLong      = "设备位置不能超过128个字"
	msgSecretFormat = "设备密钥应为32到128位字母、数字或符号，不能含空格；留空则由系统生成"
)

// ValidID reports whether id can name a device: 3 to 32 characters of a–z,
// 0–9 and '-', starting with a letter or digit. The set keeps ids safe in
// Redis keys, headers and logs.
func ValidID(id string) bool {
	if len(id) < 3 || len(id) > MaxIDLen || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// normalize trims r and checks it, naming every field at fault.
func (r Registration) normalize() (Registration, error) {
	r.ID = strings.TrimSpace(r.ID)
	r.Hall = strings.TrimSpace(r.Hall)
	r.Location = strings.TrimSpace(r.Location)
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if !ValidID(r.ID) {
		add("id", msgIDFormat)
	}
	switch {
	case r.Hall == "":
		add("hall", msgHallEmpty)
	case utf8.RuneCountInString(r.Hall) > MaxHallLen:
		add("hall", msgHallLong)
	}
	switch {
	case r.Location == "":
		add("location", msgLocEmpty)
	case utf8.RuneCountInString(r.Location) > MaxLocationLen:
		add("location", msgLocLong)
	}
	if r.Secret != "" && !validSecret(r.Secret) {
		add("secret", msgSecretFormat)
	}
	if len(fields) > 0 {
		return r, domain.InvalidFields(fields...)
	}
	return r, nil
}

// validSecret reports whether s is 32–128 printable ASCII characters
// without spaces, which every kiosk's configuration file can hold as is.
func validSecret(s string) bool {
	if len(s) < MinSecretLen || len(s) > MaxSecretLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// newSecret returns a fresh random secret in hex.
func newSecret() string {
	b := make([]byte, generatedSecret)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return hex.EncodeToString(b)
}
