package accountdb

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// Argon2Params are the cost of argon2id (RFC 9106). They are written into
// every hash, so raising them later leaves old hashes verifiable.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultArgon2 is OWASP's first argon2id setting (19 MiB, two passes, one
// lane): about 55 ms on one core of the two-core servers, slow for a
// guesser with a stolen table and unnoticed by an operator who signs in a
// few times a day. Sign-ins are rare next to queries, so the peak load does
// not feel it; more lanes only added allocation cost in measurement.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Argon2 hashes passwords with argon2id into the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
type Argon2 struct{ p Argon2Params }

var _ account.Hasher = Argon2{}

// NewArgon2 returns a hasher with params p.
func NewArgon2(p Argon2Params) Argon2 { return Argon2{p: p} }

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// Hash implements account.Hasher.
func (a Argon2) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", domain.Wrap(err, domain.Internal, "密码暂时无法保存，请稍后重试")
	}
	key := argon2.IDKey([]byte(password), salt, a.p.Time, a.p.Memory, a.p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.p.Memory, a.p.Time, a.p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify implements account.Hasher, with the parameters the hash names.
func (a Argon2) Verify(encoded, password string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, domain.Wrap(err, domain.Internal, "账号信息异常，请联系本单位管理员重置密码")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// maxMemory bounds the memory a stored hash may ask for, so that a
// tampered row cannot make a sign-in allocate gigabytes.
const maxMemory = 1 << 20 // KiB: 1 GiB

func decodeHash(encoded string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("not an argon2id hash")
	}
	var version int
	if _, err = fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("argon2 version %q", parts[2])
	}
	if _, err = fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("argon2 parameters: %w", err)
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("argon2 parameters out of range")
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("argon2 salt: %w", err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("argon2 key")
	}
	return p, salt, key, nil
}
