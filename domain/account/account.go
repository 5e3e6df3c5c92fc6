// Package account is the unit operator accounts (单位经办人账户) of the
// enterprise online declaration (企业网上申报): an employer unit has
// operators who sign in with the unit's credit code, their name and a
// password; an administrator (管理员) manages the unit's operators, a clerk
// (经办员) files and queries. An operator only ever acts for its own unit.
//
// Signing in is guarded three ways. Passwords are stored as slow hashes
// (the Hasher port; argon2id in integrations). Five wrong passwords lock the
// account for fifteen minutes. A device (a browser, by the id it generates
// and sends) that the operator has not used before must also pass an SMS
// code sent to the operator's phone; once it has, it is trusted. Sessions,
// codes and failure counts are ephemeral and live in Redis (the Ephemeral
// port); operators and trusted devices are durable (the Store port), with
// the phone and the unit's credit code sealed.
//
// The package also defines the records the enterprise channel keeps of what
// a unit filed beyond single applications — a batch upload (批量) and the
// follow-up of a transfer with the provincial platform — because they
// belong to the unit's operators and to no other business area.
package account

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Role is what an operator may do for its unit.
type Role string

// The roles.
const (
	// Admin (单位管理员) files and queries like a clerk and also manages the
	// unit's operators: adds them, disables them, resets their passwords.
	Admin Role = "admin"
	// Clerk (经办员) files applications and queries the unit's data.
	Clerk Role = "clerk"
)

// Label returns the Chinese term.
func (r Role) Label() string {
	if r == Admin {
		return "单位管理员"
	}
	return "经办员"
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == Admin || r == Clerk }

// Operator is one operator account as stored: never the raw phone number
// or credit code.
type Operator struct {
	ID           string // "OP" + time + random; opaque, also the audit log's actor ref
	UnitRef      string // blind index of the unit's credit code (privacy.UnitIndex)
	SealedUnit   string // the unit's credit code, sealed
	Name         string // the operator's name as the unit registered it; the login name within the unit
	SealedPhone  string // where SMS codes go, sealed
	Role         Role
	PasswordHash string // the Hasher's encoding; never leaves the package's callers
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OperatorView is an operator as the unit's administrator sees it.
type OperatorView struct {
	ID        string
	Name      string
	Role      Role
	Phone     string // masked: 138****5678
	Disabled  bool
	Locked    bool // locked out by wrong passwords right now
	CreatedAt time.Time
}

// Session is a signed-in operator, bound to its unit and role. The channel
// puts it on every request and checks the unit of every route against it.
type Session struct {
	OperatorID string
	Name       string
	Role       Role
	UnitRef    string
	UnitCode   domain.CreditCode // public on the business licence; the core is asked by it
	DeviceHash string
	IssuedAt   time.Time
}

// IsAdmin reports whether the session may manage operators.
func (s Session) IsAdmin() bool { return s.Role == Admin }

// Issued is a new session with its token, which the client sends back as
// a bearer token. Only the token's hash is kept.
type Issued struct {
	Token     string
	Session   Session
	ExpiresAt time.Time
}

// Challenge is a pending sign-in from an unknown device: the SMS code was
// sent and the client must send it back with ID within the code's life.
type Challenge struct {
	ID        string
	Phone     string // masked, so the operator knows which phone to look at
	ExpiresAt time.Time
}

// Pending is a challenge as kept between the two steps of signing in.
type Pending struct {
	OperatorID string
	DeviceHash string
	CodeHash   string // SHA-256 of the challenge id and the code; the code itself is not kept
	Tries      int
}

// LoginResult is the outcome of a correct password: a session on a trusted
// device, or a challenge on a new one. Exactly one is set.
type LoginResult struct {
	Issued    *Issued
	Challenge *Challenge
}
