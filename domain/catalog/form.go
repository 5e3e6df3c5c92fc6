package catalog

import (
	"slices"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
)

// FieldType is the kind of value a form field takes. It decides the value's
// JSON type, the rules ValidateForm applies and the input a channel shows.
type FieldType string

// The field types. Every string type is sent in its canonical form: no
// surrounding spaces, ID numbers and credit codes in capitals (a final
// lower-case x of an ID number is forgiven), phones as 11 bare digits.
const (
	Text       FieldType = "text"        // free text; min/max bound its length in characters
	Number     FieldType = "number"      // a JSON number; min/max bound it
	Money      FieldType = "money"       // integer fen (分); min/max in fen, never negative
	Date       FieldType = "date"        // "2006-01-02", a Beijing date
	IDNumber   FieldType = "id_number"   // citizen ID number (GB 11643)
	CreditCode FieldType = "credit_code" // unified social credit code (GB 32100)
	Phone      FieldType = "phone"       // mainland mobile number
	Select     FieldType = "select"      // one of Options, by value
	Boolean    FieldType = "boolean"     // true or false
	Files      FieldType = "file"        // a list of uploaded file ids; min/max bound the count
)

// fieldTypes lists every type with the verb its "missing" message uses.
var fieldTypes = map[FieldType]string{
	Text: "请填写", Number: "请填写", Money: "请填写", Date: "请填写", IDNumber: "请填写",
	CreditCode: "请填写", Phone: "请填写", Select: "请选择", Boolean: "请选择", Files: "请上传",
}

// Field is one input of a matter's form (申请表).
type Field struct {
	// Key names the value in the submitted data: lowerCamelCase, unique in
	// the form. Matters that ask the same thing use the same key (idNumber,
	// name, phone), so a bundle's merged form asks it once.
	Key      string    `json:"key"`
	Label    string    `json:"label"` // the Chinese label, also used in error messages
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitzero"`
	// Pattern is a regular expression a text value must match, in the
	// syntax common to Go and JSON Schema; like JSON Schema's, it is not
	// anchored, so write ^…$. PatternHint is the message when it fails.
	Pattern     string   `json:"pattern,omitempty"`
	PatternHint string   `json:"patternHint,omitempty"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Options     []Option `json:"options,omitempty"`
	Help        string   `json:"help,omitempty"` // the hint shown under the input
	// Example is a valid value, shown as a placeholder and used by tests; a
	// field with a Pattern must have one. The definition check verifies it.
	Example any `json:"example,omitempty"`
}

// Option is one choice of a select field: the value sent and the label shown.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// hasOption reports whether v is one of f's option values.
func (f Field) hasOption(v string) bool {
	return slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v })
}

// SampleValue returns a value that passes the field's rules — its Example
// when it has one — for tests, load generation and API examples. ID numbers
// and credit codes are synthetic but carry valid check characters.
func (f Field) SampleValue() any {
	if f.Example != nil {
		return f.Example
	}
	switch f.Type {
	case Number:
		return clampMax(f.Max, boundOr(f.Min, 1))
	case Money:
		return clampMax(f.Max, boundOr(f.Min, 100000))
	case Date:
		return "2026-01-05"
	case IDNumber:
		return sampleID
	case CreditCode:
		return sampleCreditCode
	case Phone:
		return "13800000000"
	case Select:
		if len(f.Options) > 0 {
			return f.Options[0].Value
		}
	case Boolean:
		return true
	case Files:
		return sampleFiles(int(boundOr(f.Min, 1)))
	}
	return sampleText(f)
}

// SampleForm returns data that passes every rule of fields, required or not.
func SampleForm(fields []Field) map[string]any {
	data := make(map[string]any, len(fields))
	for _, f := range fields {
		data[f.Key] = f.SampleValue()
	}
	return data
}

var (
	sampleID         = "21060219800101001" + string(domain.IDCheckDigit("21060219800101001"))
	sampleCreditCode = "91210600MA0Y00000" + string(domain.CreditCodeCheckChar("91210600MA0Y00000"))
)

func boundOr(b *float64, def float64) float64 {
	if b != nil && *b > def {
		return *b
	}
	return def
}

func clampMax(b *float64, v float64) float64 {
	if b != nil && *b < v {
		return *b
	}
	return v
}

func sampleText(f Field) string {
	n := int(boundOr(f.Min, 2))
	if f.Max != nil && int(*f.Max) < n {
		n = int(*f.Max)
	}
	return strings.Repeat("示", n)
}

func sampleFiles(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = "sample-file"
	}
	return out
}

// cloneFields deep-copies fields (options and bounds included).
func cloneFields(fs []Field) []Field {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options)
		out[i].Min = cloneBound(out[i].Min)
		out[i].Max = cloneBound(out[i].Max)
	}
	return out
}

func cloneBound(b *float64) *float64 {
	if b == nil {
		return nil
	}
	v := *b
	return &v
}
