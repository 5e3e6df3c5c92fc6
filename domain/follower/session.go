package follower

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Session is an H5 session (会话) opened after web authorization: the
// BFF's own opaque token standing for the openid WeChat vouched for, so
// that no page carries the openid itself and every one can be ended.
type Session struct {
	Token     string
	OpenID    string
	ExpiresAt time.Time
}

// tokenPrefix marks session tokens, so one pasted into the wrong header
// is recognised as such.
const tokenPrefix = "wxs_"

// OpenSession opens a session for an openid the platform returned for an
// OAuth code. The session knows nothing but the openid: binding is looked
// up on every request, so unbinding takes effect at once. Errors: Invalid
// for an empty openid; Unavailable.
func (s *Service) OpenSession(ctx context.Context, openID string) (Session, error) {
	if openID == "" {
		return Session{}, domain.Errorf(domain.Invalid, "缺少微信用户标识，请从公众号重新进入")
	}
	var b [32]byte
	rand.Read(b[:])
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	if err := s.cfg.Sessions.Open(ctx, tokenHash(token), openID, s.cfg.SessionTTL); err != nil {
		return Session{}, err
	}
	return Session{Token: token, OpenID: openID, ExpiresAt: s.now().Add(s.cfg.SessionTTL)}, nil
}

// SessionOpenID returns the openid of a live session. Errors:
// Unauthenticated for a token that is malformed, unknown or expired;
// Unavailable.
func (s *Service) SessionOpenID(ctx context.Context, token string) (string, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 128 {
		return "", errNoSession
	}
	openID, err := s.cfg.Sessions.Lookup(ctx, tokenHash(token))
	if domain.IsCode(err, domain.NotFound) {
		return "", errNoSession
	}
	return openID, err
}

// CloseSession ends a session (退出). Errors: Unavailable.
func (s *Service) CloseSession(ctx context.Context, token string) error {
	return s.cfg.Sessions.Close(ctx, tokenHash(token))
}

var errNoSession = domain.Errorf(domain.Unauthenticated, "登录已过期，请从公众号菜单重新进入")

// tokenHash is what the session store keeps of a token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
