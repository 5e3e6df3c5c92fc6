package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
)

// translate turns whatever fn returned into a *domain.Error (nil for nil).
// A *domain.Error passes through: the client already knew what it meant.
func (c *Caller) translate(err error) *domain.Error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		if de == nil {
			return nil
		}
		return de
	}
	if isTimeout(err) {
		return timeoutError(c.name, err)
	}
	return unavailableError(c.name, err)
}

// isTimeout reports deadlines, whether from a context or from the network.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func timeoutError(name string, cause error) *domain.Error {
	return domain.Wrap(cause, domain.Timeout, name+"响应超时，请稍后再试")
}

func unavailableError(name string, cause error) *domain.Error {
	return domain.Wrap(cause, domain.Unavailable, name+"暂时无法访问，请稍后再试")
}

// HTTPStatusError translates a remote's HTTP status into a domain error for
// the system with Chinese display name name: 404 → NotFound, 400/409/422 →
// Rejected, 429/500/502/503 → Unavailable, 504 → Timeout, anything else
// (401/403 from a wrong key, 3xx) → Internal, since the citizen can do
// nothing about it. detail (the remote's own message) is kept as the cause
// for logs and never shown.
func HTTPStatusError(name string, status int, detail string) *domain.Error {
	cause := fmt.Errorf("%s answered %d %s: %s", name, status, http.StatusText(status), detail)
	switch status {
	case http.StatusNotFound:
		return domain.Wrap(cause, domain.NotFound, name+"中未查询到相关信息")
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		return domain.Wrap(cause, domain.Rejected, name+"未受理该请求，请核对信息后重试")
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable:
		return unavailableError(name, cause)
	case http.StatusGatewayTimeout:
		return timeoutError(name, cause)
	}
	return domain.Wrap(cause, domain.Internal, name+"对接异常，请稍后再试或到服务大厅办理")
}
