package kiosk

import (
	"context"
	"crypto/hmac"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/redis/go-redis/v9"
)

// Access is what a route asks of its caller.
type Access int

// The access levels of kiosk routes.
const (
	DeviceOnly   Access = iota // a signed, active device: opening a session
	AnySession                 // and a card session of either kind
	PersonAccess               // and a citizen's card session
	UnitAccess                 // and a unit clerk's session
)

// Middlewares returns what admits a request to a route of access a on api:
// put it in the huma.Operation of every /kiosk/v1 route (Register does;
// routes added later by other packages do the same). It runs after routing
// and before huma reads the input, so an unsigned request is answered 401
// before its parameters are validated, and nothing outside /kiosk/v1 pays
// for it. On success the handler's context carries the device and session
// (DeviceFrom, SessionFrom).
func (c *Channel) Middlewares(api huma.API, a Access) huma.Middlewares {
	return huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		fc := humafiber.Unwrap(ctx)
		var charged *limit.Pending
		charge := func(pipe redis.Pipeliner, device string) {
			charged = c.limiter.Queue(ctx.Context(), pipe, fc, limit.Device, device)
		}
		who, err := c.admit(ctx.Context(), signedRequest{method: fc.Method(), target: fc.OriginalURL(),
			body: fc.Body(), header: ctx.Header, charge: charge}, a)
		// A request that reached Redis is charged to its device, refused or
		// not; running out of budget is what the kiosk hears first.
		if lerr := charged.Settle(ctx.Context(), fc); lerr != nil {
			err = lerr
		}
		if err != nil {
			huma.WriteErr(api, ctx, web.Status(domain.ErrorCode(err)), "", err)
			return
		}
		next(huma.WithValue(ctx, callerKey{}, who))
	}}
}

// signedRequest is what the signature covers, and how to charge the
// device's rate budget in the guard's Redis round trip.
type signedRequest struct {
	method, target string
	body           []byte
	header         func(string) string
	charge         func(pipe redis.Pipeliner, device string)
}

// admit checks, in order, the signature headers, the clock, the device and
// its signature (in memory), then in one Redis round trip the device's
// status, the nonce, the session and the device's rate budget. A disabled device is told so only
// once its signature is good.
func (c *Channel) admit(ctx context.Context, r signedRequest, a Access) (*caller, error) {
	h, err := readHeaders(r.header)
	if err != nil {
		return nil, err
	}
	now := c.now()
	if skew := now.Sub(h.at); skew > MaxClockSkew || skew < -MaxClockSkew {
		return nil, errStale
	}
	dev, err := c.devices.Credentials(ctx, h.device)
	if domain.IsCode(err, domain.NotFound) {
		return nil, errUnknownDevice
	}
	if err != nil {
		return nil, err
	}
	want := Signature(string(dev.Secret), r.method, r.target, h.timestamp, h.nonce, r.body)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(h.signature))) {
		return nil, errBadSignature
	}
	token := r.header(HeaderSession)
	ask := ""
	if a != DeviceOnly && tokenDevice(token) == dev.ID {
		ask = token
	}
	v, body, err := c.gate.check(ctx, dev, h.nonce, ask, now, r.charge)
	if err != nil {
		return nil, err
	}
	if err := verdictError(v); err != nil {
		return nil, err
	}
	who := &caller{device: dev.Device}
	if a == DeviceOnly {
		return who, nil
	}
	s, err := c.sessionFor(dev.Device, token, body, a)
	if err != nil {
		return nil, err
	}
	who.session = &s
	return who, nil
}

// sessionFor checks the session the script returned against the route.
func (c *Channel) sessionFor(dev device.Device, token, body string, a Access) (Session, error) {
	switch {
	case token == "":
		return Session{}, errNoSession
	case tokenDevice(token) != dev.ID:
		return Session{}, errOtherDevice
	}
	s, err := c.decodeSession(dev, token, body)
	switch {
	case err != nil:
		return Session{}, err
	case a == PersonAccess && s.Kind != PersonSession:
		return Session{}, errNeedPerson
	case a == UnitAccess && s.Kind != UnitSession:
		return Session{}, errNeedUnit
	}
	return s, nil
}

