package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Sessions keeps refresh-token families (会话) in the ephemeral store. A
// family is one sign-in on one device; each refresh token of it is used
// once and replaced by the next. Tokens are kept only as hashes. Every
// method may also return Unavailable when the store is down.
type Sessions interface {
	// Start opens family f with its first refresh token; both live ttl.
	Start(ctx context.Context, f Family, tokenHash string, ttl time.Duration) error
	// Rotate redeems refresh token tokenHash of family familyID and stores
	// nextHash in its place, both the new token and the family then living
	// ttl. A token used before is a replay — someone holds a copy — and
	// revokes the whole family.
	Rotate(ctx context.Context, familyID, tokenHash, nextHash string, ttl time.Duration) (Family, Rotation, error)
	// Revoke ends a family: none of its refresh tokens works again.
	// Revoking an ended family is a no-op.
	Revoke(ctx context.Context, familyID string) error
}

// Family is one signed-in device's chain of refresh tokens.
type Family struct {
	ID        string
	AccountID string
	StartedAt time.Time
}

// Rotation is the outcome of redeeming a refresh token.
type Rotation int

// The outcomes of Rotate.
const (
	Rotated  Rotation = iota // redeemed; the next token is stored
	Unknown                  // never issued, or expired
	Replayed                 // used before: the family is now revoked
	Revoked                  // the family was ended (logout, replay)
)

// Session is a sign-in: the account, its family and the refresh token to
// hand to the device. The channel mints the access token from Claims.
type Session struct {
	Account          Account
	FamilyID         string
	RefreshToken     string // opaque; shown once, stored only hashed
	RefreshExpiresAt time.Time
}

// Login signs the holder of phone in with the code texted to it, opening
// the account on first sign-in. Errors: Invalid on "phone" or "code";
// Rejected when the code is wrong, void or expired (五次错误后作废).
func (s *Service) Login(ctx context.Context, rawPhone, code string) (Session, error) {
	phone, err := domain.ParsePhone(rawPhone)
	if err != nil {
		return Session{}, err
	}
	index := s.phoneIndex(phone)
	if err := s.checkCode(ctx, purposeLogin+index, code); err != nil {
		return Session{}, err
	}
	rec, err := s.accountFor(ctx, phone, index)
	if err != nil {
		return Session{}, err
	}
	acct, err := s.open(rec)
	if err != nil {
		return Session{}, err
	}
	return s.start(ctx, acct)
}

// accountFor returns the account of the phone, creating it on first
// sign-in; of two first sign-ins at once, one creates and both use it.
func (s *Service) accountFor(ctx context.Context, phone domain.Phone, index string) (AccountRecord, error) {
	rec, err := s.cfg.Store.AccountByPhone(ctx, index)
	if !domain.IsCode(err, domain.NotFound) {
		return rec, err
	}
	sealed, err := privacy.SealPhone(s.cfg.Sealer, phone)
	if err != nil {
		return AccountRecord{}, err
	}
	now := s.now()
	rec = AccountRecord{ID: newID("AC", now), PhoneIndex: index, SealedPhone: sealed, CreatedAt: now}
	err = s.cfg.Store.CreateAccount(ctx, rec)
	if domain.IsCode(err, domain.Conflict) {
		return s.cfg.Store.AccountByPhone(ctx, index)
	}
	return rec, err
}

// start opens a family for acct with its first refresh token.
func (s *Service) start(ctx context.Context, acct Account) (Session, error) {
	now := s.now()
	fam := Family{ID: newID("SF", now), AccountID: acct.ID, StartedAt: now}
	token := newRefreshToken(fam.ID)
	if err := s.cfg.Sessions.Start(ctx, fam, tokenHash(token), s.cfg.RefreshTTL); err != nil {
		return Session{}, err
	}
	return Session{Account: acct, FamilyID: fam.ID, RefreshToken: token, RefreshExpiresAt: now.Add(s.cfg.RefreshTTL)}, nil
}

// Refresh redeems a refresh token for a new one (轮换), with the account as
// it is now, so a binding made since shows in the next access token.
// Errors: Unauthenticated when the token is unknown, expired or its family
// ended — and when it was used before, which also ends the family, since a
// copy of it is in someone else's hands.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	familyID, ok := familyOf(token)
	if !ok {
		return Session{}, errSignInAgain
	}
	next := newRefreshToken(familyID)
	fam, outcome, err := s.cfg.Sessions.Rotate(ctx, familyID, tokenHash(token), tokenHash(next), s.cfg.RefreshTTL)
	if err != nil {
		return Session{}, err
	}
	switch outcome {
	case Rotated:
	case Replayed:
		return Session{}, domain.Wrap(ErrReplayed, domain.Unauthenticated, "登录凭证已被使用，为保护您的账户安全，请重新登录")
	default:
		return Session{}, errSignInAgain
	}
	acct, err := s.Account(ctx, fam.AccountID)
	if domain.IsCode(err, domain.NotFound) {
		return Session{}, errSignInAgain
	}
	if err != nil {
		return Session{}, err
	}
	return Session{Account: acct, FamilyID: fam.ID, RefreshToken: next, RefreshExpiresAt: s.now().Add(s.cfg.RefreshTTL)}, nil
}

// ErrReplayed is the cause of the error Refresh returns for a refresh
// token used twice, for the channel's security log.
var ErrReplayed = errors.New("identity: refresh token replayed; family revoked")

var errSignInAgain = domain.Errorf(domain.Unauthenticated, "登录已过期，请重新登录")

// Logout ends the family of the signed-in device (退出登录): its refresh
// token stops working at once, its access token within its short life.
func (s *Service) Logout(ctx context.Context, familyID string) error {
	return s.cfg.Sessions.Revoke(ctx, familyID)
}

// phoneIndex is the blind index of a phone.
func (s *Service) phoneIndex(p domain.Phone) string { return privacy.PhoneIndex(s.cfg.Sealer, p) }

// newRefreshToken returns "<family id>.<256 random bits>": the family id
// lets the store keep a family's keys together (one Redis Cluster slot).
func newRefreshToken(familyID string) string {
	var b [32]byte
	rand.Read(b[:])
	return familyID + "." + base64.RawURLEncoding.EncodeToString(b[:])
}

// familyOf reads the family id off a refresh token.
func familyOf(token string) (string, bool) {
	fam, secret, ok := strings.Cut(token, ".")
	return fam, ok && len(fam) > 2 && len(fam) <= 40 && strings.HasPrefix(fam, "SF") && len(secret) == 43
}

// tokenHash is what the store keeps of a refresh token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
