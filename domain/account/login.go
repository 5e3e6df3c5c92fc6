package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Credentials are what an operator types to sign in, with the id its
// browser generated for itself.
type Credentials struct {
	CreditCode string
	Name       string
	Password   string
	DeviceID   string
}

// msgBadLogin is the one answer to an unknown unit, name or wrong password,
// so that the sign-in page tells nobody which operators exist.
const msgBadLogin = "统一社会信用代码、经办人姓名或密码不正确"

// Login checks an operator's password. On a device the operator trusts it
// opens a session; on any other it sends an SMS code to the operator's
// phone and returns the challenge to answer with VerifyCode. Errors:
// Invalid for a malformed credit code or device id; Unauthenticated for a
// wrong name or password (saying how many tries are left); RateLimited
// while the account is locked out or a code was sent less than a minute
// ago; Forbidden for a disabled account (told only to who knows its
// password); Unavailable.
func (s *Service) Login(ctx context.Context, c Credentials) (LoginResult, error) {
	if err := checkDeviceID(c.DeviceID); err != nil {
		return LoginResult{}, err
	}
	code, _, err := domain.ParseCreditCode(c.CreditCode)
	if err != nil {
		return LoginResult{}, err
	}
	op, err := s.cfg.Store.OperatorByName(ctx, privacy.UnitIndex(s.cfg.Sealer, code), strings.TrimSpace(c.Name))
	if domain.IsCode(err, domain.NotFound) {
		_, _ = s.cfg.Hasher.Verify(s.dummy, c.Password) // as slow as a known name
		return LoginResult{}, domain.Errorf(domain.Unauthenticated, msgBadLogin)
	}
	if err != nil {
		return LoginResult{}, err
	}
	if err := s.checkPassword(ctx, op, c.Password); err != nil {
		return LoginResult{}, err
	}
	if op.Disabled {
		return LoginResult{}, domain.Errorf(domain.Forbidden, "该账号已停用，请联系本单位管理员")
	}
	device := DeviceHash(c.DeviceID)
	trusted, err := s.cfg.Store.Trusted(ctx, op.ID, device)
	if err != nil {
		return LoginResult{}, err
	}
	if trusted {
		issued, err := s.open(ctx, op, code, device)
		return LoginResult{Issued: &issued}, err
	}
	ch, err := s.challenge(ctx, op, device)
	return LoginResult{Challenge: &ch}, err
}

// checkPassword refuses a locked account without looking at the password,
// counts a wrong one, and clears the count on a right one.
func (s *Service) checkPassword(ctx context.Context, op Operator, password string) error {
	n, err := s.cfg.Ephemeral.Failures(ctx, op.ID)
	if err != nil {
		return err
	}
	if n >= MaxFailures {
		return lockedError()
	}
	ok, err := s.cfg.Hasher.Verify(op.PasswordHash, password)
	if err != nil {
		return err
	}
	if ok {
		return s.cfg.Ephemeral.ClearFailures(ctx, op.ID)
	}
	if n, err = s.cfg.Ephemeral.AddFailure(ctx, op.ID, LockFor); err != nil {
		return err
	}
	if n >= MaxFailures {
		return lockedError()
	}
	return domain.Errorf(domain.Unauthenticated, "%s，还可尝试%d次", msgBadLogin, MaxFailures-n)
}

func lockedError() error {
	return domain.Errorf(domain.RateLimited, "密码连续输错%d次，账号已锁定，请%d分钟后再试或联系本单位管理员解锁",
		MaxFailures, int(LockFor.Minutes()))
}

