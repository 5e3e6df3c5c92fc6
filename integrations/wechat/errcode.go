package wechat

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/silenceper/wechat/v2/util"
)

// ErrCode is the errcode field of WeChat's JSON answers (全局返回码); 0 is
// success. The ones below are those the client treats specially and the
// simulator gives; anything else becomes Internal, with the code kept in
// the cause for the log.
type ErrCode int64

// The WeChat return codes of the official-account API this client meets.
const (
	CodeOK                 ErrCode = 0
	CodeSystemBusy         ErrCode = -1    // system error: try again later
	CodeInvalidCredential  ErrCode = 40001 // access_token invalid or not the latest
	CodeInvalidOpenID      ErrCode = 40003
	CodeInvalidAppID       ErrCode = 40013
	CodeInvalidAccessToken ErrCode = 40014
	CodeInvalidButtonSize  ErrCode = 40016 // menu: too many or too few buttons
	CodeInvalidButtonType  ErrCode = 40017
	CodeInvalidButtonName  ErrCode = 40018 // menu: name empty or too long
	CodeInvalidButtonKey   ErrCode = 40019
	CodeInvalidSubButtons  ErrCode = 40023
	CodeInvalidButtonURL   ErrCode = 40027
	CodeInvalidCode        ErrCode = 40029 // OAuth code unknown or expired
	CodeInvalidTemplateID  ErrCode = 40037
	CodeInvalidAppSecret   ErrCode = 40125
	CodeCodeUsed           ErrCode = 40163 // OAuth code already exchanged
	CodeIPNotAllowed       ErrCode = 40164 // our egress IP is not whitelisted
	CodeAccessTokenExpired ErrCode = 42001
	CodeRequireSubscribe   ErrCode = 43004 // the user does not follow the account
	CodeUserRefused        ErrCode = 43101 // the user has not accepted this subscribe message
	CodeAPIFreqLimit       ErrCode = 45009 // daily quota of this API used up
	CodeMenuNotExist       ErrCode = 46003
	CodeDataFormat         ErrCode = 47001 // the body is not the JSON WeChat expects
)

// apiError is a WeChat answer with a non-zero errcode. The SDK reports these
// as strings ("… errcode=40029 , errmsg=invalid code") or as
// *util.CommonError depending on the API; wechatError recovers both.
type apiError struct {
	Code ErrCode
	Msg  string
}

func (e *apiError) Error() string { return fmt.Sprintf("wechat errcode %d: %s", e.Code, e.Msg) }

var (
	errcodeRE = regexp.MustCompile(`errcode\s*=\s*(-?\d+)`)
	errmsgRE  = regexp.MustCompile(`err(?:or)?msg\s*=\s*(.*)$`)
)

// wechatError returns the WeChat answer inside an SDK error, if it is one.
func wechatError(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae, true
	}
	var ce *util.CommonError
	if errors.As(err, &ce) {
		return &apiError{Code: ErrCode(ce.ErrCode), Msg: ce.ErrMsg}, true
	}
	m := errcodeRE.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	code, convErr := strconv.ParseInt(m[1], 10, 64)
	if convErr != nil {
		return nil, false
	}
	ae = &apiError{Code: ErrCode(code)}
	if mm := errmsgRE.FindStringSubmatch(err.Error()); mm != nil {
		ae.Msg = mm[1]
	}
	return ae, true
}

// staleToken reports an answer saying our cached access_token is no longer
// good: someone force-refreshed it, or WeChat revoked it early.
func staleToken(err error) bool {
	if err == nil {
		return false
	}
	ae, ok := wechatError(err)
	if !ok {
		return false
	}
	switch ae.Code {
	case CodeInvalidCredential, CodeInvalidAccessToken, CodeAccessTokenExpired:
		return true
	}
	return false
}

// translate turns what an SDK call returned into what remote.Caller
// expects: a *domain.Error for every answer understood, the transport error
// (with secrets removed) otherwise.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var se *statusError
	if errors.As(err, &se) {
		return remote.HTTPStatusError(Name, se.Status, se.Body)
	}
	if ae, ok := wechatError(err); ok {
		return answerError(ae)
	}
	return redact(err) // transport failure: remote.Caller classifies it
}

// answerError maps a WeChat errcode to the domain error a citizen (or the
// operator setting the menu) can act on. The errcode and errmsg stay in the
// cause, for the log.
func answerError(ae *apiError) *domain.Error {
	switch ae.Code {
	case CodeInvalidCode, CodeCodeUsed:
		return domain.Wrap(ae, domain.Invalid, "授权已失效，请重新进入")
	case CodeRequireSubscribe:
		return domain.Wrap(ae, domain.Rejected, "您尚未关注“丹东人社”公众号，请关注后再试")
	case CodeUserRefused:
		return domain.Wrap(ae, domain.Rejected, "您未订阅该消息提醒，请在公众号中订阅后再试")
	case CodeInvalidOpenID:
		return domain.Wrap(ae, domain.NotFound, "未找到该微信用户，请从公众号重新进入")
	case CodeMenuNotExist:
		return domain.Wrap(ae, domain.NotFound, "公众号尚未设置自定义菜单")
	case CodeInvalidButtonSize, CodeInvalidButtonType, CodeInvalidButtonName, CodeInvalidButtonKey,
		CodeInvalidSubButtons, CodeInvalidButtonURL:
		return domain.Wrap(ae, domain.Invalid, "菜单不符合微信公众平台的要求："+ae.Msg)
	case CodeSystemBusy, CodeAPIFreqLimit:
		return domain.Wrap(ae, domain.Unavailable, Name+"暂时无法访问，请稍后再试")
	}
	return domain.Wrap(ae, domain.Internal, Name+"对接异常，请稍后再试或到服务大厅办理")
}
