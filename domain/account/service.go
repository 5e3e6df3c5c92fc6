package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"time"

	"github.com/dandong-hrss/hrss/domain/privacy"
)

// The rules of signing in, as the issue sets them.
const (
	MaxFailures    = 5                  // wrong passwords before the lock-out
	LockFor        = 15 * time.Minute   // how long a lock-out lasts after the last wrong password
	SessionTTL     = 30 * time.Minute   // idle time after which a session ends (sliding)
	CodeTTL        = 5 * time.Minute    // life of an SMS code
	MaxCodeTries   = 5                  // wrong codes before the challenge is void
	CodeEvery      = time.Minute        // least time between two codes to one operator
	TemplateVerify = "HRSS_VERIFY_CODE" // the SMS platform's template: code, minutes
)

// Config is what a Service needs; all but Now are required.
type Config struct {
	Store     Store
	Ephemeral Ephemeral
	Hasher    Hasher
	Sealer    privacy.Sealer
	Texter    Texter
	Now       func() time.Time // time.Now if nil
}

// Service signs operators in and out and manages a unit's operators. It is
// safe for concurrent use.
type Service struct {
	cfg   Config
	dummy string // a hash verified for unknown names, so they take as long as known ones
}

// NewService returns a Service over cfg. It hashes one throw-away password
// at start so that a sign-in with an unknown name costs what a real one
// does, and fails only if the hasher does.
func NewService(cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	dummy, err := cfg.Hasher.Hash(randomToken(12))
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, dummy: dummy}, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// DeviceHash is how a device id is kept: its SHA-256, so the table holds
// nothing a client could replay as its own id.
func DeviceHash(deviceID string) string {
	sum := sha256.Sum256([]byte("hrss-ent-device:" + deviceID))
	return hex.EncodeToString(sum[:])
}

// tokenHash is how a session token is kept.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte("hrss-ent-session:" + token))
	return hex.EncodeToString(sum[:])
}

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomToken returns n random bytes in base32: session tokens, challenge
// ids. crypto/rand never fails; it crashes the program instead.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return tokenEncoding.EncodeToString(b)
}

// newOperatorID returns "OP", the UTC time to the second and random letters.
func newOperatorID(now time.Time) string {
	return "OP" + now.UTC().Format("20060102150405") + randomToken(5)
}
