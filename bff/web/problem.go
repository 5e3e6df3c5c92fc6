// Package web is what every channel's routes share on the way in and out:
// request ids, the access log and HTTP metrics, panic recovery, request
// deadlines, JSON decoding with Chinese field errors, and the one mapping
// from domain errors to RFC 9457 problem+json answers. Channels import it;
// bff wires it.
package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/gofiber/fiber/v2"
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem is the body of every error answer. Title and Detail are Chinese
// text a citizen or clerk can act on; Errors names each field at fault.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	Code      domain.Code         `json:"code"`
	RequestID string              `json:"requestId,omitempty"`
	Errors    []domain.FieldError `json:"errors,omitempty"`
}

// statusOf is the one table from domain code to HTTP status, with the title
// shown when the error carries no message of its own.
var statusOf = map[domain.Code]struct {
	status int
	title  string
}{
	domain.Invalid:         {http.StatusBadRequest, "请求有误"},
	domain.Unauthenticated: {http.StatusUnauthorized, "请先登录或验证身份"},
	domain.Forbidden:       {http.StatusForbidden, "无权办理此项业务"},
	domain.NotFound:        {http.StatusNotFound, "未找到相关信息"},
	domain.Conflict:        {http.StatusConflict, "与当前状态冲突"},
	domain.Rejected:        {http.StatusUnprocessableEntity, "不符合办理条件"},
	domain.TooLarge:        {http.StatusRequestEntityTooLarge, "提交的内容过大"},
	domain.RateLimited:     {http.StatusTooManyRequests, "操作过于频繁，请稍后再试"},
	domain.Unavailable:     {http.StatusServiceUnavailable, "系统繁忙，请稍后再试"},
	domain.Timeout:         {http.StatusGatewayTimeout, "系统响应超时，请稍后再试"},
	domain.Internal:        {http.StatusInternalServerError, "系统内部错误，请稍后再试或联系工作人员"},
}

// Status returns the HTTP status of a domain code.
func Status(code domain.Code) int {
	if s, ok := statusOf[code]; ok {
		return s.status
	}
	return http.StatusInternalServerError
}

// codeOfStatus classifies the framework's own errors (unknown route, body
// too large, bad method) in the domain's terms.
func codeOfStatus(status int) domain.Code {
	switch {
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return domain.NotFound
	case status == http.StatusRequestEntityTooLarge:
		return domain.TooLarge
	case status == http.StatusTooManyRequests:
		return domain.RateLimited
	case status == http.StatusRequestTimeout:
		return domain.Timeout
	case status < 500:
		return domain.Invalid
	case status == http.StatusServiceUnavailable:
		return domain.Unavailable
	}
	return domain.Internal
}

// fiberTitles gives the framework's errors Chinese words.
var fiberTitles = map[int]string{
	http.StatusNotFound:              "您访问的接口不存在",
	http.StatusMethodNotAllowed:      "该接口不支持此请求方法",
	http.StatusRequestEntityTooLarge: "提交的内容超过大小上限",
	http.StatusRequestTimeout:        "请求超时，请重试",
	http.StatusBadRequest:            "请求格式有误",
}

// ProblemOf builds the answer for err. An error that is neither a domain
// error nor a framework error is a defect: the answer says nothing of it, and
// internal reports true so the caller logs it.
func ProblemOf(err error) (p Problem, internal bool) {
	var de *domain.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &de):
		s, ok := statusOf[de.Code]
		if !ok {
			s = statusOf[domain.Internal]
		}
		p = Problem{Code: de.Code, Status: s.status, Title: s.title, Detail: de.Message, Errors: de.Fields}
		internal = de.Code == domain.Internal
	case errors.As(err, &fe):
		code := codeOfStatus(fe.Code)
		title, ok := fiberTitles[fe.Code]
		if !ok {
			title = statusOf[code].title
		}
		p = Problem{Code: code, Status: fe.Code, Title: title}
	default:
		s := statusOf[domain.Internal]
		p = Problem{Code: domain.Internal, Status: s.status, Title: s.title}
		internal = true
	}
	p.Type = "urn:hrss:problem:" + string(p.Code)
	return p, internal
}

// HandleError writes err as problem+json. It is Fiber's ErrorHandler and is
// also called by Observe, so that the access log and the metrics see the
// final status. Defects are logged with the request id, never shown.
func HandleError(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		id := ensureRequestID(c)
		p, internal := ProblemOf(err)
		if internal && !errors.As(err, new(alreadyLogged)) {
			logger.ErrorContext(c.UserContext(), "unhandled error",
				"method", c.Method(), "route", routeOf(c, err), "err", err)
		}
		if c.Locals(localObserved) == nil {
			// Raised by the server before any middleware ran (a body over the
			// limit, a malformed request line): log it here, once.
			logger.WarnContext(c.UserContext(), "request refused",
				"method", c.Method(), "status", p.Status, "err", err)
		}
		if route := routeOf(c, err); route != "unmatched" {
			p.Instance = route // the template: a raw path may hold an ID number
		}
		p.RequestID = id
		if ra := retryAfter(err); ra != "" {
			c.Set(fiber.HeaderRetryAfter, ra)
		}
		return c.Status(p.Status).JSON(p, ProblemContentType)
	}
}

// RetryAfterError is implemented by errors that know when the client may try
// again (a rate limit); the answer then carries a Retry-After header.
type RetryAfterError interface {
	RetryAfter() string
}

func retryAfter(err error) string {
	var ra RetryAfterError
	if errors.As(err, &ra) {
		return ra.RetryAfter()
	}
	return ""
}
