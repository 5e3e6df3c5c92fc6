package province

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/transfer"
	"github.com/prometheus/client_golang/prometheus"
)

// TransferName is how citizens see the transfer platform named in error
// messages.
const TransferName = "省社保关系转移平台"

// TransferClient files transfers with the provincial transfer platform and
// follows them. It is safe for concurrent use.
type TransferClient struct{ c *conn }

var _ transfer.Platform = (*TransferClient)(nil)

// NewTransferClient returns a client; its metrics go to reg under system
// label "province_transfer" (nil reg: no metrics).
func NewTransferClient(cfg Config, reg prometheus.Registerer) *TransferClient {
	return &TransferClient{c: newConn(cfg, "province_transfer", TransferName, reg)}
}

// BreakerState reports the platform's circuit breaker, for readiness pages.
func (t *TransferClient) BreakerState() string { return t.c.caller.BreakerState() }

// Submit files a transfer (see transfer.Platform). It is retried: the
// platform de-duplicates on the request id, so a repeat whose first answer
// was lost returns the transfer already filed instead of filing another.
func (t *TransferClient) Submit(ctx context.Context, r transfer.Request) (transfer.Transfer, error) {
	if err := r.Validate(); err != nil {
		return transfer.Transfer{}, err
	}
	var out TransferResponse
	if err := t.c.call(ctx, "submit_transfer", true, http.MethodPost, PathTransfers, toWire(r), &out); err != nil {
		return transfer.Transfer{}, err
	}
	return t.read(out.TransferRecord)
}

// Transfer returns a transfer's status with its steps (see
// transfer.Platform); a read, so it is retried.
func (t *TransferClient) Transfer(ctx context.Context, number string) (transfer.Transfer, error) {
	if number == "" {
		return transfer.Transfer{}, domain.Errorf(domain.Invalid, "请输入转移编号")
	}
	var out TransferResponse
	err := t.c.call(ctx, "transfer_status", true, http.MethodGet, PathTransfer+url.PathEscape(number), nil, &out)
	if err != nil {
		return transfer.Transfer{}, err
	}
	return t.read(out.TransferRecord)
}

// RegisterCallback tells the platform where to post status changes (the
// BFF's CallbackHandler). It replaces any earlier URL and is safe to repeat,
// so it is retried and the BFF calls it at start-up. The callback is an
// optimisation: progress pages still query Transfer.
func (t *TransferClient) RegisterCallback(ctx context.Context, callbackURL string) error {
	return t.c.call(ctx, "register_callback", true, http.MethodPut, PathTransferCallback,
		CallbackRequest{URL: callbackURL}, &Envelope{})
}

func (t *TransferClient) read(w TransferRecord) (transfer.Transfer, error) {
	tr, err := fromWire(w)
	if err != nil {
		return transfer.Transfer{}, t.c.unreadable(err)
	}
	return tr, nil
}

// VerifyCallback checks a status callback the platform posted and returns
// the transfer as it now stands. Unauthenticated when it is not signed with
// this client's app id and key, or the signature is stale (so nobody can
// forge "办结"); Invalid for a body that is not a transfer. The platform
// posts each status once per step but repeats a post it got no 2xx for, so
// record by (Number, Status) idempotently.
func (t *TransferClient) VerifyCallback(h http.Header, body []byte) (transfer.Transfer, error) {
	if err := t.c.verify(h, body); err != nil {
		return transfer.Transfer{}, domain.Wrap(err, domain.Unauthenticated, "回调签名校验失败")
	}
	var w TransferRecord
	if err := json.Unmarshal(body, &w); err != nil {
		return transfer.Transfer{}, domain.Wrap(err, domain.Invalid, "回调内容格式错误")
	}
	tr, err := fromWire(w)
	if err != nil {
		return transfer.Transfer{}, domain.Wrap(err, domain.Invalid, "回调内容格式错误")
	}
	return tr, nil
}

// maxCallback bounds a callback body; real ones are about a kilobyte.
const maxCallback = 64 << 10

// CallbackHandler returns a net/http handler for status callbacks: it
// answers 401 to what VerifyCallback refuses, 400 to a malformed body, and
// 200 once fn has returned. fn runs on the request goroutine: keep it short
// and idempotent. A Fiber route may call VerifyCallback directly instead.
func (t *TransferClient) CallbackHandler(fn func(transfer.Transfer)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			WriteJSON(w, http.StatusMethodNotAllowed, Envelope{Code: "METHOD_NOT_ALLOWED", Message: "仅支持POST"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallback))
		if err != nil {
			WriteJSON(w, http.StatusRequestEntityTooLarge, Envelope{Code: "BODY_TOO_LARGE", Message: "回调过大"})
			return
		}
		tr, err := t.VerifyCallback(r.Header, body)
		switch domain.ErrorCode(err) {
		case "":
			fn(tr)
			WriteJSON(w, http.StatusOK, Envelope{Code: CodeOK, Message: "成功"})
		case domain.Unauthenticated:
			WriteJSON(w, http.StatusUnauthorized, Envelope{Code: ReasonSignatureInvalid, Message: "签名校验失败"})
		default:
			WriteJSON(w, http.StatusBadRequest, Envelope{Code: ReasonInvalidParameter, Message: "回调格式错误"})
		}
	})
}