// challenge sends a fresh SMS code for a sign-in from an unknown device.
func (s *Service) challenge(ctx context.Context, op Operator, device string) (Challenge, error) {
	phone, err := privacy.OpenPhone(s.cfg.Sealer, op.SealedPhone)
	if err != nil {
		return Challenge{}, err
	}
	if phone == "" {
		return Challenge{}, domain.Errorf(domain.Rejected, "该账号未登记手机号码，无法在新设备登录，请联系本单位管理员")
	}
	free, err := s.cfg.Ephemeral.ClaimCodeSlot(ctx, op.ID, CodeEvery)
	if err != nil {
		return Challenge{}, err
	}
	if !free {
		return Challenge{}, domain.Errorf(domain.RateLimited, "验证码已发送，请%d秒后再试", int(CodeEvery.Seconds()))
	}
	id, code := randomToken(15), sixDigits()
	p := Pending{OperatorID: op.ID, DeviceHash: device, CodeHash: codeHash(id, code)}
	if err := s.cfg.Ephemeral.PutPending(ctx, id, p, CodeTTL); err != nil {
		return Challenge{}, err
	}
	params := map[string]string{"code": code, "minutes": fmt.Sprint(int(CodeTTL.Minutes()))}
	if _, err := s.cfg.Texter.Send(ctx, phone, TemplateVerify, params); err != nil {
		_ = s.cfg.Ephemeral.DeletePending(ctx, id)
		return Challenge{}, domain.Wrap(err, domain.ErrorCode(err), "验证码短信发送失败，请稍后重试")
	}
	return Challenge{ID: id, Phone: phone.Masked(), ExpiresAt: s.now().Add(CodeTTL)}, nil
}

// VerifyCode answers a challenge with the SMS code from the same device:
// the device becomes trusted and a session opens. Errors: Unauthenticated
// for a wrong code (saying how many tries are left), an expired or used
// challenge, or another device; Unavailable.
func (s *Service) VerifyCode(ctx context.Context, challengeID, code, deviceID string) (Issued, error) {
	p, err := s.cfg.Ephemeral.Pending(ctx, challengeID)
	if domain.IsCode(err, domain.NotFound) {
		return Issued{}, domain.Errorf(domain.Unauthenticated, "验证码已失效，请重新登录获取")
	}
	if err != nil {
		return Issued{}, err
	}
	if DeviceHash(deviceID) != p.DeviceHash {
		return Issued{}, domain.Errorf(domain.Unauthenticated, "请在获取验证码的设备上完成登录")
	}
	want, got := []byte(p.CodeHash), []byte(codeHash(challengeID, strings.TrimSpace(code)))
	if subtle.ConstantTimeCompare(want, got) != 1 {
		return Issued{}, s.missCode(ctx, challengeID)
	}
	if err := s.cfg.Ephemeral.DeletePending(ctx, challengeID); err != nil {
		return Issued{}, err
	}
	op, err := s.cfg.Store.Operator(ctx, p.OperatorID)
	if err != nil {
		return Issued{}, err
	}
	if op.Disabled {
		return Issued{}, domain.Errorf(domain.Forbidden, "该账号已停用，请联系本单位管理员")
	}
	if err := s.cfg.Store.TrustDevice(ctx, op.ID, p.DeviceHash, s.now()); err != nil {
		return Issued{}, err
	}
	unit, err := s.unitCode(op)
	if err != nil {
		return Issued{}, err
	}
	return s.open(ctx, op, unit, p.DeviceHash)
}

func (s *Service) missCode(ctx context.Context, id string) error {
	n, err := s.cfg.Ephemeral.MissPending(ctx, id)
	if domain.IsCode(err, domain.NotFound) {
		return domain.Errorf(domain.Unauthenticated, "验证码已失效，请重新登录获取")
	}
	if err != nil {
		return err
	}
	if n >= MaxCodeTries {
		_ = s.cfg.Ephemeral.DeletePending(ctx, id)
		return domain.Errorf(domain.Unauthenticated, "验证码输错次数过多，请重新登录获取新的验证码")
	}
	return domain.Errorf(domain.Unauthenticated, "验证码不正确，还可尝试%d次", MaxCodeTries-n)
}

func codeHash(challengeID, code string) string {
	sum := sha256.Sum256([]byte(challengeID + ":" + code))
	return hex.EncodeToString(sum[:])
}

// sixDigits draws an SMS code uniformly from 000000–999999.
func sixDigits() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// checkDeviceID accepts 8–128 letters, digits, '-' and '_' (a UUID, a
// random string the browser keeps).
func checkDeviceID(id string) error {
	ok := len(id) >= 8 && len(id) <= 128
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	if !ok {
		return domain.InvalidFields(domain.FieldError{Field: "X-Device-ID", Message: "设备标识缺失或格式不正确，请刷新页面后重试"})
	}
	return nil
}

func (s *Service) unitCode(op Operator) (domain.CreditCode, error) {
	raw, err := s.cfg.Sealer.Open(op.SealedUnit)
	if err != nil {
		return "", err
	}
	return domain.CreditCode(raw), nil
}
