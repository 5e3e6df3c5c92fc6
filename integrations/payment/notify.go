package payment

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	pay "github.com/dandong-hrss/hrss/domain/payment"
)

// maxNotification bounds a notification body; real ones are a few hundred
// bytes.
const maxNotification = 64 << 10

// Ack is the body that acknowledges a notification. Any 2xx answer does;
// anything else makes the channel post it again later.
var Ack = Envelope{Code: CodeOK, Message: "成功"}

// VerifyCallback checks a notification the channel posted and returns the
// outcome. Unauthenticated when it is not signed with this client's
// merchant id and key, or the signature is stale — so nobody can forge
// "paid", nor replay an old notification; Invalid for a body that is not a
// notification, or one still pending.
//
// A verified notification may be a repeat: record it by OrderID, moving
// the order out of Pending once, and compare Amount with the order before
// believing it. Acknowledge a repeat just like the first delivery.
func (c *Client) VerifyCallback(h http.Header, body []byte) (pay.Notification, error) {
	if h.Get(HeaderAppID) != c.cfg.AppID {
		return pay.Notification{}, domain.Wrap(ErrBadSignature, domain.Unauthenticated, "缴费结果通知签名校验失败")
	}
	if err := VerifyHeader(h, c.cfg.AppKey, body, time.Now()); err != nil {
		return pay.Notification{}, domain.Wrap(err, domain.Unauthenticated, "缴费结果通知签名校验失败")
	}
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil {
		return pay.Notification{}, domain.Wrap(err, domain.Invalid, "缴费结果通知格式错误")
	}
	st, err := fromWire(n.OrderRecord)
	if err == nil && (n.NotifyID == "" || st.Status == pay.Pending) {
		err = errors.New("notification without id or outcome")
	}
	if err != nil {
		return pay.Notification{}, domain.Wrap(err, domain.Invalid, "缴费结果通知格式错误")
	}
	return pay.Notification{ID: n.NotifyID, State: st}, nil
}

// CallbackHandler returns a net/http handler for notifications: 401 for
// what VerifyCallback refuses as unsigned, 400 for a malformed body, 500
// when fn fails (say the database is down) so the channel posts it again,
// and Ack once fn has succeeded. fn gets the request's context and must be
// idempotent. A Fiber route may call VerifyCallback directly instead.
func (c *Client) CallbackHandler(fn func(context.Context, pay.Notification) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			WriteJSON(w, http.StatusMethodNotAllowed, Envelope{Code: "METHOD_NOT_ALLOWED", Message: "仅支持POST"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxNotification))
		if err != nil {
			WriteJSON(w, http.StatusRequestEntityTooLarge, Envelope{Code: "BODY_TOO_LARGE", Message: "通知过大"})
			return
		}
		n, err := c.VerifyCallback(r.Header, body)
		switch {
		case domain.IsCode(err, domain.Unauthenticated):
			WriteJSON(w, http.StatusUnauthorized, Envelope{Code: ReasonSignatureInvalid, Message: "签名校验失败"})
		case err != nil:
			WriteJSON(w, http.StatusBadRequest, Envelope{Code: ReasonInvalidParameter, Message: "通知格式错误"})
		case fn(r.Context(), n) != nil:
			WriteJSON(w, http.StatusInternalServerError, Envelope{Code: ReasonSystemError, Message: "处理失败，请稍后重发"})
		default:
			WriteJSON(w, http.StatusOK, Ack)
		}
	})
}
