package formschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Validator compiles forms' schemas for the catalog. It holds no state;
// each compiled check keeps its own schema.
type Validator struct{}

var _ catalog.SchemaValidator = (*Validator)(nil)

// New returns a Validator.
func New() *Validator { return &Validator{} }

// Compile compiles the schema of the form and returns its check. Invalid
// when the schema does not compile (a pattern outside the common syntax).
func (*Validator) Compile(id string, fields []catalog.Field) (catalog.FormCheck, error) {
	sch, err := compileSchema(id, Schema(id, fields))
	if err != nil {
		return nil, domain.Wrap(err, domain.Invalid, "表单校验规则无法生成")
	}
	labels := make(map[string]string, len(fields))
	for _, f := range fields {
		labels[f.Key] = f.Label
	}
	return func(data map[string]any) error { return check(id, sch, labels, data) }, nil
}

// check validates data, which it first brings to the shape the library
// reads (JSON numbers, []any), by a JSON round trip.
func check(id string, sch *jsonschema.Schema, labels map[string]string, data map[string]any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return domain.Wrap(fmt.Errorf("form %s: encode data: %w", id, err), domain.Invalid, "提交的表单内容无法识别")
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return domain.Wrap(fmt.Errorf("form %s: %w", id, err), domain.Invalid, "提交的表单内容无法识别")
	}
	var ve *jsonschema.ValidationError
	if err := sch.Validate(inst); errors.As(err, &ve) {
		return mismatch(id, ve, labels)
	} else if err != nil {
		return fmt.Errorf("form %s: validate: %w", id, err)
	}
	return nil
}

// fault is one field the schema refused, and the keyword that refused it.
type fault struct{ field, keyword string }

// mismatch turns a validation error into an Invalid error naming each
// field. Its cause lists fields and keywords, never the values, which may
// be personal data.
func mismatch(id string, ve *jsonschema.ValidationError, labels map[string]string) error {
	var faults []fault
	collect(ve, &faults)
	var fields []domain.FieldError
	var where []string
	seen := map[string]bool{}
	for _, f := range faults {
		where = append(where, f.field+":"+f.keyword)
		if seen[f.field] {
			continue
		}
		seen[f.field] = true
		fields = append(fields, domain.FieldError{Field: f.field, Message: message(f, labels)})
	}
	slices.SortStableFunc(fields, func(a, b domain.FieldError) int { return strings.Compare(a.Field, b.Field) })
	e := domain.InvalidFields(fields...)
	e.Err = fmt.Errorf("form %s does not match its JSON Schema at %s", id, strings.Join(where, ", "))
	return e
}

// rootField names a fault of the form as a whole.
const rootField = "form"

func message(f fault, labels map[string]string) string {
	label, known := labels[f.field]
	switch {
	case f.field == rootField && !known:
		return "提交的表单内容无法识别"
	case !known:
		return "表单中没有这一项，请刷新页面后重新填写"
	case f.keyword == "required":
		return "请填写" + label
	}
	return label + "填写内容不符合要求"
}

// collect gathers the leaves of a validation error as field faults.
func collect(ve *jsonschema.ValidationError, out *[]fault) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(c, out)
		}
		return
	}
	keyword := strings.Join(ve.ErrorKind.KeywordPath(), "/")
	if len(ve.InstanceLocation) > 0 {
		*out = append(*out, fault{ve.InstanceLocation[0], keyword})
		return
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			*out = append(*out, fault{m, "required"})
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, fault{p, "additionalProperties"})
		}
	default:
		*out = append(*out, fault{rootField, keyword})
	}
}
