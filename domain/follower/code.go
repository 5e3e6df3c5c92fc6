package follower

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
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
	code := newCode()
	now := s.cfg.Now().In(domain.Beijing)
	y, m, d := now.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, domain.Beijing)
	wait, err := s.cfg.Codes.Issue(ctx, identity.CodeIssue{Key: key, Hash: codeHash(key, code), TTL: s.cfg.CodeTTL,
		Throttle: s.cfg.ResendAfter, Day: now.Format("20060102"), DayLeft: midnight.Sub(now), DailyMax: s.cfg.DailyCodes})
	if err != nil {
		return identity.CodeSent{}, err
	}
	if wait > 0 {
		return identity.CodeSent{}, &identity.RetryLater{After: wait, Err: domain.Errorf(domain.RateLimited,
			"验证码发送过于频繁，请%s后再试", waitText(wait))}
	}
	minutes := strconv.Itoa(int(s.cfg.CodeTTL / time.Minute))
	if _, err := s.cfg.Texter.Send(ctx, phone, s.cfg.CodeTemplate, map[string]string{"code": code, "minutes": minutes}); err != nil {
		_ = s.cfg.Codes.Discard(context.WithoutCancel(ctx), key) // best effort: else the citizen waits out the throttle for nothing
		return identity.CodeSent{}, err
	}
	return identity.CodeSent{MaskedPhone: phone.Masked(), ExpiresIn: s.cfg.CodeTTL, ResendAfter: s.cfg.ResendAfter}, nil
}

// checkCode checks code against the one issued under key. Errors:
// Invalid when code is not six digits; Rejected when it is wrong, void or
// expired, saying how many tries are left.
func (s *Service) checkCode(ctx context.Context, key, code string) error {
	if len(code) != 6 || !digits(code) {
		return domain.InvalidFields(domain.FieldError{Field: "code", Message: "请输入6位数字验证码"})
	}
	res, err := s.cfg.Codes.Check(ctx, key, codeHash(key, code), s.cfg.CodeTries)
	switch {
	case err != nil:
		return err
	case res.Match:
		return nil
	case res.Missing:
		return domain.Errorf(domain.Rejected, "验证码已失效，请重新获取")
	case res.Left == 0:
		return domain.Errorf(domain.Rejected, "验证码错误次数过多，请重新获取")
	}
	return domain.Errorf(domain.Rejected, "验证码错误，还可尝试%d次", res.Left)
}

// newCode returns six random digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// codeHash is what is stored of a code: bound to its key, so a hash read
// from the store is no use under another key.
func codeHash(key, code string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// waitText says a wait in the words of a message: "45秒", "3小时".
func waitText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(max(1, int(d.Seconds()+0.999))) + "秒"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes()+0.999)) + "分钟"
	}
	return strconv.Itoa(int(d.Hours()+0.999)) + "小时"
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
