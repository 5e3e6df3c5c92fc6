package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/gofiber/fiber/v2"
)

// DecodeJSON reads the request body into v. Malformed JSON, a field of the
// wrong type or an unknown field becomes an Invalid error that says, in
// Chinese, what is wrong and where.
func DecodeJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(body) == 0 {
		return domain.Errorf(domain.Invalid, "请求内容不能为空")
	}
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return domain.Errorf(domain.Invalid, "请求内容类型应为 application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Errorf(domain.Invalid, "请求内容只能包含一个 JSON 对象")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return domain.Wrap(err, domain.Invalid, fmt.Sprintf("请求内容不是有效的 JSON（第 %d 个字节附近有误）", syn.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Wrap(err, domain.Invalid, "请求内容不完整，不是有效的 JSON")
	case errors.As(err, &typ):
		return &domain.Error{Code: domain.Invalid, Message: "提交的信息有误，请按提示修改后重试", Err: err,
			Fields: []domain.FieldError{{Field: typ.Field, Message: "数据类型不正确，应为" + jsonKind(typ.Type.Kind().String())}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &domain.Error{Code: domain.Invalid, Message: "提交的信息有误，请按提示修改后重试", Err: err,
			Fields: []domain.FieldError{{Field: field, Message: "不支持此字段"}}}
	}
	return domain.Wrap(err, domain.Invalid, "请求内容不是有效的 JSON")
}

func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "文本"
	case "bool":
		return "是或否"
	case "slice", "array":
		return "列表"
	case "map", "struct":
		return "对象"
	}
	return "数字"
}
