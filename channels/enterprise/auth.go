package enterprise

import (
	"context"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// HeaderDeviceID carries the id the browser generated for itself and keeps;
// a sign-in from an id the operator has not used needs an SMS code.
const HeaderDeviceID = "X-Device-ID"

// AuthHeader is what every signed-in route reads: the bearer token. The
// input types shared by routes are exported only because huma reads the
// parameters of embedded structs whose type is exported.
type AuthHeader struct {
	Authorization string `header:"Authorization" doc:"登录后取得的令牌，格式：Bearer <token>"`
}

// UnitPath is a signed-in route of one unit, named by its credit code.
type UnitPath struct {
	AuthHeader
	Code string `path:"code" minLength:"18" maxLength:"18" doc:"单位统一社会信用代码"`
}

// session returns the signed-in operator (as RateLimit found it, when it
// has just read this very token's session).
func (ch *Channel) session(ctx context.Context, a AuthHeader) (account.Session, error) {
	token, ok := strings.CutPrefix(strings.TrimSpace(a.Authorization), "Bearer ")
	if !ok {
		return account.Session{}, domain.Errorf(domain.Unauthenticated, "请先登录")
	}
	if v, ok := ctx.Value(authenticatedKey{}).(authenticated); ok && v.token == token {
		return v.session, nil
	}
	return ch.cfg.Accounts.Authenticate(ctx, token)
}

// unitSession returns the signed-in operator if the route's unit is its
// own. Errors: Unauthenticated; Invalid for a malformed code; Forbidden for
// another unit's route.
func (ch *Channel) unitSession(ctx context.Context, in UnitPath) (account.Session, error) {
	s, err := ch.session(ctx, in.AuthHeader)
	if err != nil {
		return s, err
	}
	code, _, err := domain.ParseCreditCode(in.Code)
	if err != nil {
		return account.Session{}, err
	}
	if code != s.UnitCode {
		err := domain.Errorf(domain.Forbidden, "无权查看或办理其他单位的业务")
		ch.record(ctx, s, "unit.access", "", err, map[string]string{"route": "other unit"})
		return account.Session{}, err
	}
	return s, nil
}

type entLoginIn struct {
	DeviceID string `header:"X-Device-ID" doc:"浏览器生成并保存的设备标识（8至128位字母、数字、-、_）"`
	Body     struct {
		CreditCode string `json:"creditCode" minLength:"1" maxLength:"30" doc:"单位统一社会信用代码"`
		Name       string `json:"name" minLength:"1" maxLength:"30" doc:"经办人姓名"`
		Password   string `json:"password" minLength:"1" maxLength:"64" doc:"密码"`
	}
}

// entLoginOut is a session, or the challenge of a new device.
type entLoginOut struct {
	Body struct {
		SMSRequired bool           `json:"smsRequired" doc:"新设备登录需短信验证码：为真时按 challenge 提交验证码"`
		Challenge   *entChallenge  `json:"challenge,omitempty"`
		Session     *entSessionOut `json:"session,omitempty"`
	}
}

type entChallenge struct {
	ID        string    `json:"id" doc:"验证码登录流水号"`
	Phone     string    `json:"phone" doc:"接收验证码的手机号码（脱敏）"`
	ExpiresAt time.Time `json:"expiresAt"`
}

type entSessionOut struct {
	Token     string    `json:"token" doc:"登录令牌，随后每个请求以 Authorization: Bearer <token> 发送"`
	ExpiresAt time.Time `json:"expiresAt" doc:"30分钟无操作后失效，每次请求顺延"`
	Operator  entMeBody `json:"operator"`
}

type entMeBody struct {
	OperatorID string `json:"operatorId"`
	Name       string `json:"name" doc:"经办人姓名"`
	Role       string `json:"role" enum:"admin,clerk"`
	RoleLabel  string `json:"roleLabel" doc:"单位管理员 或 经办员"`
	CreditCode string `json:"creditCode" doc:"所属单位统一社会信用代码"`
}

func meOf(s account.Session) entMeBody {
	return entMeBody{OperatorID: s.OperatorID, Name: s.Name, Role: string(s.Role), RoleLabel: s.Role.Label(),
		CreditCode: string(s.UnitCode)}
}

func issuedOut(i account.Issued) *entSessionOut {
	return &entSessionOut{Token: i.Token, ExpiresAt: i.ExpiresAt.In(domain.Beijing), Operator: meOf(i.Session)}
}

func (ch *Channel) login(ctx context.Context, in *entLoginIn) (*entLoginOut, error) {
	res, err := ch.cfg.Accounts.Login(ctx, account.Credentials{CreditCode: in.Body.CreditCode, Name: in.Body.Name,
		Password: in.Body.Password, DeviceID: in.DeviceID})
	if err != nil {
		return nil, err
	}
	out := &entLoginOut{}
	if res.Challenge != nil {
		c := res.Challenge
		out.Body.SMSRequired = true
		out.Body.Challenge = &entChallenge{ID: c.ID, Phone: c.Phone, ExpiresAt: c.ExpiresAt.In(domain.Beijing)}
		return out, nil
	}
	out.Body.Session = issuedOut(*res.Issued)
	ch.record(ctx, res.Issued.Session, "account.login", res.Issued.Session.UnitRef, nil, nil)
	insured.ReadAheadUnit(ch.cfg.Core, res.Issued.Session.UnitCode)
	return out, nil
}

type entVerifyIn struct {
	DeviceID string `header:"X-Device-ID" doc:"与获取验证码时相同的设备标识"`
	Body     struct {
		Challenge string `json:"challenge" minLength:"1" maxLength:"64" doc:"登录时返回的验证码登录流水号"`
		Code      string `json:"code" minLength:"4" maxLength:"8" doc:"短信验证码"`
	}
}

type entSessionResp struct {
	Body *entSessionOut
}

func (ch *Channel) verify(ctx context.Context, in *entVerifyIn) (*entSessionResp, error) {
	issued, err := ch.cfg.Accounts.VerifyCode(ctx, in.Body.Challenge, in.Body.Code, in.DeviceID)
	if err != nil {
		return nil, err
	}
	ch.record(ctx, issued.Session, "account.login", issued.Session.UnitRef, nil, map[string]string{"device": "new"})
	insured.ReadAheadUnit(ch.cfg.Core, issued.Session.UnitCode)
	return &entSessionResp{Body: issuedOut(issued)}, nil
}

func (ch *Channel) logout(ctx context.Context, in *AuthHeader) (*struct{}, error) {
	token, _ := strings.CutPrefix(strings.TrimSpace(in.Authorization), "Bearer ")
	return nil, ch.cfg.Accounts.Logout(ctx, token)
}

type entMeOut struct {
	Body entMeBody
}

func (ch *Channel) me(ctx context.Context, in *AuthHeader) (*entMeOut, error) {
	s, err := ch.session(ctx, *in)
	if err != nil {
		return nil, err
	}
	return &entMeOut{Body: meOf(s)}, nil
}

type entPasswordIn struct {
	AuthHeader
	Body struct {
		Current  string `json:"current" minLength:"1" maxLength:"64" doc:"当前密码"`
		Password string `json:"password" minLength:"8" maxLength:"64" doc:"新密码：8至64位，同时包含字母和数字"`
	}
}

func (ch *Channel) changePassword(ctx context.Context, in *entPasswordIn) (*struct{}, error) {
	s, err := ch.session(ctx, in.AuthHeader)
	if err != nil {
		return nil, err
	}
	err = ch.cfg.Accounts.ChangePassword(ctx, s, in.Body.Current, in.Body.Password)
	ch.record(ctx, s, "account.password.change", s.UnitRef, err, nil)
	return nil, err
}
