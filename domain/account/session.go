package account

import (
	"context"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
)

// open starts a session for op on a device and marks the device used.
func (s *Service) open(ctx context.Context, op Operator, unit domain.CreditCode, device string) (Issued, error) {
	now := s.now()
	sess := Session{OperatorID: op.ID, Name: op.Name, Role: op.Role, UnitRef: op.UnitRef, UnitCode: unit,
		DeviceHash: device, IssuedAt: now}
	token := randomToken(32)
	if err := s.cfg.Ephemeral.PutSession(ctx, tokenHash(token), sess, SessionTTL); err != nil {
		return Issued{}, err
	}
	_ = s.cfg.Store.TrustDevice(ctx, op.ID, device, now) // last seen; best effort
	return Issued{Token: token, Session: sess, ExpiresAt: now.Add(SessionTTL)}, nil
}

// msgSignIn asks the operator to sign in (again).
const msgSignIn = "登录已过期或未登录，请重新登录"

// Authenticate returns the session a bearer token stands for and extends
// it by SessionTTL. Errors: Unauthenticated for a missing, unknown or
// expired token; Unavailable.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 128 {
		return Session{}, domain.Errorf(domain.Unauthenticated, msgSignIn)
	}
	sess, err := s.cfg.Ephemeral.Session(ctx, tokenHash(token), SessionTTL)
	if domain.IsCode(err, domain.NotFound) {
		return Session{}, domain.Errorf(domain.Unauthenticated, msgSignIn)
	}
	return sess, err
}

// Logout ends the session of token; an unknown token is no error.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.cfg.Ephemeral.DeleteSession(ctx, tokenHash(strings.TrimSpace(token)))
}
