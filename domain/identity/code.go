package identity

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
)

// Codes keeps one-time verification codes (验证码) by purpose key, as
// hashes, in the ephemeral store. Every method may also return Unavailable
// when the store is down.
type Codes interface {
	// Issue stores c.Hash as the code for c.Key, valid for c.TTL,
	// replacing any earlier one, unless a code for the key was issued less
	// than c.Throttle ago or c.DailyMax were issued on c.Day: then it
	// stores nothing and returns how long to wait.
	Issue(ctx context.Context, c CodeIssue) (wait time.Duration, err error)
	// Check compares hash with the code stored for key. A match consumes
	// the code; a mismatch counts a try, and the maxTries-th voids it.
	Check(ctx context.Context, key, hash string, maxTries int) (CodeCheck, error)
	// Discard forgets the code for key and its resend throttle, after the
	// text could not be sent.
	Discard(ctx context.Context, key string) error
}

// CodeIssue is one code to store, with the limits on issuing it.
type CodeIssue struct {
	Key, Hash string
	TTL       time.Duration // the code's life
	Throttle  time.Duration // least time before the next code for Key
	Day       string        // the Beijing day, yyyymmdd, that DailyMax counts
	DayLeft   time.Duration // time until Day ends
	DailyMax  int
}

// CodeCheck is the outcome of checking a code.
type CodeCheck struct {
	Match bool
	// Left is the tries remaining after a mismatch; 0 means the code is
	// now void. Missing reports there was no code: never sent, expired,
	// used or voided.
	Left    int
	Missing bool
}

// RetryLater is a RateLimited error that knows when the citizen may try
// again; the problem answer carries it as Retry-After.
type RetryLater struct {
	Err   *domain.Error
	After time.Duration
}

func (e *RetryLater) Error() string { return e.Err.Error() }

// Unwrap returns the domain error, so its code and message reach the answer.
func (e *RetryLater) Unwrap() error { return e.Err }

// RetryAfter is the wait in whole seconds, at least 1.
func (e *RetryLater) RetryAfter() string {
	return strconv.Itoa(max(1, int((e.After+time.Second-1)/time.Second)))
}

// CodeSent tells the citizen a code is on its way.
type CodeSent struct {
	MaskedPhone string        // 138****5678
	ExpiresIn   time.Duration // the code's life
	ResendAfter time.Duration // when another may be asked for
}

// Purposes of codes: part of every key, so that a login code never
// confirms a relative and the reverse.
const (
	purposeLogin    = "login:"
	purposeRelative = "relative:"
)

// SendLoginCode texts a sign-in code to phone. Errors: Invalid on "phone";
// RateLimited (a *RetryLater) when a code went to the phone less than a
// minute ago or ten went today; Rejected when the SMS platform refuses the
// number; Unavailable or Timeout when it is in trouble.
func (s *Service) SendLoginCode(ctx context.Context, raw string) (CodeSent, error) {
	phone, err := domain.ParsePhone(raw)
	if err != nil {
		return CodeSent{}, err
	}
	key := purposeLogin + s.phoneIndex(phone)
	if err := s.sendCode(ctx, key, phone); err != nil {
		return CodeSent{}, err
	}
	return CodeSent{MaskedPhone: phone.Masked(), ExpiresIn: s.cfg.CodeTTL, ResendAfter: s.cfg.ResendAfter}, nil
}

// sendCode issues a fresh code under key and texts it to phone. The code
// is stored before it is sent, so a citizen who gets the text can use it;
// if the text cannot be sent the code and its throttle are dropped again.
func (s *Service) sendCode(ctx context.Context, key string, phone domain.Phone) error {
	code := NewCode()
	now := s.cfg.Now().In(domain.Beijing)
	y, m, d := now.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, domain.Beijing)
	wait, err := s.cfg.Codes.Issue(ctx, CodeIssue{Key: key, Hash: CodeHash(key, code), TTL: s.cfg.CodeTTL,
		Throttle: s.cfg.ResendAfter, Day: now.Format("20060102"), DayLeft: midnight.Sub(now), DailyMax: s.cfg.DailyCodes})
	if err != nil {
		return err
	}
	if wait > 0 {
		return &RetryLater{After: wait, Err: domain.Errorf(domain.RateLimited,
			"验证码发送过于频繁，请%s后再试", WaitText(wait))}
	}
	minutes := strconv.Itoa(int(s.cfg.CodeTTL / time.Minute))
	if _, err := s.cfg.Texter.Send(ctx, phone, s.cfg.CodeTemplate, map[string]string{"code": code, "minutes": minutes}); err != nil {
		_ = s.cfg.Codes.Discard(context.WithoutCancel(ctx), key) // best effort: else the citizen waits out the throttle for nothing
		return err
	}
	return nil
}

// checkCode checks code against the one issued under key.
func (s *Service) checkCode(ctx context.Context, key, code string) error {
	return CheckCode(ctx, s.cfg.Codes, key, code, s.cfg.CodeTries)
}

// CheckCode checks code against the one issued under key in codes,
// allowing tries wrong entries: the one rule of every channel's SMS codes.
// Errors: Invalid when code is not six digits; Rejected when it is wrong,
// void or expired, saying how many tries are left.
func CheckCode(ctx context.Context, codes Codes, key, code string, tries int) error {
	if len(code) != 6 || !digits(code) {
		return domain.InvalidFields(domain.FieldError{Field: "code", Message: "请输入6位数字验证码"})
	}
	res, err := codes.Check(ctx, key, CodeHash(key, code), tries)
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

// NewCode returns six random digits.
func NewCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// CodeHash is what is stored of a code: bound to its key, so a hash read
// from the store is no use under another key.
func CodeHash(key, code string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// WaitText says a wait in the words of a message: "45秒", "3小时".
func WaitText(d time.Duration) string {
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
