package follower

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
)

// Purposes of codes: part of every key, so that a binding code never
// confirms a relative, and neither confirms an app login (identity's keys
// are "login:…" and "relative:…" in the same store).
const (
	purposeBind     = "wxbind:"
	purposeRelative = "wxrel:"
)

// codeKey is the key of one code: for one purpose, asked by one openid,
// for one person under one name, so a code confirms nothing else.
func (s *Service) codeKey(purpose, openID string, id domain.IDNumber, name string) string {
	sum := sha256.Sum256([]byte(openID + "\x00" + name))
	return purpose + s.ref(id) + ":" + hex.EncodeToString(sum[:8])
}

// sendCode issues a fresh code under key and texts it to phone. The code
// is stored before it is sent, so a citizen who gets the text can use it;
// if the text cannot be sent the code and its throttle are dropped again.
func (s *Service) sendCode(ctx context.Context, key string, phone domain.Phone) (identity.CodeSent, error) {
	code := identity.NewCode()
	now := s.cfg.Now().In(domain.Beijing)
	y, m, d := now.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, domain.Beijing)
	wait, err := s.cfg.Codes.Issue(ctx, identity.CodeIssue{Key: key, Hash: identity.CodeHash(key, code), TTL: s.cfg.CodeTTL,
		Throttle: s.cfg.ResendAfter, Day: now.Format("20060102"), DayLeft: midnight.Sub(now), DailyMax: s.cfg.DailyCodes})
	if err != nil {
		return identity.CodeSent{}, err
	}
	if wait > 0 {
		return identity.CodeSent{}, &identity.RetryLater{After: wait, Err: domain.Errorf(domain.RateLimited,
			"验证码发送过于频繁，请%s后再试", identity.WaitText(wait))}
	}
	minutes := strconv.Itoa(int(s.cfg.CodeTTL / time.Minute))
	if _, err := s.cfg.Texter.Send(ctx, phone, s.cfg.CodeTemplate, map[string]string{"code": code, "minutes": minutes}); err != nil {
		_ = s.cfg.Codes.Discard(context.WithoutCancel(ctx), key) // best effort: else the citizen waits out the throttle for nothing
		return identity.CodeSent{}, err
	}
	return identity.CodeSent{MaskedPhone: phone.Masked(), ExpiresIn: s.cfg.CodeTTL, ResendAfter: s.cfg.ResendAfter}, nil
}

// checkCode checks code against the one issued under key.
func (s *Service) checkCode(ctx context.Context, key, code string) error {
	return identity.CheckCode(ctx, s.cfg.Codes, key, code, s.cfg.CodeTries)
}
