// Package notifysend connects the notice dispatcher of domain/notify to the
// bureau's SMS platform (integrations/sms) and WeChat official account
// (integrations/wechat): it picks the WeChat template the account was
// assigned for each kind of notice, and restates the clients' errors in the
// ports' terms — Unavailable only when the message certainly did not reach
// the platform, so that the dispatcher may retry it without a citizen
// getting the same text twice.
package notifysend

import (
	"errors"
	"io"
	"net"
	"net/url"

	"github.com/dandong-hrss/hrss/domain"
)

// settled restates a client's error for the notify ports. The clients call
// every failure to get an answer Unavailable, including a connection that
// broke after the request was written — by which time the platform may
// have accepted the message. Those become Timeout ("may have been sent");
// Unavailable is left for answers that said so (5xx, 429), an open breaker
// and connections that never opened.
func settled(err error) error {
	if err == nil || domain.ErrorCode(err) != domain.Unavailable || !mayHaveArrived(err) {
		return err
	}
	return domain.Wrap(err, domain.Timeout, "发送过程中连接中断，结果未知")
}

// mayHaveArrived reports whether a transport failure happened after the
// request could have reached the platform.
func mayHaveArrived(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return false
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// unknownKind is the error for a notice kind without a template: the
// message was not sent, and never will be on this route.
func unknownKind() error {
	return domain.Errorf(domain.Invalid, "未配置该类通知的微信模板")
}
