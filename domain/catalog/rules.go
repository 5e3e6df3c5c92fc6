package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// The rules of form data. They are the Go side of validation and give the
// Chinese messages; the JSON Schema of the same form (see SchemaValidator)
// double-checks afterwards. The Go rules are at least as strict as the
// schema, so the schema only ever catches drift between the two.

// maxFileID bounds an uploaded file id in a file-list field.
const maxFileID = 128

// msgUnknownField is the message for a key the form does not have, which
// means the client holds an older form: reloading fetches the current one.
const msgUnknownField = "表单中没有这一项，请刷新页面后重新填写"

// checkForm applies fields' rules to data and returns one error per field at
// fault, in form order, then the keys the form does not know, sorted.
func checkForm(fields []Field, data map[string]any) []domain.FieldError {
	var errs []domain.FieldError
	known := make(map[string]bool, len(fields))
	for _, f := range fields {
		known[f.Key] = true
		if msg := checkValue(f, data[f.Key]); msg != "" {
			errs = append(errs, domain.FieldError{Field: f.Key, Message: msg})
		}
	}
	var unknown []string
	for k := range data {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		errs = append(errs, domain.FieldError{Field: k, Message: msgUnknownField})
	}
	return errs
}

// filled reports whether v counts as an answer: null, "", blank text and an
// empty list all leave a field unfilled.
func filled(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(v) != ""
	case []any:
		return len(v) > 0
	case []string:
		return len(v) > 0
	}
	return true
}

// filledOnly returns data without its unfilled values, the form in which
// the JSON Schema double-checks it (the schema leaves an optional field
// empty by leaving it out).
func filledOnly(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if filled(v) {
			out[k] = v
		}
	}
	return out
}

// checkValue returns the message for what is wrong with v as the value of
// f, or "".
func checkValue(f Field, v any) string {
	if !filled(v) {
		if f.Required {
			return fieldTypes[f.Type] + f.Label
		}
		return ""
	}
	switch f.Type {
	case Text:
		return checkText(f, v)
	case Number, Money:
		return checkNumber(f, v)
	case Select:
		if s, ok := v.(string); !ok || !f.hasOption(s) {
			return f.Label + "的选项不在可选范围内，请重新选择"
		}
	case Boolean:
		if _, ok := v.(bool); !ok {
			return f.Label + "应选择“是”或“否”"
		}
	case Files:
		return checkFiles(f, v)
	default:
		return checkCoded(f, v)
	}
	return ""
}

func checkText(f Field, v any) string {
	s, ok := v.(string)
	if !ok {
		return f.Label + "应填写文字"
	}
	n := utf8.RuneCountInString(s)
	switch {
	case f.Min != nil && float64(n) < *f.Min:
		return fmt.Sprintf("%s至少填写%d个字", f.Label, int(*f.Min))
	case f.Max != nil && float64(n) > *f.Max:
		return fmt.Sprintf("%s最多填写%d个字", f.Label, int(*f.Max))
	case f.Pattern != "" && !compiledPattern(f.Pattern).MatchString(s):
		if f.PatternHint != "" {
			return f.PatternHint
		}
		return f.Label + "格式不正确"
	}
	return ""
}

// checkNumber checks a number or an amount of money in fen.
func checkNumber(f Field, v any) string {
	x, ok := toFloat(v)
	if !ok {
		return f.Label + "应填写数字"
	}
	if f.Type == Number {
		return checkRange(f, x, func(b float64) string { return strconv.FormatFloat(b, 'f', -1, 64) }, "小于", "大于")
	}
	switch {
	case x != math.Trunc(x) || math.Abs(x) > 1<<53:
		return f.Label + "应为以分为单位的整数金额"
	case x < 0:
		return f.Label + "不能为负数"
	}
	return checkRange(f, x, func(b float64) string { return domain.Fen(b).Yuan() + "元" }, "少于", "超过")
}

func checkRange(f Field, x float64, show func(float64) string, below, above string) string {
	switch {
	case f.Min != nil && x < *f.Min:
		return f.Label + "不能" + below + show(*f.Min)
	case f.Max != nil && x > *f.Max:
		return f.Label + "不能" + above + show(*f.Max)
	}
	return ""
}

// toFloat reads a JSON number as decoded (float64 or json.Number) or as Go
// code builds it (any integer type).
func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	case json.Number:
		x, err := strconv.ParseFloat(string(v), 64)
		return x, err == nil
	case int:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	return 0, false
}

func checkFiles(f Field, v any) string {
	var ids []string
	switch v := v.(type) {
	case []string:
		ids = v
	case []any:
		for _, x := range v {
			s, _ := x.(string)
			ids = append(ids, s)
		}
	default:
		return f.Label + "应为已上传文件的列表"
	}
	for _, id := range ids {
		if id == "" || len(id) > maxFileID {
			return f.Label + "中有无效的文件，请重新上传"
		}
	}
	switch n := float64(len(ids)); {
	case f.Min != nil && n < *f.Min:
		return fmt.Sprintf("%s至少上传%d个文件", f.Label, int(*f.Min))
	case f.Max != nil && n > *f.Max:
		return fmt.Sprintf("%s最多上传%d个文件", f.Label, int(*f.Max))
	}
	return ""
}

// checkCoded checks the string types with a domain parser: dates, ID
// numbers, credit codes and phones. The parsers forgive what people type;
// form data must already be canonical, as its JSON Schema says.
func checkCoded(f Field, v any) string {
	s, ok := v.(string)
	if !ok {
		return f.Label + "应填写文字"
	}
	if strings.TrimSpace(s) != s {
		return f.Label + "前后不能有空格"
	}
	canonical := s
	var err error
	switch f.Type {
	case Date:
		_, err = domain.ParseDate(s, f.Key)
	case IDNumber:
		_, err = domain.ParseIDNumber(s) // a final lower-case x is forgiven, as in the schema
	case CreditCode:
		var c domain.CreditCode
		c, _, err = domain.ParseCreditCode(s)
		canonical = string(c)
	case Phone:
		var p domain.Phone
		p, err = domain.ParsePhone(s)
		canonical = p.Raw()
	}
	if err != nil {
		return labelled(f.Label, parserMessage(err))
	}
	if canonical != s {
		return canonicalHint(f)
	}
	return ""
}

// canonicalHint says how to write a value the parser understood but the
// form does not accept as it is.
func canonicalHint(f Field) string {
	if f.Type == CreditCode {
		return f.Label + "中的字母应为大写"
	}
	return f.Label + "应为11位手机号码，不含空格、短横线或+86"
}

// parserMessage returns the message of a domain parser's error.
func parserMessage(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		return de.Fields[0].Message
	}
	return "格式不正确"
}

// labelled puts the field's label before a parser's message unless the
// message already names it ("身份证号码应为18位" for 身份证号码), so every
// message says which field it is about.
func labelled(label, msg string) string {
	if strings.Contains(msg, label) {
		return msg
	}
	return label + "：" + msg
}

// patterns caches compiled field patterns by source. Definitions are
// checked before a catalog is built, so every pattern seen here compiles;
// the cache holds no more entries than the definitions have patterns.
var patterns sync.Map // string → *regexp.Regexp

func compiledPattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(p)
	patterns.Store(p, re)
	return re
}