func verdictError(v verdict) error {
	switch v {
	case passed:
		return nil
	case disabled:
		return errDisabled
	case replayed:
		return errReplay
	case expired:
		return errExpired
	case noSess:
		return errSessionGone
	}
	return fmt.Errorf("kiosk check: unknown verdict %q", v)
}

// signedHeaders are the signature headers of a request, well-formed.
type signedHeaders struct {
	device, timestamp, nonce, signature string
	at                                  time.Time
}

// readHeaders reads the signature headers, naming each one missing or
// malformed.
func readHeaders(get func(string) string) (signedHeaders, error) {
	h := signedHeaders{device: get(HeaderDevice), timestamp: get(HeaderTimestamp), nonce: get(HeaderNonce), signature: get(HeaderSignature)}
	var fields []domain.FieldError
	check := func(header, value, missing, malformed string, ok bool) {
		switch {
		case value == "":
			fields = append(fields, domain.FieldError{Field: header, Message: missing})
		case !ok:
			fields = append(fields, domain.FieldError{Field: header, Message: malformed})
		}
	}
	ms, tsErr := strconv.ParseInt(h.timestamp, 10, 64)
	h.at = time.UnixMilli(ms)
	check(HeaderDevice, h.device, "缺少设备编号", "设备编号格式不正确", device.ValidID(h.device))
	check(HeaderTimestamp, h.timestamp, "缺少签名时间", "签名时间应为 Unix 毫秒数", tsErr == nil)
	check(HeaderNonce, h.nonce, "缺少随机数", "随机数应为16到64位字母、数字、“-”或“_”", validNonce(h.nonce))
	check(HeaderSignature, h.signature, "缺少签名", "签名应为64位十六进制字符", validHex(h.signature, 64))
	if len(fields) > 0 {
		return h, &domain.Error{Code: domain.Unauthenticated, Message: "请求缺少有效的设备签名，请检查自助终端的配置", Fields: fields}
	}
	return h, nil
}

func validNonce(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func validHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// unauthenticated is a refusal naming the header at fault.
func unauthenticated(header, field, msg string) *domain.Error {
	return &domain.Error{Code: domain.Unauthenticated, Message: msg, Fields: []domain.FieldError{{Field: header, Message: field}}}
}

// The refusals of the guard, in words the hall staff and the kiosk's
// maintainer can act on.
var (
	errStale         = unauthenticated(HeaderTimestamp, "签名时间与服务器时间相差超过5分钟", "自助终端的时间不准，请校准终端时间后重试")
	errUnknownDevice = unauthenticated(HeaderDevice, "设备未登记", "该自助终端尚未登记，请联系管理员登记后使用")
	errBadSignature  = unauthenticated(HeaderSignature, "签名不正确", "设备签名校验失败，请检查终端的设备密钥配置")
	errReplay        = unauthenticated(HeaderNonce, "随机数已使用", "该请求已处理过，请勿重复提交")
	errNoSession     = unauthenticated(HeaderSession, "缺少读卡会话", "请先插入社会保障卡或身份证")
	errSessionGone   = domain.Errorf(domain.Unauthenticated, msgSessionGone)
	errExpired       = domain.Errorf(domain.Unauthenticated, "单次查询已满10分钟，请取卡后重新插卡")
	errDisabled      = domain.Errorf(domain.Forbidden, "该自助终端已停用，请使用其他终端或咨询大厅工作人员")
	errOtherDevice   = domain.Errorf(domain.Forbidden, "该读卡会话不属于本终端，请在本终端重新插卡")
	errNeedPerson    = domain.Errorf(domain.Forbidden, "此项查询需要插入本人的社会保障卡或身份证")
	errNeedUnit      = domain.Errorf(domain.Forbidden, "此项查询需要单位经办人登录：请输入统一社会信用代码并插入经办人本人的卡片")
)

// msgSessionGone is said when a session ended by idling, by "take card" or
// by another card in the reader.
const msgSessionGone = "读卡会话已结束，请重新插卡"
