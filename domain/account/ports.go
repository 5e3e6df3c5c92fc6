package account

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Store keeps operators and the devices they trust. Every method may also
// return Unavailable or Internal when the database fails.
type Store interface {
	// CreateOperator adds an operator. Errors: Conflict when the unit has
	// an operator of that name already.
	CreateOperator(ctx context.Context, op Operator) error
	// UpdateOperator writes op's role, phone, password hash, disabled flag
	// and UpdatedAt. Errors: NotFound.
	UpdateOperator(ctx context.Context, op Operator) error
	// Operator returns one operator. Errors: NotFound.
	Operator(ctx context.Context, id string) (Operator, error)
	// OperatorByName returns the unit's operator of that name. Errors: NotFound.
	OperatorByName(ctx context.Context, unitRef, name string) (Operator, error)
	// Operators lists the unit's operators by name.
	Operators(ctx context.Context, unitRef string) ([]Operator, error)
	// TrustDevice records that the operator passed an SMS code on the
	// device, or that it used it again (last seen).
	TrustDevice(ctx context.Context, operatorID, deviceHash string, at time.Time) error
	// Trusted reports whether the operator trusts the device.
	Trusted(ctx context.Context, operatorID, deviceHash string) (bool, error)
	// ForgetDevices removes every device the operator trusts, so that after
	// a password reset each device must pass an SMS code again.
	ForgetDevices(ctx context.Context, operatorID string) error
}

// Ephemeral keeps what may be lost: sessions, pending SMS codes, failure
// counts. Losing it signs operators out and forgets lock-outs, nothing
// more. Every method may return Unavailable when the store cannot be
// reached.
type Ephemeral interface {
	// PutSession stores a session under the hash of its token for ttl.
	PutSession(ctx context.Context, tokenHash string, s Session, ttl time.Duration) error
	// Session returns the session and extends its life to ttl from now
	// (sliding expiry). Errors: NotFound when there is none or it expired.
	Session(ctx context.Context, tokenHash string, ttl time.Duration) (Session, error)
	// DeleteSession ends one session; a missing one is no error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessionsOf ends every session of an operator.
	DeleteSessionsOf(ctx context.Context, operatorID string) error

	// PutPending stores a sign-in challenge for ttl.
	PutPending(ctx context.Context, id string, p Pending, ttl time.Duration) error
	// Pending returns a challenge. Errors: NotFound when it expired or was used.
	Pending(ctx context.Context, id string) (Pending, error)
	// MissPending counts one wrong code against a challenge and returns the
	// count so far. Errors: NotFound.
	MissPending(ctx context.Context, id string) (int, error)
	// DeletePending removes a challenge; a missing one is no error.
	DeletePending(ctx context.Context, id string) error

	// AddFailure counts one wrong password and returns the count within the
	// window, which restarts at every failure.
	AddFailure(ctx context.Context, operatorID string, window time.Duration) (int, error)
	// Failures returns the wrong passwords counted in the current window.
	Failures(ctx context.Context, operatorID string) (int, error)
	// ClearFailures forgets the count (a correct password, an unlock).
	ClearFailures(ctx context.Context, operatorID string) error

	// ClaimCodeSlot reports whether a new SMS code may be sent to the
	// operator now, claiming the slot for every; false while a code sent
	// less than every ago holds it.
	ClaimCodeSlot(ctx context.Context, operatorID string, every time.Duration) (bool, error)
}

// Hasher hashes passwords slowly enough that a stolen table resists
// guessing (argon2id in integrations/store/accountdb).
type Hasher interface {
	// Hash returns the self-describing encoding of password's hash.
	// Errors: Internal when randomness fails.
	Hash(password string) (string, error)
	// Verify reports whether password matches encoded. A malformed
	// encoding is an Internal error.
	Verify(encoded, password string) (bool, error)
}

// Texter sends a templated SMS (integrations/sms.Client).
type Texter interface {
	// Send texts template with params to phone and returns the message id.
	Send(ctx context.Context, phone domain.Phone, template string, params map[string]string) (string, error)
}
