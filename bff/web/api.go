package web

import (
	"errors"
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/danielgtaylor/huma/v2/validation"
	"github.com/gofiber/fiber/v2"
)

// NewAPI puts a huma API over app: every channel registers its operations
// on it, so one OpenAPI 3.1 document (/openapi.json) describes every route,
// requests are validated against it, and every error — a validation
// failure, an unreadable body or a handler's domain error — is answered as
// our problem+json with Chinese messages and the fields at fault.
//
// Handlers return domain errors as they are; huma hands any error that is
// not its own to NewErrorWithContext, which is replaced here. huma keeps
// that hook and its validation messages in package variables, so the first
// call installs them for the whole process.
func NewAPI(app *fiber.App, title, version string) huma.API {
	installOnce.Do(func() {
		chineseValidationMessages()
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			return humaProblem(nil, status, msg, errs)
		}
		huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
			return humaProblem(ctx, status, msg, errs)
		}
	})
	cfg := huma.DefaultConfig(title, version)
	cfg.CreateHooks = nil // no $schema links added to every answer: bytes on the hot path
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	cfg.OpenAPIPath = "/openapi"
	return humafiber.New(app, cfg)
}

var installOnce sync.Once

// schemaName names a schema after its package and type (KioskSessionView,
// AppSessionView), so that every channel may name its screens as it likes
// without two types claiming one name in the shared OpenAPI document.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	pkg := path.Base(t.PkgPath())
	if t.Name() == "" || pkg == "." || pkg == "" || strings.HasPrefix(name, strings.ToUpper(pkg[:1])+pkg[1:]) {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}

// GetStatus makes a Problem a huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// Error describes the problem for logs.
func (p *Problem) Error() string { return string(p.Code) + ": " + p.Title + " " + p.Detail }

// ContentType makes huma send a Problem as problem+json.
func (p *Problem) ContentType(string) string { return ProblemContentType }

// localCause holds a handler's defect for the access log.
const localCause = "hrss.cause"

// humaProblem builds the answer for an error huma reports: a handler's own
// error (one error that is not a validation detail), or huma's finding
// about the request (validation details, an unreadable body).
func humaProblem(ctx huma.Context, status int, msg string, errs []error) *Problem {
	var p Problem
	if len(errs) == 1 && !isDetail(errs[0]) {
		var internal bool
		p, internal = ProblemOf(errs[0])
		if ctx != nil {
			c := humafiber.Unwrap(ctx)
			if internal {
				c.Locals(localCause, errs[0])
			}
			if ra := retryAfter(errs[0]); ra != "" {
				c.Set(fiber.HeaderRetryAfter, ra)
			}
		}
	} else {
		p = requestProblem(status, errs)
	}
	if ctx != nil {
		c := humafiber.Unwrap(ctx)
		p.RequestID = ensureRequestID(c)
		p.Instance = c.Route().Path
	}
	return &p
}

func isDetail(err error) bool {
	var d huma.ErrorDetailer
	return errors.As(err, &d)
}

// requestProblem is huma's finding about a request in our words: a
// validation failure names every field at fault.
func requestProblem(status int, errs []error) Problem {
	code := codeOfStatus(status)
	if status == 422 {
		code = domain.Invalid // huma's validation failure is our Invalid, as everywhere else
	}
	s := statusOf[code]
	p := Problem{Type: "urn:hrss:problem:" + string(code), Code: code, Status: s.status, Title: s.title}
	if t, ok := fiberTitles[status]; ok && code != domain.Invalid {
		p.Title = t
	}
	for _, err := range errs {
		var d huma.ErrorDetailer
		if !errors.As(err, &d) {
			continue
		}
		p.Errors = append(p.Errors, fieldError(d.ErrorDetail()))
	}
	if len(p.Errors) > 0 {
		p.Detail = "提交的信息有误，请按提示修改后重试"
	}
	return p
}

// requiredMark prefixes the required-property message so that the field
// can be named: huma reports it at the enclosing object.
const requiredMark = "\x00required:"

func fieldError(d *huma.ErrorDetail) domain.FieldError {
	field := d.Location
	for _, prefix := range []string{"body.", "query.", "path.", "header.", "cookie."} {
		field = strings.TrimPrefix(field, prefix)
	}
	if field == "body" {
		field = ""
	}
	msg := d.Message
	if zh, ok := parseMessages[msg]; ok {
		msg = zh
	} else if strings.HasPrefix(msg, "invalid ") {
		msg = "格式不正确"
	}
	if name, ok := strings.CutPrefix(msg, requiredMark); ok {
		if field != "" {
			field += "."
		}
		field += name
		msg = "此项为必填项"
	}
	return domain.FieldError{Field: field, Message: msg}
}

// parseMessages are huma's messages for a parameter that does not parse,
// which it writes as literals rather than through package validation.
var parseMessages = map[string]string{
	"invalid integer": "应为整数",
	"invalid float":   "应为数字",
	"invalid boolean": "应为是或否（true 或 false）",

	"required header parameter is missing": "缺少必需的请求头",
	"required query parameter is missing":  "此项为必填项",
	"required path parameter is missing":   "此项为必填项",
	"required cookie parameter is missing": "缺少必需的 Cookie",
}

// chineseValidationMessages replaces huma's English validation messages
// with ones a citizen can act on. A message that takes an argument huma
// supplies but the citizen does not need consumes it with %.0s.
func chineseValidationMessages() {
	validation.MsgExpectedRequiredProperty = requiredMark + "%s"
	validation.MsgUnexpectedProperty = "不支持此字段"
	validation.MsgExpectedString = "应为文本"
	validation.MsgExpectedNumber = "应为数字"
	validation.MsgExpectedInteger = "应为整数"
	validation.MsgExpectedBoolean = "应为是或否"
	validation.MsgExpectedArray = "应为列表"
	validation.MsgExpectedObject = "应为对象"
	validation.MsgExpectedMinLength = "不能少于 %d 个字符"
	validation.MsgExpectedMaxLength = "不能超过 %d 个字符"
	validation.MsgExpectedMinimumNumber = "不能小于 %v"
	validation.MsgExpectedMaximumNumber = "不能大于 %v"
	validation.MsgExpectedExclusiveMinimumNumber = "应大于 %v"
	validation.MsgExpectedExclusiveMaximumNumber = "应小于 %v"
	validation.MsgExpectedMinItems = "至少需要 %d 项"
	validation.MsgExpectedMaxItems = "最多只能有 %d 项"
	validation.MsgExpectedOneOf = "只能是以下之一：%s"
	validation.MsgExpectedMatchPattern = "格式不正确%.0s"
	validation.MsgExpectedBePattern = "格式不正确%.0s"
	validation.MsgExpectedRFC3339Date = "日期格式应为 年-月-日，如 2026-11-29"
	validation.MsgExpectedRFC3339DateTime = "时间格式应为 2026-11-29T09:30:00+08:00"
	validation.MsgExpectedArrayItemsUnique = "列表中有重复项"
}
